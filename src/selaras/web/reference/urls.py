from django.urls import path

from selaras.web.reference import views

app_name = "reference"
urlpatterns = [
    path("wilayah/", views.regions, name="regions"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("nomenklatur/", views.nomenclature, name="nomenclature"),
    path("nomenklatur/<str:code>/", views.nomenclature_item, name="nomenclature_item"),
]
