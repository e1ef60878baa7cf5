"""The real URLs plus one page per error family and a test API with the same handler (tests only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from selaras.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    NotPermitted,
    SelarasError,
    StageClosed,
)
from selaras.web.errors.api_handler import install
from selaras.web.urls import urlpatterns as real

RAISED: dict[str, SelarasError] = {
    "400": InvalidInput("Isian uji tidak sah.", field="judul"),
    "403": NotPermitted("Peran uji tidak berwenang.", action="uji"),
    "404": NotFound("Data uji tidak ditemukan."),
    "409": StageClosed("Tahap uji sudah ditutup.", stage="village", year=2027),
    "409c": Conflict(),
}


def _page(request: HttpRequest, key: str) -> HttpResponse:
    raise RAISED[key]


test_api = NinjaAPI(urls_namespace="uji_api")
install(test_api)


@test_api.get("/galat/{key}")
def _api(request: HttpRequest, key: str) -> dict[str, str]:
    raise RAISED[key]


urlpatterns = [path("uji-galat/<str:key>/", _page), path("uji-api/", test_api.urls), *real]
