from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.alignment"
    label = "alignment"
    default_auto_field = "django.db.models.BigAutoField"
