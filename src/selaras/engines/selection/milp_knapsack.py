"""The exact rule's knapsack path: a proof for the usual shape of a district's selection.

Shape: every project is in the budget row and in at most one ceiling row (its agency); other
rows are floors only. Without the floors the model is a budget over independent knapsacks, one
per ceiling (projects without a ceiling form one more, bounded by the budget alone). At a
budget price lam, any selection is worth

    value(x) = L(lam) - sum_a delta_a(x_a) - lam * (budget - cost(x)),

where L(lam) = lam * budget + sum_a K_a, K_a is the best priced value (value - lam * cost) of
group a within its ceiling, and delta_a >= 0 is how far x's part in group a falls short of
K_a. So a selection better than one worth V has every delta_a <= G = L(lam) - V. Each group's
selections with delta_a <= G are listed exactly (`knapsack_kernel.class_states`) and one per
group is picked within the budget (`knapsack_kernel.combine`). If the best pick is worth at
least L - G, it is the maximum without floors; if it also meets every floor, it is the maximum
of the whole model. A first round with a small G gives a good selection V; a second round with
G = L - V then settles it. Values must be whole numbers (`Problem.unit == 1`); everything is
exact int64 (values x 2^k, the price a multiple of 2^-k). When the shape does not fit, a list
grows too large, or a floor is not met, the path returns None and the general search runs.
"""

from __future__ import annotations

import math
import time

import numpy as np
import numpy.typing as npt

from selaras.engines.selection import knapsack_kernel as kernel
from selaras.engines.selection.milp_reduce import Problem

__all__ = ["solve_knapsacks"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MAX_STATES = 2_000_000  # per group list and per combined list
MAX_WORK = 600_000_000  # states handled by all listings together (a few seconds); a count, so
# that the path gives up at the same point on every machine
_FIRST_GAP = 1  # value units of the first round; each next round allows 4x more (or V's gap)
_ROUNDS = 16


def solve_knapsacks(p: Problem, deadline: float) -> tuple[BoolArray, float, dict[str, object]] | None:
    """(selection, its worth, facts) when the knapsack path proves a maximum, else None."""
    group = _ceiling_group(p)
    if group is None or p.unit != 1.0 or p.n == 0:
        return None
    ceiling_rows = sorted({int(r) for r in group.tolist() if r >= 0})
    total = int(p.cost[p.value > 0].sum())
    budget = p.hi[0] if p.hi[0] is not None else total
    caps = [int(h) for r in ceiling_rows if (h := p.hi[r]) is not None]
    members = [np.flatnonzero(group == r) for r in ceiling_rows]
    loose = np.flatnonzero(group < 0)
    if len(loose):
        members.append(loose)
        caps.append(budget)
    value = np.round(p.value).astype(np.int64)
    lam = _lp_price(p, value, members, caps, budget)
    shift = _shift(value, p.cost, lam)
    if shift is None:
        return None
    scale = 1 << shift
    price = int(math.floor(lam * scale))
    q = value * scale - price * p.cost
    groups = [_Group(p.cost[m], q[m], value[m], caps[a]) for a, m in enumerate(members)]
    gap = _FIRST_GAP * scale
    work = MAX_WORK
    for round_no in range(1, _ROUNDS + 1):
        lists: list[_States] = []
        for g in groups:
            if time.perf_counter() > deadline:
                return None
            listed = g.states(gap, work)
            if listed is None:
                return None
            work -= listed.work
            lists.append(listed)
        bound = price * budget + sum(s.best for s in lists)  # L(lam) x scale, exact
        ptr = np.concatenate([[0], np.cumsum([len(s.w) for s in lists])]).astype(np.int64)
        status, best, chosen = kernel.combine(
            ptr,
            np.concatenate([s.w for s in lists]),
            np.concatenate([s.v for s in lists]),
            np.concatenate([s.best - s.q for s in lists]),
            np.int64(budget),
            np.int64(gap),
            np.int64(price),
            MAX_STATES,
        )
        if status != kernel.OK:
            return None
        if best >= 0 and best * scale >= bound - gap:
            x = np.zeros(p.n, dtype=bool)
            for a, s in enumerate(lists):
                x[members[a][s.items(int(chosen[a]) - int(ptr[a]))]] = True
            if p.violations(x):
                return None  # a floor is not met: the general search decides
            facts: dict[str, object] = {
                "method": "knapsack",
                "knapsack_rounds": round_no,
                "knapsack_states": int(ptr[-1]),
                "lp_bound": bound / scale,
            }
            return x, p.worth(x), facts
        gap = min(gap * 4, bound - best * scale) if best >= 0 else gap * 4
    return None


class _Group:
    """One ceiling group: its projects by efficiency q/cost, highest first (ties by position)."""

    def __init__(self, cost: IntArray, q: IntArray, value: IntArray, cap: int) -> None:
        with np.errstate(divide="ignore", invalid="ignore"):
            eff = np.where(cost > 0, q / np.maximum(cost, 1), np.where(q > 0, np.inf, -np.inf))
        self.order = np.lexsort((np.arange(len(cost)), -eff)).astype(np.int64)
        self.cost, self.q, self.value = cost[self.order], q[self.order], value[self.order]
        self.eff = eff[self.order].astype(np.float64)
        self.cap = cap

    def states(self, gap: int, work: int) -> _States | None:
        """The group's Pareto selections within `gap` of its best, or None past `work`."""
        status, used, brk, best, w, v, qq, sid, parent, item = kernel.class_states(
            self.cost, self.q, self.value, self.eff, np.int64(self.cap), np.int64(gap), MAX_STATES,
            np.int64(max(0, work)),
        )
        if status != kernel.OK:
            return None
        keep = (qq >= best - gap) & (w <= self.cap)
        w, v, qq, sid = w[keep], v[keep], qq[keep], sid[keep]
        o = np.lexsort((-v, w))  # by cost, then value highest first: keep the Pareto ones
        w, v, qq, sid = w[o], v[o], qq[o], sid[o]
        front = v > np.concatenate([[np.iinfo(np.int64).min], np.maximum.accumulate(v)[:-1]])
        return _States(self.order, int(brk), int(best), w[front], v[front], qq[front], sid[front],
                       parent, item, int(used))


class _States:
    """A group's listed selections: costs, values and priced values (Pareto by cost)."""

    def __init__(self, order: IntArray, brk: int, best: int, w: IntArray, v: IntArray, q: IntArray,
                 sid: IntArray, parent: IntArray, item: IntArray, work: int) -> None:
        self.order, self.brk, self.best = order, brk, best
        self.w, self.v, self.q, self.sid = w, v, q, sid
        self.parent, self.item, self.work = parent, item, work

    def items(self, entry: int) -> IntArray:
        """Member positions (in the group) of the selection listed at `entry`."""
        on = np.zeros(len(self.order), dtype=bool)
        on[: self.brk] = True
        node = int(self.sid[entry])
        while node >= 0:
            j = int(self.item[node])
            on[j] = not on[j]
            node = int(self.parent[node])
        return self.order[on]


def _ceiling_group(p: Problem) -> IntArray | None:
    """The one ceiling row of each column besides the budget (-1: none); None if a column has two,
    or if the budget row is not row 0 of every column."""
    is_cap = np.asarray([r > 0 and h is not None for r, h in enumerate(p.hi)], dtype=bool)
    on = is_cap[p.rows]
    per_col = np.bincount(p.entry_col[on], minlength=p.n)
    if per_col.max(initial=0) > 1:
        return None
    if np.count_nonzero(p.rows == 0) != p.n:
        return None
    group = np.full(p.n, -1, dtype=np.int64)
    group[p.entry_col[on]] = p.rows[on]
    return group


def _lp_price(p: Problem, value: IntArray, members: list[IntArray], caps: list[int], budget: int) -> float:
    """The budget row's price in the LP relaxation without floors (bisection on the price)."""
    cost = p.cost
    group = np.full(p.n, -1, dtype=np.int64)
    for a, m in enumerate(members):
        group[m] = a
    pos = (cost > 0) & (value > 0)
    eff = np.zeros(p.n)
    eff[pos] = value[pos] / cost[pos]
    cap_arr = np.asarray(caps, dtype=np.float64)

    def used(lam: float) -> float:
        want = pos & (eff > lam)
        per = np.bincount(group[want], weights=cost[want].astype(np.float64), minlength=len(caps))
        return float(np.minimum(per, cap_arr).sum())

    if used(0.0) <= budget:
        return 0.0
    lo, hi = 0.0, float(eff.max(initial=0.0))
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if used(mid) > budget:
            lo = mid
        else:
            hi = mid
    return hi


def _shift(value: IntArray, cost: IntArray, lam: float) -> int | None:
    """The largest k <= 16 with every sum of |value| x 2^k + price x cost below 2^62."""
    size = float(np.abs(value).sum()) + lam * float(cost.sum()) + 1.0
    for k in range(16, -1, -1):
        if size * 2.0**k < 2.0**61:
            return k
    return None
