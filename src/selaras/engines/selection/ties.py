"""Tie-breaking orders for Equal Shares variants: a total order of the projects (a rank array)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from selaras.engines.selection.ledger import Support
from selaras.engines.selection.variants import TIE_CRITERIA, MesOptions, tie_steps

__all__ = ["tie_rank", "tie_sentence", "tie_text", "tie_text_today"]

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


def tie_sentence(criteria: Sequence[str]) -> str:
    """The tie-breaking order as a result states it (criteria in order, `id` closing it; the words
    are `variants.TIE_TEXTS`). For ("id",) it is the sentence every rule records (engine.TIE_BREAKING)."""
    return (f"Bila dua usulan sama kuat, didahulukan {tie_steps(list(criteria))}; "
            "perbandingan dihitung eksak, tanpa pembulatan.")


def tie_text(options: MesOptions) -> str:
    """The tie-breaking order as stated in a result."""
    return tie_sentence(options.tie_key)


# The forms results recorded before, so that a page states today's sentence for a stored run:
# (beginning, end, words of each criterion). Steps are joined by ", lalu " in both.
_STEPS_BEFORE_DECEMBER_2026 = {
    "pendukung terbanyak": "votes",
    "biaya termurah": "cost",
    "biaya termahal": "cost-desc",
    "nomor proyek (sebagai angka)": "number",
    "urutan yang diberikan": "list",
    "id proyek (urutan string)": "id",
}
_STEPS_EARLY_DECEMBER_2026 = {**{k: v for k, v in _STEPS_BEFORE_DECEMBER_2026.items() if v != "id"},
                              "kode usulan menurut urutan huruf dan angka": "id"}
_FORMS_BEFORE: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("Seri diputus menurut ", "; keputusan dibandingkan secara eksak (pecahan rasional).",
     _STEPS_BEFORE_DECEMBER_2026),
    ("Bila dua usulan sama kuat, didahulukan menurut ", "; perbandingan dihitung eksak, tanpa pembulatan.",
     _STEPS_EARLY_DECEMBER_2026),
)


def tie_text_today(recorded: str) -> str:
    """Today's sentence for a tie-breaking order a result recorded in a former wording ("Seri diputus
    menurut pendukung terbanyak, lalu biaya termurah, lalu id proyek (urutan string); ..."); any other
    text as it is."""
    for start, end, words in _FORMS_BEFORE:
        if recorded.startswith(start) and recorded.endswith(end):
            steps = recorded[len(start):len(recorded) - len(end)].split(", lalu ")
            criteria = [words.get(step) for step in steps]
            if all(c in TIE_CRITERIA for c in criteria):
                return tie_sentence([str(c) for c in criteria])
    return recorded
