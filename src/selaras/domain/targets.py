"""Targets as a single value or a range, and what 'better' means for an indicator's direction.

A target is one value (8.5 %) or a band (0.6–1.8 %, either end may be open). Every rule that
compares targets (sinkronisasi ambition and monotony checks, later achievement) reads them
through `TargetRange` and the functions here, so one definition of "less ambitious" holds
everywhere:

- higher is better: the guaranteed (low) end counts; a band is as good as its low end;
- lower is better: the guaranteed (high) end counts;
- within a band: a target must lie inside the band it is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selaras.domain.plans import Direction

__all__ = ["TargetRange", "target_problem", "line_target_problem", "negative_problem",
           "may_be_negative", "CHANGE_WORDS", "steps_back", "less_ambitious", "outside_band"]


@dataclass(frozen=True, slots=True)
class TargetRange:
    """A target: `low == high` for a single value; None for an open end."""

    low: Decimal | None
    high: Decimal | None

    @classmethod
    def of(cls, value: Decimal | None, low: Decimal | None = None,
           high: Decimal | None = None) -> TargetRange | None:
        """The target stored as (value, target_min, target_max); None when nothing is set."""
        if value is not None:
            return cls(value, value)
        if low is None and high is None:
            return None
        return cls(low, high)

    @property
    def is_single(self) -> bool:
        return self.low is not None and self.low == self.high

    def guaranteed(self, direction: Direction) -> Decimal | None:
        """The end that counts for the direction (the worst value the target still allows)."""
        if direction is Direction.LOWER_IS_BETTER:
            return self.high if self.high is not None else self.low
        return self.low if self.low is not None else self.high

    def text(self) -> str:
        if self.is_single:
            return _plain(self.low)
        if self.high is None:
            return f">= {_plain(self.low)}"
        if self.low is None:
            return f"<= {_plain(self.high)}"
        return f"{_plain(self.low)}–{_plain(self.high)}"


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def target_problem(value: Decimal | None, low: Decimal | None, high: Decimal | None) -> str | None:
    """Why a stored target cannot be used (a stable code), or None.

    `target.value_and_range`: a single value and a range at once; `target.range_inverted`: the
    minimum lies above the maximum.
    """
    if value is not None and (low is not None or high is not None):
        return "target.value_and_range"
    if low is not None and high is not None and low > high:
        return "target.range_inverted"
    return None


#: Words of an indicator's name that make it a rate of change, which may fall below zero (the
#: economic growth of 2020, a deflation, a rise of poverty read as its decrease).
CHANGE_WORDS = ("pertumbuhan", "laju", "perubahan", "inflasi", "deflasi", "kenaikan", "penurunan",
                "peningkatan", "selisih")


def may_be_negative(indicator_name: str) -> bool:
    """Whether an indicator of a goal or objective (RPJPD, RPJMD, Renstra) may take values below
    zero: only a rate of change, named so (`CHANGE_WORDS`): 'Laju pertumbuhan ekonomi' -2.1 %."""
    words = indicator_name.lower()
    return any(word in words for word in CHANGE_WORDS)


def negative_problem(*values: Decimal | int | None, indicator: str | None = None) -> str | None:
    """Why these values (a target's value and range ends, a baseline, an end-of-period value) may
    not be stored, or None. The one rule on signs of plan values:

    - a plan line's (programme, activity, sub-activity of a Renstra, the RPJMD's T-C.14 and a
      Renja: `indicator` None) measures an output volume or an outcome level, never below zero
      (`target.negative`);
    - an indicator of a goal or objective (`indicator`: its name) only when it is a rate of change
      (`may_be_negative`), else `target.negative_indicator`.

    Money (pagu, ceilings) is never negative either: `plan_cells.money_problem`."""
    if not any(v is not None and v < 0 for v in values):
        return None
    if indicator is None:
        return "target.negative"
    return None if may_be_negative(indicator) else "target.negative_indicator"


def line_target_problem(value: Decimal | None, low: Decimal | None, high: Decimal | None) -> str | None:
    """`target_problem` for a plan line's target (a Renstra line's year, a Renja line's year n or
    n+1), never negative (`negative_problem`)."""
    return negative_problem(value, low, high) or target_problem(value, low, high)


def steps_back(direction: Direction, before: TargetRange, after: TargetRange) -> bool:
    """True when going from `before` to `after` moves against the direction.

    For a band indicator nothing steps back (staying inside is the aim, not moving).
    """
    if direction not in (Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER):
        return False
    a, b = before.guaranteed(direction), after.guaranteed(direction)
    if a is None or b is None:
        return False
    return b < a if direction is Direction.HIGHER_IS_BETTER else b > a


def less_ambitious(direction: Direction, local: TargetRange, higher: TargetRange) -> bool:
    """True when the local target promises less than the higher-level target."""
    if direction is Direction.WITHIN_BAND:
        return outside_band(local, higher)
    return steps_back(direction, higher, local)


def outside_band(target: TargetRange, band: TargetRange) -> bool:
    """True when some value the target allows lies outside the band."""
    if band.low is not None and (target.low is None or target.low < band.low):
        return True
    return band.high is not None and (target.high is None or target.high > band.high)
