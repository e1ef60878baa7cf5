"""Applying a selection run to the proposals: decisions match the run, cite it, never contradict.

A small world of Pra-Renja proposals accepted by their agencies (so they await Bappeda at the
Musrenbang Kabupaten/Kota stage), plus proposals still at the agency forum, one decided by hand at
the regency stage and one not eligible.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from selaras.domain.errors import Conflict, NotPermitted, StageClosed
from selaras.domain.proposals import Outcome, Stage
from selaras.web.accounts.models import Membership
from selaras.web.jobs.models import Job
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    LocalGovernment,
    RenjaLine,
)
from selaras.web.proposals.models import Decision, Proposal, StageWindow
from selaras.web.proposals.services import rederive
from selaras.web.selection import apply, services
from selaras.web.selection.models import RunApplication
from selaras.web.selection.parameters import RunParameters
from selaras.web.selection.selectors import records_of

YEAR = 2026
JT = 1_000_000

pytestmark = pytest.mark.django_db


def _world() -> tuple[LocalGovernment, object]:
    gov = LocalGovernment.objects.create(region_code="32.16", name="Kabupaten Uji", level="regency")
    roads = Agency.objects.create(government=gov, code="1.03.0.00.0.00.01.0000", name="Dinas PUPR",
                                  short_name="PUPR", sector_codes=["1.03"])
    health = Agency.objects.create(government=gov, code="1.02.0.00.0.00.01.0000", name="Dinas Kesehatan",
                                   short_name="Dinkes", sector_codes=["1.02"])
    rkpd = AnnualPlan.objects.create(government=gov, year=YEAR, ceiling=1_000 * JT)
    lines = {}
    for agency in (roads, health):
        renja = AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=agency, ceiling=300 * JT)
        lines[agency.pk] = RenjaLine.objects.create(renja=renja, code=f"{agency.code[:4]}.10.2.01.0001", name="Sub")
    now = timezone.now()
    for stage in (Stage.REGENCY, Stage.AGENCY_FORUM):
        StageWindow.objects.create(government=gov, year=YEAR, stage=stage.value, opens_at=now - timedelta(days=1),
                                   closes_at=now + timedelta(days=10))
    rows = [
        # number, kecamatan, cost, agency, accepted by the agency?
        ("01", "32.16.01", 150, roads, True), ("02", "32.16.01", 120, health, True),
        ("03", "32.16.02", 180, roads, True), ("04", "32.16.02", 90, health, True),
        ("05", "32.16.01", 200, roads, True), ("06", "32.16.02", 250, health, True),
        ("07", "32.16.01", 60, roads, False), ("08", "32.16.02", 40, health, True),
    ]
    for number, district, cost, agency, accepted in rows:
        p = Proposal.objects.create(
            government=gov, year=YEAR, number=f"{YEAR}-PR-{number}", channel="agency_draft", stage="agency_forum",
            status="draft", title=f"Usulan {number}", village_code=f"{district}.2001", district_code=district,
            volume=1, unit="paket", estimated_cost=cost * JT, agency=agency,
            sub_activity_code=lines[agency.pk].code, proposer_name="Uji",
            renja_line=lines[agency.pk] if accepted else None)
        Decision.objects.create(proposal=p, stage="agency_forum", outcome="submitted", reason="diajukan",
                                actor_role="uji")
        if accepted:
            Decision.objects.create(proposal=p, stage="agency_forum", outcome="accepted", reason="diterima",
                                    actor_role="uji")
    # proposal 08 was decided by hand at the regency stage already
    Decision.objects.create(proposal=Proposal.objects.get(number=f"{YEAR}-PR-08"), stage="regency",
                            outcome="accepted", reason="diputus langsung", actor_role="Perencana Bappeda")
    rederive(Proposal.objects.filter(government=gov))
    user = get_user_model().objects.create_user("bappeda")
    Membership.objects.create(user=user, government=gov, role="planning_agency")
    return gov, user


def _run(gov: LocalGovernment, budget: int) -> object:
    return services.start_run(gov, YEAR, rule="greedy",
                              params=RunParameters(budget=budget, floor_share_percent=0, require_agency=True),
                              check=False)


def _regency_decisions(gov: LocalGovernment) -> list[Decision]:
    return list(Decision.objects.filter(proposal__government=gov, stage="regency").order_by("id"))


def test_apply_records_one_decision_per_affected_proposal_citing_the_run() -> None:
    gov, user = _world()
    run = _run(gov, 500 * JT)
    preview = apply.plan(run)
    records = {r.proposal_id: r for r in records_of(run)}
    by_number = dict(Proposal.objects.filter(government=gov).values_list("number", "pk"))
    assert preview.skipped["not_at_stage"] == 1  # 07 is still at the agency forum
    assert preview.skipped["decided_by_hand"] == 1  # 08
    assert by_number[f"{YEAR}-PR-08"] not in preview.decisions
    before = Decision.objects.count()
    application = apply.apply_run(user, run, unselected="postponed")
    assert application.decisions == len(preview.decisions) == 6
    assert Decision.objects.count() == before + 6
    for pid in preview.decisions:
        decision = Decision.objects.filter(proposal_id=pid).order_by("-id").first()
        assert decision.stage == "regency" and decision.actor_id == user.pk
        assert decision.outcome == (Outcome.ACCEPTED if records[pid].selected else Outcome.POSTPONED).value
        assert decision.reason.startswith(f"Hasil seleksi #{run.pk} ")
        assert decision.internal_note.startswith(f"Penerapan seleksi #{application.pk} ")
        proposal = Proposal.objects.get(pk=pid)
        if records[pid].selected:
            assert (proposal.stage, proposal.status) == ("budget_team", "accepted")
            assert proposal.renja_line_id is not None
        else:
            assert (proposal.stage, proposal.status) == ("regency", "postponed")
            assert decision.postponed_to_year == YEAR + 1 and proposal.renja_line_id is None
        # one change-history row per changed proposal, attributed to the user
        assert proposal.history.filter(history_user=user, history_type="~").count() == 1
    # the hand decision stays the last word on 08
    assert Decision.objects.filter(proposal_id=by_number[f"{YEAR}-PR-08"]).order_by("-id").first().reason == \
        "diputus langsung"
    summary = application.summary
    assert sum(r["total"] for r in summary["by_agency"]) == 6
    assert {r["code"] for r in summary["by_district"]} == {"32.16.01", "32.16.02"}


def test_second_apply_is_refused_and_another_run_must_replace_explicitly() -> None:
    gov, user = _world()
    run = _run(gov, 500 * JT)
    first = apply.apply_run(user, run)
    count = Decision.objects.count()
    with pytest.raises(Conflict):
        apply.apply_run(user, run)
    other = _run(gov, 300 * JT)
    with pytest.raises(Conflict):
        apply.apply_run(user, other)
    assert Decision.objects.count() == count
    second = apply.apply_run(user, other, replaces=first.pk)
    assert second.replaces_id == first.pk and apply.in_force(gov, YEAR).pk == second.pk
    # only proposals whose outcome changed got a new decision: never two contradicting ones in force
    a = {r.proposal_id: r.selected for r in records_of(run)}
    b = {r.proposal_id: r.selected for r in records_of(other)}
    regency = [d for d in _regency_decisions(gov) if d.internal_note.startswith("Penerapan")]
    changed = {d.proposal_id for d in regency if d.internal_note.startswith(f"Penerapan seleksi #{second.pk} ")}
    assert changed and changed == {pid for pid in changed if a.get(pid) != b.get(pid)}
    assert Decision.objects.count() == count + len(changed) == count + second.decisions
    for pid in a:
        proposal = Proposal.objects.get(pk=pid)
        last = Decision.objects.filter(proposal_id=pid, stage="regency").order_by("-id").first()
        if last is None or not last.internal_note.startswith("Penerapan"):
            continue
        assert last.outcome == ("accepted" if b[pid] else "postponed")
        assert proposal.status == ("accepted" if b[pid] else "postponed")
    with pytest.raises(Conflict):  # the replaced application cannot be replaced again
        apply.apply_run(user, run, replaces=first.pk)


def test_apply_follows_the_decision_rules() -> None:
    gov, user = _world()
    run = _run(gov, 500 * JT)
    agency_user = get_user_model().objects.create_user("dinas")
    Membership.objects.create(user=agency_user, government=gov, role="agency_planner",
                              agency=Agency.objects.get(government=gov, short_name="PUPR"))
    with pytest.raises(NotPermitted):
        apply.apply_run(agency_user, run)
    StageWindow.objects.filter(government=gov, stage="regency").update(closed_manually=True,
                                                                       closed_at=timezone.now())
    with pytest.raises(StageClosed):
        apply.apply_run(user, run)
    assert not RunApplication.objects.exists()
    whatif = services.what_if(run, ceilings={"1.03.0.00.0.00.01.0000": 0}, check=False)
    assert not apply.may_apply(user, whatif)


def test_apply_pages_preview_then_one_confirmation() -> None:
    gov, user = _world()
    run = _run(gov, 500 * JT)
    client = Client()
    client.force_login(user)
    page = client.get(f"/seleksi/{run.pk}/terapkan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pratinjau" in html and "Dinas PUPR" not in html or "PUPR" in html
    assert client.get(f"/seleksi/{run.pk}/terapkan/?unselected=bogus").status_code == 200  # form error, no 500
    # without the confirmation nothing is written
    response = client.post(f"/seleksi/{run.pk}/terapkan/", {"unselected": "postponed"})
    assert response.status_code == 200 and not RunApplication.objects.exists()
    response = client.post(f"/seleksi/{run.pk}/terapkan/", {"unselected": "rejected", "confirm": "on"})
    assert response.status_code == 302
    job = Job.objects.get(kind="selection.apply")
    assert job.state == "done", job.message
    application = RunApplication.objects.get()
    assert application.unselected == "rejected"
    assert job.result_url == f"/seleksi/penerapan/{application.pk}/"
    assert client.get(job.result_url).status_code == 200
    again = client.get(f"/seleksi/{run.pk}/terapkan/").content.decode()
    assert "sudah diterapkan" in again
    outsider = get_user_model().objects.create_user("warga")
    client.force_login(outsider)
    assert client.get(f"/seleksi/{run.pk}/terapkan/").status_code in (403, 404)


def test_public_tracker_shows_the_applied_run_staff_see_the_latest() -> None:
    from selaras.web.selection.selectors import reason_for_proposal

    gov, user = _world()
    applied = _run(gov, 500 * JT)
    apply.apply_run(user, applied, unselected="postponed")
    trial = _run(gov, 0)  # a later trial with no money: nothing selected
    proposal = Proposal.objects.get(number=f"{YEAR}-PR-01")
    latest = reason_for_proposal(proposal)
    assert latest is not None and latest["run_id"] == trial.pk and latest["applied"] is False
    public = reason_for_proposal(proposal, public=True)
    assert public is not None and public["run_id"] == applied.pk and public["applied"] is True
    # the public API follows the same rule: the applied run only, never the later trial
    anonymous = Client()
    assert anonymous.get(f"/api/seleksi/proposals/{proposal.number}/reason").json()["run_id"] == applied.pk
    assert [r["id"] for r in anonymous.get(f"/api/seleksi/runs?government={gov.region_code}").json()] == [
        applied.pk]
    assert anonymous.get(f"/api/seleksi/runs/{applied.pk}/outcomes").status_code == 200
    assert anonymous.get(f"/api/seleksi/runs/{trial.pk}/outcomes").status_code == 404
    page = Client().get(f"/publik/usulan/{proposal.number}/").content.decode()
    assert f"Seleksi #{applied.pk}" in page and "sudah diterapkan Bappeda" in page
    assert f'href="/seleksi/{applied.pk}/"' not in page  # no link into the staff pages
    client = Client()
    client.force_login(user)
    staff = client.get(f"/usulan/{proposal.number}/").content.decode()
    assert f'href="/seleksi/{trial.pk}/"' in staff and "percobaan yang belum diterapkan" in staff
