"""Audit that cannot be altered (issue 13): users are deactivated, never deleted; decisions keep
their actor; proposals are view-only in the admin; logins are throttled per (username, address)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db.models import ProtectedError
from django.test import override_settings
from django.urls import reverse

from selaras.web.proposals.models import Decision, Proposal
from tests.e2e.test_home import proposal
from tests.e2e.test_plan_pages import build_plan, member


@pytest.fixture
def world(db, django_user_model) -> SimpleNamespace:
    plan = build_plan()
    plan.operator = member(django_user_model, "uji_audit_desa", plan, "village_operator",
                           region_code="91.99.01.2001")
    plan.proposal = proposal(plan, "UJI-AUD-1", "Rehabilitasi jalan desa", agency=plan.dinkes)
    plan.decision = Decision.objects.create(proposal=plan.proposal, stage="village", outcome="submitted",
                                            reason="Diusulkan warga", actor=plan.operator,
                                            actor_role="village_operator")
    return plan


@pytest.fixture
def admin_client(client, django_user_model, world):
    client.force_login(django_user_model.objects.create_superuser("uji_audit_admin", "a@example.org", None))
    return client


def test_deleting_a_user_is_not_offered(admin_client, world):
    url = reverse("admin:auth_user_delete", args=[world.operator.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "delete_selected" not in changelist
    assert "Nonaktifkan pengguna terpilih" in changelist
    response = admin_client.post(reverse("admin:auth_user_changelist"),
                                 {"action": "delete_selected", "_selected_action": [world.operator.pk]})
    assert response.status_code in (200, 302)
    world.operator.refresh_from_db()  # still there
    change = admin_client.get(reverse("admin:auth_user_change", args=[world.operator.pk])).content.decode()
    assert "/delete/\" class=\"deletelink\"" not in change and f"/{world.operator.pk}/delete/" not in change


def test_deactivation_keeps_the_actor(admin_client, world, client):
    response = admin_client.post(reverse("admin:auth_user_changelist"),
                                 {"action": "deactivate", "_selected_action": [world.operator.pk]}, follow=True)
    assert "1 pengguna dinonaktifkan." in response.content.decode()
    world.operator.refresh_from_db()
    assert world.operator.is_active is False
    decision = Decision.objects.get(pk=world.decision.pk)
    assert decision.actor_id == world.operator.pk
    response = admin_client.post(reverse("admin:auth_user_changelist"),
                                 {"action": "reactivate", "_selected_action": [world.operator.pk]}, follow=True)
    world.operator.refresh_from_db()
    assert world.operator.is_active is True


def test_admin_cannot_deactivate_itself(admin_client, django_user_model):
    me = django_user_model.objects.get(username="uji_audit_admin")
    response = admin_client.post(reverse("admin:auth_user_changelist"),
                                 {"action": "deactivate", "_selected_action": [me.pk]}, follow=True)
    assert "Akun Anda sendiri tidak dinonaktifkan." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_no_path_nulls_the_actor(world):
    with pytest.raises(ProtectedError):
        world.operator.delete()
    assert Decision.objects.get(pk=world.decision.pk).actor_id == world.operator.pk


def test_proposal_is_view_only_in_the_admin(admin_client, world):
    p = world.proposal
    url = reverse("admin:proposals_proposal_change", args=[p.pk])
    html = admin_client.get(url).content.decode()
    for name in ("title", "estimated_cost", "agency", "village_code", "year", "status", "stage", "number"):
        assert f'name="{name}"' not in html, name
    before = Proposal.objects.filter(pk=p.pk).values().get()
    response = admin_client.post(url, {"title": "Diubah lewat admin", "estimated_cost": "1", "year": "2030",
                                       "village_code": "91.99.01.2002", "status": "accepted",
                                       "stage": "budget", "number": "X-1", "agency": ""})
    assert response.status_code == 403
    assert Proposal.objects.filter(pk=p.pk).values().get() == before
    assert admin_client.get(reverse("admin:proposals_proposal_add")).status_code == 403
    assert admin_client.get(reverse("admin:proposals_proposal_delete", args=[p.pk])).status_code == 403
    assert admin_client.get(reverse("admin:proposals_decision_add")).status_code == 403
    assert admin_client.get(reverse("admin:proposals_decision_delete", args=[world.decision.pk])).status_code == 403


def test_proposal_history_cannot_be_reverted(admin_client, world):
    p = world.proposal
    first = p.history.earliest()
    Proposal.objects.filter(pk=p.pk).update(title="Judul baru lewat layanan")
    url = reverse("admin:proposals_proposal_simple_history", args=[p.pk, first.history_id])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {}).status_code == 403
    assert Proposal.objects.get(pk=p.pk).title == "Judul baru lewat layanan"


@override_settings(AXES_ENABLED=True)
def test_lockout_is_per_username_and_address(client, django_user_model, db):
    django_user_model.objects.create_user("uji_nat_a", password="benar-sekali-123")
    django_user_model.objects.create_user("uji_nat_b", password="benar-sekali-456")
    login = reverse("accounts:login")
    office = {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(10):
        client.post(login, {"username": "uji_nat_a", "password": "salah"}, **office)
    locked = client.post(login, {"username": "uji_nat_a", "password": "benar-sekali-123"}, **office)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Akun terkunci sementara" in body and "satu jam" in body
    other = client.post(login, {"username": "uji_nat_b", "password": "benar-sekali-456"}, **office)
    assert other.status_code == 302  # the colleague behind the same NAT still logs in
    client.logout()
    elsewhere = client.post(login, {"username": "uji_nat_a", "password": "benar-sekali-123"},
                            REMOTE_ADDR="10.9.9.9")
    assert elsewhere.status_code == 302


@override_settings(AXES_ENABLED=True, HTTPS=True)
def test_lockout_behind_the_proxy_counts_the_client_address(client, django_user_model, db):
    django_user_model.objects.create_user("uji_proxy_a", password="benar-sekali-123")
    login = reverse("accounts:login")
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(10):
        client.post(login, {"username": "uji_proxy_a", "password": "salah"},
                    HTTP_X_FORWARDED_FOR="10.1.2.3", **via_proxy)
    # A forged first hop does not help: the proxy appends the real address last.
    forged = client.post(login, {"username": "uji_proxy_a", "password": "benar-sekali-123"},
                         HTTP_X_FORWARDED_FOR="10.7.7.7, 10.1.2.3", **via_proxy)
    assert forged.status_code == 429
    colleague_pc = client.post(login, {"username": "uji_proxy_a", "password": "benar-sekali-123"},
                               HTTP_X_FORWARDED_FOR="10.1.2.4", **via_proxy)
    assert colleague_pc.status_code == 302


def test_forwarded_for_ignored_without_a_proxy(rf):
    from selaras.web.accounts.throttle import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.7.7.7", REMOTE_ADDR="192.0.2.5")
    with override_settings(HTTPS=False):
        assert client_address(request) == "192.0.2.5"
    with override_settings(HTTPS=True):
        assert client_address(request) == "10.7.7.7"
