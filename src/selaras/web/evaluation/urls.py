"""Monev under /evaluasi/: dashboards, quarterly realisation, quarter closing, E.78-E.81."""

from django.urls import URLPattern, URLResolver, path

from selaras.web.evaluation import views
from selaras.web.params import register_converters

register_converters()

app_name = "evaluation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/pd/<id:agency_id>/", views.agency_dashboard, name="agency_dashboard"),
    path("publik/", views.public_index, name="public_index"),
    path("publik/<token:code>/", views.public, name="public"),
    path("realisasi/", views.renja_list, name="renja_list"),
    path("realisasi/<year:year>/pd/<id:agency_id>/", views.entry, name="entry"),
    path("realisasi/<year:year>/pd/<id:agency_id>/impor/", views.import_view, name="import"),
    path("realisasi/<year:year>/pd/<id:agency_id>/formulir.xlsx", views.import_form, name="import_form"),
    path("realisasi/baris/<id:pk>/", views.line_quarter, name="line_quarter"),
    path("realisasi/baris/<id:pk>/riwayat/", views.line_history, name="line_history"),
    path("triwulan/", views.quarters, name="quarters"),
    path("indikator/", views.indicators, name="indicators"),
    path("e81/<year:year>/pd/<id:agency_id>/", views.e81, name="e81"),
    path("e79/<year:year>/", views.e79, name="e79"),
    path("e80/pd/<id:agency_id>/", views.e80, name="e80"),
    path("e78/", views.e78, name="e78"),
]
