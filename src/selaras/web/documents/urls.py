from django.urls import URLPattern, URLResolver, path

from selaras.web.documents import views

app_name = "documents"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("buat/", views.produce, name="produce"),
    path("forum/<slug:forum>/", views.meeting, name="meeting"),
]
