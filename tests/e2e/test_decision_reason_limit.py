"""The reason of a decision (public on the proposal's page) is held to 2,000 characters: said
under the field, refused by the form and by the service for every caller (the decision form,
the resubmission, the kecamatan's forwarding), in Bahasa Indonesia; never cut. The internal note
of a decision is held to the same limit.

Before: no limit anywhere; a pasted 300,000-character text was stored and shown to the public."""

from __future__ import annotations

import re

import pytest

from selaras.domain.errors import InvalidInput
from selaras.web.proposals import services
from selaras.web.proposals.models import Decision
from selaras.web.proposals.reasons import MAX_REASON
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db

LONGEST = ("Tidak sesuai prioritas RPJMD. " * 100)[:MAX_REASON - 1] + "."
TOO_LONG = LONGEST + "x"
#: The decision's two texts held to the limit, and how the service names each when it refuses it.
FIELDS = {"reason": "Alasan", "internal_note": "Catatan internal"}


@pytest.fixture
def world():
    return build_world()


def _forwarded(world):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    return p


def _decide(client, p, field: str, text: str):
    """The decision form sent with `text` in `field` (and a short reason beside a note)."""
    return client.post(f"/usulan/{p.number}/keputusan/", {"stage": "agency_forum", "outcome": "rejected",
                                                           "reason": "Tidak sesuai prioritas.", field: text})


def _errors(page: str) -> list[str]:
    return re.findall(r'<p class="error">(.*?)</p>', page) + re.findall(r'role="alert">(.*?)</div>', page, re.S)


@pytest.mark.parametrize("field", list(FIELDS))
def test_limit_is_said_under_the_field(world, client, field):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    page = client.get(f"/usulan/{p.number}/").content.decode()
    form = page[page.index('id="decision"'):]
    after = form[form.index(f'name="{field}"'):]
    assert "Paling banyak 2.000 karakter." in after[:600]
    assert 'maxlength="2000"' not in form  # the browser would cut a pasted text silently


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize(("text", "said"), [(TOO_LONG, "2.001"), ("Panjang. " * 40_000, "359.999")])
def test_decision_form_refuses_a_longer_text_and_stores_nothing(world, client, field, text, said):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    before = list(Decision.objects.filter(proposal=p).values_list("id", flat=True))
    response = _decide(client, p, field, text)
    assert response.status_code == 400
    assert f"Terlalu panjang: {said} karakter, paling banyak 2.000." in _errors(response.content.decode())
    assert list(Decision.objects.filter(proposal=p).values_list("id", flat=True)) == before


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_text_of_exactly_the_limit_is_stored_whole(world, client, field):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    response = _decide(client, p, field, LONGEST)
    assert response.status_code == 302
    assert getattr(Decision.objects.filter(proposal=p).latest("id"), field) == LONGEST


@pytest.mark.parametrize("field", list(FIELDS))
def test_service_refuses_a_longer_text_from_any_caller(world, field):
    p = _forwarded(world)
    before = Decision.objects.filter(proposal=p).count()
    with pytest.raises(InvalidInput) as refused:
        services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="rejected",
                        **{"reason": "Tidak sesuai.", field: TOO_LONG})
    assert refused.value.message.startswith(f"{FIELDS[field]} terlalu panjang: 2.001 karakter, paling banyak 2.000.")
    assert Decision.objects.filter(proposal=p).count() == before
    p.refresh_from_db()
    assert p.stage == "agency_forum" and p.status == "in_review"


def test_resubmission_reason_is_held_to_the_limit(world, client):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="returned", reason="Lengkapi alamat.")
    client.force_login(world.desa)
    assert "Paling banyak 2.000 karakter." in client.get(f"/usulan/{p.number}/").content.decode()
    before = Decision.objects.filter(proposal=p).count()
    response = client.post(f"/usulan/{p.number}/ajukan-ulang/", {"reason": TOO_LONG}, follow=True)
    assert "Alasan terlalu panjang: 2.001 karakter, paling banyak 2.000." in response.content.decode()
    p.refresh_from_db()
    assert p.status == "returned" and Decision.objects.filter(proposal=p).count() == before


def test_kecamatan_forwarding_reason_is_held_to_the_limit_and_its_rank_note_kept(world, client):
    a, b = village_proposal(world), village_proposal(world, title="Drainase")
    client.force_login(world.camat)
    assert "Paling banyak 2.000 karakter." in client.get("/usulan/kecamatan/").content.decode()
    form = {"tahun": world.year, "kecamatan": "32.16.05", f"rank_{a.pk}": "1", f"rank_{b.pk}": "2",
            f"forward_{a.pk}": "1", "forward": "1"}
    refused = client.post("/usulan/kecamatan/", {**form, "reason": TOO_LONG})
    assert refused.status_code == 400
    assert "Alasan terlalu panjang: 2.001 karakter, paling banyak 2.000." in refused.content.decode()
    a.refresh_from_db()
    assert (a.stage, a.district_rank) == ("district", None)  # neither ranks nor forwarding kept
    done = client.post("/usulan/kecamatan/", {**form, "reason": LONGEST})
    assert done.status_code == 302
    stored = Decision.objects.filter(proposal=a).latest("id").reason
    assert stored == f"{LONGEST} (peringkat 1 di kecamatan)"  # the typed reason whole, then Selaras' note
