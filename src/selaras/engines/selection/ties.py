"""Tie-breaking orders for Equal Shares variants: a total order of the projects (a rank array)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from selaras.engines.selection.ledger import Support
from selaras.engines.selection.variants import MesOptions

__all__ = ["tie_rank"]

IntArray = npt.NDArray[np.int64]


def tie_rank(support: Support, options: MesOptions) -> IntArray:
    """rank[p]: p's place when ties are broken by `options.tie_key` (smaller wins).

    Among projects still tied, each criterion decides in turn; ids as strings close the order,
    so it is total. Used wherever the engine breaks a tie between projects (the MES price
    queue, the greedy order, the completion).
    """
    if options.default_ties:
        return support.rank
    ids: Sequence[str] = support.ids
    approvals = support.approvals.tolist()
    costs = support.cost_list
    listed = {p: i for i, p in enumerate(options.tie_order)}
    big = len(listed)

    def key(p: int) -> tuple[object, ...]:
        parts: list[object] = []
        for crit in options.tie_key:
            if crit == "votes":
                parts.append(-approvals[p])
            elif crit == "cost":
                parts.append(costs[p])
            elif crit == "cost-desc":
                parts.append(-costs[p])
            elif crit == "number":
                parts.append(_number(ids[p]))
            elif crit == "list":
                parts.append(listed.get(ids[p], big))
            else:  # id
                parts.append(ids[p])
        return tuple(parts)

    m = len(ids)
    order = sorted(range(m), key=key)
    rank = np.empty(m, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(m, dtype=np.int64)
    return rank


def _number(pid: str) -> tuple[int, float]:
    try:
        return (0, float(pid))
    except ValueError:
        return (1, 0.0)


_CRITERION_TEXT = {
    "votes": "pendukung terbanyak",
    "cost": "biaya termurah",
    "cost-desc": "biaya termahal",
    "number": "nomor proyek (sebagai angka)",
    "list": "urutan yang diberikan",
    "id": "kode usulan menurut urutan huruf dan angka",
}


def tie_text(options: MesOptions) -> str:
    """The tie-breaking order as stated in a result."""
    steps = ", lalu ".join(_CRITERION_TEXT[c] for c in options.tie_key)
    return f"Bila dua usulan sama kuat, didahulukan menurut {steps}; perbandingan dihitung eksak, tanpa pembulatan."
