from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.public"
    label = "public"
    default_auto_field = "django.db.models.BigAutoField"
