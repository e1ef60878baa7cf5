from django.urls import path

from selaras.web.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
]
