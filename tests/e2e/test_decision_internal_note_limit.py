"""A decision's internal note is held to the reason's limit (`reasons.MAX_REASON`, 2,000
characters): said under the field, refused by the form and by the service in Bahasa Indonesia,
never cut, nothing stored.

Before: the note had no limit anywhere; a pasted 300,000-character text was stored (and shown to
every official on the proposal's page)."""

from __future__ import annotations

import re

import pytest

from selaras.domain.errors import InvalidInput
from selaras.web.proposals import services
from selaras.web.proposals.models import Decision
from selaras.web.proposals.reasons import MAX_REASON
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db

LONGEST = ("Catatan rapat forum perangkat daerah. " * 60)[:MAX_REASON - 1] + "."
TOO_LONG = LONGEST + "x"


@pytest.fixture
def world():
    return build_world()


def _forwarded(world):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    return p


def _errors(page: str) -> list[str]:
    return re.findall(r'<p class="error">(.*?)</p>', page) + re.findall(r'role="alert">(.*?)</div>', page, re.S)


def _decide(client, p, note: str):
    return client.post(f"/usulan/{p.number}/keputusan/", {"stage": "agency_forum", "outcome": "rejected",
                                                           "reason": "Tidak sesuai prioritas.",
                                                           "internal_note": note})


def test_limit_is_said_under_the_note_field(world, client):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    page = client.get(f"/usulan/{p.number}/").content.decode()
    form = page[page.index('id="decision"'):]
    note = form[form.index('name="internal_note"'):]
    assert "Paling banyak 2.000 karakter." in note[:600]
    assert 'maxlength="2000"' not in form  # the browser would cut a pasted text silently


@pytest.mark.parametrize("note", [TOO_LONG, "Panjang. " * 40_000])
def test_decision_form_refuses_a_longer_note_and_stores_nothing(world, client, note):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    before = list(Decision.objects.filter(proposal=p).values_list("id", flat=True))
    response = _decide(client, p, note)
    assert response.status_code == 400
    length = f"{len(note.strip()):,}".replace(",", ".")
    assert f"Terlalu panjang: {length} karakter, paling banyak 2.000." in _errors(response.content.decode())
    assert list(Decision.objects.filter(proposal=p).values_list("id", flat=True)) == before


def test_a_note_of_exactly_the_limit_is_stored_whole(world, client):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    response = _decide(client, p, LONGEST)
    assert response.status_code == 302
    assert Decision.objects.filter(proposal=p).latest("id").internal_note == LONGEST


def test_service_refuses_a_longer_note_from_any_caller(world):
    p = _forwarded(world)
    before = Decision.objects.filter(proposal=p).count()
    with pytest.raises(InvalidInput) as refused:
        services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="rejected", reason="Tidak sesuai.",
                        internal_note=TOO_LONG)
    assert refused.value.message.startswith(
        "Catatan internal terlalu panjang: 2.001 karakter, paling banyak 2.000.")
    assert Decision.objects.filter(proposal=p).count() == before
    p.refresh_from_db()
    assert p.stage == "agency_forum" and p.status == "in_review"
