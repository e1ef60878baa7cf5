"""The greedy pass, compiled: take each project in order if it fits the money left and every
ceiling (see `greedy.greedy_fill`, which turns the outcome into reasons). Exact int64 money."""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["BUDGET", "CEILING", "TAKEN", "greedy_pass"]

TAKEN = 0
CEILING = 1  # a ceiling is full: `group` says which, `left` its room at that moment
BUDGET = 2  # the money left is below the cost: `left` is the money left at that moment


@njit(cache=True)
def greedy_pass(todo, cost, group_ptr, group_idx, room, has_ceiling, remaining):  # type: ignore[no-untyped-def]
    """Per project of `todo`, in order: (outcome, group, left, last), `last` the position in
    `todo` of the project taken last before it (-1: none). `room` is updated in place; returns
    the money left at the end as well."""
    n = len(todo)
    outcome = np.empty(n, np.int64)
    group = np.full(n, -1, np.int64)
    left = np.zeros(n, np.int64)
    last = np.full(n, -1, np.int64)
    # once the money left is below every cost still to come, all the rest is a matter of money
    least = np.empty(n, np.int64)
    run = np.iinfo(np.int64).max
    for i in range(n - 1, -1, -1):
        run = min(run, cost[todo[i]])
        least[i] = run
    prev = -1
    for i in range(n):
        p = todo[i]
        c = cost[p]
        last[i] = prev
        if remaining < least[i]:
            outcome[i] = BUDGET
            left[i] = remaining
            continue
        full = -1
        for k in range(group_ptr[p], group_ptr[p + 1]):
            g = group_idx[k]
            if has_ceiling[g] and c > room[g]:
                full = g
                break
        if full >= 0:
            outcome[i] = CEILING
            group[i] = full
            left[i] = room[full]
        elif c > remaining:
            outcome[i] = BUDGET
            left[i] = remaining
        else:
            outcome[i] = TAKEN
            remaining -= c
            for k in range(group_ptr[p], group_ptr[p + 1]):
                g = group_idx[k]
                if has_ceiling[g]:
                    room[g] -= c
            prev = i
    return outcome, group, left, last, remaining
