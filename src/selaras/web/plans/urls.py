from django.urls import path

from selaras.web.params import register_converters
from selaras.web.plans import views

register_converters()

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rpjmd/", views.current_rpjmd, name="current_rpjmd"),
    path("rpjmd/<id:pk>/", views.rpjmd, name="rpjmd"),
    path("perangkat-daerah/", views.agencies, name="agencies"),
    path("perangkat-daerah/<id:agency_id>/renstra/", views.renstra, name="renstra"),
    path("rkpd/", views.current_rkpd, name="current_rkpd"),
    path("rkpd/<year:year>/", views.rkpd, name="rkpd"),
    path("rkpd/<year:year>/renja/<id:agency_id>/", views.renja, name="renja"),
]
