"""Public tracker under /publik/ (no login)."""

from django.urls import path

from selaras.web.params import register_converters
from selaras.web.public import views

register_converters()

app_name = "public"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("usulan/<token:number>/", views.proposal, name="proposal"),
    path("daerah/<token:code>/", views.government, name="government"),
    path("kecamatan/<token:code>/", views.district, name="district"),
    path("desa/<token:code>/", views.village, name="village"),
]
