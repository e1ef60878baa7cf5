"""The suite runs twice: on SQLite and on PostgreSQL. This shows which one a run really used."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_backend_matches_configuration():
    expected = "postgresql" if os.environ.get("SELARAS_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
