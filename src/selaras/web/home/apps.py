from django.apps import AppConfig


class Config(AppConfig):
    """The home page of each role (beranda). It reads proposals, plans and schedules, so it sits
    above them in the layers; accounts (users and roles) stays below proposals."""

    name = "selaras.web.home"
    label = "home"
    verbose_name = "Beranda"
