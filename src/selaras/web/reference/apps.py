from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.reference"
    label = "reference"
    default_auto_field = "django.db.models.BigAutoField"
