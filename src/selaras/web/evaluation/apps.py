from django.apps import AppConfig


class Config(AppConfig):
    """Monitoring and evaluation: quarterly realisation of Renja lines, the evaluation tables E.78-E.81, dashboards and charts."""

    name = "selaras.web.evaluation"
    label = "evaluation"
    verbose_name = "Evaluasi"
