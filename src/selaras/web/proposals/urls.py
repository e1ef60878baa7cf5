"""URLs of the proposal cycle under /usulan/ (bulk import/export come from import_urls)."""

from django.urls import path

from selaras.web.proposals import views
from selaras.web.proposals.import_urls import urlpatterns as import_urlpatterns

app_name = "proposals"
urlpatterns: list = [
    *import_urlpatterns,
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
