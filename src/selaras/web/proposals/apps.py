from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.proposals"
    label = "proposals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from selaras.web.proposals import exports, import_job  # noqa: F401 - register the export and import jobs
