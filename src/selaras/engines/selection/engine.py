"""`select`: mandatory items, floors, the rule, its completion, and a reason for every project."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Completion, Reason, ReasonCode, Rule, Utility
from selaras.engines.memory import gc_paused
from selaras.engines.selection.add1 import run_add1, start_share
from selaras.engines.selection.comparison import compare_outcomes
from selaras.engines.selection.greedy import greedy_fill, measure_values, priority_order
from selaras.engines.selection.ledger import Ledger, Support
from selaras.engines.selection.mes import equal_shares
from selaras.engines.selection.milp import solve_max_value
from selaras.engines.selection.model import (
    FloorShortfall,
    Group,
    Outcomes,
    SelectionError,
    SelectionInstance,
    SelectionResult,
)
from selaras.engines.selection.phragmen import prepare_kernel as prepare_phragmen
from selaras.engines.selection.phragmen import sequential_phragmen
from selaras.engines.selection.ties import tie_rank, tie_text
from selaras.engines.selection.variants import Comparison, MesOptions

__all__ = ["select", "prepare", "TIE_BREAKING", "TIE_BREAKING_BEFORE"]

IntArray = npt.NDArray[np.int64]

#: How every rule breaks a tie (recorded with each result as "tie_breaking"), in planner words:
#: ids are compared as text, the smallest first; every comparison is exact (fractions, no rounding).
TIE_BREAKING = (
    "Bila dua usulan sama kuat, didahulukan yang kodenya lebih dahulu menurut urutan huruf dan angka; "
    "perbandingan dihitung eksak, tanpa pembulatan."
)
#: The sentence results recorded before December 2026, so a page can still recognise it.
TIE_BREAKING_BEFORE = (
    "Seri diputus menurut id proyek (urutan string, terkecil lebih dahulu), seperti pabutools "
    "(lexico_tie_breaking); keputusan dibandingkan secara eksak (pecahan rasional)."
)

_GREEDY_MEASURE = {
    Rule.GREEDY: "approvals",
    Rule.GREEDY_COST: "approvals_per_cost",
    Rule.GREEDY_SCORE: "score",
    Rule.GREEDY_SCORE_COST: "score_per_cost",
}


def prepare() -> None:
    """Load the compiled kernels now (MES, the greedy pass, the exact rule's knapsack path, EES, Phragmén,
    the ballots turned around; compiled once per installation, then cached on disk), so that the
    first `select` does not carry that cost. `make install` calls it."""
    tiny = SelectionInstance.build(
        ["a", "b"], [2, 3], 4, [["a", "b"], ["b"]], scores=[1.0, 2.0],
        groups=[Group("pd:1", ("a", "b"), ceiling=4)],
    )
    select(tiny, Rule.MES)  # with the greedy completion
    select(tiny, Rule.EXACT)
    # EES by parts (ees_parts.py): a drop moved between parts is amended, and a run resumes
    parts = SelectionInstance.build(
        ["p0", "p1", "p2", "p3", "p4"], [30, 16, 30, 7, 20], 67,
        [["p0", "p2", "p1", "p3"], ["p1", "p0", "p3"], ["p0", "p1", "p3", "p2"], ["p1"], ["p4"], ["p4"]],
        weights=[2, 2, 2, 3, 2, 2], groups=[Group("pd:0", ("p4", "p0"), ceiling=41)],
    )
    select(parts, Rule.EES, options=MesOptions(completion=Completion.ADD_OPT, utility=Utility.APPROVAL))
    prepare_phragmen()
    from selaras.engines.selection.support_kernel import by_project

    one = np.ones(1, dtype=np.int64)
    by_project(np.array([0, 1], dtype=np.int64), one - 1, one, 1)  # used from COMPILED_MIN_ENTRIES on


def select(
    instance: SelectionInstance,
    rule: Rule | str = Rule.MES,
    *,
    completion: Completion | str | None = None,
    utility: Utility | str = Utility.COST,
    increment: int = 1,
    max_increments: int = 1_000_000,
    time_limit: float = 60.0,
    mip_rel_gap: float = 0.0,
    arithmetic: str = "auto",
    options: MesOptions | None = None,
    money_unit: int = 1,
) -> SelectionResult:
    """Select projects under the budget with `rule`; every project gets a `Reason`.

    Order of work: mandatory projects first (even beyond a ceiling: reported in
    `ceiling_violations`), then each floor group (by key) is filled with its best projects by the
    rule's measure, then the rule runs on the money left. `exact` instead puts floors into the
    optimisation. MES `completion`: "greedy" (default), "add1" (voter budgets raised by
    `increment` while the outcome stays within budget, then greedy) or "none".
    `arithmetic`: "auto" (MES with cost utility runs compiled in floats with proven error
    bounds and falls back to exact fractions when a comparison is too close to call) or "exact"
    (fractions only). Both give the same selection; see docs/selection.md.
    `options` (rules mes and ees): the Equal Shares variant (`MesOptions`, see variants.py); when
    given it replaces `completion`, `utility` and `increment`, and is recorded in
    `details["mes_options"]`. `money_unit`: the instance's money units per currency unit (a
    .pb file with decimal amounts is scaled), so Add1 steps and integral starts are whole
    currency units.
    """
    if arithmetic not in ("auto", "exact"):
        raise SelectionError(f"aritmetika tidak dikenal: {arithmetic}")
    with gc_paused():  # hundreds of thousands of small acyclic objects (reasons, prices, heap entries)
        rule = Rule(rule)
        if options is None and rule in (Rule.MES, Rule.EES):
            default = Completion.ADD_OPT if rule is Rule.EES else Completion.GREEDY
            options = MesOptions(completion=Completion(completion or default), utility=Utility(utility))
            money_unit = increment
        if options is not None and rule in (Rule.MES, Rule.EES):
            completion, utility = options.completion, options.utility
        return _select(
            instance, rule, completion, utility, money_unit, max_increments, time_limit, mip_rel_gap, arithmetic,
            options,
        )


def _select(
    instance: SelectionInstance,
    rule: Rule | str,
    completion: Completion | str | None,
    utility: Utility | str,
    increment: int,
    max_increments: int,
    time_limit: float,
    mip_rel_gap: float,
    arithmetic: str,
    options: MesOptions | None,
) -> SelectionResult:
    started = time.perf_counter()
    rule = Rule(rule)
    utility = Utility(utility)
    if rule in (Rule.MES, Rule.EES):
        assert options is not None
        completion = options.completion
        if (rule is Rule.EES) != (completion is Completion.ADD_OPT) and completion in (Completion.ADD_OPT, Completion.ADD1):
            raise SelectionError(
                "pelengkap add-opt hanya untuk aturan ees, add1 hanya untuk mes"
            )
    elif completion not in (None, Completion.NONE, "none"):
        raise SelectionError("pelengkap hanya berlaku untuk Metode Bagi Rata (mes, ees)")
    else:
        completion = None
    support = Support(instance)
    if options is not None and not options.default_ties:
        support.rank = tie_rank(support, options)
    ledger = Ledger(instance, support)
    m = instance.n_projects
    index = support.index
    eligible = np.ones(m, dtype=bool)
    for pid, why in sorted(instance.ineligible.items()):
        i = index.get(pid)
        if i is None:
            raise SelectionError(f"proyek tak dikenal: {pid}")
        eligible[i] = False
        ledger.reject(i, Reason(ReasonCode.REJECTED_INELIGIBLE, {"rule": why}))

    violations: list[str] = []
    for pid in sorted(instance.mandatory):
        i = index[pid]
        if not eligible[i]:
            continue
        c = ledger.cost[i]
        for g in ledger.groups_of[i]:
            room = ledger.room[g]
            if room is not None and c > room and ledger.group_keys[g] not in violations:
                violations.append(ledger.group_keys[g])
        if c > ledger.remaining and "anggaran" not in violations:
            violations.append("anggaran")
        ledger.take(i, Reason(ReasonCode.SELECTED_MANDATORY))

    measure = _measure(rule, utility, instance.scores is not None)
    values = measure_values(support, measure, instance.scores)
    shortfalls: list[FloorShortfall] = []
    details: dict[str, object] = {}
    if rule is not Rule.EXACT:
        _fill_floors(instance, support, ledger, eligible, measure, values)
    open_idx = np.flatnonzero(eligible & ~ledger.is_taken).astype(np.int64)

    if rule in _GREEDY_MEASURE:
        order = priority_order(support, measure, instance.scores, open_idx)
        greedy_fill(support, ledger, order, ReasonCode.SELECTED_GREEDY, measure, values)
    elif rule in (Rule.MES, Rule.EES):
        assert options is not None and completion is not None
        details["mes_options"] = options.as_dict()
        if options.comparison is not Comparison.OFF:
            before = ledger.copy()
        if rule is Rule.EES:
            from selaras.engines.selection.ees_addopt import run_ees

            ledger, pending = run_ees(support, ledger, open_idx, options, details)
        else:
            ledger, pending = _run_mes(
                support, ledger, open_idx, options, increment, max_increments, arithmetic, details
            )
        rest = np.flatnonzero(eligible & ~ledger.is_taken).astype(np.int64)
        written = None
        if completion is Completion.GREEDY or (
            completion in (Completion.ADD1, Completion.ADD_OPT) and options.final_greedy
        ):
            comp_measure = "approvals" if utility is Utility.COST else "approvals_per_cost"
            comp_values = measure_values(support, comp_measure, instance.scores)
            order = priority_order(support, comp_measure, instance.scores, rest)
            written = greedy_fill(
                support, ledger, order, ReasonCode.SELECTED_COMPLETION, comp_measure, comp_values,
                keep_reasons=True, earlier=pending,
            )
        _merge_rejections(ledger, pending, written)
        if options.comparison is not Comparison.OFF:
            ledger = _comparison_step(instance, support, before, ledger, eligible, options.comparison, details)
    elif rule is Rule.PHRAGMEN:
        sequential_phragmen(support, ledger, open_idx)
    elif rule is Rule.EXACT:
        _run_exact(instance, support, ledger, eligible, values, time_limit, mip_rel_gap, details)

    for p in np.flatnonzero(~ledger.is_taken).tolist():
        if p not in ledger.reasons:
            if support.approvals[p] == 0 and rule in (Rule.MES, Rule.EES, Rule.PHRAGMEN):
                ledger.reject(p, Reason(ReasonCode.REJECTED_NO_SUPPORT))
            else:
                blk = ledger.blocker(p)
                ledger.reject(p, blk or Reason(ReasonCode.REJECTED_BUDGET, {"remaining": ledger.remaining, "cost": ledger.cost[p]}))

    for gi, grp in enumerate(instance.groups):
        if grp.floor is not None and ledger.spent_group[gi] < grp.floor:
            shortfalls.append(FloorShortfall(grp.key, grp.floor, ledger.spent_group[gi]))
    result = _result(instance, support, ledger, rule, completion, shortfalls, violations, details)
    if options is not None and not options.default_ties:
        result = replace(result, tie_breaking=tie_text(options))
    return replace(result, seconds=time.perf_counter() - started)


def _measure(rule: Rule, utility: Utility, has_scores: bool) -> str:
    if rule in _GREEDY_MEASURE:
        return _GREEDY_MEASURE[rule]
    if rule is Rule.EXACT:
        return "score" if has_scores else "approvals"
    if rule in (Rule.MES, Rule.EES) and utility is Utility.APPROVAL:
        return "approvals_per_cost"
    return "approvals"


def _fill_floors(
    instance: SelectionInstance,
    support: Support,
    ledger: Ledger,
    eligible: npt.NDArray[np.bool_],
    measure: str,
    values: npt.NDArray[np.float64],
) -> None:
    for gi, g in sorted(enumerate(instance.groups), key=lambda t: t[1].key):
        if g.floor is None or ledger.spent_group[gi] >= g.floor:
            continue
        members = support.group_members[gi]
        members = members[eligible[members] & ~ledger.is_taken[members]]
        for p in priority_order(support, measure, instance.scores, members).tolist():
            if ledger.spent_group[gi] >= g.floor:
                break
            if ledger.blocker(p) is None:
                ledger.take(p, Reason(ReasonCode.SELECTED_FLOOR, {"group": g.key, "floor": g.floor, "value": float(values[p])}))


def _run_mes(
    support: Support,
    ledger: Ledger,
    open_idx: IntArray,
    options: MesOptions,
    money_unit: int,
    max_increments: int,
    arithmetic: str,
    details: dict[str, object],
) -> tuple[Ledger, Mapping[int, Reason]]:
    """MES (with add-one raises if asked); returns the ledger and MES's rejections, which the
    caller merges after the completion (`_merge_rejections`)."""
    total_w = support.total_weight
    if total_w == 0:
        return ledger, {}
    if options.completion is not Completion.ADD1:
        base = Fraction(ledger.remaining, total_w)
        run = equal_shares(support, ledger, open_idx, base, options.utility, arithmetic)
        details["mes_rounds"] = len(run.rounds)
        details["mes_arithmetic"] = run.arithmetic
        return ledger, run.rejected
    base = start_share(ledger.remaining, total_w, options, money_unit)
    return run_add1(
        support, ledger, open_idx, options, base, options.increment * money_unit, max_increments, arithmetic,
        details,
    )


def _comparison_step(
    instance: SelectionInstance,
    support: Support,
    before: Ledger,
    ledger: Ledger,
    eligible: npt.NDArray[np.bool_],
    how: Comparison,
    details: dict[str, object],
) -> Ledger:
    """Greedy by supporters from the state before the rule (mandatory and floors kept) against
    the Equal Shares outcome; the greedy one replaces it only if more voters prefer it."""
    greedy = before.copy()
    rest = np.flatnonzero(eligible & ~greedy.is_taken).astype(np.int64)
    values = measure_values(support, "approvals", instance.scores)
    order = priority_order(support, "approvals", instance.scores, rest)
    greedy_fill(support, greedy, order, ReasonCode.SELECTED_GREEDY, "approvals", values)
    prefer_mes, prefer_greedy = compare_outcomes(support, how, ledger.taken, greedy.taken)
    switched = prefer_greedy > prefer_mes
    details["comparison"] = {
        "by": how.value,
        "prefer_equal_shares": prefer_mes,
        "prefer_greedy": prefer_greedy,
        "switched_to_greedy": switched,
    }
    return greedy if switched else ledger


def _merge_rejections(
    ledger: Ledger, rejected: Mapping[int, Reason], written: npt.NDArray[np.bool_] | None
) -> None:
    """MES's reason for each project it rejected that is still not selected, unless the
    completion gave it a newer one (`written`)."""
    taken = ledger.is_taken if written is None else ledger.is_taken | written
    for p in rejected:
        if not taken[p]:
            ledger.reject(p, rejected[p])


def _run_exact(
    instance: SelectionInstance,
    support: Support,
    ledger: Ledger,
    eligible: npt.NDArray[np.bool_],
    values: npt.NDArray[np.float64],
    time_limit: float,
    mip_rel_gap: float,
    details: dict[str, object],
) -> None:
    forced = np.asarray(ledger.taken, dtype=np.int64)
    for p in ledger.taken:
        ledger.is_taken[p] = False
    base = Ledger(instance, support)
    idx = np.flatnonzero(eligible).astype(np.int64)
    outcome = solve_max_value(
        base,
        idx,
        values,
        instance.budget,
        [g.ceiling for g in instance.groups],
        [g.floor for g in instance.groups],
        forced,
        support.rank,
        time_limit=time_limit,
        mip_rel_gap=mip_rel_gap,
    )
    details.update(outcome.details())
    chosen = set(outcome.chosen) | set(forced.tolist())
    keep = {p: ledger.reasons[p] for p in forced.tolist()}
    fresh = Ledger(instance, support)
    for p, why in ledger.reasons.items():
        if p not in keep:
            fresh.reject(p, why)
    for p in forced.tolist():
        fresh.take(p, keep[p])
    chosen_sorted = sorted(chosen - set(forced.tolist()), key=lambda p: (-values[p], int(support.rank[p])))
    for p in chosen_sorted:
        fresh.take(p, Reason(ReasonCode.SELECTED_OPTIMAL, {"value": float(values[p])}))
    lowest = min((float(values[p]) for p in chosen_sorted), default=None)
    for p in idx.tolist():
        if p in chosen:
            continue
        v = float(values[p])
        if lowest is not None and v < lowest:
            fresh.reject(p, Reason(ReasonCode.REJECTED_LOWER_SCORE, {"measure": "value", "value": v, "last_selected_value": lowest}))
        else:
            blk = fresh.blocker(p)
            fresh.reject(p, blk or Reason(ReasonCode.REJECTED_NOT_OPTIMAL, {"value": v}))
    ledger.__dict__.update(fresh.__dict__)


def _result(
    instance: SelectionInstance,
    support: Support,
    ledger: Ledger,
    rule: Rule,
    completion: Completion | None,
    shortfalls: list[FloorShortfall],
    violations: list[str],
    details: dict[str, object],
) -> SelectionResult:
    index = support.index
    ids = instance.project_ids
    order = {p: k + 1 for k, p in enumerate(ledger.taken)}
    outcomes = Outcomes(
        ids, index, np.argsort(support.id_rank).tolist(), ledger.is_taken.tolist(), ledger.cost, ledger.reasons, order
    )
    return SelectionResult(
        rule=rule.value,
        completion=completion.value if completion is not None else None,
        selected=tuple(ids[p] for p in ledger.taken),
        cost=ledger.spent,
        budget=instance.budget,
        outcomes=outcomes,
        tie_breaking=TIE_BREAKING,
        floor_shortfalls=tuple(shortfalls),
        ceiling_violations=tuple(violations),
        details=details,
    )
