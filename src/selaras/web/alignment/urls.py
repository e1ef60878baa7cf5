from django.urls import path

from selaras.web.alignment import views

app_name = "alignment"
urlpatterns = [
    path("", views.report, name="report"),
    path("ekspor.xlsx", views.export_xlsx, name="export"),
]
