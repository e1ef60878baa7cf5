"""HTTP API of selection runs and outcomes (mounted at /api/seleksi/).

Reading is open for the runs Bappeda has applied (their results and reasons are public
information, as on the public tracker); runs never applied (trials, what-if simulations) are read
by signed-in members only, anybody else gets 404 as if they did not exist
(`selectors.visible_runs`). Starting a run needs a signed-in Bappeda planner, administrator or
budget team member.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from selaras.web.params import ID_MAX, INT_MAX, MAX_CODE, YEAR_MAX, YEAR_MIN, parse_code, parse_text
from selaras.web.plans.selectors import government_by_code
from selaras.web.proposals.models import Proposal
from selaras.web.selection import selectors, services
from selaras.web.selection.models import SelectionRun
from selaras.web.selection.parameters import RunParameters

router = Router(tags=["seleksi"])

MAX_LIMIT = 1_000
MAX_OFFSET = 10**9  # far beyond any run's outcomes; keeps OFFSET within 64 bits

# Bounded numbers (a value out of range is refused with 422 before any query runs)
Money = Annotated[int, Field(ge=0, le=INT_MAX)]
Weight = Annotated[float, Field(allow_inf_nan=False, le=1_000_000)]


class RunOut(Schema):
    id: int
    government: str
    year: int
    kind: str
    base_run: int | None
    rule: str
    completion: str
    budget: int
    selected_count: int
    selected_cost: int
    proposal_count: int
    seconds: float
    created_at: datetime
    note: str


class RunDetailOut(RunOut):
    parameters: dict[str, Any]
    totals: dict[str, Any]


class OutcomeOut(Schema):
    proposal: str
    title: str
    selected: bool
    round: int | None
    cost: int
    score: float | None
    reason_code: str
    reason_params: dict[str, Any]
    reason: str


class OutcomePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[OutcomeOut]


class RunIn(Schema):
    government: str = Field(max_length=MAX_CODE)  # region code, e.g. "32.16"
    region_edition: str | None = Field(None, max_length=MAX_CODE)  # default: the newest region edition
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    rule: str = Field("mes", max_length=20)
    completion: str | None = Field(None, max_length=20)
    budget: Money | None = None
    weights: dict[str, Weight] | None = None
    ceilings: dict[str, Money] | None = None
    preset: str | None = Field(None, max_length=40)  # Equal Shares variant by name (engines.selection.variants)
    mes_options: dict[str, Any] | None = None  # or the variant's options in full (MesOptions.as_dict())
    note: str = Field("", max_length=300)


class CompareOut(Schema):
    a: int
    b: int
    both: int
    moved_in: list[str]
    moved_out: list[str]
    moved_in_cost: int
    moved_out_cost: int


def _run_out(run: SelectionRun) -> dict[str, Any]:
    return {
        "id": run.pk, "government": run.government.region_code, "year": run.year, "kind": run.kind,
        "base_run": run.base_run_id, "rule": run.rule, "completion": run.completion, "budget": run.budget,
        "selected_count": run.selected_count, "selected_cost": run.selected_cost,
        "proposal_count": run.proposal_count, "seconds": run.seconds, "created_at": run.created_at,
        "note": run.note,
    }


@router.get("/runs", response=list[RunOut], summary="Daftar seleksi")
def list_runs(request: HttpRequest, government: str | None = None,
              year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX),
              limit: int = 100) -> list[dict[str, Any]]:
    government = parse_code(government, name="government")
    qs = selectors.visible_runs(request.user).select_related("government")
    if government:
        qs = qs.filter(government__region_code=government)
    if year:
        qs = qs.filter(year=year)
    return [_run_out(r) for r in qs[: max(1, min(limit, MAX_LIMIT))]]


@router.get("/runs/{run_id}", response=RunDetailOut, summary="Satu seleksi dengan parameter dan rekapitulasi")
def get_run(request: HttpRequest, run_id: int = Path(..., ge=1, le=ID_MAX)) -> dict[str, Any]:
    run = get_object_or_404(selectors.visible_runs(request.user).select_related("government"), pk=run_id)
    return {**_run_out(run), "parameters": run.parameters, "totals": run.totals}


@router.get("/runs/{run_id}/outcomes", response=OutcomePage, summary="Hasil per usulan dengan alasannya")
def list_outcomes(request: HttpRequest, run_id: int = Path(..., ge=1, le=ID_MAX), selected: bool | None = None,
                  offset: int = Query(0, ge=0, le=MAX_OFFSET),
                  limit: int = 100) -> dict[str, Any]:
    run = get_object_or_404(selectors.visible_runs(request.user), pk=run_id)
    qs = selectors.outcomes_of(run, selected=selected)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    items = [
        {"proposal": o.proposal.number if o.proposal else "", "title": o.proposal.title if o.proposal else "",
         "selected": o.selected, "round": o.round, "cost": o.cost, "score": o.score, "reason_code": o.reason_code,
         "reason_params": o.reason_params, "reason": o.reason}
        for o in qs[offset: offset + limit]
    ]
    return {"count": len(qs), "offset": offset, "limit": limit, "items": items}


@router.get("/compare", response=CompareOut, summary="Bandingkan dua seleksi")
def compare(request: HttpRequest, a: int = Query(..., ge=1, le=ID_MAX),
            b: int = Query(..., ge=1, le=ID_MAX)) -> dict[str, Any]:
    runs = selectors.visible_runs(request.user)
    run_a = get_object_or_404(runs, pk=a)
    run_b = get_object_or_404(runs, pk=b)
    c = selectors.compare_runs(run_a, run_b)
    numbers = dict(Proposal.objects.filter(pk__in=c.only_a + c.only_b).values_list("id", "number"))
    return {"a": a, "b": b, "both": c.both, "moved_in": sorted(numbers[i] for i in c.only_b),
            "moved_out": sorted(numbers[i] for i in c.only_a), "moved_in_cost": c.only_b_cost,
            "moved_out_cost": c.only_a_cost}


@router.get("/proposals/{number}/reason", response={200: dict[str, Any], 404: dict[str, str]},
            summary="Alasan seleksi terakhir untuk satu usulan")
def proposal_reason(request: HttpRequest, number: str) -> Any:
    proposal = get_object_or_404(Proposal, number=parse_code(number, name="number"))
    # the public sees the run in force only; staff of the government the latest run, trials too
    public = not selectors.is_staff_of(request.user, proposal.government_id)
    reason = selectors.reason_for_proposal(proposal, public=public)
    if reason is None:
        raise Http404("Belum ada hasil seleksi yang diterapkan Bappeda untuk usulan ini." if public
                      else "Usulan ini belum pernah diseleksi.")
    return {**reason, "run_date": reason["run_date"].isoformat()}


@router.post("/runs", response={201: RunDetailOut}, auth=django_auth, summary="Jalankan seleksi")
def create_run(request: HttpRequest, payload: RunIn) -> Any:
    code = parse_code(payload.government, name="government") or ""
    edition = parse_code(payload.region_edition, name="region_edition")
    note = parse_text(payload.note, name="note", max_length=300)
    for key in [*(payload.weights or {}), *(payload.ceilings or {})]:
        parse_code(key, name="weights/ceilings")
    government = government_by_code(code, edition)  # NotFound: 404
    params = RunParameters(budget=payload.budget, ceilings=payload.ceilings)
    if payload.weights is not None:
        params = params.with_changes(weights=payload.weights)
    # NotPermitted (403) and bad input (400) are answered by the API's one error handler.
    options: str | dict[str, Any] | None = payload.mes_options or (
        parse_code(payload.preset, name="preset") if payload.preset else None)
    run = services.start_run(government, payload.year, rule=payload.rule, completion=payload.completion,
                             params=params, user=request.user, note=note, options=options)
    return 201, {**_run_out(run), "parameters": run.parameters, "totals": run.totals}
