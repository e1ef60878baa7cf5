"""Selection runs over a government's proposals: storage, ceilings, floors, what-if, reasons, CLI."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model

from selaras.domain.errors import InvalidInput, NotPermitted
from selaras.domain.selection import ReasonCode
from selaras.engines.scoring import InvalidWeight, UnknownCriterion
from selaras.web.accounts.models import Membership
from selaras.web.errors.messages import error_text
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    LocalGovernment,
    PriorityProgram,
)
from selaras.web.proposals.models import Proposal
from selaras.web.selection import selectors, services
from selaras.web.selection.building import build_instance
from selaras.web.selection.models import AppendOnlyError, OutcomeBlock, RunKind, SelectionRun
from selaras.web.selection.parameters import RunParameters
from selaras.web.selection.selectors import compare_runs, reason_for_proposal, records_of

YEAR = 2026
JT = 1_000_000  # one juta rupiah

pytestmark = pytest.mark.django_db


def _world() -> LocalGovernment:
    """Two agencies (roads 1.03, health 1.02), two kecamatan, three villages, 12 proposals."""
    gov = LocalGovernment.objects.create(region_code="32.16", name="Kabupaten Uji", level="regency")
    roads = Agency.objects.create(government=gov, code="1.03.0.00.0.00.01.0000", name="Dinas PUPR",
                                  short_name="PUPR", sector_codes=["1.03"])
    health = Agency.objects.create(government=gov, code="1.02.0.00.0.00.01.0000", name="Dinas Kesehatan",
                                   short_name="Dinkes", sector_codes=["1.02"])
    rkpd = AnnualPlan.objects.create(government=gov, year=YEAR, ceiling=1_000 * JT)
    AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=roads, ceiling=300 * JT)
    AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=health, ceiling=300 * JT)
    PriorityProgram.objects.create(rkpd=rkpd, code="1.02.02", name="Upaya kesehatan")
    rows = [
        # number, channel, status, village, kecamatan, cost (juta), rank, agency, sub-activity, councillor
        ("M-01", "musrenbang_village", "in_review", "32.16.01.2001", "32.16.01", 100, 1, roads, "1.03.10.2.01.0001", ""),
        ("M-02", "musrenbang_village", "in_review", "32.16.01.2001", "32.16.01", 120, 2, health, "1.02.02.2.01.0001", ""),
        ("M-03", "musrenbang_village", "accepted", "32.16.01.2002", "32.16.01", 80, 1, roads, "1.03.10.2.01.0001", ""),
        ("M-04", "musrenbang_village", "in_review", "32.16.02.2001", "32.16.02", 90, 1, health, "1.02.02.2.01.0002", ""),
        ("M-05", "musrenbang_village", "rejected", "32.16.02.2001", "32.16.02", 50, 2, roads, "1.03.10.2.01.0001", ""),
        ("M-06", "musrenbang_village", "in_review", "32.16.02.2001", "32.16.02", 70, 3, None, "", ""),
        ("P-01", "pokir", "in_review", "32.16.01.2002", "32.16.01", 150, None, roads, "1.03.10.2.01.0003", "H. Ahmad"),
        ("P-02", "pokir", "in_review", "32.16.02.2001", "32.16.02", 60, None, health, "1.02.02.2.01.0003", "H. Ahmad"),
        ("P-03", "pokir", "in_review", "32.16.02.2001", "32.16.02", 110, None, roads, "1.03.10.2.01.0002", "Siti Aminah"),
        ("R-01", "agency_draft", "in_review", "", "", 200, None, roads, "1.03.10.2.01.0004", ""),
        ("R-02", "agency_draft", "in_review", "32.16.01.2001", "32.16.01", 40, None, health, "1.02.02.2.01.0004", ""),
        ("R-03", "agency_draft", "merged", "", "", 30, None, health, "1.02.02.2.01.0004", ""),
    ]
    Proposal.objects.bulk_create([
        Proposal(government=gov, year=YEAR, number=f"{YEAR}-{n}", channel=ch, stage="village", status=st,
                 title=f"Usulan {n}", village_code=v, district_code=k, volume=1, unit="paket",
                 estimated_cost=c * JT, priority_rank=r, agency=a, sub_activity_code=s, councillor_name=cn,
                 proposer_name="Uji")
        for n, ch, st, v, k, c, r, a, s, cn in rows
    ])
    return gov


def _planner(gov: LocalGovernment, role: str = "planning_agency", name: str = "perencana") -> object:
    user = get_user_model().objects.create_user(name)  # no password: no slow hashing
    Membership.objects.create(user=user, government=gov, role=role)
    return user


def _selected_by_agency(run: SelectionRun) -> dict[int | None, int]:
    totals: dict[int | None, int] = defaultdict(int)
    for o in records_of(run):
        if o.selected:
            totals[o.agency_id] += o.cost
    return dict(totals)


def test_instance_models_forums_councillors_and_agencies_as_supporters() -> None:
    gov = _world()
    built = build_instance(gov, YEAR, RunParameters(floor_share_percent=0))
    inst = built.instance
    assert inst.n_projects == 12
    # eligible proposals only: 3 villages, 2 kecamatan, 2 councillors, 2 agencies with drafts
    assert built.voter_counts == {"village_forum": 3, "district_forum": 2, "councillor": 2, "agency": 2}
    assert set(built.ineligible) == {f"{YEAR}-M-05", f"{YEAR}-M-06", f"{YEAR}-R-03"}
    assert "belum ditetapkan perangkat daerah" in built.ineligible[f"{YEAR}-M-06"]
    # village 32.16.01.2001 ballot: ranked first by the forum rank, then by score
    numbers = built.numbers
    ballots = [[numbers[i] for i in inst.items[inst.indptr[v]:inst.indptr[v + 1]]] for v in range(inst.n_voters)]
    assert ballots[0][:2] == [f"{YEAR}-M-01", f"{YEAR}-M-02"]
    assert [f"{YEAR}-P-02", f"{YEAR}-P-01"] in ballots  # H. Ahmad's Pokir, higher score first
    # the health proposals are on the priority program and get more score than the same-rank road one
    score = dict(zip(numbers, built.scores.tolist(), strict=True))
    assert score[f"{YEAR}-M-04"] > score[f"{YEAR}-M-03"]


@pytest.mark.parametrize("rule", ["greedy", "greedy-score", "mes", "phragmen", "exact"])
def test_run_stores_one_outcome_per_proposal_within_ceilings(rule: str) -> None:
    gov = _world()
    run = services.start_run(gov, YEAR, rule=rule, params=RunParameters(budget=500 * JT, floor_share_percent=0),
                             check=False)
    outcomes = records_of(run)
    assert len(outcomes) == Proposal.objects.filter(government=gov, year=YEAR).count() == run.proposal_count
    assert len({o.proposal_id for o in outcomes}) == len(outcomes)
    spent = _selected_by_agency(run)
    for plan in AgencyAnnualPlan.objects.filter(rkpd__government=gov):
        assert spent.get(plan.agency_id, 0) <= plan.ceiling
    assert run.selected_cost == sum(spent.values()) <= run.budget
    assert run.selected_count == sum(o.selected for o in outcomes) > 0
    m05 = Proposal.objects.get(government=gov, number=f"{YEAR}-M-05").pk
    ineligible = next(o for o in outcomes if o.proposal_id == m05)
    assert not ineligible.selected and ineligible.reason_code == ReasonCode.REJECTED_INELIGIBLE.value
    assert "Ditolak" in ineligible.reason_params["rule"]
    assert run.parameters["ceilings"] == {"1.02.0.00.0.00.01.0000": 300 * JT, "1.03.0.00.0.00.01.0000": 300 * JT}
    assert all(o.reason_code for o in outcomes)


def test_runs_are_append_only() -> None:
    gov = _world()
    run = services.start_run(gov, YEAR, rule="greedy", check=False)
    with pytest.raises(AppendOnlyError):
        run.save()
    with pytest.raises(AppendOnlyError):
        SelectionRun.objects.filter(pk=run.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        OutcomeBlock.objects.filter(run=run).delete()
    with pytest.raises(AppendOnlyError):
        OutcomeBlock.objects.filter(run=run).update(count=0)
    with pytest.raises(AppendOnlyError):
        run.delete()


def test_kecamatan_floors_default_to_a_share_of_the_budget() -> None:
    gov = _world()
    built = build_instance(gov, YEAR, RunParameters(budget=400 * JT, floor_share_percent=50, floor_spread="equal"))
    assert built.parameters.floors == {"32.16.01": 100 * JT, "32.16.02": 100 * JT}
    run = services.start_run(gov, YEAR, rule="greedy",
                             params=RunParameters(budget=400 * JT, floor_share_percent=50, floor_spread="equal"),
                             check=False)
    per_district: dict[str, int] = defaultdict(int)
    for o in records_of(run):
        if o.selected:
            per_district[o.district_code] += o.cost
    assert per_district["32.16.01"] >= 100 * JT and per_district["32.16.02"] >= 100 * JT
    floors = {d["code"]: d["floor"] for d in run.totals["districts"] if d["code"]}
    assert floors == {"32.16.01": 100 * JT, "32.16.02": 100 * JT}


def test_what_if_moves_proposals_in_and_out() -> None:
    gov = _world()
    roads = Agency.objects.get(government=gov, short_name="PUPR")
    base = services.start_run(gov, YEAR, rule="greedy",
                              params=RunParameters(budget=500 * JT, floor_share_percent=0), check=False)
    # closing the road agency's ceiling moves every road proposal out and frees money for health
    closed = services.what_if(base, ceilings={roads.code: 0}, check=False)
    assert closed.kind == RunKind.WHAT_IF and closed.base_run_id == base.pk
    assert closed.parameters["ceilings"][roads.code] == 0
    assert _selected_by_agency(closed).get(roads.pk, 0) == 0
    road_outcomes = [o for o in records_of(closed) if o.agency_id == roads.pk
                     and o.reason_code != ReasonCode.REJECTED_INELIGIBLE.value]
    assert {o.reason_code for o in road_outcomes} == {ReasonCode.REJECTED_CEILING.value}
    comparison = compare_runs(base, closed)
    base_roads = {o.proposal_id for o in records_of(base) if o.selected and o.agency_id == roads.pk}
    assert base_roads and base_roads <= set(comparison.only_a)
    assert comparison.both + len(comparison.only_a) == base.selected_count
    # a larger road ceiling only ever adds road money
    opened = services.what_if(base, ceilings={roads.code: 1_000 * JT}, check=False)
    assert _selected_by_agency(opened).get(roads.pk, 0) >= _selected_by_agency(base).get(roads.pk, 0)
    # the parameters of the base run are kept
    assert opened.parameters["budget"] == base.parameters["budget"]
    assert opened.parameters["weights"] == base.parameters["weights"]


def test_reason_for_proposal_is_the_latest_real_run() -> None:
    gov = _world()
    proposal = Proposal.objects.get(number=f"{YEAR}-M-01")
    assert reason_for_proposal(proposal) is None
    first = services.start_run(gov, YEAR, rule="greedy", params=RunParameters(budget=500 * JT), check=False)
    second = services.start_run(gov, YEAR, rule="mes", params=RunParameters(budget=500 * JT), check=False)
    services.what_if(second, ceilings={"1.03.0.00.0.00.01.0000": 0}, check=False)
    reason = reason_for_proposal(proposal)
    assert reason is not None and reason["run_id"] == second.pk != first.pk
    assert reason["rule"] == "mes" and isinstance(reason["selected"], bool)
    assert reason["reason"].startswith(("Dipilih", "Tidak dipilih"))


def test_only_planning_admin_and_budget_team_may_select() -> None:
    gov = _world()
    with pytest.raises(NotPermitted):
        services.start_run(gov, YEAR, rule="greedy", user=_planner(gov, "village_operator", "desa"))
    with pytest.raises(NotPermitted):
        services.start_run(gov, YEAR, rule="greedy", user=None)
    other = LocalGovernment.objects.create(region_code="32.17", name="Lain", level="regency")
    with pytest.raises(NotPermitted):
        services.start_run(gov, YEAR, rule="greedy", user=_planner(other, "planning_agency", "lain"))
    for role in ("planning_agency", "admin", "budget_team"):
        run = services.start_run(gov, YEAR, rule="greedy", user=_planner(gov, role, role))
        assert run.created_by is not None


def test_bad_parameters_are_refused() -> None:
    gov = _world()
    with pytest.raises(InvalidInput):
        services.start_run(gov, YEAR, rule="lottery", check=False)
    with pytest.raises(InvalidInput):
        services.start_run(gov, YEAR, rule="greedy", params=RunParameters(weights={"popularity": 1}), check=False)
    with pytest.raises(InvalidInput):
        services.start_run(gov, YEAR, rule="greedy", params=RunParameters(channels=[]), check=False)
    with pytest.raises(InvalidInput, match="paling besar 1.000.000"):  # the API too: was an overflow in the job
        services.start_run(gov, YEAR, rule="mes", params=RunParameters(
            supporter_weights={"village_forum": 10**20, "district_forum": 1, "councillor": 1, "agency": 1}),
            check=False)


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), -1.0, 1e308, 1000.5])
def test_ceiling_scale_must_be_a_finite_number_up_to_a_thousand_percent(scale: float) -> None:
    gov = _world()
    with pytest.raises(InvalidInput) as refused:
        services.start_run(gov, YEAR, rule="greedy", params=RunParameters(ceiling_scale_percent=scale), check=False)
    assert error_text(refused.value) == "skala pagu harus antara 0 dan 1.000 persen"
    assert not SelectionRun.objects.exists()


@pytest.mark.parametrize("params", [RunParameters(budget=2**62), RunParameters(budget=10**30),
                                    RunParameters(ceilings={"1.01": 2**63}), RunParameters(floors={"32.16.01": 2**62})])
def test_amounts_beyond_what_the_engine_holds_are_refused_in_words(params: RunParameters) -> None:
    gov = _world()
    with pytest.raises(InvalidInput) as refused:
        services.start_run(gov, YEAR, rule="greedy", params=params, check=False)
    assert "terlalu besar: harus di bawah 4,6 juta triliun rupiah" in error_text(refused.value)
    assert not SelectionRun.objects.exists()


@pytest.mark.parametrize("rule", ["exact", "greedy-score", "greedy-score-cost"])
def test_rules_by_score_need_a_criterion_weight_above_zero(rule: str) -> None:
    gov = _world()
    zero = RunParameters(weights={c: 0 for c in RunParameters().weights})
    with pytest.raises(InvalidInput) as refused:
        services.start_run(gov, YEAR, rule=rule, params=zero, check=False)
    assert "paling sedikit satu bobot kriteria harus lebih dari 0" in error_text(refused.value)
    assert services.start_run(gov, YEAR, rule="greedy", params=zero, check=False).pk  # supporters decide: fine


def test_a_bad_weight_keeps_its_own_error_code() -> None:
    gov = _world()
    with pytest.raises(UnknownCriterion) as unknown:
        services.start_run(gov, YEAR, rule="greedy", params=RunParameters(weights={"popularity": 1}), check=False)
    assert unknown.value.code == "scoring_unknown_criterion" and unknown.value.params == {"criterion": "popularity"}
    with pytest.raises(InvalidWeight) as negative:
        services.start_run(gov, YEAR, rule="greedy", params=RunParameters(weights={"cost": float("nan")}),
                           check=False)
    assert negative.value.code == "scoring_invalid_weight"
    assert "bobot kriteria cost" in error_text(negative.value)


def test_same_parameters_same_result() -> None:
    gov = _world()
    params = RunParameters(budget=450 * JT)
    a = services.start_run(gov, YEAR, rule="mes", params=params, check=False)
    b = services.start_run(gov, YEAR, rule="mes", params=params, check=False)
    c = compare_runs(a, b)
    assert c.moved == 0 and a.parameters == b.parameters


def test_demo_district_run(demo_district) -> None:  # noqa: ANN001
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    year = AnnualPlan.objects.filter(government=gov).order_by("-year").values_list("year", flat=True).first()
    params = RunParameters(budget=60_000 * JT, ceiling_scale_percent=5)
    run = services.start_run(gov, year, rule="mes", params=params, check=False)
    assert run.proposal_count == Proposal.objects.filter(government=gov, year=year).count()
    assert len(records_of(run)) == run.proposal_count
    spent = _selected_by_agency(run)
    ceilings = {a.agency_id: a.ceiling * 5 // 100
                for a in AgencyAnnualPlan.objects.filter(rkpd__government=gov, rkpd__year=year)}
    for agency_id, total in spent.items():
        if agency_id in ceilings:
            assert total <= ceilings[agency_id]
    assert run.selected_cost <= run.budget
    assert run.totals["voters"]["village_forum"] > 0


def test_cli_run_and_compare_print_json() -> None:
    from typer.testing import CliRunner

    from selaras.cli import app

    _world()
    runner = CliRunner()
    out = runner.invoke(app, ["select", "run", "--government", "32.16", "--year", str(YEAR), "--rule", "greedy",
                              "--budget", str(500 * JT), "--json"])
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout)
    assert first["selected"] > 0 and first["cost"] <= 500 * JT and "seconds" in first
    out = runner.invoke(app, ["select", "run", "-g", "32.16", "-y", str(YEAR), "-r", "exact", "--json"])
    assert out.exit_code == 0, out.output
    second = json.loads(out.stdout)
    out = runner.invoke(app, ["select", "compare", str(first["run"]), str(second["run"]), "--json"])
    assert out.exit_code == 0, out.output
    assert set(json.loads(out.stdout)) >= {"moved_in", "moved_out", "both"}


def test_add_one_completion_is_capped_and_stays_within_budget() -> None:
    gov = _world()
    run = services.start_run(gov, YEAR, rule="mes", completion="add1",
                             params=RunParameters(budget=450 * JT, floor_share_percent=0), check=False)
    assert run.completion == "add1" and run.selected_cost <= 450 * JT
    assert run.totals["details"].get("add1_increments", 0) <= services.ADD1_MAX_INCREMENTS


def test_reason_text_names_groups_readably() -> None:
    from selaras.web.selection.selectors import outcome_reason

    text = outcome_reason("rejected_ceiling", {"group": "perangkat_daerah:1.03.0.00.0.00.01.0000",
                                               "remaining": 5 * JT, "cost": 9 * JT})
    assert "pagu kelompok perangkat daerah 1.03.0.00.0.00.01.0000" in text and "Rp 5.000.000" in text
    assert outcome_reason("no_such_code", {}) == "no_such_code"
    # a code no reference data has (session fixtures may have loaded the real kecamatan)
    floor = {"group": "kecamatan:32.16.99", "floor": 35 * JT, "value": 1.0}
    assert "kelompok kecamatan 32.16.99 " in outcome_reason("selected_floor", floor)  # no name known: the code
    from selaras.web.reference.models import Region

    gov = _world()
    Region.objects.update_or_create(edition=gov.region_edition, code="32.16.99",
                                    defaults={"name": "Tarumajaya Baru", "level": 3, "parent_code": "32.16",
                                              "kind": "kecamatan"})
    assert "kelompok kecamatan Tarumajaya Baru (32.16.99)" in outcome_reason("selected_floor", floor)
    # an agency is named too (the tracker showed citizens 'pagu kelompok perangkat daerah 1.04.2.10...')
    ceiling = {"group": "perangkat_daerah:1.03.0.00.0.00.01.0000", "remaining": 5 * JT, "cost": 9 * JT}
    assert "pagu kelompok perangkat daerah PUPR (1.03.0.00.0.00.01.0000)" in outcome_reason(
        "rejected_ceiling", ceiling, gov.pk)
    assert "perangkat daerah PUPR (" in outcome_reason("rejected_ceiling", ceiling)  # government unknown: by code
    assert "perangkat daerah 1.03" in outcome_reason("rejected_ceiling", ceiling, gov.pk + 1000)  # not its agency
    chosen = outcome_reason("selected_equal_shares", {"round": 15480, "supporters": 2, "payment": 70 * JT})
    assert "putaran ke-15.480 " in chosen and "2 pendukung" in chosen  # not 'ke-15480'


def test_fairness_is_stored_with_the_run_and_shown_as_chart_and_table() -> None:
    from django.test import Client

    gov = _world()
    a = services.start_run(gov, YEAR, rule="mes", params=RunParameters(budget=500 * JT, floor_share_percent=0),
                           check=False)
    b = services.what_if(a, ceilings={"1.03.0.00.0.00.01.0000": 0}, check=False)
    fair = a.totals["fairness"]
    assert {r["area"] for r in fair["areas"]} == {"", "32.16.01", "32.16.02"}
    assert sum(r["selected_cost"] for r in fair["areas"]) == a.selected_cost
    assert sum(s["voters"] for s in fair["served"]) == sum(a.totals["voters"].values())
    assert fair["fair_share"]["voters"] == sum(a.totals["voters"].values())
    assert fair["violations"] <= fair["cohesive_groups"]
    client = Client()
    client.force_login(_planner(gov))
    html = client.get(f"/seleksi/{a.pk}/").content.decode()
    assert "Keadilan hasil seleksi" in html and "<svg" in html and "Bagian adil" in html and "Kelompok kohesif" in html
    html = client.get(f"/seleksi/bandingkan/?a={a.pk}&b={b.pk}").content.decode()
    assert f"seleksi #{a.pk} dan #{b.pk}" in html and "Ringkasan kedua seleksi" in html
    for bad in (f"/seleksi/{a.pk + 1000}/terapkan/", "/seleksi/penerapan/999999/", "/seleksi/penerapan/x/"):
        assert client.get(bad).status_code in (400, 404)
    assert client.get(f"/seleksi/{a.pk}/terapkan/?unselected=%00").status_code == 200  # a form error, shown


def test_fairness_shares_of_the_table_add_up_with_proposals_without_a_kecamatan() -> None:
    """The unlocated proposals (Pra-Renja, Pokir) close the fairness table: without them the
    kecamatan's proposal shares summed to well under 100 % while their money shares summed to 100 %,
    so every kecamatan looked served above its share."""
    gov = _world()
    run = services.start_run(gov, YEAR, rule="mes", params=RunParameters(budget=500 * JT, floor_share_percent=0),
                             check=False)
    view = selectors.fairness_view(run)
    assert view is not None
    unlocated = [r for r in view["rows"] if not r["area"]]
    assert [r["name"] for r in unlocated] == [selectors.UNLOCATED] and view["rows"][-1] is unlocated[0]
    assert abs(sum(r["proposal_share"] for r in view["rows"]) - 1) < 1e-4
    assert abs(sum(r["money_share"] for r in view["rows"]) - 1) < 1e-4
    assert selectors.UNLOCATED not in view["chart"] and view["unlocated"] is unlocated[0]  # said, not drawn
    from django.test import Client

    client = Client()
    client.force_login(_planner(gov))
    html = client.get(f"/seleksi/{run.pk}/").content.decode()
    assert 'id="fairness-unlocated"' in html and "Usulan tanpa lokasi kecamatan" in html


def test_one_proposal_outcome_reads_one_block() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from selaras.web.selection.selectors import outcome_of

    gov = _world()
    run = services.start_run(gov, YEAR, rule="greedy", check=False)
    records = records_of(run)
    assert OutcomeBlock.objects.filter(run=run).count() == 1
    for record in records:
        with CaptureQueriesContext(connection) as queries:
            assert outcome_of(run, record.proposal_id) == record
        assert len(queries) == 1
    assert outcome_of(run, max(r.proposal_id for r in records) + 1) is None


def test_add_opt_from_the_web_stops_at_its_time_limit_and_records_it() -> None:
    gov = _world()
    run = services.start_run(gov, YEAR, rule="ees", params=RunParameters(budget=500 * JT, floor_share_percent=0),
                             check=False, options={"completion": "add-opt", "final_greedy": False,
                                                   "max_seconds": 10**9})  # asked for more: capped
    assert run.parameters["mes_options"]["max_seconds"] == services.ADD_OPT_MAX_SECONDS
    assert run.selected_cost <= run.budget
