"""Target rules: indicators complete, moving the right way, consistent down and up the cascade.

Targets are single values or ranges and are compared through `domain.targets` (one definition of
"steps back" and "less ambitious" for every direction, including indicators kept within a band).
"""

from __future__ import annotations

from collections.abc import Iterator

from selaras.domain.cascade import IndicatorSnap
from selaras.domain.findings import Severity
from selaras.domain.plans import Direction
from selaras.domain.targets import TargetRange, less_ambitious, outside_band, steps_back
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
        have = {year for year, _target in indicator.yearly()}
        for year in ix.indicator_years(indicator):
            if year not in have:
                yield ix.indicator_location(indicator, year), _base(ix, indicator)


@rule("targets.range_inverted", Severity.ERROR,
      "A target range has its minimum above its maximum.")
def range_inverted(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for indicator in _indicators(ix):
        for year, target in indicator.yearly():
            if target.low is not None and target.high is not None and target.low > target.high:
                yield (ix.indicator_location(indicator, year),
                       {**_base(ix, indicator), "low": str(target.low), "high": str(target.high)})
    for line in sorted(ix.plan.renstra_lines, key=lambda x: x.id):
        for entry in line.years:
            r = entry.target_range
            if r is not None and r.low is not None and r.high is not None and r.low > r.high:
                renstra = ix.renstras.get(line.renstra_id)
                yield (ix.renstra_line_location(line, entry.year),
                       {"agency": ix.agency_code(renstra.agency_id if renstra else None), "indicator": line.code,
                        "low": str(r.low), "high": str(r.high)})


@rule("targets.not_monotonic", Severity.WARNING,
      "A yearly target steps back against the indicator's direction (from the baseline on).")
def not_monotonic(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for indicator in _indicators(ix):
        direction = indicator.direction
        if direction not in (Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER):
            continue  # unknown, or a band: staying inside is the aim, not moving
        previous_year: int | None = None
        previous = TargetRange(indicator.baseline, indicator.baseline) if indicator.baseline is not None else None
        yearly = indicator.yearly()
        for year, target in yearly:
            if previous is not None and steps_back(direction, previous, target):
                yield (ix.indicator_location(indicator, year),
                       {**_base(ix, indicator), "previous": previous.text(), "value": target.text(),
                        "previous_year": previous_year, "direction": direction.value})
            previous, previous_year = target, year
        end = indicator.end_value
        if yearly and end is not None and steps_back(direction, yearly[-1][1], TargetRange(end, end)):
            # The end value lies behind the last yearly target: the path does not lead to it.
            last_year, last = yearly[-1]
            yield (ix.indicator_location(indicator, None),
                   {**_base(ix, indicator), "previous": last.text(), "value": TargetRange(end, end).text(),
                    "previous_year": last_year, "direction": direction.value})


@rule("targets.renja_differs_from_renstra", Severity.WARNING,
      "A Renja line's target differs from its Renstra line's target for the year.")
def renja_differs_from_renstra(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for line in sorted(ix.plan.renja_lines, key=lambda x: x.id):
        renstra_line = ix.renstra_line_of_renja_line(line)
        if renstra_line is None or renstra_line.code != line.code:
            continue
        entry = renstra_line.year(ix.year)
        planned = entry.target_range if entry is not None else None
        target = line.target_range
        if planned is None or target is None:
            continue
        if planned != target:
            agency = ix.agency_of_renja_line(line)
            yield (ix.renja_line_location(line),
                   {"agency": agency.code if agency else "", "renja_target": target.text(),
                    "renstra_target": planned.text(), "renstra_line": renstra_line.id})


def _local_direction(indicator: IndicatorSnap, higher_direction: Direction) -> Direction:
    return indicator.direction if indicator.direction is not Direction.UNKNOWN else higher_direction


@rule("targets.less_ambitious_than_higher", Severity.WARNING,
      "A local target is less ambitious than the national or provincial target of that year.")
def less_ambitious_than_higher(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    ordered = sorted(ix.plan.higher_targets, key=lambda t: (t.local_key, t.year, t.level, t.plan))
    for higher in ordered:
        for indicator in sorted(ix.indicators_by_key.get(higher.local_key, []), key=lambda i: i.id):
            direction = _local_direction(indicator, higher.direction)
            local = dict(indicator.yearly()).get(higher.year)
            if local is None or direction not in (Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER):
                continue
            if less_ambitious(direction, local, higher.target_range):
                yield (ix.indicator_location(indicator, higher.year),
                       {**_base(ix, indicator), "local": local.text(), "higher": higher.target_range.text(),
                        "higher_plan": higher.plan, "higher_level": higher.level,
                        "direction": direction.value})


@rule("targets.outside_higher_band", Severity.WARNING,
      "A local target of a band indicator allows values outside the national or provincial band.")
def outside_higher_band(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    ordered = sorted(ix.plan.higher_targets, key=lambda t: (t.local_key, t.year, t.level, t.plan))
    for higher in ordered:
        for indicator in sorted(ix.indicators_by_key.get(higher.local_key, []), key=lambda i: i.id):
            if _local_direction(indicator, higher.direction) is not Direction.WITHIN_BAND:
                continue
            local = dict(indicator.yearly()).get(higher.year)
            if local is not None and outside_band(local, higher.target_range):
                yield (ix.indicator_location(indicator, higher.year),
                       {**_base(ix, indicator), "local": local.text(), "higher": higher.target_range.text(),
                        "higher_plan": higher.plan, "higher_level": higher.level})
