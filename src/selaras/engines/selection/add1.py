"""Add1 completion of the Method of Equal Shares in its variants (stop rule, start, increment).

Every voter's share is raised by `step` money units (per unit of weight) and MES is rerun from
scratch, as long as the outcome stays within the budget. The stop rule decides whether the loop
also ends as soon as the outcome is exhaustive (no unselected project fits in the money left,
nor under its ceilings). The loop also ends when every project MES could buy is bought (no raise
can change anything) or after `max_increments` raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason, Utility
from selaras.engines.selection.ledger import Ledger, Support
from selaras.engines.selection.mes import MesRun, equal_shares
from selaras.engines.selection.variants import Add1Stop, MesOptions

__all__ = ["start_share", "run_add1"]

IntArray = npt.NDArray[np.int64]


def start_share(money: int, total_weight: int, options: MesOptions, unit: int) -> Fraction:
    """Each voter's first share: money / n, or with `integral_start` its whole part in `unit`s."""
    share = Fraction(money, total_weight)
    if options.integral_start:
        share = Fraction((money // total_weight) // unit * unit)
    return share


def run_add1(
    support: Support,
    ledger: Ledger,
    open_idx: IntArray,
    options: MesOptions,
    base: Fraction,
    step: int,
    max_increments: int,
    arithmetic: str,
    details: dict[str, object],
) -> tuple[Ledger, Mapping[int, Reason]]:
    """The Add1 loop from share `base`, raised by `step` each time; returns the kept ledger and
    MES's rejections of the kept run."""
    utility: Utility = options.utility
    mes_projects = open_idx[(support.approvals[open_idx] > 0) & (support.costs[open_idx] > 0)].tolist()
    exhaustive_stop = options.add1_stop is Add1Stop.EXHAUSTIVE_OR_OVERSPEND
    prev: Ledger | None = None
    prev_run: MesRun | None = None
    used = 0
    k = 0
    stopped = "max_increments"
    while True:
        trial = ledger.copy()
        run = equal_shares(support, trial, open_idx, base + k * step, utility, arithmetic)
        if trial.remaining < 0 and prev is not None:
            stopped = "overspend"
            break
        prev, prev_run, used = trial, run, k
        if all(trial.is_taken[p] for p in mes_projects):
            stopped = "all_bought"
            break
        if exhaustive_stop and all(trial.is_taken[p] or trial.blocker(p) is not None for p in mes_projects):
            stopped = "exhaustive"
            break
        k += 1
        if k > max_increments:
            break
    assert prev is not None and prev_run is not None
    details["mes_rounds"] = len(prev_run.rounds)
    details["mes_arithmetic"] = prev_run.arithmetic
    details["add1_increments"] = used
    details["add1_stopped"] = stopped
    details["per_voter_budget"] = float(base + used * step)
    return prev, prev_run.rejected
