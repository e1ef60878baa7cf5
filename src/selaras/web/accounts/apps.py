from django.apps import AppConfig

#: Indonesian headings of the admin site for apps whose own name is English or missing (third-party
#: apps included: axes, django-tasks); an app that names itself in Bahasa keeps its own name.
ADMIN_HEADINGS = {
    "reference": "Data referensi",
    "proposals": "Usulan",
    "selection": "Seleksi usulan",
    "alignment": "Sinkronisasi",
    "public": "Pelacak publik",
    "api": "API",
    "axes": "Percobaan masuk (pengaman)",
    "django_tasks": "Antrean tugas",
    "django_tasks_database": "Antrean tugas (basis data)",
    "simple_history": "Riwayat perubahan",
    "runserver_nostatic": "Server pengembangan",
    "ninja": "Ninja (API)",
    "humanize": "Format angka",
}


class Config(AppConfig):
    name = "selaras.web.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan peran"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps

        from selaras.web.history import build_history_managers_once

        build_history_managers_once()

        for label, heading in ADMIN_HEADINGS.items():
            config = apps.app_configs.get(label)
            if config is not None and _english(str(config.verbose_name), label):
                config.verbose_name = heading


def _english(name: str, label: str) -> bool:
    """True when the app's heading is Django's default (its label, title-cased) or an English word."""
    default = label.replace("_", " ").title()
    return name.replace("_", " ").title() == default or name in {"Reference", "Proposals", "Selection",
                                                                    "Alignment", "Public", "Api"}
