"""Headers and settings of a production answer: CSP on every page with nothing inline to allow,
no asset from another host (API docs included), password validators, SQLite that waits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection

import selaras

pytestmark = pytest.mark.django_db

SRC = Path(selaras.__file__).resolve().parent
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))
INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),  # inline script
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick=, onchange=, ...
    re.compile(r"javascript:", re.I),
]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_templates_exist() -> None:
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_template_has_nothing_the_csp_forbids(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    for pattern in INLINE:
        assert not pattern.search(text), f"{pattern.pattern} in {template}"
    assert not EXTERNAL.search(text), f"asset or link from another host in {template}"


def test_pages_carry_the_policy(client) -> None:
    response = client.get("/masuk/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"


def test_api_docs_use_only_our_static_files(client) -> None:
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200 and "swagger-ui-bundle" in html
    assert "/static/ninja/" in html
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "docs reference another host"
    assert "Content-Security-Policy" in response


def test_health_needs_no_login_and_says_only_ok(client) -> None:
    response = client.get("/sehat/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_not_found_lists_no_url_patterns(client) -> None:
    response = client.get("/tidak-ada-halaman-ini/")
    html = response.content.decode()
    assert response.status_code == 404 and "URLconf" not in html and "[name=" not in html and "<str:" not in html


def test_password_validators_refuse_weak_passwords() -> None:
    for weak in ("selaras", "password123", "1234567890123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("rapat-desa-Sukamaju-2027")


def test_sqlite_waits_for_the_lock_and_writes_at_once() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    # The test database may live in memory (journal "memory"); a file database is in WAL.
    assert journal in {"wal", "memory"}
