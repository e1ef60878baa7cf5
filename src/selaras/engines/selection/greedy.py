"""Greedy rules: take projects in order of a measure, skipping what does not fit."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason, ReasonCode
from selaras.engines.selection.ledger import Ledger, Support, exact_ratio_order
from selaras.engines.selection.model import SelectionError

__all__ = ["MEASURES", "priority_order", "measure_values", "greedy_fill"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

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
) -> None:
    """Take each project of `order` that fits the money left and every ceiling.

    `keep_reasons`: a project rejected for lack of money keeps the reason it already has (a
    completion after MES: "its supporters had too little left" explains more)."""
    k = 0
    last: float | None = None
    todo = [p for p in order.tolist() if not ledger.is_taken[p]]
    if not todo:
        return
    cost = ledger.cost
    # once the money left is below every remaining cost, the rest is rejected in one sweep
    suffix_min = np.minimum.accumulate(np.asarray([cost[p] for p in todo], dtype=np.int64)[::-1])[::-1].tolist()
    vals = values.tolist()
    reasons = ledger.reasons
    groups_of, room, keys = ledger.groups_of, ledger.room, ledger.group_keys
    for i, p in enumerate(todo):
        if ledger.remaining < suffix_min[i]:
            for q in todo[i:]:
                if keep_reasons and q in reasons:
                    continue
                reasons[q] = Reason(
                    ReasonCode.REJECTED_BUDGET,
                    {"remaining": ledger.remaining, "cost": cost[q], "measure": measure,
                     "value": vals[q], "last_selected_value": last},
                )
            return
        c = cost[p]
        v = vals[p]
        full = -1  # the first ceiling p does not fit under (as `Ledger.blocker`, inlined: hot loop)
        for g in groups_of[p]:
            r = room[g]
            if r is not None and c > r:
                full = g
                break
        if full >= 0:
            reasons[p] = Reason(
                ReasonCode.REJECTED_CEILING,
                {"group": keys[full], "remaining": room[full], "cost": c, "measure": measure,
                 "value": v, "last_selected_value": last},
            )
        elif c > ledger.remaining:
            if not (keep_reasons and p in reasons):
                reasons[p] = Reason(
                    ReasonCode.REJECTED_BUDGET,
                    {"remaining": ledger.remaining, "cost": c, "measure": measure, "value": v,
                     "last_selected_value": last},
                )
        else:
            k += 1
            last = v
            ledger.take(p, Reason(code, {"round": k, "measure": measure, "value": v}))
