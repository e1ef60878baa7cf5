"""The one django-ninja exception handler: a `SelarasError` becomes JSON with its HTTP status.

Body: `{"code": <stable code>, "detail": <Bahasa text>, "params": <facts>}`; status as for pages
(400, 403, 404, 409), so API clients can branch on `code` and show `detail`. A database lock
that timed out: 503 `{"code": "database_busy", ...}` with `Retry-After`; any other database
error is left to Django (500).
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from selaras.domain.errors import SelarasError
from selaras.web.errors.messages import ERROR_TEXTS, error_text
from selaras.web.errors.status import BUSY_CODE, BUSY_RETRY_AFTER, is_database_busy, status_of

__all__ = ["error_body", "install"]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def error_body(error: SelarasError) -> dict[str, Any]:
    """The JSON body of `error`."""
    return {"code": error.code, "detail": error_text(error), "params": _plain(error.params)}


def install(api: NinjaAPI) -> None:
    """Register the handler on `api` (once, where the API object is made)."""

    def handle(request: HttpRequest, error: Any) -> HttpResponse:  # ninja types it loosely
        assert isinstance(error, SelarasError)
        return api.create_response(request, error_body(error), status=status_of(error))

    def handle_busy(request: HttpRequest, error: Any) -> HttpResponse:
        if not is_database_busy(error):
            raise error
        response = api.create_response(
            request, {"code": BUSY_CODE, "detail": ERROR_TEXTS[BUSY_CODE], "params": {}}, status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response

    api.add_exception_handler(SelarasError, handle)
    api.add_exception_handler(OperationalError, handle_busy)
