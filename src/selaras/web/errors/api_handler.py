"""The one django-ninja exception handler: a `SelarasError` becomes JSON with its HTTP status.

Body: `{"code": <stable code>, "detail": <Bahasa text>, "params": <facts>}`; status as for pages
(400, 403, 404, 409), so API clients can branch on `code` and show `detail`. A database lock
that timed out: 503 `{"code": "database_busy", ...}` with `Retry-After`; any other database
error is left to Django (500). A request django-ninja cannot validate (a query, path or body field of
the wrong type or out of range): 422 `{"code": "api_invalid_request", "detail": <Bahasa>, "params":
{"fields": [{field, type, detail}]}}` instead of pydantic's English list.
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from selaras.domain.errors import SelarasError
from selaras.web.errors.messages import ERROR_TEXTS, api_field_text, error_text
from selaras.web.errors.status import BUSY_CODE, BUSY_RETRY_AFTER, is_database_busy, status_of

__all__ = ["error_body", "install", "validation_body"]


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


_HTTP_CODES = {400: "invalid_input", 401: "not_permitted", 403: "not_permitted", 404: "not_found",
               409: "conflict", 429: "too_many_requests"}


def validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """django-ninja's request validation errors (pydantic, English) as our body, in Bahasa:
    `{"code": "api_invalid_request", "detail": "...", "params": {"fields": [{field, type, detail}]}}`."""
    fields = []
    for item in errors:
        loc = [str(part) for part in item.get("loc", ())]
        if loc[:1] == ["body"] and len(loc) > 2:  # body, the operation's body parameter, the field
            loc = loc[2:]
        loc = [part for part in loc if part not in {"query", "path", "body", "form"}]
        field = ".".join(loc) or "isi"
        kind = str(item.get("type", ""))
        fields.append({"field": field, "type": kind,
                       "detail": api_field_text(kind, field, item.get("ctx") or {})})
    detail = ERROR_TEXTS["api_invalid_request"].format(fields="; ".join(f["detail"] for f in fields[:5]))
    return {"code": "api_invalid_request", "detail": detail, "params": {"fields": _plain(fields)}}


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

    def handle_validation(request: HttpRequest, error: Any) -> HttpResponse:
        assert isinstance(error, NinjaValidationError)
        return api.create_response(request, validation_body(list(error.errors)), status=422)

    def handle_http(request: HttpRequest, error: Any) -> HttpResponse:
        """django-ninja's own refusals (an unreadable body, authentication, throttling) in Bahasa."""
        assert isinstance(error, HttpError)
        status = error.status_code
        if status == 400 and str(error).startswith("Cannot parse request body"):
            code = "api_unreadable_body"
        else:
            code = _HTTP_CODES.get(status, "error")
        return api.create_response(request, {"code": code, "detail": ERROR_TEXTS[code], "params": {}}, status=status)

    api.add_exception_handler(SelarasError, handle)
    api.add_exception_handler(NinjaValidationError, handle_validation)
    api.add_exception_handler(HttpError, handle_http)
    api.add_exception_handler(OperationalError, handle_busy)
