"""Turn a `SelarasError` escaping an HTML view into a friendly Bahasa page with the right status.

Why a middleware: views then raise and stop; none of them maps errors to HTTP by hand, and every
page answers the same way (400, 403, 404, 409). Views that re-render a form with the message
still catch the error themselves (that is how the form shows it); this is for the rest.
Missing things use `404.html` (the page Django also uses for other 404s when DEBUG is off),
even with DEBUG on, so a `NotFound` never shows Django's list of URL patterns; with DEBUG on
(the demo) an address that matches no page and an `Http404` raised by a view get that page too,
instead of Django's technical page that lists every URL pattern.
A database lock that timed out becomes the 503 page "Basis data sedang sibuk, coba lagi."
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from selaras.domain.errors import SelarasError
from selaras.web.errors.messages import ERROR_TEXTS, error_text
from selaras.web.errors.status import (
    BUSY_CODE,
    BUSY_RETRY_AFTER,
    STATUS_TITLES,
    is_database_busy,
    status_of,
)

__all__ = ["SelarasErrorMiddleware", "busy_page", "error_page", "not_found_page"]


def error_page(request: HttpRequest, error: SelarasError) -> HttpResponse:
    """The friendly page of `error`, with its status."""
    status = status_of(error)
    template = "404.html" if status == 404 else "errors/error.html"
    return render(request, template, {
        "status": status, "title": STATUS_TITLES.get(status, STATUS_TITLES[400]),
        "detail": error_text(error), "code": error.code,
    }, status=status)


def not_found_page(request: HttpRequest, error: Http404 | None = None) -> HttpResponse:
    """404 with `404.html`: the text of an `Http404` when it has one, else the general text."""
    return render(request, "404.html", {"exception": str(error or "")}, status=404)


def busy_page(request: HttpRequest) -> HttpResponse:
    """503: the database stayed locked longer than the wait; the person tries again."""
    response = render(request, "errors/error.html", {
        "status": 503, "title": STATUS_TITLES[503], "detail": ERROR_TEXTS[BUSY_CODE], "code": BUSY_CODE,
    }, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


class SelarasErrorMiddleware:
    """Maps errors raised by views; everything else passes through untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            # Django answers an unmatched address itself, before any view, with its technical
            # page when DEBUG is on; resolve first so that page is never shown.
            try:
                resolve(request.path_info)
            except Resolver404:
                return not_found_page(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, SelarasError):
            return error_page(request, exception)
        if is_database_busy(exception):
            return busy_page(request)
        if settings.DEBUG and isinstance(exception, Http404):
            return not_found_page(request, exception)
        return None
