"""Decisions are append-only: no code path, ORM call or admin page edits or deletes one."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from selaras.web.proposals.models import AppendOnlyError, Decision, Proposal
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    world = build_world()
    proposal = village_proposal(world)
    return world, proposal, proposal.decisions.get()


def test_orm_cannot_edit_a_decision(decided):
    _world, _p, d = decided
    d.reason = "diubah diam-diam"
    with pytest.raises(AppendOnlyError):
        d.save()
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=d.pk).update(reason="x")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        Decision.objects.bulk_update([d], ["reason"])
    assert Decision.objects.get(pk=d.pk).reason == "Usulan diajukan."


def test_orm_cannot_delete_a_decision(decided):
    _world, p, d = decided
    with pytest.raises(AppendOnlyError):
        d.delete()
    with pytest.raises(AppendOnlyError):
        Decision.objects.all().delete()
    with pytest.raises(ProtectedError):
        Proposal.objects.filter(pk=p.pk).delete()
    assert Decision.objects.filter(pk=d.pk).exists()


def test_admin_shows_decisions_read_only(decided, client):
    world, p, d = decided
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    url = f"/admin/proposals/decision/{d.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(url, {"reason": "diubah", "stage": "village", "outcome": "rejected"}).status_code == 403
    assert client.post(f"/admin/proposals/decision/{d.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/proposals/decision/add/").status_code == 403
    changelist = client.post("/admin/proposals/decision/", {"action": "delete_selected", "_selected_action": [d.pk]})
    assert changelist.status_code in (200, 302)
    assert client.post(f"/admin/proposals/proposal/{p.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Decision.objects.get(pk=d.pk).reason == "Usulan diajukan."
    assert Proposal.objects.filter(pk=p.pk).exists()


def test_admin_cannot_set_status_of_a_proposal(decided, client):
    world, p, _d = decided
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    page = client.get(f"/admin/proposals/proposal/{p.pk}/change/").content.decode()
    assert 'name="status"' not in page and 'name="stage"' not in page
    assert "jejak keputusan" in page.lower()
