from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.proposals"
    label = "proposals"
    default_auto_field = "django.db.models.BigAutoField"
