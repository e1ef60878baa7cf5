"""The loop closed: a Renja line made for accepted proposals carries their costs as pagu and follows
decisions; postponed proposals are carried into the next year's cycle with their history."""

from __future__ import annotations

import pytest
from django.test import Client

from selaras.domain.errors import NotPermitted
from selaras.domain.proposals import Outcome, Stage
from selaras.web.planning import cells
from selaras.web.plans.models import RenjaLine
from selaras.web.proposals import carry, services
from selaras.web.proposals.models import Decision, Proposal
from tests.browser.proposal_world import ROAD, build_world, open_all_windows, village_proposal

pytestmark = pytest.mark.django_db


def forwarded(world, **kw):
    p = village_proposal(world, **kw)
    services.decide(world.camat, p, stage=Stage.DISTRICT, outcome=Outcome.FORWARDED, reason="Disepakati forum.")
    return p


def test_pagu_follows_accepted_proposals():
    world = build_world()
    a = forwarded(world, estimated_cost=450_000_000)
    b = forwarded(world, estimated_cost=300_000_000, title="Jalan dusun")
    services.decide(world.perencana_pupr, a, stage=Stage.AGENCY_FORUM, outcome=Outcome.ACCEPTED, reason="Sesuai.")
    line = RenjaLine.objects.get(code=ROAD)
    assert line.budget_from_proposals and line.budget == 450_000_000
    services.decide(world.perencana_pupr, b, stage=Stage.AGENCY_FORUM, outcome=Outcome.ACCEPTED_WITH_CHANGES,
                    reason="Volume disesuaikan.", new_cost=250_000_000)
    line.refresh_from_db()
    assert line.budget == 700_000_000 and set(line.proposals.values_list("pk", flat=True)) == {a.pk, b.pk}
    # a correction at the same stage takes the proposal out of the Renja: the pagu follows
    services.decide(world.perencana_pupr, a, stage=Stage.AGENCY_FORUM, outcome=Outcome.REJECTED,
                    reason="Sudah ditangani provinsi.")
    line.refresh_from_db()
    assert line.budget == 250_000_000
    # the planner takes the pagu over: decisions no longer move it
    cells.save_cell(world.perencana_pupr, "renja_line", line.pk, "budget", "400000000")
    line.refresh_from_db()
    assert (line.budget, line.budget_from_proposals) == (400_000_000, False)
    services.decide(world.perencana_pupr, a, stage=Stage.AGENCY_FORUM, outcome=Outcome.ACCEPTED, reason="Ok.")
    line.refresh_from_db()
    assert line.budget == 400_000_000


def test_postponed_proposals_carry_into_next_cycle():
    world = build_world()
    p = forwarded(world)
    services.decide(world.perencana_pupr, p, stage=Stage.AGENCY_FORUM, outcome=Outcome.POSTPONED,
                    reason="Pagu tahun ini tidak cukup.", postponed_to_year=world.year + 1)
    with pytest.raises(NotPermitted):
        carry.carry_postponed(world.perencana_pupr, world.gov, world.year + 1)
    world.year += 1
    open_all_windows(world)
    assert [x.pk for x in carry.carryable(world.gov, world.year)] == [p.pk]
    result = carry.carry_postponed(world.bappeda, world.gov, world.year)
    assert [old for old, _ in result.carried] == [p.number]
    new = Proposal.objects.get(number=result.carried[0][1])
    assert (new.year, new.title, new.estimated_cost, new.village_code) == (world.year, p.title, p.estimated_cost,
                                                                          p.village_code)
    assert carry.carried_from(new) == p.number
    assert new.carried_from_id == p.pk and list(p.carried_into.all()) == [new]  # the link kept as a field
    assert "Pagu tahun ini tidak cukup." in Decision.objects.filter(proposal=new).first().reason
    p.refresh_from_db()
    assert p.status == "postponed"  # the original and its log stay as they were
    again = carry.carry_postponed(world.bappeda, world.gov, world.year)
    assert again.carried == [] and carry.carryable(world.gov, world.year) == []
    # both proposal pages show the link
    client = Client()
    client.force_login(world.bappeda)
    page = client.get(f"/usulan/{new.number}/").content.decode()
    assert f"lanjutan dari usulan <a href=\"/usulan/{p.number}/\">" in page
    page = client.get(f"/usulan/{p.number}/").content.decode()
    assert f"dilanjutkan sebagai <a href=\"/usulan/{new.number}/\">" in page


STALE = "1.03.10.2.01.0777"  # a code the nomenclature does not list (stored before the check, or imported)


def _valid_road_code(world) -> str:
    from selaras.web.reference.models import NomenclatureItem

    NomenclatureItem.objects.get_or_create(edition=world.gov.nomenclature_edition, code="1.03.10.2.01.0001",
                                           government_level="kab/kota",
                                           defaults={"name": "Pembangunan Jalan", "level": "sub_activity",
                                                     "parent_code": "1.03.10.2.01"})
    return "1.03.10.2.01.0001"


def test_acceptance_needs_a_sub_activity_code_the_nomenclature_lists():
    """A stored proposal whose code is outside the nomenclature does not enter the Renja when it is
    accepted as it stands: the decision is refused asking for a valid code, nothing is written; with
    a valid code given in the decision it is accepted on that code."""
    from selaras.domain.errors import InvalidInput

    world = build_world()
    p = forwarded(world)
    Proposal.objects.filter(pk=p.pk).update(sub_activity_code=STALE)
    decisions = Decision.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.decide(world.perencana_pupr, p, stage=Stage.AGENCY_FORUM, outcome=Outcome.ACCEPTED, reason="Ok.")
    assert STALE in str(refused.value) and "kode sub kegiatan yang sah" in str(refused.value)
    assert Decision.objects.count() == decisions and not RenjaLine.objects.filter(code=STALE).exists()
    assert Proposal.objects.get(pk=p.pk).stage == p.stage
    # the decision page answers the same refusal (no 500) and records nothing
    client = Client()
    client.force_login(world.perencana_pupr)
    page = client.post(f"/usulan/{p.number}/keputusan/", {"stage": "agency_forum", "outcome": "accepted",
                                                         "reason": "Ok."})
    assert page.status_code in (200, 400) and "kode sub kegiatan yang sah" in page.content.decode()
    assert Decision.objects.count() == decisions
    code = _valid_road_code(world)
    services.decide(world.perencana_pupr, p, stage=Stage.AGENCY_FORUM, outcome=Outcome.ACCEPTED, reason="Ok.",
                    sub_activity_code=code)
    assert RenjaLine.objects.get(code=code).proposals.get() == Proposal.objects.get(pk=p.pk)


def test_carrying_skips_and_reports_a_proposal_outside_the_nomenclature():
    """One postponed proposal whose code the nomenclature no longer lists does not keep the others
    from being carried: it is skipped and reported with the reason, and shown on the page."""
    world = build_world()
    good, stale = forwarded(world), forwarded(world, title="Jalan dusun")
    for p in (good, stale):
        services.decide(world.perencana_pupr, p, stage=Stage.AGENCY_FORUM, outcome=Outcome.POSTPONED,
                        reason="Pagu tahun ini tidak cukup.", postponed_to_year=world.year + 1)
    Proposal.objects.filter(pk=stale.pk).update(sub_activity_code=STALE)
    world.year += 1
    open_all_windows(world)
    result = carry.carry_postponed(world.bappeda, world.gov, world.year)
    assert [old for old, _ in result.carried] == [good.number]
    assert [number for number, _ in result.skipped] == [stale.number]
    assert STALE in result.skipped[0][1] and "nomenklatur" in result.skipped[0][1]
    assert not Proposal.objects.filter(carried_from=stale).exists()
    client = Client()
    client.force_login(world.bappeda)
    page = client.post("/penyusunan/bawa-usulan-ditunda/", follow=True).content.decode()
    assert f"Usulan {stale.number} tidak dibawa" in page and "0 usulan yang ditunda dibawa" in page
