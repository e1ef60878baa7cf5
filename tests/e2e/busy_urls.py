"""The real URLs plus a page and an API route whose database stays locked (tests only)."""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from selaras.web.errors.api_handler import install
from selaras.web.urls import urlpatterns as real

MESSAGES = {"locked": "database is locked", "other": "no such table: uji"}


def _page(request: HttpRequest, kind: str) -> HttpResponse:
    raise OperationalError(MESSAGES[kind])


busy_api = NinjaAPI(urls_namespace="uji_sibuk")
install(busy_api)


@busy_api.get("/sibuk/{kind}")
def _api(request: HttpRequest, kind: str) -> dict[str, str]:
    raise OperationalError(MESSAGES[kind])


urlpatterns = [path("uji-sibuk/<str:kind>/", _page), path("uji-api-sibuk/", busy_api.urls), *real]
