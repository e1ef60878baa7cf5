"""The selection engine: choose projects under a budget with stated, explainable rules.

    from selaras.engines.selection import SelectionInstance, Group, select, reason_text
    inst = SelectionInstance.build(ids, costs, budget, ballots, groups=[...], mandatory=[...])
    result = select(inst, rule="mes", completion="greedy")
    for outcome in result.outcomes.values():
        print(outcome.project_id, outcome.selected, reason_text(outcome.reason))
"""

from selaras.domain.selection import Completion, Reason, ReasonCode, Rule, Utility, reason_text
from selaras.engines.selection.engine import TIE_BREAKING, prepare, select
from selaras.engines.selection.model import (
    FloorShortfall,
    Group,
    ProjectOutcome,
    SelectionError,
    SelectionInstance,
    SelectionResult,
)

__all__ = [
    "select",
    "prepare",
    "SelectionInstance",
    "Group",
    "SelectionResult",
    "ProjectOutcome",
    "FloorShortfall",
    "SelectionError",
    "Rule",
    "Completion",
    "Utility",
    "Reason",
    "ReasonCode",
    "reason_text",
    "TIE_BREAKING",
]
