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
from selaras.web.documents.builders.plan_rows import document_columns, snapshot, values
from selaras.web.plans.models import (
    Goal,
    Indicator,
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
                               "agency": line.renstra.agency.short_name or line.renstra.agency.code,
                               "unit": line.unit}
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


def _has_value(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _indicator_rows(payload: dict[str, Any], years: list[int], objectives: list[Objective]
                    ) -> dict[int, list[dict[str, Any]]]:
    """The snapshot's objective indicators as T-C.14 cells, in the snapshot's order, by objective
    id: placed under the objective numbered as in the snapshot (when two objectives share that
    number: under the indicator's objective now)."""
    lines = [line for line in payload.get("lines", [])
             if str(line.get("key", "")).startswith("indicator:") and line.get("code")]
    # (key indicators under no objective have no code: T-C.14 lists indicators per objective)
    by_number: dict[str, list[int]] = defaultdict(list)
    for objective in objectives:
        by_number[str(objective.number)].append(objective.pk)
    objective_of = dict(Indicator.objects.filter(pk__in=[line["id"] for line in lines if line.get("id")],
                                                 objective__isnull=False).values_list("pk", "objective_id"))
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        candidates = by_number.get(str(line["code"]), [])
        objective_id = candidates[0] if len(candidates) == 1 else objective_of.get(line.get("id") or 0)
        if objective_id is None:
            continue  # its objective is gone
        targets = line.get("targets", {})
        name, unit = str(line.get("name", "")), str(line.get("unit", "") or "").strip()
        row = {"indicator": name, "baseline": targets.get("baseline", ""),
               "end_target": targets.get("end", ""), "unit": unit}
        row.update({f"target_{y}": targets.get(str(y), "") for y in years})
        # T-C.14 has no "Satuan" column: the unit prints once, after each baseline and target
        # (plan_rows.values), never again after the indicator; a row with no value at all names
        # it after the indicator, else it would be lost
        if unit and not any(_has_value(row[key]) for key in ("baseline", "end_target", *(f"target_{y}" for y in years))):
            row["indicator"] = f"{name} ({unit})"
        found[objective_id].append(row)
    return found


def build_tc14(government: LocalGovernment, year: int, version: int | None = None, *,
               day: dt.date | None = None) -> Document:
    """T-C.14 of the RPJMD in force in `year`: its missions, goals, objectives and their indicators
    from the RPJMD's current state or stored version `version` (the same snapshot code, so two
    versions print exactly as they differ); under each objective the programmes of the agencies'
    Renstra as they are now (the Renstra are documents of their own)."""
    rpjmd = _rpjmd_for(government, year)
    years = rpjmd.years
    layout = rpjmd_tc14(years)
    payload, label = snapshot(government, "rpjmd", rpjmd, version)
    texts = {str(line.get("key", "")): str(line.get("name", "")) for line in payload.get("lines", [])}
    missions = list(Mission.objects.filter(rpjmd=rpjmd).order_by("number"))
    goals = list(Goal.objects.filter(mission__rpjmd=rpjmd).order_by("number"))
    objectives = list(Objective.objects.filter(goal__mission__rpjmd=rpjmd).order_by("number"))
    indicators = _indicator_rows(payload, years, objectives)
    programmes = _programmes(rpjmd, years)
    blank = {c.key: "" for c in layout.official_columns if c.kind in ("text", "code")}
    rows: list[Row] = []
    totals = {y: 0 for y in years}
    for mission in missions:
        text = texts.get(f"mission:{mission.number}", mission.text)
        rows.append(Row(values(layout, {**blank, "code": str(mission.number), "name": f"Misi: {text}"})))
        for goal in (g for g in goals if g.mission_id == mission.pk):
            text = texts.get(f"goal:{goal.number}", goal.text)
            rows.append(Row(values(layout, {**blank, "code": goal.number, "name": f"Tujuan: {text}"}), level=1))
            for objective in (o for o in objectives if o.goal_id == goal.pk):
                text = texts.get(f"objective:{objective.number}", objective.text)
                rows.append(Row(values(layout, {**blank, "code": objective.number,
                                                "name": f"Sasaran: {text}"}), level=2))
                for indicator in indicators.get(objective.pk, []):
                    rows.append(Row(values(layout, {**blank, **indicator}), level=3))
                for programme in programmes.get(objective.pk, []):
                    rows.append(Row(values(layout, {**blank, **programme}), level=3))
                    for y in years:
                        totals[y] += int(programme[f"budget_{y}"])
    total_row = {**blank, "code": "JUMLAH", **{f"budget_{y}": totals[y] for y in years},
                 "end_budget": sum(totals.values())}
    rows.append(Row(values(layout, total_row), kind=RowKind.TOTAL))
    return Document(
        title=layout.title.upper(), government_name=government_title(government),
        period=f"RPJMD Tahun {years[0]}–{years[-1]}", subtitle=label, code=layout.name,
        blocks=(Table(document_columns(layout), rows),),
        signatures=(signature_for(government, None, default_position="Kepala Bappeda", day=day),))


