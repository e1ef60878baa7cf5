"""Volumes typed the Indonesian way on the proposal pages: '2,5' (decimal comma) and '1.500'
(thousands point), read by the same entry check as the cost ('150.000.000') and the import.

Before: the volume was a number box (Django DecimalField): '2,5' was refused ("Masukkan
sebuah bilangan") and '1.500' stored as 1.5; the decision's new volume and cost likewise."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from selaras.web.proposals import services
from selaras.web.proposals.models import Decision, Proposal
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _enter(client, world, volume: str):
    client.force_login(world.desa)
    return client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year,
                                         "title": "Drainase lingkungan", "volume": volume, "unit": "m",
                                         "estimated_cost": "90.000.000"})


@pytest.mark.parametrize(("typed", "stored"), [("2,5", Decimal("2.50")), ("1.500", Decimal("1500.00")),
                                              ("1.500,75", Decimal("1500.75")), (" 350 ", Decimal("350.00")),
                                              ("12.5", Decimal("12.50"))])
def test_volume_typed_with_decimal_comma_or_thousands_point_is_read(world, client, typed, stored):
    response = _enter(client, world, typed)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Proposal.objects.get(government=world.gov).volume == stored


def test_volume_box_is_a_text_box_with_the_phone_number_keyboard(world, client):
    client.force_login(world.desa)
    page = client.get("/usulan/baru/").content.decode()
    assert 'type="number" name="volume"' not in page
    assert 'name="volume"' in page and 'inputmode="decimal"' in page
    assert "mis. 2,5 atau 1.500" in page  # said under the field


@pytest.mark.parametrize(("typed", "said"), [
    ("banyak", "Volume: &#x27;banyak&#x27; bukan angka."),
    ("NaN", "bukan angka"),
    ("Infinity", "bukan angka"),
    ("-2,5", "Volume harus lebih dari 0 (-2,5)."),
    ("0", "Volume harus lebih dari 0"),
    ("1,234", "paling banyak 2 angka desimal"),
    ("1e309", "angka terlalu besar"),
    ("1e99999999", "angka terlalu besar"),  # the check's quote of it overflowed Decimal: a 500
    ("9" * 41, "paling banyak 40 karakter"),
    ("9" * 300_000, "paling banyak 40 karakter"),
])
def test_volume_that_is_not_a_volume_is_refused_in_bahasa_not_a_500(world, client, typed, said):
    response = _enter(client, world, typed)
    assert response.status_code == 400
    page = response.content.decode()
    errors = re.findall(r'<p class="error">(.*?)</p>', page)
    assert any(said in e for e in errors), errors
    assert all(len(e) < 200 for e in errors)  # a huge number is not quoted in full
    assert not Proposal.objects.filter(government=world.gov).exists()


def _forwarded(world):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    return p


@pytest.mark.parametrize(("volume", "cost", "stored_volume", "stored_cost"), [
    ("2,5", "150.000.000", Decimal("2.50"), 150_000_000),
    ("1.500", "", Decimal("1500.00"), None),
    ("", "75.500.000", None, 75_500_000),
])
def test_decision_with_changes_reads_volume_and_cost_the_same_way(world, client, volume, cost, stored_volume,
                                                                   stored_cost):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    page = client.get(f"/usulan/{p.number}/").content.decode()
    assert 'type="number" name="new_volume"' not in page and 'type="number" name="new_cost"' not in page
    response = client.post(f"/usulan/{p.number}/keputusan/", {
        "stage": "agency_forum", "outcome": "accepted_with_changes", "reason": "Disesuaikan pagu.",
        "new_volume": volume, "new_cost": cost})
    assert response.status_code == 302, response.content.decode()[-3000:]
    decision = Decision.objects.filter(proposal=p).latest("id")
    assert (decision.new_volume, decision.new_cost) == (stored_volume, stored_cost)


@pytest.mark.parametrize(("field", "typed", "said"), [
    ("new_volume", "dua", "bukan angka"), ("new_volume", "1e99999999", "angka terlalu besar"),
    ("new_volume", "-1", "harus lebih dari 0"), ("new_cost", "1,5", "rupiah bulat"),
    ("new_cost", "-5.000", "tidak boleh negatif"), ("new_cost", "1e99999999", "angka terlalu besar"),
])
def test_decision_with_a_bad_number_is_refused_in_bahasa_not_a_500(world, client, field, typed, said):
    p = _forwarded(world)
    client.force_login(world.perencana_pupr)
    before = Decision.objects.filter(proposal=p).count()
    response = client.post(f"/usulan/{p.number}/keputusan/", {
        "stage": "agency_forum", "outcome": "accepted_with_changes", "reason": "Disesuaikan pagu.", field: typed})
    assert response.status_code == 400 and said in response.content.decode()
    assert Decision.objects.filter(proposal=p).count() == before


def test_correction_form_shows_the_volume_as_typed_and_reads_it_back(world, client):
    p = village_proposal(world, volume="1500,5")
    services.decide(world.camat, p, stage="district", outcome="returned", reason="Lengkapi alamat.")
    client.force_login(world.desa)
    page = client.get(f"/usulan/{p.number}/perbaiki/").content.decode()
    assert 'value="1500,5"' in page and 'inputmode="decimal"' in page
    form = {"title": p.title, "description": p.description, "address": "Dusun III", "volume": "1500,5",
            "unit": "m", "estimated_cost": "450000000", "priority_rank": "1"}
    assert client.post(f"/usulan/{p.number}/perbaiki/", form).status_code == 302
    p.refresh_from_db()
    assert p.volume == Decimal("1500.50")
