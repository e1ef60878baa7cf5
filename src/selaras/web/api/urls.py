from django.urls import path

from selaras.web.api.api import api

urlpatterns = [path("", api.urls)]
