"""URLs of selection under /seleksi/."""

from django.urls import path

from selaras.web.selection import views

app_name = "selection"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("baru/", views.new, name="new"),
    path("bandingkan/", views.compare, name="compare"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/simulasi/", views.what_if, name="what_if"),
]
