"""Session fixtures that load the reference data and a small demo district once per test worker.

Usage: a test requests `demo_district` (and `db`); it gets a `DemoFixture` with the government id,
region code and the demo logins. The district is committed once per worker, outside the tests'
transactions, so tests must not delete it (transactional tests that flush the database make the
next request of the fixture load it again).

The fixture district is Kabupaten Karawang (32.15), not Bekasi (32.16): several test modules build
their own "32.16" government and users named admin/bappeda/desa inside their transactions, and a
committed demo district with the same region code or usernames would collide with them. Demo
usernames here carry the prefix "demo_".
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _load() -> DemoFixture:
    from selaras.demo import generate_district
    from selaras.web.plans.demo_loader import create_demo_users, demo_government, load_district
    from selaras.web.reference.services import load_reference

    load_reference()
    government = demo_government(FIXTURE_REGION)
    if government is None:
        government = load_district(generate_district(FIXTURE_REGION, FIXTURE_SCALE, FIXTURE_SEED))
    rows = create_demo_users(government, prefix=USER_PREFIX)
    return DemoFixture(
        government_id=government.pk, region_code=FIXTURE_REGION, seed=FIXTURE_SEED, scale=FIXTURE_SCALE,
        logins={username: password for username, password, _, _ in rows},
        roles={label: username for username, _, label, _ in rows},
    )


@pytest.fixture(scope="session")
def _demo_district_session(django_db_setup, django_db_blocker) -> DemoFixture:
    with django_db_blocker.unblock():
        return _load()


@pytest.fixture
def demo_district(_demo_district_session: DemoFixture, db) -> DemoFixture:
    """The small demo district (reference data loaded too), once per worker."""
    from selaras.web.plans.models import LocalGovernment

    if LocalGovernment.objects.filter(pk=_demo_district_session.government_id).exists():
        return _demo_district_session
    return _load()  # a transactional test flushed the tables: load again inside this test
