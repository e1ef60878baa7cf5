"""The one place where alignment rules are registered.

A rule is a small function over a `PlanIndex` and an `AlignmentConfig` that yields hits
(location + the values that disagree); the runner turns hits into `Finding`s with the rule's
stable code and severity. Adding a rule is a decorated function in the module of its family.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from selaras.domain.findings import Location, Severity

if TYPE_CHECKING:
    from selaras.engines.alignment.index import PlanIndex

__all__ = ["AlignmentConfig", "Hit", "Check", "Rule", "RULES", "FAMILIES", "rule"]

Hit = tuple[Location, dict[str, Any]]
Check = Callable[["PlanIndex", "AlignmentConfig"], Iterable[Hit]]

FAMILIES = ("cascade", "codes", "targets", "money", "proposals")


@dataclass(frozen=True, slots=True)
class AlignmentConfig:
    """Tunable thresholds of the check (defaults follow the regulations where one exists)."""

    # Since 2019 a regency/city is to let its kecamatan manage at least 5% of the budget.
    min_district_share: Decimal = Decimal("0.05")
    # A Renja line may exceed its Renstra indicative budget for the year by this share.
    renstra_budget_tolerance: Decimal = Decimal("0")
    # Rules switched off by code (e.g. while a government is still entering its Renstra).
    disabled: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    family: str
    summary: str  # one line in English for developers; users read the Bahasa text at the edge
    check: Check


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, summary: str) -> Callable[[Check], Check]:
    """Register `check` under `code` (family = the part before the dot)."""
    family = code.split(".", 1)[0]
    if family not in FAMILIES:
        raise ValueError(f"unknown rule family in {code!r}")

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule {code!r} registered twice")
        RULES[code] = Rule(code=code, severity=severity, family=family, summary=summary, check=check)
        return check

    return register
