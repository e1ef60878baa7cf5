"""Pieces of the exact rule (see `milp`): the binary model, its Lagrangian bound, the LP prices
found by sifting, a greedy start, and HiGHS runs on a window of columns.

`Problem` is max value·x subject to lo <= A x <= hi, x binary, where column i puts its cost in
each of its rows (row 0 is the budget). Every multiplier vector y (y_r >= 0 on an upper bound,
<= 0 on a lower bound) gives the bound U(y) = sum_r y_r b_r + sum_i max(0, d_i), with reduced
values d_i = value_i - cost_i * sum_{r of i} y_r; a selection with x_i != [d_i > 0] is worth at
most U(y) - |d_i| (weak duality, no optimality of y needed). Floats are only used with a proven
error margin (`Bound.margin`).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import highspy

__all__ = [
    "Bound",
    "MipRun",
    "Problem",
    "budget_price",
    "greedy_start",
    "lagrangian",
    "lp_prices",
    "new_highs",
    "set_matrix",
    "set_start",
    "solve_window",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_EPS = float(np.finfo(np.float64).eps)
_SIFT_WINDOW = 3000  # columns in each sifting LP
_SIFT_ROUNDS = 5  # then the whole LP by interior point (see `lp_prices`)


@dataclass
class Problem:
    """max value·x, lo <= A x <= hi, x binary; column i has cost[i] in each of its rows."""

    cost: IntArray  # >= 0, money divided by the common divisor of the costs
    value: FloatArray  # whole numbers when unit == 1
    ptr: IntArray  # rows of column i: rows[ptr[i]:ptr[i + 1]]
    rows: IntArray
    lo: list[int | None]  # exact bounds in the same money; None: no bound
    hi: list[int | None]
    unit: float  # the least gain that counts as better: 1.0 for whole-number values
    entry_col: IntArray = field(init=False)

    def __post_init__(self) -> None:
        self.entry_col = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.ptr))

    @property
    def n(self) -> int:
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        return len(self.hi)

    def lo_f(self) -> FloatArray:
        return np.asarray([-np.inf if b is None else float(b) for b in self.lo])

    def hi_f(self) -> FloatArray:
        return np.asarray([np.inf if b is None else float(b) for b in self.hi])

    def activity(self, x: BoolArray) -> list[int]:
        """Exact row activities (int) of the selection x."""
        act = np.zeros(self.n_rows, dtype=np.int64)
        on = x[self.entry_col]
        np.add.at(act, self.rows[on], self.cost[self.entry_col[on]])
        return [int(a) for a in act.tolist()]

    def violations(self, x: BoolArray, fixed: list[int] | None = None) -> dict[int, int]:
        """Row -> amount by which x (plus `fixed` activity) breaks a bound, in exact integers."""
        act = self.activity(x)
        out: dict[int, int] = {}
        for r, a in enumerate(act):
            a += fixed[r] if fixed is not None else 0
            lo, hi = self.lo[r], self.hi[r]
            if hi is not None and a > hi:
                out[r] = a - hi
            elif lo is not None and a < lo:
                out[r] = a - lo
        return out

    def worth(self, x: BoolArray) -> float:
        return math.fsum(self.value[x].tolist())


@dataclass(frozen=True)
class Bound:
    """U(y) and the reduced values d; |computed - exact| <= margin for U and every U - |d_i|."""

    y: FloatArray
    upper: float
    margin: float
    d: FloatArray


def lagrangian(p: Problem, y: FloatArray) -> Bound:
    """The bound U(y) with a rigorous float error margin; y is first clipped to valid signs."""
    lo, hi = p.lo_f(), p.hi_f()
    y = np.where((y > 0) & np.isfinite(hi), y, np.where((y < 0) & np.isfinite(lo), y, 0.0))
    w = p.cost.astype(np.float64)
    pi = np.bincount(p.entry_col, weights=y[p.rows], minlength=p.n)
    abs_pi = np.bincount(p.entry_col, weights=np.abs(y)[p.rows], minlength=p.n)
    d = p.value - w * pi
    rhs = np.where(y > 0, hi, np.where(y < 0, lo, 0.0))
    yb = np.where(y != 0, y * np.where(np.isfinite(rhs), rhs, 0.0), 0.0)
    upper = math.fsum(yb.tolist()) + math.fsum(np.maximum(d, 0.0).tolist())
    k = int(np.diff(p.ptr).max()) if p.n else 0
    # each d_i: a sum of k products, one product and one difference, each rounded once
    size = math.fsum(np.abs(p.value).tolist()) + math.fsum((w * abs_pi).tolist())
    size += math.fsum(np.abs(yb).tolist())
    margin = 2.0 * (k + 4) * _EPS * size + 4.0 * _EPS * abs(upper) + 1e-9
    return Bound(y=y, upper=upper, margin=margin, d=d)


def budget_price(p: Problem) -> FloatArray:
    """Prices to start from: the budget row's alone (value per money of the last project that
    fits when all are taken by value per money)."""
    y = np.zeros(p.n_rows)
    budget = p.hi[0]
    pos = np.flatnonzero((p.cost > 0) & (p.value > 0))
    if budget is None or len(pos) == 0:
        return y
    ratio = p.value[pos] / p.cost[pos]
    order = pos[np.lexsort((pos, -ratio))]
    spent = np.cumsum(p.cost[order])
    k = int(np.searchsorted(spent, budget, side="right"))
    if k < len(order):
        y[0] = float(p.value[order[k]] / p.cost[order[k]])
    return y


def lp_prices(
    p: Problem, y: FloatArray, start: BoolArray | None, deadline: float
) -> tuple[FloatArray, bool]:
    """Row prices of the LP relaxation by sifting, and whether the LP looked feasible.

    A point x of the whole LP is kept (from `start`, else [d > 0]); HiGHS re-solves the LP on a
    window of columns, every other column held at its x. The window takes the columns whose x
    disagrees most with the sign of d (and any fractional one), then those of smallest |d|.
    Rows may be broken at a high price, so every window LP is feasible and the LP value only
    grows. When no column outside disagrees, the prices are optimal for the whole LP. Any
    prices give a valid bound, so stopping early (rounds, deadline) is safe; the prices of least
    U(y) seen are returned. Sifting can oscillate on large models with many binding rows: if it
    has not converged, the whole LP is solved by the interior point method (no crossover; its
    prices need not be exact, U(y) is valid for any) within a third of the time left.
    """
    import highspy

    lo, hi = p.lo_f(), p.hi_f()
    n, n_rows = p.n, p.n_rows
    pos = p.cost > 0
    big = 1.0
    if pos.any():
        big = 1e3 * float(np.max(np.abs(p.value[pos]) / p.cost[pos])) + 1.0
    width = min(n, max(_SIFT_WINDOW, 8 * n_rows))
    hi_rows = np.flatnonzero(np.isfinite(hi))
    lo_rows = np.flatnonzero(np.isfinite(lo))
    n_el = len(hi_rows) + len(lo_rows)
    tol = 1e-9 * (np.abs(p.value) + 1.0)
    d = lagrangian(p, y).d
    x = (start if start is not None else d > 0).astype(np.float64)
    slack = math.inf
    best_y, best_u = y, lagrangian(p, y).upper
    converged = False
    for _ in range(_SIFT_ROUNDS):
        if time.perf_counter() > deadline:
            break
        frac = (x > 1e-9) & (x < 1 - 1e-9)
        wrong = ((x >= 1 - 1e-9) & (d < -tol)) | ((x <= 1e-9) & (d > tol))
        if slack <= 1e-6 and not wrong.any():
            converged = True
            break
        keep = frac.copy()
        bad = np.flatnonzero(wrong)
        keep[bad[np.argsort(-np.abs(d[bad]), kind="stable")[:width]]] = True
        keep[np.argsort(np.abs(d), kind="stable")[:width]] = True
        win = np.flatnonzero(keep)
        nw = len(win)
        x_out = np.where(keep, 0.0, x)
        fixed = np.bincount(p.rows, weights=(p.cost * x_out)[p.entry_col], minlength=n_rows)
        h = new_highs()
        lp = highspy.HighsLp()
        lp.num_col_ = nw + n_el
        lp.num_row_ = n_rows
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = np.concatenate([p.value[win], np.full(n_el, -big)])
        lp.col_lower_ = np.zeros(nw + n_el)
        lp.col_upper_ = np.concatenate([np.ones(nw), np.full(n_el, highspy.kHighsInf)])
        lp.row_lower_ = np.where(np.isfinite(lo), lo - fixed, -highspy.kHighsInf)
        lp.row_upper_ = np.where(np.isfinite(hi), hi - fixed, highspy.kHighsInf)
        starts, index, vals = _columns(p, win)
        starts = np.concatenate([starts, starts[-1] + 1 + np.arange(n_el)])
        index = np.concatenate([index, hi_rows, lo_rows])
        vals = np.concatenate([vals, -np.ones(len(hi_rows)), np.ones(len(lo_rows))])
        set_matrix(lp, starts, index, vals)
        h.passModel(lp)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        sol = h.getSolution()
        col = np.asarray(sol.col_value, dtype=np.float64)
        x[win] = np.clip(col[:nw], 0.0, 1.0)
        slack = float(np.sum(col[nw:]))
        y = np.asarray(sol.row_dual, dtype=np.float64)
        b = lagrangian(p, y)
        d = b.d
        if b.upper < best_u:
            best_y, best_u = y, b.upper
    feasible = slack <= 1e-6
    if not converged:
        full = _lp_interior(p, (deadline - time.perf_counter()) / 3)
        if full is not None:
            y_full, feasible_full = full
            feasible = feasible or feasible_full
            if feasible_full and lagrangian(p, y_full).upper < best_u:
                best_y = y_full
    return best_y, feasible


def _lp_interior(p: Problem, time_limit: float) -> tuple[FloatArray, bool] | None:
    """Row prices of the whole LP relaxation by HiGHS's interior point method (no crossover),
    and whether it was solved; None if it ran out of time or failed."""
    import highspy

    if time_limit <= 0:
        return None
    h = new_highs()
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    h.setOptionValue("time_limit", float(time_limit))
    lo, hi = p.lo_f(), p.hi_f()
    lp = highspy.HighsLp()
    lp.num_col_ = p.n
    lp.num_row_ = p.n_rows
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = p.value
    lp.col_lower_ = np.zeros(p.n)
    lp.col_upper_ = np.ones(p.n)
    lp.row_lower_ = np.where(np.isfinite(lo), lo, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(hi), hi, highspy.kHighsInf)
    set_matrix(lp, *_columns(p, np.arange(p.n, dtype=np.int64)))
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return np.zeros(p.n_rows), False
    if status != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(h.getSolution().row_dual, dtype=np.float64), True


def greedy_start(p: Problem, d: FloatArray) -> BoolArray | None:
    """A selection within every bound, or None: floors first (each floor row takes its columns
    by d, highest first, while they fit), then every column of positive value that fits."""
    n = p.n
    order = np.lexsort((np.arange(n), -d)).tolist()
    ptr = p.ptr.tolist()
    rows = p.rows.tolist()
    cost = p.cost.tolist()
    hi = [h if h is not None else -1 for h in p.hi]
    act = [0] * p.n_rows
    taken = [False] * n

    def take(i: int) -> bool:
        c = cost[i]
        rs = rows[ptr[i] : ptr[i + 1]]
        for r in rs:
            if hi[r] >= 0 and act[r] + c > hi[r]:
                return False
        for r in rs:
            act[r] += c
        taken[i] = True
        return True

    floor_rows = [r for r, b in enumerate(p.lo) if b is not None and b > 0]
    if floor_rows:
        rank = np.empty(n, dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
        by_row = np.argsort(p.rows, kind="stable")
        row_ptr = np.concatenate([[0], np.cumsum(np.bincount(p.rows, minlength=p.n_rows))])
        for r in floor_rows:
            lo_r = p.lo[r]
            assert lo_r is not None
            members = p.entry_col[by_row[row_ptr[r] : row_ptr[r + 1]]]
            for i in members[np.argsort(rank[members], kind="stable")].tolist():
                if act[r] >= lo_r:
                    break
                if not taken[i]:
                    take(i)
    # then the columns with d > 0 (the LP takes them all): at once if they fit together
    ranked = np.asarray(order, dtype=np.int64)
    is_taken = np.asarray(taken, dtype=bool)
    more = ranked[(d[ranked] > 0) & ~is_taken[ranked]]
    extra = np.zeros(n, dtype=bool)
    extra[more] = True
    add = p.activity(extra)
    if all(hi[r] < 0 or act[r] + add[r] <= hi[r] for r in range(p.n_rows)):
        for r in range(p.n_rows):
            act[r] += add[r]
        for i in more.tolist():
            taken[i] = True
    else:
        for i in more.tolist():
            take(i)
    # then any column of positive value that still fits the budget, by d
    is_taken = np.asarray(taken, dtype=bool)
    rest = ranked[~is_taken[ranked] & (p.value[ranked] > 0)]
    if hi[0] >= 0:
        rest = rest[p.cost[rest] <= hi[0] - act[0]]
    for i in rest.tolist():
        if hi[0] < 0 or cost[i] <= hi[0] - act[0]:
            take(i)
    for r in floor_rows:
        lo_r = p.lo[r]
        assert lo_r is not None
        if act[r] < lo_r:
            return None
    return np.asarray(taken, dtype=bool)


@dataclass(frozen=True)
class MipRun:
    """HiGHS on a window of columns; x covers all columns (the fixed ones included)."""

    status: str
    x: BoolArray | None
    worth: float  # value of x (all columns)
    bound: float  # HiGHS's bound for the window plus the fixed columns' value


def solve_window(
    p: Problem,
    cols: IntArray,
    ones: BoolArray,
    start: BoolArray | None,
    time_limit: float,
    rel_gap: float,
) -> MipRun:
    """Solve the MILP on columns `cols` (id order), every other column fixed (1 where `ones`).

    The rounded answer is re-checked in exact integers; a row HiGHS met only within its
    tolerance is tightened by the excess and the window solved again.
    """
    import highspy

    fixed = p.activity(ones)
    base = p.worth(ones)
    lo = [None if b is None else b - f for b, f in zip(p.lo, fixed, strict=True)]
    hi = [None if b is None else b - f for b, f in zip(p.hi, fixed, strict=True)]
    nc = len(cols)
    if nc == 0:  # nothing left to choose: the fixed columns are the answer, if they fit
        if p.violations(ones):
            return MipRun("Infeasible", None, -math.inf, -math.inf)
        return MipRun("Optimal", ones.copy(), base, base)
    h = new_highs()
    h.setOptionValue("time_limit", max(0.0, float(time_limit)))
    h.setOptionValue("mip_rel_gap", float(rel_gap))
    h.setOptionValue("mip_abs_gap", 0.5 * p.unit)  # below the least gain that counts
    lp = highspy.HighsLp()
    lp.num_col_ = nc
    lp.num_row_ = p.n_rows
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = p.value[cols]
    lp.col_lower_ = np.zeros(nc)
    lp.col_upper_ = np.ones(nc)
    lp.row_lower_ = np.asarray([-highspy.kHighsInf if b is None else float(b) for b in lo])
    lp.row_upper_ = np.asarray([highspy.kHighsInf if b is None else float(b) for b in hi])
    set_matrix(lp, *_columns(p, cols))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * nc
    h.passModel(lp)
    if start is not None and nc:
        set_start(h, start[cols].astype(np.float64).tolist())
    for _ in range(4):
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        sol = h.getSolution()
        if not sol.value_valid:
            return MipRun(status, None, -math.inf, _info_bound(h, base))
        x = ones.copy()
        x[cols] = np.asarray(sol.col_value) > 0.5
        claimed = float(h.getInfo().objective_function_value) + base
        if start is not None and p.worth(x) < claimed - 0.5 * p.unit:
            # HiGHS 1.16 can hand back the start itself after presolve reduced it, while
            # reporting the value of a better solution: solve again without the start
            return solve_window(p, cols, ones, None, time_limit, rel_gap)
        bad = p.violations(x)
        if not bad:
            return MipRun(status, x, p.worth(x), _info_bound(h, base))
        for r, excess in sorted(bad.items()):
            if excess > 0:
                h.changeRowBounds(r, h.getLp().row_lower_[r], h.getLp().row_upper_[r] - excess)
            else:
                h.changeRowBounds(r, h.getLp().row_lower_[r] - excess, h.getLp().row_upper_[r])
    return MipRun("Numerical error", None, -math.inf, math.inf)


def _info_bound(h: highspy.Highs, base: float) -> float:
    info = h.getInfo()
    return float(info.mip_dual_bound) + base


def _columns(p: Problem, cols: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    lens = (p.ptr[cols + 1] - p.ptr[cols]) if len(cols) else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    total = int(starts[-1])
    if total:
        offs = np.repeat(p.ptr[cols] - starts[:-1], lens) + np.arange(total, dtype=np.int64)
        index = p.rows[offs]
    else:
        index = np.zeros(0, dtype=np.int64)
    vals = np.repeat(p.cost[cols].astype(np.float64), lens)
    return starts, index, vals


def set_matrix(lp: highspy.HighsLp, starts: IntArray, index: IntArray, vals: FloatArray) -> None:
    import highspy

    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kColwise
    a.start_ = np.asarray(starts, dtype=np.int32)
    a.index_ = np.asarray(index, dtype=np.int32)
    a.value_ = np.asarray(vals, dtype=np.float64)


def set_start(h: highspy.Highs, values: list[float]) -> None:
    """Hand HiGHS a feasible starting solution (column values)."""
    import highspy

    sol = highspy.HighsSolution()
    sol.col_value = values
    sol.value_valid = True
    h.setSolution(sol)


def new_highs() -> highspy.Highs:
    """A quiet, single-threaded, seeded HiGHS instance."""
    import highspy

    with _quiet_stdout():  # HiGHS prints a banner from C++ on construction
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    return h


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)
