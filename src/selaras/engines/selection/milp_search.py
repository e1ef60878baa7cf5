"""The search of the exact rule (see `milp`): fixing rounds around HiGHS, and the two phases
used when floors cannot all be met."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from selaras.engines.selection.milp_reduce import (
    Problem,
    budget_price,
    greedy_start,
    lagrangian,
    lp_prices,
    new_highs,
    set_matrix,
    set_start,
    solve_window,
)

__all__ = [
    "MAX_COLUMNS",
    "NOT_PROVEN",
    "TOO_LARGE",
    "WINDOW",
    "Solved",
    "solve_fast",
    "solve_relaxed",
]

BoolArray = npt.NDArray[np.bool_]

WINDOW = 500  # most columns left free in the first HiGHS run after fixing
MAX_COLUMNS = 40_000  # larger windows are not given to HiGHS (its root work ignores time limits)
TOO_LARGE = "Not proven: too many undecided projects"
NOT_PROVEN = "Not proven: rounds exhausted"


@dataclass
class Solved:
    status: str
    x: BoolArray | None
    worth: float  # units, free columns only
    upper: float  # units, bound on the free columns' worth
    facts: dict[str, object] = field(default_factory=dict)


def solve_fast(
    p: Problem, deadline: float, rel_gap: float, start: BoolArray | None = None
) -> Solved | None:
    """LP prices, greedy start, reduced-cost fixing, HiGHS on what is left (see module doc).
    `start`: a selection within every bound, if known. None if the LP looks infeasible."""
    if p.n == 0:
        return Solved("Optimal", np.zeros(0, dtype=bool), 0.0, 0.0)
    y = budget_price(p)
    first = greedy_start(p, lagrangian(p, y).d)
    if start is not None and p.violations(start):
        start = None
    if first is None or (start is not None and p.worth(start) > p.worth(first)):
        first = start
    y, feasible = lp_prices(p, y, first, deadline)
    if not feasible and first is None:  # a start proves the LP feasible
        return None
    b = lagrangian(p, y)
    absd = np.abs(b.d)
    pool = [x for x in (first, greedy_start(p, b.d)) if x is not None]  # selections in bounds
    pool.sort(key=p.worth, reverse=True)
    best_x, best = (pool[0], p.worth(pool[0])) if pool else (None, -math.inf)
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
        if len(cols) > MAX_COLUMNS:  # HiGHS cannot be stopped in time on such models
            if best_x is not None:
                best_x, best = _improve(p, b.d, best_x, deadline, rel_gap)
            return Solved(TOO_LARGE, best_x, best, max(upper, best), facts)
        sign = b.d > 0
        if capped and best_x is not None:
            # where d = 0 the sign says nothing: keep the best; and free every column where the
            # best selection still disagrees, so that the run starts from it
            hold = np.where(b.d == 0, best_x, sign)
            keep |= best_x != hold
            cols = np.flatnonzero(keep)
        ones = sign & ~keep
        if capped and best_x is not None:
            ones |= best_x & (b.d == 0) & ~keep
        fits = [x for x in pool if np.array_equal(x[~keep], ones[~keep])]
        start = fits[0] if fits else None  # the best selection that agrees with the fixing
        run = solve_window(p, cols, ones, start, left / 4 if capped else left, rel_gap)
        # a better selection differs from the fixed values on some column outside: by the
        # Lagrangian bound it is then worth at most U - |d| (U where fixed against the sign)
        out = ~keep
        outside = -math.inf
        if out.any():
            dev = np.where(ones[out] == sign[out], absd[out], 0.0)
            outside = b.upper - float(dev.min()) + b.margin
        facts.update({"window": len(cols), "fixed": p.n - len(cols), "rounds": rounds})
        if run.x is not None:
            pool = sorted([*pool, run.x], key=p.worth, reverse=True)
            best_x, best = pool[0], p.worth(pool[0])
        if run.status == "Infeasible":
            if best_x is not None and outside < best + p.unit:
                return Solved("Optimal", best_x, best, max(best, outside), facts)
            if not (~keep).any():
                return Solved("Infeasible", None, -math.inf, -math.inf, facts)
            free_all = True
            continue
        upper = min(upper, max(run.bound, outside))
        if best_x is not None and _proven(best, upper, p.unit, rel_gap):
            return Solved("Optimal", best_x, best, max(best, upper), facts)
        if run.status != "Optimal" and not capped:
            return Solved(run.status, best_x, best, max(upper, best), facts)
    status = "Time limit reached" if time.perf_counter() >= deadline else NOT_PROVEN
    return Solved(status, best_x, best, max(upper, best), facts)


def _improve(
    p: Problem, d: npt.NDArray[np.float64], best_x: BoolArray, deadline: float, rel_gap: float
) -> tuple[BoolArray, float]:
    """The undecided part is too large for a proof: spend the time left on a better selection.
    HiGHS re-solves growing windows (the columns of smallest |d|, and every column where the best
    selection disagrees with the sign of d), every other column held at the best selection, so
    each run starts from it and can only improve it."""
    best = p.worth(best_x)
    by_absd = np.argsort(np.abs(d), kind="stable")
    size = 4 * WINDOW
    while size <= MAX_COLUMNS:
        left = deadline - time.perf_counter()
        if left <= 1.0:
            break
        keep = best_x != (d > 0)
        keep[by_absd[:size]] = True
        cols = np.flatnonzero(keep)
        run = solve_window(p, cols, best_x & ~keep, best_x, left / 2, rel_gap)
        if run.x is not None and run.worth > best:
            best_x, best = run.x, run.worth
        size *= 4
    return best_x, best


def _proven(best: float, upper: float, unit: float, rel_gap: float) -> bool:
    if upper < best + unit:
        return True
    return rel_gap > 0 and upper - best <= rel_gap * max(1.0, abs(best))


def solve_relaxed(p: Problem, deadline: float, rel_gap: float) -> tuple[Solved, bool]:
    """Least total floor shortfall, then the maximum value with at most that shortfall.

    Phase one writes the shortfall of floor j in binary, by extra 0/1 columns of cost 2^k in a
    copy of the floor row (a x + s_j >= floor; the copy leaves the ceilings alone): exact for
    whole money, and the model keeps its one-cost-per-column form, so fixing applies. Phase two
    is the whole model with a continuous shortfall per floor, started from phase one.
    """
    n = p.n
    floor_rows = [r for r in range(p.n_rows) if p.lo[r] is not None]
    first = _relax(p, floor_rows)
    zero = np.zeros(n, dtype=bool)
    left = deadline - time.perf_counter()
    s1 = solve_fast(first, deadline - left / 2, 0.0, _with_bits(p, first, floor_rows, zero))
    if s1 is None or s1.x is None:
        return Solved("Infeasible" if s1 is None else s1.status, None, -math.inf, math.inf), True
    x1 = s1.x[:n]
    short = _shortfall(p, floor_rows, x1)
    # a good selection fast: every floor held to what phase one reached there (a restriction)
    act = p.activity(x1)
    held = Problem(
        p.cost,
        p.value,
        p.ptr,
        p.rows,
        [None if b is None else min(b, act[r]) for r, b in enumerate(p.lo)],
        p.hi,
        p.unit,
    )
    left = deadline - time.perf_counter()
    s2 = solve_fast(held, deadline - left / 2, rel_gap, x1)
    x2 = s2.x if s2 is not None and s2.x is not None else x1
    status, bound = TOO_LARGE, math.inf
    if n <= MAX_COLUMNS:  # the exact phase two on the whole model
        x3, status, bound = _relaxed_run(p, floor_rows, short, deadline, rel_gap, x2)
        if x3 is not None and p.worth(x3) >= p.worth(x2):
            x2 = x3
        elif x3 is None:
            status, bound = "Time limit reached", math.inf
    if s1.status != "Optimal":
        status = s1.status  # the shortfall itself is not proven least
    facts: dict[str, object] = {"floor_shortfall_total": short, "shortfall_status": s1.status}
    worth = p.worth(x2)
    return Solved(status, x2, worth, max(worth, bound), facts), short > 0


def _relax(p: Problem, floor_rows: list[int]) -> Problem:
    """Phase one of `solve_relaxed`: worth minus the total shortfall, floors moved to copies
    that also take the shortfall bits."""
    n, nr, k = p.n, p.n_rows, len(floor_rows)
    bits = [max(1, int(b).bit_length()) for r in floor_rows if (b := p.lo[r]) is not None]
    copy = np.full(nr, -1, dtype=np.int64)
    copy[floor_rows] = nr + np.arange(k)
    twin = copy[p.rows] >= 0
    owner = np.repeat(np.arange(k), bits)  # floor of each bit column
    power = np.concatenate([np.arange(b) for b in bits]).astype(np.int64) if k else owner
    n_bits = len(owner)
    c = np.concatenate([p.entry_col, p.entry_col[twin], n + np.arange(n_bits)])
    r = np.concatenate([p.rows, copy[p.rows][twin], nr + owner])
    o = np.lexsort((r, c))
    ptr = np.concatenate([[0], np.cumsum(np.bincount(c, minlength=n + n_bits))])
    size = (np.int64(1) << power).astype(np.int64)
    lo: list[int | None] = [None] * nr
    hi: list[int | None] = [*p.hi, *([None] * k)]
    return Problem(
        cost=np.concatenate([p.cost, size]),
        value=np.concatenate([np.zeros(n), -size.astype(np.float64)]),
        ptr=ptr.astype(np.int64),
        rows=r[o],
        lo=lo + [p.lo[j] for j in floor_rows],
        hi=hi,
        unit=1.0,
    )


def _with_bits(p: Problem, q: Problem, floor_rows: list[int], x: BoolArray) -> BoolArray:
    """x (a selection of p) with the bits of each floor's exact shortfall set, as a column of q."""
    act = p.activity(x)
    out = [x]
    for r in floor_rows:
        lo = p.lo[r]
        assert lo is not None
        need = max(0, lo - act[r])
        width = max(1, lo.bit_length())
        out.append(np.asarray([(need >> i) & 1 for i in range(width)], dtype=bool))
    full = np.concatenate(out)
    assert len(full) == q.n
    return full


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
    h.setOptionValue("mip_abs_gap", 0.5 if cap is None else 0.5 * p.unit)
    h.passModel(lp)
    if start is not None:
        act = p.activity(start)
        lack = [float(max(0, b - act[r])) for r in floor_rows if (b := p.lo[r]) is not None]
        set_start(h, start.astype(np.float64).tolist() + lack)
    for _ in range(4):
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        sol = h.getSolution()
        if not sol.value_valid:
            return None, status, math.inf
        x = np.asarray(sol.col_value[:n]) > 0.5
        found = float(np.dot(lp.col_cost_, np.asarray(sol.col_value)))
        if start is not None and abs(found - h.getInfo().objective_function_value) > 0.5 * p.unit:
            return _relaxed_run(p, floor_rows, cap, deadline, rel_gap, None)  # see solve_window
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
