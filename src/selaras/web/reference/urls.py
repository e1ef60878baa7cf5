from django.urls import path

from selaras.web.params import register_converters
from selaras.web.reference import views

register_converters()

app_name = "reference"
urlpatterns = [
    path("wilayah/", views.regions, name="regions"),
    path("wilayah/<token:code>/", views.region, name="region"),
    path("nomenklatur/", views.nomenclature, name="nomenclature"),
    path("nomenklatur/<token:code>/", views.nomenclature_item, name="nomenclature_item"),
    path("sub-kegiatan/<token:code>.json", views.sub_activity, name="sub_activity"),
    path("pemetaan/", views.review_list, name="review"),
    path("pemetaan/<id:pk>/", views.review_decide, name="review_decide"),
    path("pindah-edisi/", views.move_page, name="move"),
    path("pindah-edisi/terapkan/", views.move_apply, name="move_apply"),
]
