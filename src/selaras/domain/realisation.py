"""Rules of a Renja line's realisation (monev) that hold wherever it is entered: the web form and
the Excel import use them, their Bahasa texts live in `web/evaluation/messages.py`.

Financial realisation against the pagu: the pagu of a Renja line is the line's budget for the year
and the ceiling of what may be spent on it (APBD spending cannot exceed its budget; E.81 column 7
is this pagu, column 12 the year's realisation = the sum of quarters I-IV). The domain notes
(docs EVALUATION.md, DOMAIN.md) describe no legitimate overspend, so a year's realisation above
the pagu is refused, never recorded: a changed budget (DPA, perubahan) is entered as the Renja
line's pagu first.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["spent_over_budget"]


def spent_over_budget(budget: int, spent_by_quarter: Mapping[int, int | None]) -> int:
    """How far the year's financial realisation (the sum of the quarters' spent, None counting as
    nothing reported) lies above the line's pagu `budget`; 0 when within it."""
    total = sum(spent for spent in spent_by_quarter.values() if spent)
    return max(0, total - max(budget, 0))
