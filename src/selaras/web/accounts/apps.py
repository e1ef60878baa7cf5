from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan peran"
    default_auto_field = "django.db.models.BigAutoField"
