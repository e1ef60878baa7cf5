"""URLs of every proposals page under /usulan/.

Modules by what they hold: `views` (summary, entry, detail, decisions, windows, Renja),
`list_views` (the list at /usulan/ and its Excel export), `import_views` (bulk import pages).
"""

from django.urls import path

from selaras.web.params import register_converters
from selaras.web.proposals import exports, import_views, list_views, views

register_converters()

app_name = "proposals"
urlpatterns: list = [
    path("", list_views.proposal_list, name="list"),
    path("ekspor.xlsx", list_views.export, name="export"),
    path("ekspor/", exports.export_start, name="export_start"),
    path("impor/", import_views.upload, name="import"),
    path("impor/templat/<token:channel>/", import_views.template, name="import_template"),
    path("impor/<token:job>/", import_views.status_page, name="import_status"),
    path("impor/<token:job>/progres/", import_views.progress_fragment, name="import_progress"),
    path("impor/<token:job>/batalkan/", import_views.cancel, name="import_cancel"),
    path("impor/<token:job>/ditolak.xlsx", import_views.rejects, name="import_rejects"),
    path("ringkasan/", views.index, name="index"),
    path("baru/", views.new, name="new"),
    path("kecamatan/", views.district, name="district"),
    path("verifikasi/", views.agency_queue, name="agency_queue"),
    path("penugasan/", views.assignment, name="assignment"),
    path("jadwal/", views.schedule, name="schedule"),
    path("jadwal/<id:pk>/perpanjang/", views.extend_window, name="extend_window"),
    path("jadwal/<id:pk>/tutup/", views.close_window, name="close_window"),
    path("renja/", views.renja, name="renja"),
    path("<token:number>/keputusan/", views.decide, name="decide"),
    path("<token:number>/perbaiki/", views.correct, name="correct"),
    path("<token:number>/ajukan-ulang/", views.resubmit, name="resubmit"),
    path("<token:number>/", views.detail, name="detail"),
]
