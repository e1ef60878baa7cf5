"""A database lock that outlasts the wait ("database is locked") answers 503 "coba lagi" on pages
and in the API, through the one error mapper; other database errors stay errors (500)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

BUSY_TEXT = "Basis data sedang sibuk, coba lagi."


@override_settings(ROOT_URLCONF="tests.e2e.busy_urls")
def test_locked_database_page_is_503(client) -> None:
    response = client.get("/uji-sibuk/locked/")
    html = response.content.decode()
    assert response.status_code == 503 and BUSY_TEXT in html
    assert response["Retry-After"].isdigit()
    assert "<!doctype html>" in html.lower() and "Traceback" not in html


@override_settings(ROOT_URLCONF="tests.e2e.busy_urls")
def test_locked_database_api_is_503_json(client) -> None:
    response = client.get("/uji-api-sibuk/sibuk/locked")
    assert response.status_code == 503 and response["Retry-After"].isdigit()
    assert response.json() == {"code": "database_busy", "detail": BUSY_TEXT, "params": {}}


@override_settings(ROOT_URLCONF="tests.e2e.busy_urls")
def test_other_database_errors_are_not_disguised(client) -> None:
    client.raise_request_exception = False
    assert client.get("/uji-sibuk/other/").status_code == 500
    with pytest.raises(OperationalError):
        client.raise_request_exception = True
        client.get("/uji-api-sibuk/sibuk/other")


def test_real_view_with_locked_database_is_503(client, monkeypatch) -> None:
    """A real page whose query meets a lock held too long (the ORM raising as SQLite does)."""
    from django.db.backends.utils import CursorWrapper

    def locked(self, sql, params=None):
        raise OperationalError("database is locked")

    monkeypatch.setattr(CursorWrapper, "execute", locked)
    response = client.get("/publik/")
    assert response.status_code == 503 and BUSY_TEXT in response.content.decode()
