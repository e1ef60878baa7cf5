from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.plans"
    label = "plans"
    verbose_name = "Rencana pembangunan"
    default_auto_field = "django.db.models.BigAutoField"
