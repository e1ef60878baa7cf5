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
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import models, transaction

from selaras.domain.errors import InvalidInput, NotPermitted
from selaras.domain.roles import Role
from selaras.domain.selection import (
    COMPLETION_STEPS,
    NEEDS_A_WEIGHT,
    SCORE_RULES,
    Completion,
    Rule,
    Utility,
)
from selaras.engines.memory import gc_paused
from selaras.engines.scoring import normalise_weights
from selaras.engines.selection import SelectionError, SelectionResult, select
from selaras.engines.selection.fairness import FairnessInput, fairness
from selaras.engines.selection.variants import MesOptions, preset
from selaras.web.http import AnyUser
from selaras.web.jobs.models import duration_text
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.permissions import actor_for
from selaras.web.selection.building import BuiltInstance, build_instance
from selaras.web.selection.models import RULE_LABELS, OutcomeBlock, RunKind, SelectionRun
from selaras.web.selection.parameters import RunParameters, check_locus_villages
from selaras.web.selection.storage import EncodedBlock, OutcomeColumns, encode_blocks

__all__ = ["SELECTING_ROLES", "can_select", "check_can_select", "start_run", "what_if", "store_run"]

Progress = Callable[[str, int, int], None]

#: Roles that may start selection runs (Bappeda, administrator, budget team).
SELECTING_ROLES = frozenset({Role.PLANNING_AGENCY, Role.ADMIN, Role.BUDGET_TEAM})

#: Add-one completion raises every voter's budget by 1 rupiah per rerun: hopeless at rupiah scale
#: (SELECTION.md), so it is capped here; it stays meaningful for small pabulib-like instances.
ADD1_MAX_INCREMENTS = 1_000
#: add-opt from the web and the API stops raising after this long (at district scale it would run
#: for hours; the last run that fits is kept and the run says so: `add_opt_stopped` = "time_limit")
ADD_OPT_MAX_SECONDS = 120.0


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
    options: MesOptions | str | dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> SelectionRun:
    """Build the instance from the database, run the engine, store run and outcomes.

    `options` (Equal Shares rules only): a `MesOptions`, the name of a preset
    (`engines.selection.variants.PRESETS`) or the dict a run recorded; it replaces `completion`
    and is recorded in the run's parameters (`mes_options`). `progress(phase, done, total)` is
    called between the steps (a job's `ctx.progress`; it may raise to cancel)."""
    if check:
        check_can_select(user, government)
    try:
        rule = Rule(rule)
    except ValueError as exc:
        raise InvalidInput(f"aturan seleksi tidak dikenal: {rule}") from exc
    if rule in SCORE_RULES and params is not None and not any(normalise_weights(params.weights).values()):
        raise InvalidInput(NEEDS_A_WEIGHT)
    if kind == RunKind.RUN and params is not None:  # a what-if keeps its base run's villages
        check_locus_villages(government, params.locus_villages)
    equal_shares = rule in (Rule.MES, Rule.EES)
    mes_options = _options(options, completion, rule) if equal_shares else None
    if not equal_shares:
        completion = None
    elif mes_options is not None:
        completion = mes_options.completion
    elif completion in (None, ""):
        completion = Completion.GREEDY
    report = progress or (lambda phase, done, total: None)
    # three steps (done/total count steps, not proposals); the engine's step may run for minutes
    # without a word from the engine, so its phase says how long it may take at most
    report("membaca usulan dan parameter dari basis data", 0, 3)
    started = time.perf_counter()
    built = build_instance(government, year, params)
    build_seconds = time.perf_counter() - started
    report(_computing_phase(rule, mes_options, completion, time_limit), 1, 3)
    try:
        if mes_options is not None:
            mes_options = replace(mes_options, utility=Utility(built.parameters.utility))
            if mes_options.completion is Completion.ADD_OPT:
                mes_options = replace(mes_options, max_seconds=min(mes_options.max_seconds or ADD_OPT_MAX_SECONDS,
                                                                   ADD_OPT_MAX_SECONDS))
            result = select(built.instance, rule, options=mes_options, time_limit=time_limit,
                            max_increments=ADD1_MAX_INCREMENTS)
        else:
            result = select(built.instance, rule, completion=completion, utility=built.parameters.utility,
                            time_limit=time_limit, max_increments=ADD1_MAX_INCREMENTS)
    except SelectionError as exc:
        raise InvalidInput(f"seleksi tidak dapat dijalankan: {exc}") from exc
    report("menyimpan usulan terpilih dan alasannya", 2, 3)
    run = store_run(government, year, built, result, user=user, kind=kind, base_run=base_run, note=note,
                    build_seconds=build_seconds, mes_options=mes_options)
    report("selesai", 3, 3)
    return run


def _computing_phase(rule: Rule, mes_options: MesOptions | None, completion: Completion | str | None,
                     time_limit: float) -> str:
    """The engine's step in the planner's words (the rule's label: its one name, `domain.selection.RULE_NAMES`),
    with its longest duration where one is set."""
    text = f"sedang menghitung usulan terpilih dengan {RULE_LABELS.get(rule.value, rule.value)}"
    raised = COMPLETION_STEPS[Completion.ADD_OPT.value]
    if mes_options is not None and mes_options.completion is Completion.ADD_OPT:  # capped in start_run
        limit = min(mes_options.max_seconds or ADD_OPT_MAX_SECONDS, ADD_OPT_MAX_SECONDS)
        return f"{text}, {raised} (maks. {duration_text(limit)})"
    if rule in (Rule.MES, Rule.EES) and completion in (Completion.ADD_OPT, Completion.ADD_OPT.value):
        return f"{text}, {raised} (dapat beberapa menit)"
    if rule is Rule.EXACT:
        return f"{text} (maks. {duration_text(time_limit)})"
    return text


def _options(options: MesOptions | str | dict[str, Any] | None, completion: Completion | str | None,
             rule: Rule) -> MesOptions | None:
    """The Equal Shares variant of a run: None keeps the plain `completion` path."""
    if options is None or options == "":
        return None
    if isinstance(options, MesOptions):
        return options
    if isinstance(options, str):
        return preset(options)  # OptionsError (InvalidInput) names the known presets
    if isinstance(options, dict):
        try:
            return MesOptions.from_dict(options)
        except (TypeError, ValueError) as exc:  # a wrong type in a hand-written dict (the API)
            if isinstance(exc, InvalidInput):
                raise
            raise InvalidInput("opsi Metode Bagi Rata tidak valid") from exc
    raise InvalidInput("opsi Metode Bagi Rata tidak dikenal")


def what_if(
    base: SelectionRun,
    *,
    ceilings: dict[str, int] | None = None,
    floors: dict[str, int] | None = None,
    budget: int | None = None,
    user: AnyUser | None = None,
    note: str = "",
    check: bool = True,
    progress: Progress | None = None,
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
    recorded = (base.parameters or {}).get("mes_options")
    return start_run(base.government, base.year, rule=base.rule, completion=base.completion or None,
                     params=params.with_changes(**changes), user=user, kind=RunKind.WHAT_IF, base_run=base,
                     note=note, check=check, options=dict(recorded) if isinstance(recorded, dict) else None,
                     progress=progress)


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


def _group_rows(keys: list[Any], costs: np.ndarray, selected: np.ndarray) -> dict[Any, dict[str, int]]:
    """Per distinct key: count, requested money, selected count and money (numpy, one pass)."""
    table_array, inverse = np.unique(np.asarray(keys, dtype=str), return_inverse=True)
    table = table_array.tolist()
    count = np.bincount(inverse, minlength=len(table))
    sel_count = np.bincount(inverse[selected], minlength=len(table))
    # money as exact integers: sums of int64 costs per group (float sums could round above 2^53)
    sel_cost = [0] * len(table)
    req_cost = [0] * len(table)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(table) + 1))
    for k in range(len(table)):
        rows = order[bounds[k]:bounds[k + 1]]
        req_cost[k] = int(costs[rows].sum())
        sel_cost[k] = int(costs[rows][selected[rows]].sum())
    return {table[k]: {"count": int(count[k]), "requested": req_cost[k], "selected_count": int(sel_count[k]),
                       "selected_cost": sel_cost[k]} for k in range(len(table))}


def _totals(built: BuiltInstance, result: SelectionResult, per: _PerProject) -> dict[str, Any]:
    params = built.parameters
    costs = built.costs
    selected = per.selected
    names = dict(Agency.objects.filter(pk__in=set(built.agency_codes)).values_list("code", "short_name"))
    codes = [built.agency_codes.get(aid, "") if aid is not None else "" for aid in built.agency_ids]
    agency_rows = [{"code": code, "name": names.get(code, ""), **row, "ceiling": (params.ceilings or {}).get(code)}
                   for code, row in _group_rows(codes, costs, selected).items()]
    district_rows = [{"code": code, **row, "floor": (params.floors or {}).get(code)}
                     for code, row in _group_rows(list(built.district_codes), costs, selected).items()]
    reasons = {str(code): n for code, n in Counter(per.codes).items()}
    return _clean({
        "agencies": sorted(agency_rows, key=lambda r: r["code"]),
        "districts": sorted(district_rows, key=lambda r: r["code"]),
        "reasons": dict(sorted(reasons.items())),
        "floor_shortfalls": [{"group": f.group, "floor": f.floor, "achieved": f.achieved}
                             for f in result.floor_shortfalls],
        "ceiling_violations": list(result.ceiling_violations),
        "eligible_count": int(built.instance.n_projects - len(built.ineligible)),
        "voters": built.voter_counts,
        "details": dict(result.details),
        "tie_breaking": result.tie_breaking,
        "engine_seconds": result.seconds,
        "fairness": _fairness(built, per),
    })


def _fairness(built: BuiltInstance, per: _PerProject) -> dict[str, Any]:
    """The outcome's fairness figures (engines/selection/fairness.py), stored with the run."""
    inst = built.instance
    kinds: list[str] = []
    for kind, count in built.voter_counts.items():
        kinds.extend([kind] * int(count))
    ineligible = built.ineligible
    eligible = np.asarray([num not in ineligible for num in built.numbers], dtype=bool)
    districts = [d or "" for d in built.district_codes]
    report = fairness(FairnessInput(
        costs=built.costs, selected=per.selected, eligible=eligible, budget=int(inst.budget), indptr=inst.indptr,
        items=inst.items, weights=inst.weights, voter_kinds=kinds if len(kinds) == inst.n_voters else (),
        areas=districts, population=built.district_population))
    return report.as_dict(project_ids=built.numbers)


@dataclass(frozen=True)
class _PerProject:
    """The engine's outcome of every project of the instance, row i = project i."""

    selected: np.ndarray
    order: list[int | None]
    reasons: list[Any]

    @property
    def codes(self) -> list[str]:
        """Reason codes (ReasonCode members are str)."""
        return [r.code for r in self.reasons]


def _per_project(built: BuiltInstance, outcomes: Any) -> _PerProject:
    numbers = built.numbers
    chosen: Any = getattr(outcomes, "_selected", None)
    reasons: Any = getattr(outcomes, "_reasons", None)
    order: Any = getattr(outcomes, "_order", None)
    index: Any = getattr(outcomes, "_index", None)
    if index is not None and chosen is not None and reasons is not None and order is not None:
        # the engine's own columns (no ProjectOutcome per proposal): a third of a second at 163k
        at = [index[num] for num in numbers]
        return _PerProject(np.asarray([chosen[p] for p in at], dtype=bool), [order.get(p) for p in at],
                           [reasons[p] for p in at])
    records = [outcomes[num] for num in numbers]
    return _PerProject(np.asarray([o.selected for o in records], dtype=bool), [o.order for o in records],
                       [o.reason for o in records])


def _outcome_columns(built: BuiltInstance, per: _PerProject) -> OutcomeColumns:
    """The run's per-proposal columns (row i = project i of the instance)."""
    return OutcomeColumns(
        proposal_ids=built.proposal_ids, selected=per.selected, rounds=per.order,
        codes=per.codes, params=[r.params for r in per.reasons],
        costs=built.costs, scores=built.scores, agency_ids=built.agency_ids, district_codes=built.district_codes,
    )


def write_outcomes(run_id: int, columns: OutcomeColumns) -> int:
    """Store a run's outcomes as compressed blocks (a few dozen rows for a district); returns bytes stored."""
    blocks = encode_blocks(columns)
    _insert_blocks(run_id, blocks)
    return sum(len(b.data) for b in blocks)


def _insert_blocks(run_id: int, blocks: list[EncodedBlock]) -> None:
    OutcomeBlock.objects.bulk_create([
        OutcomeBlock(run_id=run_id, first_proposal=b.first_proposal, last_proposal=b.last_proposal, count=b.count,
                     data=b.data) for b in blocks])


@gc_paused()  # ~160,000 reasons and rows: no cyclic garbage (engines/memory.py)
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
    mes_options: MesOptions | None = None,
) -> SelectionRun:
    """Write the run and its outcomes (compressed blocks, `storage`), in one transaction."""
    started = time.perf_counter()
    numbers = built.numbers
    per = _per_project(built, result.outcomes)
    selected = per.selected
    totals = _totals(built, result, per)
    totals_at = time.perf_counter()
    columns = _outcome_columns(built, per)
    blocks = encode_blocks(columns)
    encoded_at = time.perf_counter()
    selected_cost = int(built.costs[selected].sum()) if len(selected) else 0
    parameters = built.parameters.as_json()
    if mes_options is not None:
        parameters["mes_options"] = mes_options.as_dict()
    with transaction.atomic():
        run = SelectionRun.objects.create(
            government=government, year=year, kind=kind, base_run=base_run, rule=result.rule,
            completion=result.completion or "", budget=built.instance.budget,
            parameters=_clean(parameters), totals=totals, note=note[:300],
            selected_count=int(selected.sum()), selected_cost=selected_cost, proposal_count=len(numbers),
            seconds=0.0, created_by=user if isinstance(user, User) else None,
        )
        _insert_blocks(run.pk, blocks)
        seconds = build_seconds + result.seconds + (time.perf_counter() - started)
        timing = {"build": round(build_seconds, 3), "engine": round(result.seconds, 3),
                  "store": round(time.perf_counter() - started, 3),
                  "store_totals": round(totals_at - started, 3), "store_encode": round(encoded_at - totals_at, 3),
                  "store_write": round(time.perf_counter() - encoded_at, 3),
                  "stored_bytes": sum(len(b.data) for b in blocks), "blocks": len(blocks)}
        # the run row was just inserted in this transaction; its figures are completed here, once
        models.QuerySet.update(SelectionRun.objects.filter(pk=run.pk), seconds=seconds,
                               totals={**totals, "timing": timing})
    run.refresh_from_db()
    return run
