"""Root URL map: one prefix per area (paths in Bahasa Indonesia)."""

from django.contrib import admin
from django.urls import include, path

from selaras.web.health import health

admin.site.site_header = "Selaras: Administrasi"
admin.site.site_title = "Selaras"
admin.site.index_title = "Data perencanaan"

urlpatterns = [
    path("sehat/", health, name="health"),  # no login; for the proxy, systemd and monitoring
    path("", include("selaras.web.home.urls")),
    path("", include("selaras.web.accounts.urls")),
    path("referensi/", include("selaras.web.reference.urls")),
    path("rencana/", include("selaras.web.plans.urls")),
    path("usulan/", include("selaras.web.proposals.urls")),
    path("seleksi/", include("selaras.web.selection.urls")),
    path("sinkronisasi/", include("selaras.web.alignment.urls")),
    path("publik/", include("selaras.web.public.urls")),
    path("tugas/", include("selaras.web.jobs.urls")),
    path("penyusunan/", include("selaras.web.planning.urls")),
    path("evaluasi/", include("selaras.web.evaluation.urls")),
    path("dokumen/", include("selaras.web.documents.urls")),
    path("saran/", include("selaras.web.suggestions.urls")),
    path("api/", include("selaras.web.api.urls")),
    path("admin/", admin.site.urls),
]
