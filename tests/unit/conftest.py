"""Unit tests use no database: the PostgreSQL pass of `make test` skips tests/unit (they run once,
on SQLite; scripts/run_tests.py). A unit test that asks for the database (a django_db mark, or a
fixture that brings `db` along, such as `demo_district` or `live_server`) belongs in
tests/integration or tests/e2e: collection stops with a usage error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parent
DB_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                         "live_server", "django_db_setup"})


def database_users(items: list[pytest.Item]) -> list[str]:
    """Node ids of the unit tests among `items` that would touch the database."""
    return [item.nodeid for item in items
            if UNIT in Path(str(item.path)).resolve().parents
            and (item.get_closest_marker("django_db") is not None
                 or DB_FIXTURES & set(getattr(item, "fixturenames", ())))]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    bad = database_users(items)
    if bad:
        raise pytest.UsageError("tests/unit tidak boleh memakai basis data (pindahkan ke tests/integration): "
                                + ", ".join(bad))
