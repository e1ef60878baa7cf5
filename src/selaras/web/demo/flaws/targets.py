"""Flaws in indicators and targets, and provincial targets the district's targets fall short of or
(for an indicator kept within a band) step outside of."""

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
    touched: set[int] = p.cache.setdefault("touched_indicators", set())

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
        touched.update(i.pk for i in (*by_key[aligned], *by_key[lagging]))


def _province_plan(p: Planter) -> HigherLevelPlan:
    """The provincial RPJMD of the planter's RPJMD period (as data), made once per province."""
    province = p.government.region_code.split(".")[0]
    plan, _ = HigherLevelPlan.objects.get_or_create(
        name=f"RPJMD Provinsi {province} {p.rpjmd.start_year}-{p.rpjmd.end_year} (contoh)",
        defaults={"kind": "rpjmd_provinsi", "level": HigherLevelPlan.LEVEL_PROVINCE, "region_code": province,
                  "start_year": p.rpjmd.start_year, "end_year": p.rpjmd.end_year})
    return plan


def _higher_targets(p: Planter, aligned: list[Any], lagging: list[Any]) -> None:
    """Provincial targets for two indicator keys (as data, mapped to the local keys): one met by every
    local indicator with that key, one missed by all of them in one year."""
    plan = _province_plan(p)
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


def plant_range_flaws(p: Planter) -> None:
    """Target ranges: an indicator's and a Renstra line's yearly range entered with minimum and
    maximum swapped, and a band indicator whose local range leaves the provincial band.

    Planted after every other family (so the flaws planted before keep their picks); indicators
    touched by `plant_target_flaws`, or sharing a key with a provincial target, are left alone."""
    touched: set[int] = p.cache.setdefault("touched_indicators", set())

    # An indicator's yearly target entered as a range with minimum and maximum swapped. The end
    # its direction counts (minimum when higher is better, maximum when lower is) keeps the old
    # value, so the path of targets and the comparison with provincial targets do not change.
    # Renstra objective indicators of the Renstras in force (typed loosely: their owner is known).
    indicators: list[Any] = list(Indicator.objects.filter(
        renstra_objective__goal__renstra__agency__government=p.government,
        renstra_objective__goal__renstra__start_year__lte=p.year,
        renstra_objective__goal__renstra__end_year__gte=p.year,
        direction__in=[Direction.HIGHER_IS_BETTER.value, Direction.LOWER_IS_BETTER.value])
        .select_related("renstra_objective__goal__renstra__agency").order_by("id"))
    options: list[tuple[Any, int, Decimal, Decimal]] = []
    for indicator in indicators:
        if indicator.pk in touched:
            continue
        values: dict[int, Decimal] = {year: value for year, value in indicator.targets.values_list("year", "value")
                                      if value is not None}
        year = p.year + 1
        if year in values and year - 1 in values:
            sign = 1 if indicator.direction == Direction.HIGHER_IS_BETTER.value else -1
            if sign * (values[year] - values[year - 1]) > 0:
                options.append((indicator, year, values[year], values[year - 1]))
    choice = p.pick(options)
    if choice is not None:
        indicator, year, value, before = choice
        touched.add(indicator.pk)
        up = indicator.direction == Direction.HIGHER_IS_BETTER.value
        low, high = (value, before) if up else (before, value)
        IndicatorTarget.objects.filter(indicator=indicator, year=year).update(value=None, target_min=low,
                                                                              target_max=high)
        agency = indicator.renstra_objective.goal.renstra.agency
        p.plant("targets.range_inverted", f"indicator:{indicator.pk}", year, agency.code,
                f"Target {year} indikator \"{indicator.name}\" di Renstra {agency} diisi sebagai rentang "
                f"dengan minimum ({_plain(low)}) di atas maksimum ({_plain(high)}).")

    # A Renstra line's target for the last year of the period entered the same way (not the RKPD
    # year: its Renja line would then differ from it too).
    line = take_line(p, "ranges")
    if line is not None:
        entry = line.renstra_line.years.filter(year__gt=p.year, target__isnull=False, target__gt=1).order_by(
            "-year").first()
        if entry is not None and entry.target is not None:
            low, high = entry.target, entry.target - 1
            entry.target, entry.target_min, entry.target_max = None, low, high
            entry.save(update_fields=["target", "target_min", "target_max"])
            p.plant("targets.range_inverted", f"renstra_line:{line.renstra_line_id}", entry.year,
                    line.renja.agency.code,
                    f"Target {entry.year} baris Renstra {line.code} {line.renja.agency} diisi sebagai rentang "
                    f"dengan minimum ({_plain(low)}) di atas maksimum ({_plain(high)}).")

    _band_outside_province(p)


#: Inflation kept within a band: the national target 2.5 ± 1 % the province adopts, and the old
#: 3 ± 1 % the district still wrote for one year.
_BAND = (Decimal("1.5"), Decimal("3.5"))
_OLD_BAND = (Decimal("2.0"), Decimal("4.0"))


def _band_outside_province(p: Planter) -> None:
    """A key indicator kept within a band (inflation) whose local range for one year reaches beyond
    the provincial band; in every other year the local range equals the provincial one."""
    key = "inflation_rate"
    if Indicator.objects.filter(rpjmd=p.rpjmd, key=key).exists():
        return
    years = list(range(p.rpjmd.start_year, p.rpjmd.end_year + 1))
    if len(years) < 2:
        return
    outside = p.year + 1 if p.year + 1 in years else years[-1]
    local = Indicator.objects.create(rpjmd=p.rpjmd, key=key, name="Laju inflasi (y-on-y)", unit="%",
                                     direction=Direction.WITHIN_BAND.value, baseline=Decimal("2.35"))
    IndicatorTarget.objects.bulk_create([
        IndicatorTarget(indicator=local, year=year, target_min=(_OLD_BAND if year == outside else _BAND)[0],
                        target_max=(_OLD_BAND if year == outside else _BAND)[1])
        for year in years])
    p.cache.setdefault("touched_indicators", set()).add(local.pk)
    suffix = p.government.region_code.replace(".", "")
    higher, _ = HigherLevelIndicator.objects.update_or_create(
        plan=_province_plan(p), key=f"{key}-{suffix}"[:80],
        defaults={"name": f"Laju inflasi (target provinsi untuk {p.government.name})", "unit": "%",
                  "direction": Direction.WITHIN_BAND.value})
    map_indicator(p.government, higher, key)
    for year in years:
        HigherLevelTarget.objects.update_or_create(indicator=higher, year=year, defaults={
            "value": None, "target_min": _BAND[0], "target_max": _BAND[1]})
    p.plant("targets.outside_higher_band", f"indicator:{local.pk}", outside, "",
            f"Target {outside} indikator \"{local.name}\" di RPJMD masih {_plain(_OLD_BAND[0])}–"
            f"{_plain(_OLD_BAND[1])} %, keluar dari rentang target provinsi {_plain(_BAND[0])}–"
            f"{_plain(_BAND[1])} %.")


def _plain(value: Decimal) -> str:
    """A decimal as written in a plan (no trailing zeros, decimal comma)."""
    return format(value.normalize(), "f").replace(".", ",")
