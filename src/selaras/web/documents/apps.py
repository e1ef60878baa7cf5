from django.apps import AppConfig


class Config(AppConfig):
    """Official documents (T-C.14, T-C.27, T-C.33, T-D.4, berita acara, E.78-E.81) in Excel and PDF, produced as background jobs."""

    name = "selaras.web.documents"
    label = "documents"
    verbose_name = "Dokumen resmi"

    def ready(self) -> None:
        from selaras.web.documents import jobs, kinds  # noqa: F401 - registers the job handler and the kinds
