from django.apps import AppConfig


class Config(AppConfig):
    """Background jobs (tugas latar): one Job row per long action (import, export, selection run, what-if, document), run by the worker process; progress, cancel, result file, recovery after a restart."""

    name = "selaras.web.jobs"
    label = "jobs"
    verbose_name = "Tugas latar"
