from django.urls import URLPattern, URLResolver, path

from selaras.web.params import register_converters
from selaras.web.suggestions import views

register_converters()

app_name = "suggestions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cek/", views.check, name="check"),
    path("usulan/<token:number>/", views.proposal_panel, name="panel"),
    path("usulan/<token:number>/gabung/<token:other>/", views.merge, name="merge"),
    path("usulan/<token:number>/bukan-ganda/<token:other>/", views.not_duplicate, name="not_duplicate"),
    path("impor/<token:job>/", views.import_panel, name="import_panel"),
]
