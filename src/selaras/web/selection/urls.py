"""URLs of selection under /seleksi/."""

from django.urls import path

from selaras.web.params import register_converters
from selaras.web.selection import views

register_converters()

app_name = "selection"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("baru/", views.new, name="new"),
    path("bandingkan/", views.compare, name="compare"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/simulasi/", views.what_if, name="what_if"),
    path("<id:pk>/terapkan/", views.apply_preview, name="apply"),
    path("penerapan/<id:pk>/", views.applied, name="applied"),
]
