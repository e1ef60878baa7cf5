"""Write use cases of selection: start a run, store it, rerun with changed ceilings (what-if).

    from selaras.web.selection import services
    run = services.start_run(government, 2026, rule="mes", completion="greedy", user=request.user)
    whatif = services.what_if(run, ceilings={"1.03.0.00.0.00.01.0000": 500_000_000_000}, user=...)

Only Bappeda planners, administrators and the budget team (TAPD) may start runs
(`check_can_select`). Runs and outcomes are append-only.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import connection, models, transaction

from selaras.domain.errors import InvalidInput, NotPermitted
from selaras.domain.roles import Role
from selaras.domain.selection import Completion, Rule
from selaras.engines.selection import SelectionError, SelectionResult, select
from selaras.web.columns import column_names
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.permissions import actor_for
from selaras.web.selection.building import BuiltInstance, build_instance
from selaras.web.selection.models import RunKind, SelectionOutcome, SelectionRun
from selaras.web.selection.parameters import RunParameters

__all__ = ["SELECTING_ROLES", "can_select", "check_can_select", "start_run", "what_if", "store_run"]

#: Roles that may start selection runs (Bappeda, administrator, budget team).
SELECTING_ROLES = frozenset({Role.PLANNING_AGENCY, Role.ADMIN, Role.BUDGET_TEAM})

BATCH = 5_000
#: Add-one completion raises every voter's budget by 1 rupiah per rerun: hopeless at rupiah scale
#: (SELECTION.md), so it is capped here; it stays meaningful for small pabulib-like instances.
ADD1_MAX_INCREMENTS = 1_000


def can_select(user: AnyUser | None, government: LocalGovernment | int | None) -> bool:
    """True when `user` may start selection runs for `government`."""
    actor = actor_for(user)
    if actor.is_superuser:
        return True
    gid = government if isinstance(government, int) or government is None else government.pk
    return actor.role in SELECTING_ROLES and gid is not None and actor.government_id == gid


def check_can_select(user: AnyUser | None, government: LocalGovernment | int | None) -> None:
    if not can_select(user, government):
        raise NotPermitted("Hanya Bappeda, administrator, atau Tim Anggaran (TAPD) pemerintah daerah ini "
                           "yang dapat menjalankan seleksi usulan.", action="select")


def start_run(
    government: LocalGovernment,
    year: int,
    *,
    rule: Rule | str = Rule.MES,
    completion: Completion | str | None = None,
    params: RunParameters | None = None,
    user: AnyUser | None = None,
    kind: str = RunKind.RUN,
    base_run: SelectionRun | None = None,
    note: str = "",
    check: bool = True,
    time_limit: float = 60.0,
) -> SelectionRun:
    """Build the instance from the database, run the engine, store run and outcomes."""
    if check:
        check_can_select(user, government)
    try:
        rule = Rule(rule)
    except ValueError as exc:
        raise InvalidInput(f"aturan seleksi tidak dikenal: {rule}") from exc
    if rule is not Rule.MES:
        completion = None
    elif completion in (None, ""):
        completion = Completion.GREEDY
    started = time.perf_counter()
    built = build_instance(government, year, params)
    build_seconds = time.perf_counter() - started
    try:
        result = select(built.instance, rule, completion=completion, utility=built.parameters.utility,
                        time_limit=time_limit, max_increments=ADD1_MAX_INCREMENTS)
    except SelectionError as exc:
        raise InvalidInput(f"seleksi tidak dapat dijalankan: {exc}") from exc
    run = store_run(government, year, built, result, user=user, kind=kind, base_run=base_run, note=note,
                    build_seconds=build_seconds)
    return run


def what_if(
    base: SelectionRun,
    *,
    ceilings: dict[str, int] | None = None,
    floors: dict[str, int] | None = None,
    budget: int | None = None,
    user: AnyUser | None = None,
    note: str = "",
    check: bool = True,
) -> SelectionRun:
    """Rerun `base` with changed agency ceilings (and optionally floors or budget).

    Ceilings and floors given here replace those of the base run for the keys given; every other
    parameter is the base run's. The new run is stored as a what-if run pointing at `base`.
    """
    params = RunParameters.from_json(base.parameters)
    changes: dict[str, Any] = {}
    if ceilings:
        changes["ceilings"] = {**(params.ceilings or {}), **{k: int(v) for k, v in ceilings.items()}}
    if floors:
        changes["floors"] = {**(params.floors or {}), **{k: int(v) for k, v in floors.items()}}
    if budget is not None:
        changes["budget"] = int(budget)
    return start_run(base.government, base.year, rule=base.rule, completion=base.completion or None,
                     params=params.with_changes(**changes), user=user, kind=RunKind.WHAT_IF, base_run=base,
                     note=note, check=check)


def _clean(value: Any) -> Any:
    """JSON-safe: no NaN/inf floats, no numpy scalars."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _totals(built: BuiltInstance, result: SelectionResult, selected: np.ndarray) -> dict[str, Any]:
    params = built.parameters
    costs = built.costs
    agency_rows: dict[str, dict[str, Any]] = {}
    names = dict(Agency.objects.filter(pk__in=set(built.agency_codes)).values_list("code", "short_name"))
    for i, aid in enumerate(built.agency_ids):
        code = built.agency_codes.get(aid, "") if aid is not None else ""
        row = agency_rows.setdefault(code, {"code": code, "name": names.get(code, ""), "count": 0,
                                            "requested": 0, "selected_count": 0, "selected_cost": 0})
        row["count"] += 1
        row["requested"] += int(costs[i])
        if selected[i]:
            row["selected_count"] += 1
            row["selected_cost"] += int(costs[i])
    for code, row in agency_rows.items():
        row["ceiling"] = (params.ceilings or {}).get(code)
    district_rows: dict[str, dict[str, Any]] = {}
    for i, code in enumerate(built.district_codes):
        row = district_rows.setdefault(code, {"code": code, "count": 0, "requested": 0, "selected_count": 0,
                                              "selected_cost": 0})
        row["count"] += 1
        row["requested"] += int(costs[i])
        if selected[i]:
            row["selected_count"] += 1
            row["selected_cost"] += int(costs[i])
    for code, row in district_rows.items():
        row["floor"] = (params.floors or {}).get(code)
    reasons = Counter(o.reason.code.value for o in result.outcomes.values())
    return _clean({
        "agencies": sorted(agency_rows.values(), key=lambda r: r["code"]),
        "districts": sorted(district_rows.values(), key=lambda r: r["code"]),
        "reasons": dict(sorted(reasons.items())),
        "floor_shortfalls": [{"group": f.group, "floor": f.floor, "achieved": f.achieved}
                             for f in result.floor_shortfalls],
        "ceiling_violations": list(result.ceiling_violations),
        "eligible_count": int(built.instance.n_projects - len(built.ineligible)),
        "voters": built.voter_counts,
        "details": dict(result.details),
        "tie_breaking": result.tie_breaking,
        "engine_seconds": result.seconds,
    })


OUTCOME_FIELDS = ("run", "proposal", "selected", "round", "reason_code", "reason_params", "cost", "score",
                  "agency", "district_code")


def _flat_params(params: Any) -> dict[str, Any]:
    """Reason parameters are flat scalars; only non-finite floats need replacing for JSON."""
    out = {}
    for key, value in params.items():
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        elif isinstance(value, np.generic):
            value = value.item()
        out[str(key)] = value
    return out


def _insert_outcomes(run_id: int, built: BuiltInstance, outcomes: Any) -> None:
    """One row per proposal, inserted with `executemany` on a plain INSERT.

    Measured at 163k proposals on the 2-core machine: `bulk_create` took 60-100 s (model
    instances and per-field SQL compilation), this takes a few seconds. Outcomes are only ever
    inserted, so nothing of the model's save logic is skipped.
    """
    meta = SelectionOutcome._meta
    columns = column_names(SelectionOutcome, OUTCOME_FIELDS)
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    adapt_json = connection.ops.adapt_json_value
    ids = built.proposal_ids.tolist()
    scores = built.scores.tolist()
    costs = built.costs.tolist()
    agencies = built.agency_ids
    districts = built.district_codes
    encoded: dict[tuple[Any, ...], Any] = {}  # many proposals share the same reason parameters
    with connection.cursor() as cursor:
        batch: list[tuple[Any, ...]] = []
        for i, num in enumerate(built.numbers):
            o = outcomes[num]
            key = tuple(o.reason.params.items())
            params = encoded.get(key)
            if params is None:
                params = encoded[key] = adapt_json(_flat_params(o.reason.params), None)
            batch.append((run_id, ids[i], bool(o.selected), o.order, o.reason.code.value, params, costs[i],
                          scores[i], agencies[i], districts[i]))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def store_run(
    government: LocalGovernment,
    year: int,
    built: BuiltInstance,
    result: SelectionResult,
    *,
    user: AnyUser | None = None,
    kind: str = RunKind.RUN,
    base_run: SelectionRun | None = None,
    note: str = "",
    build_seconds: float = 0.0,
) -> SelectionRun:
    """Write the run and one outcome per proposal (bulk insert, in one transaction)."""
    started = time.perf_counter()
    outcomes = result.outcomes
    numbers = built.numbers
    selected = np.asarray([outcomes[num].selected for num in numbers], dtype=bool)
    totals = _totals(built, result, selected)
    selected_cost = int(built.costs[selected].sum()) if len(selected) else 0
    with transaction.atomic():
        run = SelectionRun.objects.create(
            government=government, year=year, kind=kind, base_run=base_run, rule=result.rule,
            completion=result.completion or "", budget=built.instance.budget,
            parameters=_clean(built.parameters.as_json()), totals=totals, note=note[:300],
            selected_count=int(selected.sum()), selected_cost=selected_cost, proposal_count=len(numbers),
            seconds=0.0, created_by=user if isinstance(user, User) else None,
        )
        _insert_outcomes(run.pk, built, outcomes)
        seconds = build_seconds + result.seconds + (time.perf_counter() - started)
        timing = {"build": round(build_seconds, 3), "engine": round(result.seconds, 3),
                  "store": round(time.perf_counter() - started, 3)}
        # the run row was just inserted in this transaction; its figures are completed here, once
        models.QuerySet.update(SelectionRun.objects.filter(pk=run.pk), seconds=seconds,
                               totals={**totals, "timing": timing})
    run.refresh_from_db()
    return run
