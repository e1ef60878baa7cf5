"""Fixture `demo_district`: the reference data and a small demo district, for tests that ask.

Usage: a test requests `demo_district` (it brings `db` along); it gets a `DemoFixture` with the
government id, region code and the demo logins.

- The reference data (wilayah, nomenklatur) is loaded once per test worker and committed, as
  the reference tests do; it is reloaded if a transactional test flushed it.
- The district itself is generated once per worker (pure Python, cached) but written inside
  each requesting test's transaction (about a second), so it is rolled back afterwards. Tests
  that do not ask for it see no demo proposals, agencies or users: many tests count or `get`
  proposals without filtering by government, and a committed district would break them.

The fixture district is Kabupaten Karawang (32.15), small scale, seed 1, not Bekasi (32.16):
several test modules build their own "32.16" government and users named admin/bappeda/desa.
Demo usernames here carry the prefix "demo_" for the same reason. Use `demo_district.region_code`
and `demo_district.username("bappeda")` rather than literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

FIXTURE_REGION = "32.15"
FIXTURE_SEED = 1
FIXTURE_SCALE = "small"
USER_PREFIX = "demo_"


@dataclass(frozen=True)
class DemoFixture:
    government_id: int
    region_code: str
    seed: int
    scale: str
    logins: dict[str, str] = field(default_factory=dict)  # username -> password
    roles: dict[str, str] = field(default_factory=dict)  # role label -> username

    def username(self, short: str) -> str:
        """`demo_district.username("bappeda")` -> "demo_bappeda"."""
        return USER_PREFIX + short


def _ensure_reference() -> None:
    from selaras.web.reference.models import Region
    from selaras.web.reference.services import load_reference

    if not Region.objects.exists():
        load_reference()


@pytest.fixture(scope="session")
def _demo_reference(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        from selaras.web.reference.services import load_reference

        load_reference()


@pytest.fixture(scope="session")
def _demo_generated() -> Any:
    from selaras.demo import generate_district

    return generate_district(FIXTURE_REGION, FIXTURE_SCALE, FIXTURE_SEED)


@pytest.fixture
def demo_district(_demo_reference, _demo_generated, db) -> DemoFixture:
    """The small demo district with its demo users, loaded inside this test's transaction."""
    from selaras.web.demo.loader import demo_government, load_district
    from selaras.web.demo.users import create_demo_users

    _ensure_reference()  # a transactional test may have flushed the tables
    government = demo_government(FIXTURE_REGION) or load_district(_demo_generated)
    rows = create_demo_users(government, prefix=USER_PREFIX)
    return DemoFixture(
        government_id=government.pk, region_code=FIXTURE_REGION, seed=FIXTURE_SEED, scale=FIXTURE_SCALE,
        logins={username: password for username, password, _, _ in rows},
        roles={label: username for username, _, label, _ in rows},
    )
