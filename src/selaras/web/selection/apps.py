from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.selection"
    label = "selection"
    default_auto_field = "django.db.models.BigAutoField"
