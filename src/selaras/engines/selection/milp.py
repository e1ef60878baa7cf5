"""Exact maximum-value selection under the budget, every ceiling and every floor (HiGHS MILP).

Floors are hard constraints; if they cannot all be met, a first solve finds the smallest total
shortfall and the second maximises the value with at most that shortfall. Integer solutions are
re-checked in exact integer rupiah; a row HiGHS satisfied only within its tolerance is tightened
and solved again. Among equally valued selections HiGHS decides; the model is built in project-id
order, single-threaded, so the answer is the same across runs and input orders.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selaras.engines.selection.ledger import Ledger

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
    """Maximise sum(values[p]) over p in idx (forced ones fixed to 1)."""
    import highspy

    order = idx[np.argsort(rank[idx], kind="stable")]
    m = len(order)
    costs = np.asarray([ledger.cost[p] for p in order.tolist()], dtype=np.float64)
    n_groups = len(ceilings)
    rows_of_group: dict[int, int] = {}
    row_lo: list[float] = [-highspy.kHighsInf]
    row_hi: list[float] = [float(budget)]
    for g in range(n_groups):
        ceiling, floor = ceilings[g], floors[g]
        if ceiling is not None or floor is not None:
            rows_of_group[g] = len(row_lo)
            row_lo.append(float(floor) if floor is not None else -highspy.kHighsInf)
            row_hi.append(float(ceiling) if ceiling is not None else highspy.kHighsInf)
    floor_rows = [r for g, r in rows_of_group.items() if floors[g] is not None]
    forced_set = set(forced.tolist())

    def build(extra_slack: bool, slack_cap: float | None) -> highspy.Highs:
        with _quiet_stdout():  # HiGHS prints a banner from C++ on construction
            h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        lp = highspy.HighsLp()
        n_slack = len(floor_rows) if extra_slack else 0
        lp.num_col_ = m + n_slack
        n_rows = len(row_lo) + (1 if slack_cap is not None else 0)
        lp.num_row_ = n_rows
        obj = np.zeros(m + n_slack)
        if slack_cap is None and extra_slack:
            obj[m:] = 1.0  # phase 1: minimise shortfall
            lp.sense_ = highspy.ObjSense.kMinimize
        else:
            obj[:m] = values[order]
            lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = obj
        lo = np.zeros(m + n_slack)
        lo[[i for i, p in enumerate(order.tolist()) if p in forced_set]] = 1.0
        hi = np.ones(m + n_slack)
        hi[m:] = highspy.kHighsInf
        lp.col_lower_ = lo
        lp.col_upper_ = hi
        rl = list(row_lo)
        rh = list(row_hi)
        if slack_cap is not None:
            rl.append(-highspy.kHighsInf)
            rh.append(slack_cap)
        lp.row_lower_ = np.asarray(rl)
        lp.row_upper_ = np.asarray(rh)
        starts = [0]
        index: list[int] = []
        value: list[float] = []
        for i, p in enumerate(order.tolist()):
            index.append(0)
            value.append(costs[i])
            for g in ledger.groups_of[p]:
                r = rows_of_group.get(g)
                if r is not None:
                    index.append(r)
                    value.append(costs[i])
            starts.append(len(index))
        for k, r in enumerate(floor_rows[:n_slack]):
            index.append(r)
            value.append(1.0)
            if slack_cap is not None:
                index.append(n_rows - 1)
                value.append(1.0)
            starts.append(len(index))
            del k
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(value)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [
            highspy.HighsVarType.kContinuous
        ] * n_slack
        h.passModel(lp)
        return h

    def run(extra_slack: bool, slack_cap: float | None) -> tuple[highspy.Highs, str]:
        h = build(extra_slack, slack_cap)
        h.run()
        return h, h.modelStatusToString(h.getModelStatus())

    relaxed = False
    h, status = run(False, None)
    if status == "Infeasible" and floor_rows:
        relaxed = True
        h1, _ = run(True, None)
        shortfall = float(h1.getInfo().objective_function_value)
        h, status = run(True, shortfall + 1e-6 * max(1.0, shortfall))
    sol = h.getSolution()
    x = np.asarray(sol.col_value[:m]) if sol.value_valid else np.zeros(m)
    chosen = [int(p) for p, xv in zip(order.tolist(), x.tolist(), strict=True) if xv > 0.5]
    info = h.getInfo()
    return MilpOutcome(
        chosen=chosen,
        status=status,
        objective=float(info.objective_function_value),
        gap=float(info.mip_gap),
        floor_relaxed=relaxed,
    )


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
