"""The reads every request makes, written as plain statements (`web.rows`): they must give what
the ORM gives (same values, same conversions on SQLite and PostgreSQL, related objects loaded),
and refuse what the ORM refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.urls import reverse
from django.utils import timezone

from selaras.web.accounts.backends import read_user
from selaras.web.accounts.models import Membership
from selaras.web.accounts.sessions import SessionStore
from selaras.web.plans.models import AnnualPlan
from selaras.web.proposals import windows
from selaras.web.proposals.models import Proposal, StageWindow
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _values(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_user_is_read_with_role_and_government_as_the_orm_reads_them(world, django_assert_num_queries):
    user = world.users["desa"]
    user.last_login = timezone.now()
    user.save()
    expected = get_user_model().objects.select_related("membership__government").get(pk=user.pk)
    with django_assert_num_queries(1):
        read = read_user(user.pk)
    with django_assert_num_queries(0):
        assert _values(read) == _values(expected)
        assert _values(read.membership) == _values(expected.membership)
        assert _values(read.membership.government) == _values(expected.membership.government)
        assert read.membership.user is read
    assert timezone.is_aware(read.last_login) and timezone.is_aware(read.date_joined)
    assert read.is_active is True and read.is_superuser is False  # booleans, also on SQLite (0/1)


def test_a_user_without_a_role_has_no_membership_and_asking_costs_no_query(world, django_assert_num_queries):
    read = read_user(world.users["tanpa_peran"].pk)
    with django_assert_num_queries(0), pytest.raises(Membership.DoesNotExist):
        read.membership  # noqa: B018


def test_an_unknown_user_is_nobody():
    assert read_user(987_654_321) is None


def test_sessions_are_read_as_django_reads_them():
    kept = DjangoSessionStore()
    kept["_auth_user_id"] = "1"
    kept.create()
    assert SessionStore(kept.session_key).load() == {"_auth_user_id": "1"}
    expired = DjangoSessionStore()
    expired["x"] = 1
    expired.set_expiry(timezone.now() - timedelta(seconds=1))
    expired.create()
    for key in (expired.session_key, "tidakadasesiini", "sesi\x00rusak-panjang", "sési-bukan-ascii", "x" * 5000):
        store = SessionStore(key)
        assert store.load() == {}, key  # signed out, never an error (a NUL byte is refused by PostgreSQL)
        assert store.session_key is None


def test_a_hostile_session_cookie_signs_nobody_in_and_breaks_nothing(world, client):
    login = reverse("accounts:login")
    for value in ("sesi%00rusak", "'; DROP TABLE django_session; --", "a" * 4096, "\u00e9" * 40):
        client.cookies["sessionid"] = value
        response = client.get("/usulan/")
        assert response.status_code == 302 and response["Location"].startswith(login), value
    client.force_login(world.users["desa"])
    assert client.get("/usulan/").status_code == 200


def test_the_window_carries_the_rkpd_ceiling_read_in_the_same_statement(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        window = windows.ensure_stage_open(world.gov, world.year, "village", with_ceiling=True)
    assert window.ceiling is None  # no RKPD yet
    assert _values(window) == _values(StageWindow.objects.get(pk=window.pk))
    assert timezone.is_aware(window.opens_at) and window.closed_manually is False
    AnnualPlan.objects.create(government=world.gov, year=world.year, ceiling=2_500_000_000_000)
    assert windows.ensure_stage_open(world.gov, world.year, "village", with_ceiling=True).ceiling == 2_500_000_000_000


def test_history_managers_are_built_once_and_still_record_every_change(world):
    first, second = village_proposal(world), village_proposal(world, title="Drainase dusun Cibeber")
    assert type(first.history) is type(second.history)
    assert first.history.count() == 1 and second.history.get().title == "Drainase dusun Cibeber"
    assert Proposal.history.filter(id__in=[first.pk, second.pk]).count() == 2
