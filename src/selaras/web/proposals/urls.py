from django.urls import path  # noqa: F401

from selaras.web.proposals.import_urls import urlpatterns as import_urlpatterns

app_name = "proposals"
urlpatterns: list = [*import_urlpatterns]
