"""The pagu of a Renja line created from accepted proposals follows their costs.

A line with `budget_from_proposals` (set when the line is created for an accepted proposal)
has as its pagu the sum of the current costs of the proposals linked to it — a proposal is
linked exactly while it is in the Renja (accepted), so decisions that accept, change the cost,
postpone or reject move the pagu with them. Once a planner sets the pagu by hand, the flag is
cleared and the pagu is the planner's.

Callers (the proposal decision service, the selection-run apply) pass the ids of the lines
whose proposals changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce
from simple_history.utils import bulk_update_with_history

from selaras.web.plans.models import RenjaLine

__all__ = ["refresh_budgets_from_proposals"]


def refresh_budgets_from_proposals(line_ids: Iterable[int | None], user: Any = None) -> int:
    """Recompute the pagu of these lines (those that follow proposals); returns lines changed.
    `user` (the one whose decision moved it) is recorded in the change history."""
    ids = sorted({int(i) for i in line_ids if i})
    if not ids:
        return 0
    changed = []
    for line in RenjaLine.objects.filter(pk__in=ids, budget_from_proposals=True).annotate(
            total=Coalesce(Sum("proposals__estimated_cost"), 0)):
        if line.budget != line.total:
            line.budget = int(line.total)
            changed.append(line)
    if changed:
        actor = user if getattr(user, "is_authenticated", False) else None
        bulk_update_with_history(changed, RenjaLine, ["budget"], batch_size=1000, default_user=actor,
                                 default_change_reason="pagu mengikuti usulan diterima")
    return len(changed)
