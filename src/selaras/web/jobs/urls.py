from django.urls import path

from selaras.web.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:token>/", views.status, name="status"),
    path("<str:token>/batal/", views.cancel, name="cancel"),
    path("<str:token>/unduh/", views.download, name="download"),
]
