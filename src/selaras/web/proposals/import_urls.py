"""URLs of bulk import and export (owned by the import area)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
