"""URLs of the proposal list, export and bulk import (owned by the import area).

Included first in proposals/urls.py, so "" here is /usulan/ itself.
"""

from django.urls import path

from selaras.web.proposals import import_views, listing

urlpatterns: list = [
    path("", listing.proposal_list, name="list"),
    path("ekspor.xlsx", listing.export, name="export"),
    path("impor/", import_views.upload, name="import"),
    path("impor/templat/<str:channel>/", import_views.template, name="import_template"),
    path("impor/<str:job>/", import_views.status_page, name="import_status"),
    path("impor/<str:job>/progres/", import_views.progress_fragment, name="import_progress"),
    path("impor/<str:job>/ditolak.xlsx", import_views.rejects, name="import_rejects"),
]
