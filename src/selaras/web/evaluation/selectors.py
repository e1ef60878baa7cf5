"""Reads of monev: the inputs of the evaluation engine built from the stored plans and realisation
(a few set-based queries for a whole government, so E.81 for every agency stays fast), and the
computed tables E.78–E.81.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from selaras.domain.plans import Direction, LineLevel
from selaras.engines.evaluation import (
    Aggregation,
    E81Input,
    E81Row,
    MultiYearInput,
    MultiYearRow,
    Target,
    aggregation_for_unit,
    e79_table,
    e81_row,
    e81_table,
    multi_year_table,
    period_target,
    year_money,
    year_value,
)
from selaras.web.evaluation.models import IndicatorRealisation, Realisation
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    MediumTermPlan,
    RenjaLine,
    Renstra,
    RenstraLine,
    RenstraLineYear,
)

__all__ = ["AgencyE81", "LineView", "e78", "e79", "e80", "e81_all", "e81_for_agency", "evaluation_years",
           "quarter_lines", "renja_of", "renstra_indicators"]


def _target(value: Decimal | None, low: Decimal | None = None, high: Decimal | None = None) -> Target:
    return Target(value=value, minimum=low, maximum=high)


def _direction(*values: str) -> Direction:
    for value in values:
        if value in (Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.WITHIN_BAND):
            return Direction(value)
    return Direction.HIGHER_IS_BETTER


def evaluation_years(government: LocalGovernment) -> list[int]:
    """Years that have an RKPD, newest first."""
    return list(AnnualPlan.objects.filter(government=government).order_by("-year").values_list("year", flat=True))


def renja_of(government: LocalGovernment, year: int, agency_id: int) -> AgencyAnnualPlan | None:
    return (AgencyAnnualPlan.objects.select_related("agency", "rkpd")
            .filter(rkpd__government=government, rkpd__year=year, agency_id=agency_id).first())


# ------------------------------------------------------------------------------ E.81


@dataclass
class AgencyE81:
    agency: Agency
    renja: AgencyAnnualPlan
    inputs: list[E81Input]
    rows: list[E81Row] = field(default_factory=list)
    total: E81Row | None = None


def _quarters(rows: Iterable[Mapping[str, Any]]) -> dict[int, dict[int, Mapping[str, Any]]]:
    by_line: dict[int, dict[int, Mapping[str, Any]]] = defaultdict(dict)
    for r in rows:
        by_line[r["line_id"]][r["quarter"]] = r
    return by_line


_LINE_FIELDS = ("pk", "renja_id", "code", "name", "indicator", "unit", "direction", "target", "target_min",
                "target_max", "budget", "renstra_line_id", "renstra_line__direction", "renstra_line__unit",
                "renstra_line__end_target", "renstra_line__responsible_unit", "renstra_line__objective__text")


def e81_all(government: LocalGovernment, year: int, agency_ids: Sequence[int] | None = None,
            compute: bool | str = True) -> list[AgencyE81]:
    """E.81 of every agency's Renja of `year` (or of `agency_ids`), in agency code order.

    `compute`: True builds the full table (programme and activity rows, total); "lines" only the
    sub-activity rows with the year's columns (7-13: what the dashboards summarise; the Renstra
    years and the realisation of earlier years are not read, so columns 6, 14 and 15 and the
    Renstra budget stay empty); False only the engine inputs.
    Set-based: seven queries whatever the number of agencies (four for "lines").
    """
    year_only = compute == "lines"
    renjas = (AgencyAnnualPlan.objects.select_related("agency", "rkpd")
              .filter(rkpd__government=government, rkpd__year=year).order_by("agency__code"))
    if agency_ids is not None:
        renjas = renjas.filter(agency_id__in=list(agency_ids))
    renja_list = list(renjas)
    if not renja_list:
        return []
    lines = list(RenjaLine.objects.filter(renja__in=renja_list).order_by("code").values(*_LINE_FIELDS))
    line_ids = [line["pk"] for line in lines]
    current = _quarters(Realisation.objects.filter(line_id__in=line_ids).values(
        "line_id", "quarter", "volume", "spent", "hindered", "follow_up"))
    renstra_ids = {line["renstra_line_id"] for line in lines if line["renstra_line_id"]}
    renstra_years: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    renstra_start: dict[int, int] = {}
    agency_of_renja = {renja.pk: renja.agency_id for renja in renja_list}
    # realisation of earlier years, by (agency, code, year)
    previous: dict[tuple[int, str], dict[int, list[Mapping[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    if not year_only:
        for ry in RenstraLineYear.objects.filter(line_id__in=renstra_ids).order_by("year").values(
                "line_id", "year", "target", "target_min", "target_max", "budget"):
            renstra_years[ry["line_id"]].append(ry)
        renstra_start = dict(RenstraLine.objects.filter(pk__in=renstra_ids).values_list("pk", "renstra__start_year"))
        for r in Realisation.objects.filter(
                line__renja__rkpd__government=government, line__renja__rkpd__year__lt=year,
                line__renja__agency_id__in=set(agency_of_renja.values())).values(
                "line__renja__agency_id", "line__code", "line__renja__rkpd__year", "quarter", "volume", "spent"):
            previous[(r["line__renja__agency_id"], r["line__code"])][r["line__renja__rkpd__year"]].append(r)
    result: dict[int, AgencyE81] = {r.pk: AgencyE81(agency=r.agency, renja=r, inputs=[]) for r in renja_list}
    for line in lines:
        item = result[line["renja_id"]]
        renstra_id = line["renstra_line_id"] or 0
        item.inputs.append(_line_input(line, str(item.agency), year, current.get(line["pk"], {}),
                                       renstra_years.get(renstra_id, []),
                                       year if year_only else renstra_start.get(renstra_id),
                                       previous.get((item.agency.pk, line["code"]), {})))
    out = list(result.values())
    if year_only:
        for item in out:
            item.rows = [e81_row(line) for line in item.inputs]
    elif compute:
        names = dict(RenstraLine.objects.filter(renstra__agency_id__in=set(agency_of_renja.values()),
                                                level__in=[LineLevel.PROGRAM.value, LineLevel.ACTIVITY.value])
                     .values_list("code", "name"))
        for item in out:
            item.rows, item.total = e81_table(item.inputs, names)
    return out


def _line_input(line: Mapping[str, Any], agency: str, year: int, quarters: Mapping[int, Mapping[str, Any]],
                renstra_years: list[Mapping[str, Any]], renstra_start: int | None,
                previous: Mapping[int, list[Mapping[str, Any]]]) -> E81Input:
    has_renstra = line["renstra_line_id"] is not None
    direction = _direction(line["direction"], line["renstra_line__direction"] or "")
    unit = line["unit"] or (line["renstra_line__unit"] or "")
    aggregation = aggregation_for_unit(unit)
    if has_renstra and line["renstra_line__end_target"] is not None:
        renstra_target = _target(line["renstra_line__end_target"])
    else:
        last = renstra_years[-1] if renstra_years else None
        if last and (last["target_min"] is not None or last["target_max"] is not None):
            renstra_target = _target(None, last["target_min"], last["target_max"])
        else:
            renstra_target = _target(period_target([ry["target"] for ry in renstra_years], aggregation))
    renstra_budget = sum(ry["budget"] for ry in renstra_years) if renstra_years else None
    start = renstra_start or min(previous, default=year)
    earlier: list[tuple[Decimal | None, int | None]] = []
    for y in range(start, year):
        rows = sorted(previous.get(y, []), key=lambda r: r["quarter"])
        earlier.append((year_value([r["volume"] for r in rows], aggregation),
                        year_money([r["spent"] for r in rows])))
    q = [quarters.get(n) for n in (1, 2, 3, 4)]
    last_note = next((r for r in reversed(q) if r and (r["hindered"] or r["follow_up"])), None)
    notes = ""
    if last_note:
        notes = "; ".join(t for t in (last_note["hindered"], last_note["follow_up"]) if t)
    return E81Input(
        code=line["code"], name=line["name"], objective=line["renstra_line__objective__text"] or "",
        indicator=line["indicator"], unit=unit, level=LineLevel.SUB_ACTIVITY, direction=direction,
        aggregation=aggregation, renstra_target=renstra_target, renstra_budget=renstra_budget,
        previous_years=tuple(earlier),
        year_target=_target(line["target"], line["target_min"], line["target_max"]), year_budget=line["budget"],
        quarters_k=tuple(r["volume"] if r else None for r in q),
        quarters_rp=tuple(r["spent"] if r else None for r in q),
        responsible_unit=line["renstra_line__responsible_unit"] or agency,
        notes=notes,
    )


def e81_for_agency(government: LocalGovernment, year: int, agency_id: int) -> AgencyE81 | None:
    found = e81_all(government, year, [agency_id])
    return found[0] if found else None


def e79(government: LocalGovernment, year: int) -> tuple[list[E81Row], E81Row] | None:
    """E.79: the RKPD of `year` per programme of each agency."""
    agencies = e81_all(government, year, compute=False)
    if not agencies:
        return None
    names = dict(RenstraLine.objects.filter(renstra__agency__government=government, level=LineLevel.PROGRAM.value)
                 .values_list("code", "name"))
    return e79_table({str(a.agency): a.inputs for a in agencies}, names)


# -------------------------------------------------------------------------- E.78 / E.80


def _units_by_key(government_id: int, indicators: Sequence[Indicator]) -> dict[str, str]:
    """For the keys of the indicators left without a unit: the unit the same key carries in the
    government's other plan indicators (RPJPD, RPJMD, Renstra; the most common one). An indicator's
    key names what it measures, so the same key is measured in the same unit."""
    keys = {i.key for i in indicators if i.key and not i.unit}
    if not keys:
        return {}
    owned = (Q(long_term_plan__government_id=government_id) | Q(rpjmd__government_id=government_id)
             | Q(objective__goal__mission__rpjmd__government_id=government_id)
             | Q(renstra_objective__goal__renstra__agency__government_id=government_id))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, unit in Indicator.objects.filter(owned, key__in=keys).exclude(unit="").order_by("id").values_list(
            "key", "unit"):
        counts[key][unit] += 1
    return {key: units.most_common(1)[0][0] for key, units in counts.items()}


def _indicator_inputs(government_id: int, indicators: Sequence[Indicator], years: tuple[int, ...],
                      group_of: dict[int, str], responsible: dict[int, str]) -> list[MultiYearInput]:
    """The indicators as E.78 / E.80 inputs: the Indonesian name, and the unit (the indicator's own,
    else its key's unit elsewhere in the plans: `_units_by_key`)."""
    ids = [i.pk for i in indicators]
    units = _units_by_key(government_id, indicators)
    targets: dict[int, dict[int, Target]] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(indicator_id__in=ids).values(
            "indicator_id", "year", "value", "target_min", "target_max"):
        targets[t["indicator_id"]][t["year"]] = _target(t["value"], t["target_min"], t["target_max"])
    realised: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for r in IndicatorRealisation.objects.filter(indicator_id__in=ids).values("indicator_id", "year", "value"):
        realised[r["indicator_id"]][r["year"]] = r["value"]
    return [
        MultiYearInput(
            code=ind.key or str(ind.pk), name=ind.name, unit=ind.unit or units.get(ind.key, ""), years=years,
            # plan indicators are measured once a year as levels: the period ends on the last year
            direction=_direction(ind.direction), aggregation=Aggregation.LAST,
            baseline=ind.baseline, targets=targets.get(ind.pk, {}), realisation=realised.get(ind.pk, {}),
            end_target=_target(ind.end_value) if ind.end_value is not None else None,
            level="indikator", group=group_of.get(ind.pk, ""), responsible_unit=responsible.get(ind.pk, ""),
        )
        for ind in indicators
    ]


def e78(government: LocalGovernment) -> tuple[MediumTermPlan, list[MultiYearRow]] | None:
    """E.78: the RPJMD's key and objective indicators over its five years."""
    rpjmd = MediumTermPlan.objects.filter(government=government).order_by("-start_year", "-id").first()
    if rpjmd is None:
        return None
    years = tuple(rpjmd.years)
    key = list(Indicator.objects.filter(rpjmd=rpjmd).order_by("id"))
    by_objective = list(Indicator.objects.filter(objective__goal__mission__rpjmd=rpjmd)
                        .select_related("objective").order_by("objective__number", "id"))
    group = {i.pk: "Indikator kinerja utama" for i in key}
    group.update({i.pk: f"Sasaran {i.objective.number}: {i.objective.text}" for i in by_objective if i.objective})
    return rpjmd, multi_year_table(_indicator_inputs(government.pk, [*key, *by_objective], years, group, {}))


def e80(agency: Agency) -> tuple[Renstra, list[MultiYearRow], list[MultiYearRow]] | None:
    """E.80: the agency's Renstra lines (targets, K and Rp realisation per year) and its objective
    indicators."""
    renstra = Renstra.objects.filter(agency=agency).order_by("-start_year", "-id").first()
    if renstra is None:
        return None
    years = tuple(range(renstra.start_year, renstra.end_year + 1))
    lines = list(RenstraLine.objects.filter(renstra=renstra).order_by("code", "level"))
    plan: dict[int, dict[int, Mapping[str, Any]]] = defaultdict(dict)
    for ry in RenstraLineYear.objects.filter(line__renstra=renstra).values(
            "line_id", "year", "target", "target_min", "target_max", "budget"):
        plan[ry["line_id"]][ry["year"]] = ry
    quarters: dict[tuple[str, int], list[Mapping[str, Any]]] = defaultdict(list)
    for r in Realisation.objects.filter(line__renja__agency=agency, line__renja__rkpd__year__in=years).values(
            "line__code", "line__renja__rkpd__year", "quarter", "volume", "spent"):
        quarters[(r["line__code"], r["line__renja__rkpd__year"])].append(r)
    sub_spent: dict[tuple[str, int], int] = defaultdict(int)
    items: list[MultiYearInput] = []
    for line in lines:
        aggregation = aggregation_for_unit(line.unit)
        realisation: dict[int, Decimal] = {}
        spent: dict[int, int] = {}
        for y in years:
            rows = sorted(quarters.get((line.code, y), []), key=lambda r: r["quarter"])
            if not rows:
                continue
            k = year_value([r["volume"] for r in rows], aggregation)
            if k is not None:
                realisation[y] = k
            rp = year_money([r["spent"] for r in rows])
            if rp is not None:
                spent[y] = rp
                if line.level == LineLevel.SUB_ACTIVITY.value:
                    for prefix in (line.code.rsplit(".", 1)[0], ".".join(line.code.split(".")[:3])):
                        sub_spent[(prefix, y)] += rp
        items.append(MultiYearInput(
            code=line.code, name=line.name, unit=line.unit, years=years, direction=_direction(line.direction),
            aggregation=aggregation, baseline=line.baseline,
            targets={y: _target(p["target"], p["target_min"], p["target_max"]) for y, p in plan[line.pk].items()},
            realisation=realisation, budgets={y: p["budget"] for y, p in plan[line.pk].items()}, spent=spent,
            end_target=_target(line.end_target) if line.end_target is not None else None,
            level=line.level, group=line.indicator, responsible_unit=line.responsible_unit or str(agency),
        ))
    # programme and activity lines: Rp realised is the sum of their sub-activities
    items = [
        item if item.level == LineLevel.SUB_ACTIVITY.value else MultiYearInput(
            code=item.code, name=item.name, unit=item.unit, years=item.years, direction=item.direction,
            aggregation=item.aggregation, baseline=item.baseline, targets=item.targets,
            realisation=item.realisation, budgets=item.budgets,
            spent={y: sub_spent[(item.code, y)] for y in years if (item.code, y) in sub_spent},
            end_target=item.end_target, level=item.level, group=item.group, responsible_unit=item.responsible_unit)
        for item in items
    ]
    return renstra, multi_year_table(items), _renstra_indicator_rows(agency, renstra)


def _renstra_indicator_rows(agency: Agency, renstra: Renstra) -> list[MultiYearRow]:
    years = tuple(range(renstra.start_year, renstra.end_year + 1))
    indicators = list(Indicator.objects.filter(renstra_objective__goal__renstra=renstra)
                      .select_related("renstra_objective").order_by("id"))
    group = {i.pk: f"Sasaran {i.renstra_objective.number}: {i.renstra_objective.text}"
             for i in indicators if i.renstra_objective}
    return multi_year_table(_indicator_inputs(agency.government_id, indicators, years, group,
                                              {i.pk: str(agency) for i in indicators}))


def renstra_indicators(agency: Agency) -> list[MultiYearRow]:
    """The agency's Renstra objective indicators over the Renstra years (for its dashboard)."""
    renstra = Renstra.objects.filter(agency=agency).order_by("-start_year", "-id").first()
    return _renstra_indicator_rows(agency, renstra) if renstra is not None else []


# ---------------------------------------------------------------------- quarter entry


@dataclass
class LineView:
    line: RenjaLine
    realisation: Realisation | None


def quarter_lines(renja: AgencyAnnualPlan, quarter: int) -> list[LineView]:
    """The Renja's lines with their realisation of `quarter` (for the entry page)."""
    lines = list(RenjaLine.objects.filter(renja=renja).order_by("code"))
    current = {r.line_id: r for r in Realisation.objects.filter(line__renja=renja, quarter=quarter)}
    return [LineView(line, current.get(line.pk)) for line in lines]
