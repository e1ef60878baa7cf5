"""Exact maximum-value selection under the budget, every ceiling and every floor (HiGHS MILP).

What is proven. Values (scores, or supporters) that are whole numbers after ×10^k for some
k <= 6 (scores with at most k decimals) are solved as integers in units of 10^-k; status
"Optimal" then means: no selection within the budget, the ceilings and the floors is worth one
unit (0.01 for two-decimal scores) more than the one returned, so it is a maximum (HiGHS's own
bound is held to half a unit, the rest is room for its floating-point tolerances). Other values
are solved as floats: "Optimal" then means no selection is better by more than 1e-6 (absolute).
With `mip_rel_gap` > 0 the claim is weakened to that relative gap. `MilpOutcome.proof` says
which claim holds; without "Optimal" the best selection found is returned with its gap.

How. Mandatory projects are constants: the budget and ceilings bind what remains of them (never
below zero), floors what they leave open. Money is divided by the costs' common divisor, exactly.
1. LP prices by sifting (`milp_reduce.lp_prices`): the budget/ceiling/floor prices y of the LP
   relaxation. For any prices, U(y) = sum y_r b_r + sum_i max(0, d_i), with d_i the value of
   project i minus its cost times the prices of its rows, bounds every selection, and one that
   disagrees with [d_i > 0] on project i is worth at most U(y) - |d_i|. U and d are computed in
   floats with a proven error margin.
2. A greedy start within every bound (floors first, then by d).
3. Reduced-cost fixing: a project with |d_i| > U - best + margin cannot be in a better
   selection otherwise than as [d_i > 0], so it is fixed there; HiGHS solves the rest with the
   start. The answer is proven when HiGHS's bound and U - min |d| of the fixed projects both lie
   below the best value plus one unit; otherwise the window grows with the better incumbent.
Floors that cannot all be met (the LP or the MILP is infeasible): a first solve finds the least
total shortfall, the second maximises the value with at most that shortfall (both on the whole
model). Rounded answers are re-checked in exact integers; a row HiGHS met only within its
tolerance is tightened by the excess and solved again. Everything runs in project-id order,
single-threaded, with a fixed seed: the same answer across runs and input orders.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from selaras.engines.selection.ledger import Ledger
from selaras.engines.selection.milp_reduce import (
    Problem,
    budget_price,
    greedy_start,
    lagrangian,
    lp_prices,
    new_highs,
    set_matrix,
    solve_window,
)

__all__ = ["MilpOutcome", "solve_max_value"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

WINDOW = 500  # most columns left free in the first HiGHS run after fixing


@dataclass(frozen=True)
class MilpOutcome:
    """Chosen project indices plus solver facts for the result details."""

    chosen: list[int]
    status: str
    objective: float
    gap: float
    floor_relaxed: bool
    proof: str = ""
    facts: dict[str, object] = field(default_factory=dict)

    def details(self) -> dict[str, object]:
        """Everything for `SelectionResult.details` (JSON-ready)."""
        return {
            "solver_status": self.status,
            "objective": self.objective,
            "mip_gap": self.gap,
            "floors_relaxed": self.floor_relaxed,
            "proof": self.proof,
            **self.facts,
        }


@dataclass
class _Solved:
    status: str
    x: BoolArray | None
    worth: float  # units, free columns only
    upper: float  # units, bound on the free columns' worth
    facts: dict[str, object] = field(default_factory=dict)


def solve_max_value(
    ledger: Ledger,
    idx: IntArray,
    values: FloatArray,
    budget: int,
    ceilings: list[int | None],
    floors: list[int | None],
    forced: IntArray,
    rank: IntArray,
    time_limit: float = 60.0,
    mip_rel_gap: float = 0.0,
) -> MilpOutcome:
    """Maximise sum(values[p]) over p in idx (forced ones always in)."""
    deadline = time.perf_counter() + float(time_limit)
    order = idx[np.argsort(rank[idx], kind="stable")]
    forced_set = set(forced.tolist())
    scale, unit = _scale(values[order])
    units = _units(values, scale, unit)
    cols = np.asarray([p for p in order.tolist() if p not in forced_set], dtype=np.int64)
    fixed = np.asarray(sorted(forced_set & set(order.tolist())), dtype=np.int64)
    prob = _problem(ledger, cols, units, budget, ceilings, floors, fixed, unit)
    base = math.fsum(units[fixed].tolist())

    relaxed = False
    solved = None if _floors_impossible(prob) else _solve_fast(prob, deadline, mip_rel_gap)
    if solved is None or solved.status == "Infeasible":
        solved, relaxed = _solve_relaxed(prob, deadline, mip_rel_gap)
    x = solved.x if solved.x is not None else np.zeros(prob.n, dtype=bool)
    chosen = sorted(forced_set) + cols[x].tolist()
    best = base + solved.worth if solved.x is not None else -math.inf
    upper = base + solved.upper
    if unit == 1.0 and math.isfinite(upper):
        upper = math.floor(upper + 1e-9 * max(1.0, abs(upper)))
    gap = max(0.0, upper - best) / max(1.0, abs(best)) if math.isfinite(best) else math.inf
    return MilpOutcome(
        chosen=chosen,
        status=solved.status,
        objective=best / scale,
        gap=gap,
        floor_relaxed=relaxed,
        proof=_proof(solved.status, scale, unit, mip_rel_gap, relaxed),
        facts={
            "objective_scale": scale,
            "upper_bound": upper / scale,
            **_in_scale(solved, base, scale),
        },
    )


def _in_scale(solved: _Solved, base: float, scale: float) -> dict[str, object]:
    """Solver facts, with the bounds and values in the values' own scale (mandatory included)."""
    out = dict(solved.facts)
    for key in ("lp_bound", "start"):
        v = out.get(key)
        if isinstance(v, float):
            out[key] = (base + v) / scale if math.isfinite(v) else None
    return out


def _scale(v: FloatArray) -> tuple[float, float]:
    """(10^k, 1.0) if every value ×10^k is a whole number (k <= 6), else (1.0, 1e-6)."""
    for k in range(7):
        s = 10.0**k
        u = np.round(v * s)
        close = np.abs(v * s - u) <= 1e-9 * np.maximum(1.0, np.abs(u))
        if bool(np.all(close)) and float(np.sum(np.abs(u))) < 2.0**52:
            return s, 1.0
    return 1.0, 1e-6


def _units(values: FloatArray, scale: float, unit: float) -> FloatArray:
    return np.round(values * scale) if unit == 1.0 else values.astype(np.float64)


def _problem(
    ledger: Ledger,
    cols: IntArray,
    units: FloatArray,
    budget: int,
    ceilings: list[int | None],
    floors: list[int | None],
    fixed: IntArray,
    unit: float,
) -> Problem:
    """Rows: the budget, then each group with a ceiling or floor (by key); mandatory projects
    are constants. Money is divided by the common divisor of the free projects' costs."""
    cost = ledger.cost
    groups = sorted(
        (g for g in range(len(ceilings)) if ceilings[g] is not None or floors[g] is not None),
        key=lambda g: (ledger.group_keys[g], g),
    )
    spent = [0] * len(ceilings)
    for p in fixed.tolist():
        for g in ledger.groups_of[p]:
            spent[g] += cost[p]
    lo: list[int | None] = [None]
    hi: list[int | None] = [max(0, budget - sum(cost[p] for p in fixed.tolist()))]
    row_of: dict[int, int] = {}
    for g in groups:
        ceiling, floor = ceilings[g], floors[g]
        need = None if floor is None or floor - spent[g] <= 0 else floor - spent[g]
        if ceiling is None and need is None:
            continue
        row_of[g] = len(hi)
        lo.append(need)
        hi.append(None if ceiling is None else max(0, ceiling - spent[g]))
    c = np.asarray([cost[p] for p in cols.tolist()], dtype=np.int64)
    div = int(np.gcd.reduce(c)) if len(c) else 0
    div = div if div > 0 else 1
    # rows of each column: the budget, then its groups' rows in row order
    group_row = np.full(len(ceilings) + 1, -1, dtype=np.int64)
    for g, r in row_of.items():
        group_row[g] = r
    groups_of = ledger.groups_of
    counts = np.fromiter((len(groups_of[p]) for p in cols.tolist()), np.int64, len(cols))
    flat = np.fromiter(itertools.chain.from_iterable(groups_of[p] for p in cols.tolist()), np.int64)
    col = np.concatenate([np.arange(len(cols)), np.repeat(np.arange(len(cols)), counts)])
    row = np.concatenate([np.zeros(len(cols), np.int64), group_row[flat]])
    col, row = col[row >= 0], row[row >= 0]
    o = np.lexsort((row, col))
    ptr = np.concatenate([[0], np.cumsum(np.bincount(col, minlength=len(cols)))])
    return Problem(
        cost=c // div,
        value=units[cols],
        ptr=ptr.astype(np.int64),
        rows=row[o],
        lo=[None if b is None else -(-b // div) for b in lo],
        hi=[None if b is None else b // div for b in hi],
        unit=unit,
    )


def _floors_impossible(p: Problem) -> bool:
    """A floor above its ceiling, or above everything its row could hold."""
    room = np.bincount(p.rows, weights=p.cost[p.entry_col].astype(np.float64), minlength=p.n_rows)
    for r in range(p.n_rows):
        lo, hi = p.lo[r], p.hi[r]
        if lo is not None and ((hi is not None and lo > hi) or lo > room[r]):
            return True
    return False


def _solve_fast(p: Problem, deadline: float, rel_gap: float) -> _Solved | None:
    """LP prices, greedy start, reduced-cost fixing, HiGHS on what is left (see module doc).
    None if the LP relaxation looks infeasible."""
    if p.n == 0:
        return _Solved("Optimal", np.zeros(0, dtype=bool), 0.0, 0.0)
    y = budget_price(p)
    first = greedy_start(p, lagrangian(p, y).d)
    y, feasible = lp_prices(p, y, first, deadline)
    if not feasible:
        return None
    b = lagrangian(p, y)
    absd = np.abs(b.d)
    best_x, best = first, p.worth(first) if first is not None else -math.inf
    again = greedy_start(p, b.d)
    if again is not None and (best_x is None or p.worth(again) > best):
        best_x, best = again, p.worth(again)
    facts: dict[str, object] = {"lp_bound": b.upper, "start": best}
    upper = b.upper + b.margin  # the least valid bound so far
    free_all = False
    for rounds in range(1, 6):
        left = deadline - time.perf_counter()
        if left <= 0:
            break
        if free_all:
            keep = np.ones(p.n, dtype=bool)
        elif best_x is None:
            keep = absd <= np.sort(absd)[min(WINDOW, p.n) - 1]
        else:
            keep = absd <= b.upper - best + b.margin
        capped = rounds == 1 and int(keep.sum()) > WINDOW
        if capped:  # a first look at the most promising columns, for a better incumbent
            keep = np.zeros(p.n, dtype=bool)
            keep[np.argsort(absd, kind="stable")[:WINDOW]] = True
        cols = np.flatnonzero(keep)
        ones = (b.d > 0) & ~keep
        start = best_x
        if start is not None and not np.array_equal(start[~keep], ones[~keep]):
            start = None
        run = solve_window(p, cols, ones, start, left / 2 if capped else left, rel_gap)
        outside = b.upper - float(absd[~keep].min()) + b.margin if (~keep).any() else -math.inf
        facts.update({"window": len(cols), "fixed": p.n - len(cols), "rounds": rounds})
        if run.x is not None and run.worth > best:
            best_x, best = run.x, run.worth
        if run.status == "Infeasible":
            if best_x is not None and outside < best + p.unit:
                return _Solved("Optimal", best_x, best, max(best, outside), facts)
            if not (~keep).any():
                return _Solved("Infeasible", None, -math.inf, -math.inf, facts)
            free_all = True
            continue
        upper = min(upper, max(run.bound, outside))
        if best_x is not None and _proven(best, upper, p.unit, rel_gap):
            return _Solved("Optimal", best_x, best, max(best, upper), facts)
        if run.status != "Optimal" and not capped:
            return _Solved(run.status, best_x, best, max(upper, best), facts)
    return _Solved("Time limit reached", best_x, best, max(upper, best), facts)


def _proven(best: float, upper: float, unit: float, rel_gap: float) -> bool:
    if upper < best + unit:
        return True
    return rel_gap > 0 and upper - best <= rel_gap * max(1.0, abs(best))


def _solve_relaxed(p: Problem, deadline: float, rel_gap: float) -> tuple[_Solved, bool]:
    """Least total floor shortfall, then the maximum value with at most that shortfall."""
    floor_rows = [r for r in range(p.n_rows) if p.lo[r] is not None]
    x1, status1, _ = _relaxed_run(p, floor_rows, None, deadline, rel_gap, None)
    if x1 is None:
        return _Solved(status1, None, -math.inf, math.inf), True
    short = _shortfall(p, floor_rows, x1)
    x2, status, bound = _relaxed_run(p, floor_rows, short, deadline, rel_gap, x1)
    if x2 is None:
        x2, status, bound = x1, "Time limit reached", math.inf
    if status1 != "Optimal":
        status = status1  # the shortfall itself is not proven least
    facts: dict[str, object] = {"floor_shortfall_total": short, "shortfall_status": status1}
    worth = p.worth(x2)
    return _Solved(status, x2, worth, max(worth, bound), facts), short > 0


def _shortfall(p: Problem, floor_rows: list[int], x: BoolArray) -> int:
    act = p.activity(x)
    return sum(max(0, lo - act[r]) for r in floor_rows if (lo := p.lo[r]) is not None)


def _relaxed_run(
    p: Problem,
    floor_rows: list[int],
    cap: int | None,
    deadline: float,
    rel_gap: float,
    start: BoolArray | None,
) -> tuple[BoolArray | None, str, float]:
    """The whole model with a shortfall s_j >= 0 per floor row j: the floor goes to a row of its
    own (a x + s_j >= floor), so a ceiling below a floor stays feasible. Minimise sum s (cap
    None), or maximise the value with sum s <= cap. Returns (x, status, HiGHS's bound)."""
    import highspy

    n, k, nr = p.n, len(floor_rows), p.n_rows
    inf = highspy.kHighsInf
    copy = np.full(nr, -1, dtype=np.int64)
    copy[floor_rows] = nr + np.arange(k)
    twin = copy[p.rows] >= 0
    col = np.concatenate([p.entry_col, p.entry_col[twin], n + np.arange(k)])
    row = np.concatenate([p.rows, copy[p.rows][twin], nr + np.arange(k)])
    val = np.concatenate([p.cost[p.entry_col], p.cost[p.entry_col][twin], np.ones(k, np.int64)])
    if cap is not None:
        col = np.concatenate([col, n + np.arange(k)])
        row = np.concatenate([row, np.full(k, nr + k)])
        val = np.concatenate([val, np.ones(k, np.int64)])
    o = np.lexsort((row, col))
    starts = np.concatenate([[0], np.cumsum(np.bincount(col, minlength=n + k))])
    lp = highspy.HighsLp()
    lp.num_col_ = n + k
    lp.num_row_ = nr + k + (1 if cap is not None else 0)
    lp.sense_ = highspy.ObjSense.kMinimize if cap is None else highspy.ObjSense.kMaximize
    obj = [np.zeros(n), np.ones(k)] if cap is None else [p.value, np.zeros(k)]
    lp.col_cost_ = np.concatenate(obj)
    lp.col_lower_ = np.zeros(n + k)
    lp.col_upper_ = np.concatenate([np.ones(n), np.full(k, inf)])
    lower = [-inf] * nr + [float(b) for r in floor_rows if (b := p.lo[r]) is not None]
    upper = [inf if b is None else float(b) for b in p.hi] + [inf] * k
    if cap is not None:
        lower.append(-inf)
        upper.append(float(cap))
    lp.row_lower_ = np.asarray(lower)
    lp.row_upper_ = np.asarray(upper)
    set_matrix(lp, starts, row[o], val[o].astype(np.float64))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [highspy.HighsVarType.kContinuous] * k
    h = new_highs()
    h.setOptionValue("time_limit", max(0.0, deadline - time.perf_counter()))
    h.setOptionValue("mip_rel_gap", float(rel_gap) if cap is not None else 0.0)
    h.setOptionValue("mip_abs_gap", 0.5 if cap is None or p.unit == 1.0 else 1e-6)
    h.passModel(lp)
    if start is not None:
        act = p.activity(start)
        sol = highspy.HighsSolution()
        lack = [float(max(0, b - act[r])) for r in floor_rows if (b := p.lo[r]) is not None]
        sol.col_value = start.astype(np.float64).tolist() + lack
        sol.value_valid = True
        h.setSolution(sol)
    for _ in range(4):
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        sol = h.getSolution()
        if not sol.value_valid:
            return None, status, math.inf
        x = np.asarray(sol.col_value[:n]) > 0.5
        act = p.activity(x)
        tighten = False
        for r in range(nr):
            hi = p.hi[r]
            if hi is not None and act[r] > hi:
                h.changeRowBounds(r, -inf, float(hi - (act[r] - hi)))
                tighten = True
        if cap is not None and (short := _shortfall(p, floor_rows, x)) > cap:
            h.changeRowBounds(nr + k, -inf, float(cap - (short - cap)))
            tighten = True
        if not tighten:
            return x, status, float(h.getInfo().mip_dual_bound)
    return None, "Numerical error", math.inf


def _proof(status: str, scale: float, unit: float, rel_gap: float, relaxed: bool) -> str:
    if status != "Optimal":
        return "not proven: the best selection found; see mip_gap and upper_bound"
    limits = (
        "within the budget and the ceilings, with the least total floor shortfall (proven least)"
        if relaxed
        else "within the budget, the ceilings and the floors"
    )
    if rel_gap > 0:
        return f"{limits}, no selection is worth more than {rel_gap:g} (relative) more"
    if unit == 1.0:
        return (
            f"values x{scale:g} are whole numbers; {limits}, no selection is worth "
            f"{1 / scale:g} more: a proven maximum"
        )
    return f"{limits}, no selection is worth more than 1e-6 more: a maximum to 1e-6 (absolute)"
