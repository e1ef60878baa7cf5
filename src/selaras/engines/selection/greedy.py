"""Greedy rules: take projects in order of a measure, skipping what does not fit."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason, ReasonCode
from selaras.engines.selection.greedy_kernel import CEILING, TAKEN, greedy_pass
from selaras.engines.selection.ledger import Ledger, Support, exact_ratio_order
from selaras.engines.selection.model import SelectionError

__all__ = ["MEASURES", "priority_order", "measure_values", "greedy_fill"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MEASURES = ("approvals", "approvals_per_cost", "score", "score_per_cost")


def measure_values(support: Support, measure: str, scores: FloatArray | None) -> FloatArray:
    """The measure per project as floats (for reasons; ordering is exact)."""
    costs = support.costs.astype(np.float64)
    appr = support.approvals.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "approvals":
            # pabutools, Cost_Sat: total satisfaction / cost; zero for free projects
            return np.where(support.costs > 0, appr, 0.0)
        if measure == "approvals_per_cost":
            return np.where(costs > 0, appr / np.where(costs > 0, costs, 1), np.where(appr > 0, np.inf, 0.0))
        sc = _scores(scores)
        if measure == "score":
            return sc.copy()
        if measure == "score_per_cost":
            return np.where(costs > 0, sc / np.where(costs > 0, costs, 1), np.where(sc > 0, np.inf, 0.0))
    raise SelectionError(f"ukuran tidak dikenal: {measure}")


def _scores(scores: FloatArray | None) -> FloatArray:
    if scores is None:
        raise SelectionError("aturan berdasarkan skor memerlukan skor proyek")
    return scores


def priority_order(support: Support, measure: str, scores: FloatArray | None, idx: IntArray) -> IntArray:
    """`idx` sorted by the measure, highest first; ties by project id (string order)."""
    rank = support.rank
    if measure == "approvals":
        num = np.where(support.costs > 0, support.approvals, 0).astype(np.int64)
        return exact_ratio_order(num, np.ones_like(num), rank, idx)
    if measure == "approvals_per_cost":
        return exact_ratio_order(support.approvals, support.costs, rank, idx)
    val = measure_values(support, measure, scores)[idx]
    return idx[np.lexsort((rank[idx], -val))]


def greedy_fill(
    support: Support,
    ledger: Ledger,
    order: IntArray,
    code: ReasonCode,
    measure: str,
    values: FloatArray,
    keep_reasons: bool = False,
    earlier: Mapping[int, Reason] | None = None,
) -> BoolArray:
    """Take each project of `order` that fits the money left and every ceiling. Returns which
    projects got their reason here (taken or not).

    `keep_reasons`: a project rejected for lack of money keeps the reason it already has, in the
    ledger or in `earlier` (a completion after MES: "its supporters had too little left" explains
    more)."""
    written = np.zeros(len(ledger.is_taken), dtype=np.bool_)
    todo = order[~ledger.is_taken[order]]
    if not len(todo):
        return written
    room = np.asarray([0 if r is None else r for r in ledger.room], dtype=np.int64)
    has_ceiling = np.asarray([r is not None for r in ledger.room], dtype=np.bool_)
    outcome, group, left, last, _ = greedy_pass(
        np.ascontiguousarray(todo, dtype=np.int64), support.costs, ledger.group_ptr,
        ledger.group_idx, room, has_ceiling, np.int64(ledger.remaining),
    )
    cost = ledger.cost
    vals = values.tolist()
    keys = ledger.group_keys
    reasons = ledger.reasons
    kept = earlier if earlier is not None else {}
    todo_l = todo.tolist()
    k = 0
    for p, out, g, money, j in zip(
        todo_l, outcome.tolist(), group.tolist(), left.tolist(), last.tolist(), strict=True
    ):
        v = vals[p]
        before = None if j < 0 else vals[todo_l[j]]
        if out == TAKEN:
            k += 1
            ledger.take(p, Reason(code, {"round": k, "measure": measure, "value": v}))
        elif out == CEILING:
            reasons[p] = Reason(
                ReasonCode.REJECTED_CEILING,
                {"group": keys[g], "remaining": money, "cost": cost[p], "measure": measure,
                 "value": v, "last_selected_value": before},
            )
        elif keep_reasons and (p in reasons or p in kept):
            continue
        else:
            reasons[p] = Reason(
                ReasonCode.REJECTED_BUDGET,
                {"remaining": money, "cost": cost[p], "measure": measure, "value": v,
                 "last_selected_value": before},
            )
        written[p] = True
    return written
