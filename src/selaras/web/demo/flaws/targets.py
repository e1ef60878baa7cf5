"""Flaws in indicators and targets, and provincial targets the district's targets fall short of."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from selaras.domain.plans import Direction
from selaras.web.alignment.models import HigherLevelIndicator, HigherLevelPlan, HigherLevelTarget
from selaras.web.alignment.services import map_indicator
from selaras.web.demo.flaws.planter import Planter, take_line
from selaras.web.plans.models import Indicator, IndicatorTarget


def plant_target_flaws(p: Planter) -> None:
    rpjmd_indicators = Indicator.objects.filter(rpjmd=p.rpjmd).order_by("id")
    objective_indicators = Indicator.objects.filter(objective__goal__mission__rpjmd=p.rpjmd).order_by("id")
    renstra_indicators = Indicator.objects.filter(
        renstra_objective__goal__renstra__agency__government=p.government).order_by("id")
    in_scope = [*rpjmd_indicators, *objective_indicators, *renstra_indicators]
    touched: set[int] = set()

    def take(queryset: Any) -> Any | None:
        options = [i for i in queryset if i.pk not in touched]
        chosen = p.pick(options)
        if chosen is not None:
            touched.add(chosen.pk)
        return chosen

    indicator = take(rpjmd_indicators)
    if indicator is not None:
        indicator.unit = ""
        indicator.save(update_fields=["unit"])
        p.plant("targets.indicator_without_unit", f"indicator:{indicator.pk}", None, "",
                f"Satuan indikator \"{indicator.name}\" dikosongkan.")

    indicator = take(renstra_indicators)
    if indicator is not None:
        indicator.baseline = None
        indicator.save(update_fields=["baseline"])
        agency = indicator.renstra_objective.goal.renstra.agency
        p.plant("targets.indicator_without_baseline", f"indicator:{indicator.pk}", None, agency.code,
                f"Kondisi awal indikator \"{indicator.name}\" di Renstra {agency} dikosongkan.")

    indicator = take(objective_indicators)
    missing_year = p.rpjmd.start_year + 3
    if indicator is not None and indicator.targets.filter(year=missing_year).exists():
        indicator.targets.filter(year=missing_year).delete()
        p.plant("targets.missing_year_target", f"indicator:{indicator.pk}", missing_year, "",
                f"Target tahun {missing_year} indikator \"{indicator.name}\" dihapus.")

    # A yearly target that steps back against the indicator's direction (mirror of the step before).
    for _ in range(1):
        options = []
        for candidate in objective_indicators:
            if candidate.pk in touched or candidate.direction == Direction.UNKNOWN.value:
                continue
            values = dict(candidate.targets.values_list("year", "value"))
            year = p.rpjmd.start_year + 2
            before, now, after = values.get(year - 1), values.get(year), values.get(year + 1)
            if before is None or now is None or after is None:
                continue
            sign = 1 if candidate.direction == Direction.HIGHER_IS_BETTER.value else -1
            if sign * (now - before) > 0 and sign * (after - now) > 0:
                options.append((candidate, year, before - (now - before)))
        choice = p.pick(options)
        if choice is not None:
            indicator, year, value = choice
            touched.add(indicator.pk)
            IndicatorTarget.objects.filter(indicator=indicator, year=year).update(value=value)
            p.plant("targets.not_monotonic", f"indicator:{indicator.pk}", year, "",
                    f"Target {year} indikator \"{indicator.name}\" dibuat mundur ({value}).")

    # A Renja target that differs from its Renstra target.
    line = take_line(p, "targets")
    if line is not None and line.target is not None:
        line.target = line.target + 1
        line.save(update_fields=["target"])
        p.plant("targets.renja_differs_from_renstra", f"renja_line:{line.pk}", p.year, line.renja.agency.code,
                f"Target Renja {line.code} {line.renja.agency} tidak sama dengan target Renstra.")

    # Keys whose indicators are untouched and agree on a known direction.
    by_key: dict[str, list[Any]] = {}
    for indicator in in_scope:
        if indicator.key:
            by_key.setdefault(indicator.key, []).append(indicator)
    usable = sorted(key for key, group in by_key.items()
                    if all(i.pk not in touched for i in group) and len({i.direction for i in group}) == 1
                    and group[0].direction != Direction.UNKNOWN.value)
    if len(usable) >= 2:
        aligned = p.choose(usable)
        lagging = p.choose([k for k in usable if k != aligned])
        _higher_targets(p, by_key[aligned], by_key[lagging])


def _higher_targets(p: Planter, aligned: list[Any], lagging: list[Any]) -> None:
    """Provincial targets for two indicator keys (as data, mapped to the local keys): one met by every
    local indicator with that key, one missed by all of them in one year."""
    province = p.government.region_code.split(".")[0]
    plan, _ = HigherLevelPlan.objects.get_or_create(
        name=f"RPJMD Provinsi {province} {p.rpjmd.start_year}-{p.rpjmd.end_year} (contoh)",
        defaults={"kind": "rpjmd_provinsi", "level": HigherLevelPlan.LEVEL_PROVINCE, "region_code": province,
                  "start_year": p.rpjmd.start_year, "end_year": p.rpjmd.end_year})
    suffix = p.government.region_code.replace(".", "")
    for group, lag_year in ((aligned, None), (lagging, p.rpjmd.start_year + 1)):
        local = group[0]
        # Keys are per district so that districts of one province in one database stay independent.
        higher, _ = HigherLevelIndicator.objects.update_or_create(
            plan=plan, key=f"{local.key}-{suffix}"[:80],
            defaults={"name": f"{local.name} (target provinsi untuk {p.government.name})", "unit": local.unit,
                      "direction": local.direction})
        map_indicator(p.government, higher, local.key)
        up = local.direction == Direction.HIGHER_IS_BETTER.value
        values: dict[int, list[Decimal]] = {}
        for indicator in group:
            for year, value in indicator.targets.values_list("year", "value"):
                values.setdefault(year, []).append(value)
        for year in sorted(values):
            if year == lag_year:  # more ambitious than every local target of that year
                wanted = max(values[year]) + Decimal("0.5") if up else min(values[year]) - Decimal("0.5")
            else:  # no more ambitious than any local target
                wanted = min(values[year]) if up else max(values[year])
            HigherLevelTarget.objects.update_or_create(indicator=higher, year=year, defaults={"value": wanted})
        if lag_year is not None:
            for indicator in sorted(group, key=lambda i: i.pk):
                if lag_year not in values or not indicator.targets.filter(year=lag_year).exists():
                    continue
                agency = (indicator.renstra_objective.goal.renstra.agency.code
                          if indicator.renstra_objective_id else "")
                p.plant("targets.less_ambitious_than_higher", f"indicator:{indicator.pk}", lag_year, agency,
                        f"Target {lag_year} indikator \"{indicator.name}\" kurang ambisius dibanding target "
                        "provinsi.")
