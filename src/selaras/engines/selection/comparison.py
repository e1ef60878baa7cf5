"""The comparison step of the equalshares.net tool: the Equal Shares outcome against the plain
greedy outcome built from scratch; the greedy one wins only if more voters prefer it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from selaras.engines.selection.ledger import Support
from selaras.engines.selection.variants import Comparison

__all__ = ["compare_outcomes"]


def compare_outcomes(
    support: Support, how: Comparison, mes: Sequence[int], greedy: Sequence[int]
) -> tuple[int, int]:
    """(voters preferring the MES outcome, voters preferring the greedy outcome), by weight.

    `satisfaction`: a voter prefers the outcome with more of its supported projects;
    `exclusion`: a voter prefers the outcome that gives it at least one supported project when
    the other gives it none.
    """
    n = support.n_voters
    if n == 0:
        return 0, 0
    counts = []
    for chosen in (mes, greedy):
        sat = np.zeros(n, dtype=np.int64)
        for p in chosen:
            sat[support.supporters(p)] += 1
        counts.append(sat if how is Comparison.SATISFACTION else (sat > 0).astype(np.int64))
    a, b = counts
    w = support.weights
    return int(w[a > b].sum()), int(w[b > a].sum())
