"""T-C.14: the RPJMD's missions, goals and objectives with their indicators, and under each
objective the programmes of the agencies' Renstra that serve it, with targets and funding per year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from selaras.domain.errors import NotFound
from selaras.domain.plan_cells import target_text
from selaras.formats.documents.model import Document, Row, RowKind, Table
from selaras.formats.plan_tables import rpjmd_tc14
from selaras.web.documents.builders.common import government_title, signature_for
from selaras.web.documents.builders.plan_rows import document_columns, values
from selaras.web.plans.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    MediumTermPlan,
    Mission,
    Objective,
    RenstraLine,
    RenstraLineYear,
)


def _rpjmd_for(government: LocalGovernment, year: int) -> MediumTermPlan:
    plans = MediumTermPlan.objects.filter(government=government)
    found = (plans.filter(start_year__lte=year, end_year__gte=year).order_by("-start_year", "-id").first()
             or plans.order_by("-start_year", "-id").first())
    if found is None:
        raise NotFound("RPJMD belum ada.", year=year)
    return found


def _targets(indicator_ids: list[int]) -> dict[int, dict[int, str]]:
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for pk, year, value, low, high in IndicatorTarget.objects.filter(indicator_id__in=indicator_ids).values_list(
            "indicator_id", "year", "value", "target_min", "target_max"):
        found[pk][year] = target_text(value, low, high)
    return found


def _programmes(rpjmd: MediumTermPlan, years: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Renstra programme lines per RPJMD objective id, as T-C.14 rows."""
    lines = list(RenstraLine.objects.filter(renstra__rpjmd=rpjmd, level="program",
                                            objective__rpjmd_objective__isnull=False)
                 .select_related("renstra__agency", "objective").order_by("code", "id"))
    by_line: dict[int, dict[int, tuple[Any, Any, Any, int]]] = defaultdict(dict)
    for pk, year, target, low, high, budget in RenstraLineYear.objects.filter(line__in=lines).values_list(
            "line_id", "year", "target", "target_min", "target_max", "budget"):
        by_line[pk][year] = (target, low, high, int(budget))
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        entries = by_line.get(line.pk, {})
        row: dict[str, Any] = {"code": line.code, "name": line.name, "indicator": line.indicator,
                               "baseline": target_text(line.baseline, None, None),
                               "end_target": target_text(line.end_target, None, None),
                               "agency": line.renstra.agency.short_name or line.renstra.agency.code}
        total = 0
        for y in years:
            target, low, high, budget = entries.get(y, (None, None, None, 0))
            row[f"target_{y}"] = target_text(target, low, high)
            row[f"budget_{y}"] = budget
            total += budget
        row["end_budget"] = total
        assert line.objective is not None
        found[line.objective.rpjmd_objective_id or 0].append(row)
    return found


def build_tc14(government: LocalGovernment, year: int, *, day: dt.date | None = None) -> Document:
    rpjmd = _rpjmd_for(government, year)
    years = rpjmd.years
    layout = rpjmd_tc14(years)
    missions = list(Mission.objects.filter(rpjmd=rpjmd).order_by("number"))
    goals = list(Goal.objects.filter(mission__rpjmd=rpjmd).order_by("number"))
    objectives = list(Objective.objects.filter(goal__mission__rpjmd=rpjmd).order_by("number"))
    indicators = list(Indicator.objects.filter(objective__in=objectives).order_by("id"))
    targets = _targets([i.pk for i in indicators])
    programmes = _programmes(rpjmd, years)
    blank = {c.key: "" for c in layout.official_columns if c.kind in ("text", "code")}
    rows: list[Row] = []
    totals = {y: 0 for y in years}
    for mission in missions:
        rows.append(Row(values(layout, {**blank, "code": str(mission.number), "name": f"Misi: {mission.text}"})))
        for goal in (g for g in goals if g.mission_id == mission.pk):
            rows.append(Row(values(layout, {**blank, "code": goal.number, "name": f"Tujuan: {goal.text}"}), level=1))
            for objective in (o for o in objectives if o.goal_id == goal.pk):
                rows.append(Row(values(layout, {**blank, "code": objective.number,
                                                "name": f"Sasaran: {objective.text}"}), level=2))
                for indicator in (i for i in indicators if i.objective_id == objective.pk):
                    row = {**blank, "indicator": f"{indicator.name} ({indicator.unit})" if indicator.unit
                           else indicator.name, "baseline": target_text(indicator.baseline, None, None),
                           "end_target": target_text(indicator.end_value, None, None)}
                    row.update({f"target_{y}": targets[indicator.pk].get(y, "") for y in years})
                    rows.append(Row(values(layout, row), level=3))
                for programme in programmes.get(objective.pk, []):
                    rows.append(Row(values(layout, {**blank, **programme}), level=3))
                    for y in years:
                        totals[y] += int(programme[f"budget_{y}"])
    total_row = {**blank, "code": "JUMLAH", **{f"budget_{y}": totals[y] for y in years},
                 "end_budget": sum(totals.values())}
    rows.append(Row(values(layout, total_row), kind=RowKind.TOTAL))
    return Document(
        title=layout.title.upper(), government_name=government_title(government),
        period=f"RPJMD Tahun {years[0]}–{years[-1]}", subtitle="Keadaan saat ini", code=layout.name,
        blocks=(Table(document_columns(layout), rows),),
        signatures=(signature_for(government, None, default_position="Kepala Bappeda", day=day),))


