"""Target rules: indicators complete, moving the right way, consistent down and up the cascade."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from selaras.domain.cascade import IndicatorSnap
from selaras.domain.findings import Severity
from selaras.domain.plans import Direction
from selaras.engines.alignment.index import PlanIndex
from selaras.engines.alignment.registry import AlignmentConfig, Hit, rule


def _indicators(ix: PlanIndex) -> list[IndicatorSnap]:
    return sorted(ix.plan.indicators, key=lambda i: i.id)


def _base(ix: PlanIndex, indicator: IndicatorSnap) -> dict[str, object]:
    return {"agency": ix.indicator_agency(indicator), "indicator": indicator.name}


@rule("targets.indicator_without_unit", Severity.WARNING, "An indicator has no unit.")
def indicator_without_unit(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for indicator in _indicators(ix):
        if not indicator.unit.strip():
            yield ix.indicator_location(indicator), _base(ix, indicator)


@rule("targets.indicator_without_baseline", Severity.WARNING, "An indicator has no baseline.")
def indicator_without_baseline(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for indicator in _indicators(ix):
        if indicator.baseline is None:
            yield ix.indicator_location(indicator), _base(ix, indicator)


@rule("targets.missing_year_target", Severity.ERROR,
      "An indicator has no target for a year of its plan's period.")
def missing_year_target(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for indicator in _indicators(ix):
        have = {year for year, _value in indicator.targets}
        for year in ix.indicator_years(indicator):
            if year not in have:
                yield ix.indicator_location(indicator, year), _base(ix, indicator)


def _worse(direction: Direction, before: Decimal, after: Decimal) -> bool:
    """True when moving from `before` to `after` goes against the indicator's direction."""
    if direction is Direction.HIGHER_IS_BETTER:
        return after < before
    if direction is Direction.LOWER_IS_BETTER:
        return after > before
    return False


@rule("targets.not_monotonic", Severity.WARNING,
      "A yearly target steps back against the indicator's direction (from the baseline on).")
def not_monotonic(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for indicator in _indicators(ix):
        if indicator.direction is Direction.UNKNOWN:
            continue
        previous_year: int | None = None
        previous = indicator.baseline
        for year, value in indicator.targets:
            if previous is not None and _worse(indicator.direction, previous, value):
                yield (ix.indicator_location(indicator, year),
                       {**_base(ix, indicator), "previous": str(previous), "value": str(value),
                        "previous_year": previous_year, "direction": indicator.direction.value})
            previous, previous_year = value, year
        last = indicator.targets[-1] if indicator.targets else None
        end = indicator.end_value
        if last is not None and end is not None and _worse(indicator.direction, last[1], end):
            # The end value lies behind the last yearly target: the path does not lead to it.
            yield (ix.indicator_location(indicator, None),
                   {**_base(ix, indicator), "previous": str(last[1]), "value": str(end),
                    "previous_year": last[0], "direction": indicator.direction.value})


@rule("targets.renja_differs_from_renstra", Severity.WARNING,
      "A Renja line's target differs from its Renstra line's target for the year.")
def renja_differs_from_renstra(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for line in sorted(ix.plan.renja_lines, key=lambda x: x.id):
        renstra_line = ix.renstra_line_of_renja_line(line)
        if renstra_line is None or renstra_line.code != line.code:
            continue
        entry = renstra_line.year(ix.year)
        if entry is None or entry.target is None or line.target is None:
            continue
        if entry.target != line.target:
            agency = ix.agency_of_renja_line(line)
            yield (ix.renja_line_location(line),
                   {"agency": agency.code if agency else "", "renja_target": str(line.target),
                    "renstra_target": str(entry.target), "renstra_line": renstra_line.id})


@rule("targets.less_ambitious_than_higher", Severity.WARNING,
      "A local target is less ambitious than the national or provincial target of that year.")
def less_ambitious_than_higher(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    ordered = sorted(ix.plan.higher_targets, key=lambda t: (t.local_key, t.year, t.level, t.plan))
    for higher in ordered:
        for indicator in sorted(ix.indicators_by_key.get(higher.local_key, []), key=lambda i: i.id):
            direction = indicator.direction
            if direction is Direction.UNKNOWN:
                direction = higher.direction
            local = dict(indicator.targets).get(higher.year)
            if local is None or direction is Direction.UNKNOWN:
                continue
            if _worse(direction, higher.value, local):
                yield (ix.indicator_location(indicator, higher.year),
                       {**_base(ix, indicator), "local": str(local), "higher": str(higher.value),
                        "higher_plan": higher.plan, "higher_level": higher.level,
                        "direction": direction.value})
