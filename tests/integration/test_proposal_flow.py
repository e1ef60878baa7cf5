"""Service tests of the proposal lifecycle: entry, forum, agency, Bappeda, Renja link, history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from selaras.domain.errors import InvalidInput, NotPermitted
from selaras.domain.proposals import Outcome, ProposalStatus, Stage
from selaras.web.errors.messages import error_text
from selaras.web.plans.models import AgencyAnnualPlan, AnnualPlan, RenjaLine
from selaras.web.proposals import selectors, services
from selaras.web.proposals.models import Decision, Proposal
from tests.browser.proposal_world import (
    COUNCILLOR,
    ROAD,
    VILLAGE,
    add_health_sub_activity,
    build_world,
    village_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def forwarded(world, **kw):
    p = village_proposal(world, **kw)
    services.decide(world.camat, p, stage=Stage.DISTRICT, outcome=Outcome.FORWARDED, reason="Disepakati forum.")
    return p


def test_entry_records_submission_and_moves_to_kecamatan(world):
    p = village_proposal(world, unit="Mtr")
    assert (p.stage, p.status) == (Stage.DISTRICT.value, ProposalStatus.IN_REVIEW.value)
    assert p.unit == "m" and p.district_code == "32.16.05" and p.number == f"3216-{world.year}-MD-000001"
    [d] = p.decisions.all()
    assert (d.stage, d.outcome, d.actor, d.actor_role) == ("village", "submitted", world.desa, "Operator Desa/Kelurahan")
    assert village_proposal(world).number.endswith("000002")


def test_full_story_into_renja_draft(world):
    p = forwarded(world)
    assert p.stage == Stage.AGENCY_FORUM.value
    services.decide(world.perencana_pupr, p, stage=Stage.AGENCY_FORUM, outcome=Outcome.ACCEPTED_WITH_CHANGES,
                    reason="Volume disesuaikan dengan pagu.", new_volume="600", new_cost=300_000_000)
    p.refresh_from_db()
    assert (p.stage, p.status) == (Stage.REGENCY.value, ProposalStatus.ACCEPTED.value)
    assert p.volume == Decimal("600") and p.estimated_cost == 300_000_000
    line = p.renja_line
    assert line is not None and line.code == ROAD and line.renja.agency == world.pupr
    assert line.renja.rkpd.year == world.year
    [group] = selectors.renja_draft(world.pupr, world.year)
    assert group.proposals == [p] and group.total_cost == 300_000_000
    assert [d.outcome for d in p.decisions.all()] == ["submitted", "forwarded", "accepted_with_changes"]


def test_second_acceptance_reuses_the_renja_line(world):
    a, b = forwarded(world), forwarded(world, title="Drainase jalan")
    for p in (a, b):
        services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="Sesuai Renstra.")
    assert RenjaLine.objects.filter(renja__rkpd__government=world.gov).count() == 1
    assert AgencyAnnualPlan.objects.filter(rkpd__government=world.gov).count() == 1
    assert AnnualPlan.objects.filter(government=world.gov).count() == 1


def test_agency_correction_takes_proposal_out_of_renja(world):
    p = forwarded(world)
    services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="Sesuai.")
    p.refresh_from_db()
    assert p.renja_line_id is not None and p.stage == "regency"
    services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="rejected",
                    reason="Koreksi: lokasi sudah ditangani APBDes.")
    p.refresh_from_db()
    assert (p.stage, p.status, p.renja_line_id) == ("agency_forum", "rejected", None)
    assert p.decisions.count() == 4  # the corrected decision stays in the log


def test_accept_needs_sub_activity(world):
    p = forwarded(world, sub_activity_code="")
    with pytest.raises(InvalidInput, match="sub kegiatan"):
        services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="Ok")
    assert p.decisions.count() == 2
    services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="Ok",
                    sub_activity_code=ROAD)
    p.refresh_from_db()
    assert p.sub_activity_code == ROAD and p.renja_line is not None


def test_kecamatan_ranks_then_forwards(world):
    a, b = village_proposal(world), village_proposal(world, title="Posyandu", agency=world.dinkes)
    assert services.rank_district(world.camat, world.gov, world.year, "32.16.05", {a.pk: 2, b.pk: 1}) == 2
    with pytest.raises(InvalidInput, match="berbeda"):
        services.rank_district(world.camat, world.gov, world.year, "32.16.05", {a.pk: 1, b.pk: 1})
    b.refresh_from_db()
    services.forward_ranked(world.camat, [b], "Disepakati.")
    d = b.decisions.last()
    assert d.outcome == "forwarded" and "peringkat 1" in d.reason
    assert list(selectors.agency_queue(world.perencana_dinkes, world.year)) == [Proposal.objects.get(pk=b.pk)]
    assert list(selectors.agency_queue(world.perencana_pupr, world.year)) == []


def test_outcomes_need_their_details(world):
    p = forwarded(world)
    agency = world.perencana_pupr
    with pytest.raises(InvalidInput, match="volume atau biaya"):
        services.decide(agency, p, stage="agency_forum", outcome="accepted_with_changes", reason="x")
    with pytest.raises(InvalidInput, match="tujuan"):
        services.decide(agency, p, stage="agency_forum", outcome="merged", reason="x")
    with pytest.raises(InvalidInput, match="tahun sesudah"):
        services.decide(agency, p, stage="agency_forum", outcome="postponed", reason="x",
                        postponed_to_year=world.year)
    with pytest.raises(InvalidInput, match="Alasan"):
        services.decide(agency, p, stage="agency_forum", outcome="rejected", reason="  ")
    with pytest.raises(InvalidInput) as caught:
        services.decide(agency, p, stage="agency_forum", outcome="forwarded", reason="x")
    assert "tidak tersedia" in error_text(caught.value)
    assert p.decisions.count() == 2


def test_merge_and_postpone(world):
    a, b, c = forwarded(world), forwarded(world, title="Jalan yang sama"), forwarded(world, title="Gorong-gorong")
    services.decide(world.perencana_pupr, b, stage="agency_forum", outcome="merged", reason="Sama lokasi.",
                    merged_into=a)
    services.decide(world.perencana_pupr, c, stage="agency_forum", outcome="postponed", reason="Pagu habis.",
                    postponed_to_year=world.year + 1)
    b.refresh_from_db(), c.refresh_from_db()
    assert b.status == "merged" and b.decisions.last().merged_into == a
    assert c.status == "postponed" and c.decisions.last().postponed_to_year == world.year + 1


def test_returned_corrected_and_resubmitted(world):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="returned", reason="Lengkapi lokasi.")
    p.refresh_from_db()
    assert p.status == "returned"
    with pytest.raises(NotPermitted):
        services.update_returned(world.desa_lain, p, address="x")
    services.update_returned(world.desa, p, address="RT 02 RW 05", unit="meter2")
    services.resubmit(world.desa, p, "Lokasi dilengkapi.")
    p.refresh_from_db()
    assert (p.status, p.stage, p.unit, p.address) == ("in_review", "district", "m²", "RT 02 RW 05")


def test_pokir_and_pra_renja(world):
    pokir = services.create_proposal(world.dprd, government=world.gov, year=world.year, channel="pokir",
                                     title="Bantuan alat posyandu", volume=10, unit="paket",
                                     estimated_cost=50_000_000, village_code=VILLAGE, councillor_name=COUNCILLOR)
    assert (pokir.stage, pokir.channel) == ("agency_verification", "pokir")
    assert selectors.unassigned(world.bappeda, world.year).filter(pk=pokir.pk).exists()
    services.assign(world.bappeda, pokir, agency=world.dinkes, sub_activity_code=add_health_sub_activity(world))
    services.decide(world.perencana_dinkes, pokir, stage="agency_verification", outcome="accepted", reason="Sesuai.")
    pokir.refresh_from_db()
    assert pokir.renja_line.renja.agency == world.dinkes
    draft = services.create_proposal(world.perencana_pupr, government=world.gov, year=world.year,
                                     channel="agency_draft", title="Pemeliharaan jembatan", volume=2, unit="unit",
                                     estimated_cost=900_000_000, agency=world.pupr, sub_activity_code=ROAD)
    assert draft.stage == "agency_forum"
    assert list(selectors.visible(world.dprd)) == [pokir]


def test_bappeda_then_budget_team(world):
    p = forwarded(world)
    services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="Sesuai.")
    services.decide(world.bappeda, p, stage="regency", outcome="accepted", reason="Prioritas daerah.")
    services.decide(world.tapd, p, stage="budget_team", outcome="accepted", reason="Masuk KUA-PPAS.")
    p.refresh_from_db()
    assert (p.stage, p.status) == ("budget_team", "accepted") and p.renja_line is not None


@pytest.mark.parametrize(("kw", "message"), [
    ({"unit": "m?"}, "Satuan"),
    ({"latitude": "48.8", "longitude": "2.3"}, "luar wilayah Indonesia"),
    ({"latitude": "-6.2"}, "bersama-sama"),
    ({"volume": "0"}, "lebih dari 0"),
    ({"estimated_cost": 1.5}, "rupiah bulat"),
    ({"title": " "}, "Judul"),
    ({"sub_activity_code": "1.3.3"}, "sub kegiatan"),
    ({"priority_rank": 10**20}, "Peringkat"),  # beyond the stored integer: refused, not a database error
    ({"priority_rank": 0}, "Peringkat"),
    ({"description": "x" * 5001}, r"Alasan/permasalahan: terlalu panjang \(5\.001 karakter; paling banyak 5\.000\)"),
])
def test_entry_validation(world, kw, message):
    with pytest.raises(InvalidInput, match=message):
        village_proposal(world, **kw)
    assert not Proposal.objects.filter(government=world.gov).exists()
    assert not Decision.objects.filter(proposal__government=world.gov).exists()


def test_history_records_who_changed_what(world):
    p = forwarded(world)
    services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted_with_changes",
                    reason="Disesuaikan.", new_cost=400_000_000)
    users = [h.history_user for h in p.history.order_by("history_id")]
    assert users == [world.desa, world.camat, world.perencana_pupr]  # entered (submitted at once), forwarded, decided
    changes = selectors.change_history(p)
    newest = {label: (old, new) for label, old, new in changes[0].fields}
    assert newest["perkiraan biaya"] == ("Rp 450.000.000", "Rp 400.000.000")
    assert newest["status"] == ("Dalam proses", "Diterima")
    assert changes[0].who == "perencana_pupr"
    line = p.renja_line if p.renja_line else Proposal.objects.get(pk=p.pk).renja_line
    assert newest["baris Renja"] == (None, f"{line.name} ({line.code})")  # never its database id
    assert line.history.first().history_user == world.perencana_pupr
