"""Exact maximum-value selection under the budget, every ceiling and every floor (HiGHS MILP).

What is proven. Values (scores, or supporters) that are whole numbers after x10^k for some
k <= 6 (scores with at most k decimals; each value within 1e-9 relative of its k-decimal
reading) are solved as integers in units of 10^-k. Status "Optimal" then means: no selection
within the budget, the ceilings and the floors is worth one unit (0.01 for two-decimal scores)
more than the one returned, so it is a maximum. HiGHS is asked for a bound within half a unit;
the other half is room for its floating-point tolerances, and our own bounds carry a proven
float error margin. Other values are solved as floats: "Optimal" then means no selection is
better by more than 1e-6 (absolute; 1e-12 of the total when the values are that large). With
`mip_rel_gap` > 0 the claim is weakened to that relative gap. `MilpOutcome.proof` states the
claim; without "Optimal" the best selection found is returned with its gap and `upper_bound`
(status "Time limit reached", or `milp_search.TOO_LARGE` when the undecided part was too large
to hand to HiGHS).

How. Mandatory projects are constants: the budget and ceilings bind what they leave (never below
zero), floors what they leave open. Money is divided by the costs' common divisor, exactly.
0. The knapsack path (`milp_knapsack`): when every project has at most one ceiling besides the
   budget (an agency) and values are whole numbers, the maximum without floors is found and
   proven by exact dynamic programming per ceiling group under a budget price; if it meets every
   floor it is the answer (`details["method"] == "knapsack"`). Otherwise, or when its lists grow
   past a fixed count of states, the general search below decides.
1. LP prices by sifting (`milp_reduce.lp_prices`): the prices y of the budget, ceiling and floor
   rows in the LP relaxation. For any prices, U(y) = sum y_r b_r + sum_i max(0, d_i), with d_i
   the value of project i minus its cost times the prices of its rows, bounds every selection,
   and one that disagrees with [d_i > 0] on project i is worth at most U(y) - |d_i|. If sifting
   does not converge (it can oscillate on large models with many binding rows), the whole LP is
   solved by the interior point method; the prices of least U(y) are kept.
2. A greedy start within every bound (floors first, then by d).
3. Reduced-cost fixing: a project with |d_i| > U - best + margin cannot differ from [d_i > 0] in
   a better selection, so it is fixed there; HiGHS solves the rest from the start (in a first
   round at most `milp_search.WINDOW` projects of smallest |d|). The answer is proven when
   HiGHS's bound and U - min |d| over the fixed projects both lie below the best value plus one
   unit; otherwise the window grows to every project the better incumbent cannot fix. When that
   is too large, the time left goes to growing windows held at the best selection (each run
   starts from it), for a better selection; the bound stays as it was.
Floors that cannot all be met (`floors_relaxed`): phase one finds the least total shortfall, on
the same fixing machinery with the shortfall written in binary columns; a restricted phase two
(each floor held to what phase one reached) gives a good selection fast, and the whole model
with a continuous shortfall per floor (at most `milp_search.MAX_COLUMNS` projects) maximises
the value with at most that total shortfall. Both phases are subset-sum-like: proofs are only
expected on small instances. Rounded answers are re-checked in exact integers; a row HiGHS met
only within its tolerance is tightened by the excess and solved again. Everything runs in
project-id order (rows in group-key order), single-threaded, with a fixed seed: the same answer
across runs and input orders.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from selaras.engines.selection.ledger import Ledger
from selaras.engines.selection.milp_knapsack import solve_knapsacks
from selaras.engines.selection.milp_reduce import Problem
from selaras.engines.selection.milp_search import Solved, solve_fast, solve_relaxed

__all__ = ["MilpOutcome", "solve_max_value"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


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
    solved = None
    if not _floors_impossible(prob):
        known = solve_knapsacks(prob, deadline)
        if known is not None:
            x, worth, facts = known
            solved = Solved("Optimal", x, worth, worth, facts)
        else:
            solved = solve_fast(prob, deadline, mip_rel_gap)
    if solved is None or solved.status == "Infeasible":
        solved, relaxed = solve_relaxed(prob, deadline, mip_rel_gap)
    x = solved.x if solved.x is not None else np.zeros(prob.n, dtype=bool)
    chosen = sorted(forced_set) + cols[x].tolist()
    best = base + solved.worth if solved.x is not None else -math.inf
    upper = base + solved.upper
    if unit == 1.0 and math.isfinite(upper):
        upper = math.floor(upper + 1e-9 * max(1.0, abs(upper)))
        if solved.status == "Optimal" and mip_rel_gap == 0 and math.isfinite(best):
            upper = best  # proven: no selection is worth one unit more
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


def _in_scale(solved: Solved, base: float, scale: float) -> dict[str, object]:
    """Solver facts, with the bounds and values in the values' own scale (mandatory included)."""
    out = dict(solved.facts)
    for key in ("lp_bound", "start"):
        v = out.get(key)
        if isinstance(v, float):
            out[key] = (base + v) / scale if math.isfinite(v) else None
    return out


def _scale(v: FloatArray) -> tuple[float, float]:
    """(10^k, 1.0) if every value x10^k is a whole number (k <= 6), else (1.0, tolerance):
    1e-6, or 1e-12 of the total absolute value where doubles cannot resolve 1e-6."""
    for k in range(7):
        s = 10.0**k
        u = np.round(v * s)
        close = np.abs(v * s - u) <= 1e-9 * np.maximum(1.0, np.abs(u))
        if bool(np.all(close)) and float(np.sum(np.abs(u))) < 2.0**52:
            return s, 1.0
    return 1.0, max(1e-6, 1e-12 * float(np.sum(np.abs(v))))


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
    return f"{limits}, no selection is worth more than {unit:g} more: a maximum to {unit:g}"
