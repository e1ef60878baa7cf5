from django.urls import path

from selaras.web.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rpjmd/", views.current_rpjmd, name="current_rpjmd"),
    path("rpjmd/<int:pk>/", views.rpjmd, name="rpjmd"),
    path("perangkat-daerah/", views.agencies, name="agencies"),
    path("perangkat-daerah/<int:agency_id>/renstra/", views.renstra, name="renstra"),
    path("rkpd/", views.current_rkpd, name="current_rkpd"),
    path("rkpd/<int:year>/", views.rkpd, name="rkpd"),
    path("rkpd/<int:year>/renja/<int:agency_id>/", views.renja, name="renja"),
]
