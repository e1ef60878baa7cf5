"""Public tracker under /publik/ (no login)."""

from django.urls import path

from selaras.web.public import views

app_name = "public"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("usulan/<str:number>/", views.proposal, name="proposal"),
    path("daerah/<str:code>/", views.government, name="government"),
    path("kecamatan/<str:code>/", views.district, name="district"),
    path("desa/<str:code>/", views.village, name="village"),
]
