from django.apps import AppConfig


class Config(AppConfig):
    """Drafting of plan documents by their owners (Renstra, Renja, RKPD, RPJMD, RPJPD): stages, versions (snapshots), Bappeda verification notes, the Excel round trip, the loop from accepted proposals to Renja pagu."""

    name = "selaras.web.planning"
    label = "planning"
    verbose_name = "Penyusunan rencana"

    def ready(self) -> None:
        from selaras.web.planning import jobs  # noqa: F401 - registers the Excel import job
