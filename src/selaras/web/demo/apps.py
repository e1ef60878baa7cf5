from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.demo"
    label = "demo"
    verbose_name = "Data contoh"
    default_auto_field = "django.db.models.BigAutoField"
