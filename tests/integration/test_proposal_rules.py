"""Service rules found missing in the demo walkthrough: sub-activity codes checked against the
nomenclature, bulk forwarding only of proposals awaiting the kecamatan, ranks naming the proposals
at fault, a merge into itself."""

from __future__ import annotations

import pytest

from selaras.domain.errors import InvalidInput
from selaras.web.errors.messages import error_text
from selaras.web.plans.models import RenjaLine
from selaras.web.proposals import services
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.reference.models import NomenclatureItem
from tests.browser.proposal_world import COUNCILLOR, ROAD, VILLAGE, build_world, village_proposal

pytestmark = pytest.mark.django_db

UNKNOWN = "9.99.99.9.99.9999"  # well formed, in no nomenclature
INACTIVE = "1.03.10.2.01.0098"
PROVINCIAL = "1.03.10.1.01.0001"


@pytest.fixture
def world():
    world = build_world()
    edition = world.gov.nomenclature_edition
    NomenclatureItem.objects.get_or_create(edition=edition, code=INACTIVE, government_level="kab/kota", defaults={
        "name": "Sub kegiatan yang dicabut", "level": "sub_activity", "parent_code": "1.03.10.2.01", "active": False})
    NomenclatureItem.objects.get_or_create(edition=edition, code=PROVINCIAL, government_level="provinsi", defaults={
        "name": "Penyelenggaraan jalan provinsi", "level": "sub_activity", "parent_code": "1.03.10.1.01"})
    return world


def forwarded(world, **kw):
    p = village_proposal(world, **kw)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati forum.")
    p.refresh_from_db()
    return p


def _message(exc_info) -> str:
    return error_text(exc_info.value)


# --- 1. sub-activity codes must be active sub-activities of the government's edition ------------

@pytest.mark.parametrize(("code", "words"), [
    (UNKNOWN, "tidak ada dalam nomenklatur"),
    ("1.03.10.2.01", "tidak sah"),  # an activity, not a sub-activity
    (INACTIVE, "tidak berlaku untuk tingkat pemerintah daerah ini atau sudah tidak aktif"),
    (PROVINCIAL, "tidak berlaku untuk tingkat pemerintah daerah ini atau sudah tidak aktif"),
])
def test_decide_refuses_a_sub_activity_outside_the_nomenclature(world, code, words):
    p = forwarded(world)
    lines = RenjaLine.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="Sesuai.",
                        sub_activity_code=code)
    assert words in _message(caught) and code in _message(caught)
    p.refresh_from_db()
    assert (p.sub_activity_code, p.stage, p.status, p.renja_line_id) == (ROAD, "agency_forum", "in_review", None)
    assert p.decisions.count() == 2 and RenjaLine.objects.count() == lines


def test_decide_accepts_a_valid_code(world):
    p = forwarded(world, sub_activity_code="")
    services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="Sesuai.",
                    sub_activity_code=f" {ROAD} ")
    p.refresh_from_db()
    assert p.sub_activity_code == ROAD and p.renja_line.name == "Rehabilitasi Jalan"


@pytest.mark.parametrize("code", [UNKNOWN, "1.01.99.2.99.9999", INACTIVE, PROVINCIAL])
def test_assign_refuses_a_sub_activity_outside_the_nomenclature(world, code):
    pokir = services.create_proposal(world.dprd, government=world.gov, year=world.year, channel="pokir",
                                     title="Bantuan alat posyandu", volume=10, unit="paket",
                                     estimated_cost=50_000_000, village_code=VILLAGE, councillor_name=COUNCILLOR)
    with pytest.raises(InvalidInput) as caught:
        services.assign(world.bappeda, pokir, agency=world.pupr, sub_activity_code=code)
    assert code in _message(caught)
    pokir.refresh_from_db()
    assert (pokir.agency_id, pokir.sub_activity_code) == (None, "")
    services.assign(world.bappeda, pokir, agency=world.pupr, sub_activity_code=ROAD)
    pokir.refresh_from_db()
    assert (pokir.agency_id, pokir.sub_activity_code) == (world.pupr.pk, ROAD)


def test_entry_refuses_an_unknown_code_but_may_leave_it_empty(world):
    with pytest.raises(InvalidInput) as caught:
        village_proposal(world, sub_activity_code=UNKNOWN)
    assert "tidak ada dalam nomenklatur" in _message(caught)
    # an agency's own draft enters the Renja at once: an unknown code would make a line of its own
    with pytest.raises(InvalidInput):
        services.create_proposal(world.perencana_pupr, government=world.gov, year=world.year,
                                 channel="agency_draft", title="Pemeliharaan jembatan", volume=2, unit="unit",
                                 estimated_cost=900_000_000, agency=world.pupr, sub_activity_code=UNKNOWN)
    assert not Proposal.objects.filter(government=world.gov).exists() and not RenjaLine.objects.exists()
    assert village_proposal(world, sub_activity_code="").sub_activity_code == ""


# --- 2. bulk forwarding takes only proposals awaiting the kecamatan -----------------------------

def test_forward_ranked_refuses_decided_proposals(world):
    original, merged, rejected, postponed, waiting = (village_proposal(world, title=f"Usulan {i}") for i in range(5))
    services.decide(world.camat, merged, stage="district", outcome="merged", reason="Ganda.", merged_into=original)
    services.decide(world.camat, rejected, stage="district", outcome="rejected", reason="Bukan kewenangan.")
    services.decide(world.camat, postponed, stage="district", outcome="postponed", reason="Tahun depan.",
                    postponed_to_year=world.year + 1)
    decided = [merged, rejected, postponed]
    for p in (*decided, waiting):
        p.refresh_from_db()
    before = Decision.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.forward_ranked(world.camat, [waiting, *decided], "Disepakati.")
    text = _message(caught)
    assert all(p.number in text for p in decided) and waiting.number not in text
    assert Decision.objects.count() == before  # nothing forwarded, not even the waiting one
    assert [Proposal.objects.get(pk=p.pk).status for p in decided] == ["merged", "rejected", "postponed"]
    assert services.forward_ranked(world.camat, [waiting], "Disepakati.") == 1
    waiting.refresh_from_db()
    assert waiting.stage == "agency_forum"
    # the forum may still change one proposal's decision on its own page (the lifecycle allows it)
    services.decide(world.camat, rejected, stage="district", outcome="forwarded", reason="Ditinjau ulang.")
    assert Proposal.objects.get(pk=rejected.pk).stage == "agency_forum"


# --- 3. ranks: the message names the proposals at fault ------------------------------------------

def test_rank_errors_name_the_proposals(world):
    a, b, c = (village_proposal(world, title=f"Usulan {i}") for i in range(3))
    with pytest.raises(InvalidInput) as caught:
        services.rank_district(world.camat, world.gov, world.year, "32.16.05", {a.pk: 1, b.pk: 2, c.pk: 2})
    text = _message(caught)
    assert b.number in text and c.number in text and a.number not in text
    with pytest.raises(InvalidInput) as caught:
        services.rank_district(world.camat, world.gov, world.year, "32.16.05", {a.pk: -1, b.pk: 0, c.pk: 3})
    text = _message(caught)
    assert "Peringkat dimulai dari 1" in text and a.number in text and b.number in text and c.number not in text
    assert not Proposal.objects.filter(government=world.gov, district_rank__isnull=False).exists()


# --- 4. a merge into itself ----------------------------------------------------------------------

def test_merge_into_itself_says_so(world):
    p = forwarded(world)
    with pytest.raises(InvalidInput) as caught:
        services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="merged", reason="x", merged_into=p)
    assert _message(caught) == "Usulan tidak dapat digabung ke dirinya sendiri."
