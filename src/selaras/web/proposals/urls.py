"""URLs of every proposals page under /usulan/.

Modules by what they hold: `views` (summary, entry, detail, decisions, windows, Renja),
`list_views` (the list at /usulan/ and its Excel export), `import_views` (bulk import pages).
"""

from django.urls import path

from selaras.web.proposals import import_views, list_views, views

app_name = "proposals"
urlpatterns: list = [
    path("", list_views.proposal_list, name="list"),
    path("ekspor.xlsx", list_views.export, name="export"),
    path("impor/", import_views.upload, name="import"),
    path("impor/templat/<str:channel>/", import_views.template, name="import_template"),
    path("impor/<str:job>/", import_views.status_page, name="import_status"),
    path("impor/<str:job>/progres/", import_views.progress_fragment, name="import_progress"),
    path("impor/<str:job>/ditolak.xlsx", import_views.rejects, name="import_rejects"),
    path("ringkasan/", views.index, name="index"),
    path("baru/", views.new, name="new"),
    path("kecamatan/", views.district, name="district"),
    path("verifikasi/", views.agency_queue, name="agency_queue"),
    path("penugasan/", views.assignment, name="assignment"),
    path("jadwal/", views.schedule, name="schedule"),
    path("jadwal/<int:pk>/perpanjang/", views.extend_window, name="extend_window"),
    path("jadwal/<int:pk>/tutup/", views.close_window, name="close_window"),
    path("renja/", views.renja, name="renja"),
    path("<str:number>/keputusan/", views.decide, name="decide"),
    path("<str:number>/perbaiki/", views.correct, name="correct"),
    path("<str:number>/ajukan-ulang/", views.resubmit, name="resubmit"),
    path("<str:number>/", views.detail, name="detail"),
]
