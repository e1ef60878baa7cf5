"""The plans of a demo district: agencies, RPJPD and RPJMD (with indicators and targets),
Renstra per agency, the RKPD and its Renja lines. Thousands of rows, so `bulk_create` per level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from selaras.demo.model import DemoDistrict, DemoIndicator
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    LongTermPlan,
    MediumTermPlan,
    Mission,
    Objective,
    PolicyDirection,
    PriorityProgram,
    RenjaLine,
    Renstra,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
    Strategy,
)

__all__ = ["DistrictPlans", "write_plans"]

#: The demo's programme and activity indicators count what is delivered: higher is better.
_OUTPUT_DIRECTION = "up"


@dataclass(frozen=True)
class DistrictPlans:
    """What the proposals need of the written plans: agencies by code, Renja lines by (agency, code)."""

    agencies: dict[str, Agency]
    renja_lines: dict[tuple[str, str], RenjaLine]


def write_plans(government: LocalGovernment, district: DemoDistrict, report: Any) -> DistrictPlans:
    """Write every plan of `district`; `report(stage, done, total)` hears of each level."""
    report("rencana", 0, 4)
    agencies = _agencies(government, district)
    rpjmd, objectives = _rpjmd(government, district)
    report("rencana", 1, 4)
    renstra_lines = _renstras(district, agencies, rpjmd, objectives)
    report("rencana", 2, 4)
    renja_lines = _rkpd(government, district, agencies, rpjmd, renstra_lines)
    report("rencana", 4, 4)
    return DistrictPlans(agencies, renja_lines)


def _agencies(government: LocalGovernment, district: DemoDistrict) -> dict[str, Agency]:
    rows = Agency.objects.bulk_create([
        Agency(government=government, code=a.code, name=a.name, short_name=a.short_name,
               sector_codes=list(a.sector_codes), district_code=a.district_code)
        for a in district.agencies
    ])
    return {a.code: a for a in rows}


def _indicator(source: DemoIndicator, **owner: Any) -> Indicator:
    return Indicator(key=source.key, name=source.name, unit=source.unit, direction=source.direction,
                     baseline=source.baseline, end_value=source.end_value, **owner)


def _targets(pairs: Sequence[tuple[Indicator, DemoIndicator]]) -> None:
    IndicatorTarget.objects.bulk_create([
        IndicatorTarget(indicator=row, year=year, value=value)
        for row, source in pairs for year, value in source.targets
    ])


def _rpjmd(government: LocalGovernment, district: DemoDistrict) -> tuple[MediumTermPlan, dict[str, Objective]]:
    long_term = district.long_term_plan
    rpjpd = LongTermPlan.objects.create(government=government, start_year=long_term.start_year,
                                        end_year=long_term.end_year, vision=long_term.vision,
                                        missions=list(long_term.missions))
    source = district.rpjmd
    rpjmd = MediumTermPlan.objects.create(government=government, long_term_plan=rpjpd,
                                          start_year=source.start_year, end_year=source.end_year,
                                          vision=source.vision)
    pairs: list[tuple[Indicator, DemoIndicator]] = []
    for key in source.key_indicators:
        pairs.append((_indicator(key, rpjmd=rpjmd), key))
    objectives: dict[str, Objective] = {}
    for mission_source in source.missions:
        mission = Mission.objects.create(rpjmd=rpjmd, number=mission_source.number, text=mission_source.text)
        for goal_source in mission_source.goals:
            goal = Goal.objects.create(mission=mission, number=goal_source.number, text=goal_source.text)
            for objective_source in goal_source.objectives:
                objective = Objective.objects.create(goal=goal, number=objective_source.number,
                                                     text=objective_source.text)
                objectives[objective_source.number] = objective
                for indicator in objective_source.indicators:
                    pairs.append((_indicator(indicator, objective=objective), indicator))
                for strategy_source in objective_source.strategies:
                    strategy = Strategy.objects.create(objective=objective, text=strategy_source.text)
                    PolicyDirection.objects.bulk_create([
                        PolicyDirection(strategy=strategy, text=text) for text in strategy_source.policy_directions
                    ])
    Indicator.objects.bulk_create([row for row, _ in pairs])
    _targets(pairs)
    return rpjmd, objectives


def _renstras(
    district: DemoDistrict, agencies: dict[str, Agency], rpjmd: MediumTermPlan, objectives: dict[str, Objective],
) -> dict[tuple[str, str], RenstraLine]:
    """Renstra with goals, objectives (with indicators) and program/activity/sub-activity lines."""
    renstras = Renstra.objects.bulk_create([
        Renstra(agency=agencies[r.agency_code], rpjmd=rpjmd, start_year=r.start_year, end_year=r.end_year)
        for r in district.renstras
    ])
    goals = RenstraGoal.objects.bulk_create([
        RenstraGoal(renstra=row, number="1", text=source.goal_text)
        for row, source in zip(renstras, district.renstras, strict=True)
    ])
    renstra_objectives: list[RenstraObjective] = []
    for goal, source in zip(goals, district.renstras, strict=True):
        for objective in source.objectives:
            renstra_objectives.append(RenstraObjective(
                goal=goal, number=objective.number, text=objective.text,
                rpjmd_objective=objectives.get(objective.rpjmd_objective_number),
            ))
    RenstraObjective.objects.bulk_create(renstra_objectives)
    pairs: list[tuple[Indicator, DemoIndicator]] = []
    objective_of: dict[tuple[str, str], RenstraObjective] = {}
    position = 0
    for source in district.renstras:
        for objective in source.objectives:
            stored = renstra_objectives[position]
            position += 1
            objective_of[(source.agency_code, objective.number)] = stored
            for indicator in objective.indicators:
                pairs.append((_indicator(indicator, renstra_objective=stored), indicator))
    Indicator.objects.bulk_create([row for row, _ in pairs])
    _targets(pairs)

    lines: dict[tuple[str, str], RenstraLine] = {}
    years: list[RenstraLineYear] = []
    for level in ("program", "activity", "sub_activity"):
        batch: list[RenstraLine] = []
        sources = []
        for renstra, source in zip(renstras, district.renstras, strict=True):
            for line in source.lines:
                if line.level != level:
                    continue
                batch.append(RenstraLine(
                    renstra=renstra, parent=lines.get((source.agency_code, line.parent_code)),
                    objective=objective_of.get((source.agency_code, line.objective_number)),
                    level=line.level, code=line.code, nomenclature_edition=district.nomenclature_edition,
                    name=line.name[:400], indicator=line.indicator[:300], unit=line.unit,
                    direction=_OUTPUT_DIRECTION,
                ))
                sources.append((source.agency_code, line))
        RenstraLine.objects.bulk_create(batch)
        for written, (agency_code, line) in zip(batch, sources, strict=True):
            lines[(agency_code, line.code)] = written
            years.extend(RenstraLineYear(line=written, year=year, target=target, budget=budget)
                         for year, target, budget in line.years)
    RenstraLineYear.objects.bulk_create(years, batch_size=2_000)
    return lines


def _rkpd(
    government: LocalGovernment, district: DemoDistrict, agencies: dict[str, Agency], rpjmd: MediumTermPlan,
    renstra_lines: dict[tuple[str, str], RenstraLine],
) -> dict[tuple[str, str], RenjaLine]:
    source = district.rkpd
    rkpd = AnnualPlan.objects.create(government=government, rpjmd=rpjmd, year=source.year, stage=source.stage,
                                     ceiling=source.ceiling, theme=source.theme)
    PriorityProgram.objects.bulk_create([
        PriorityProgram(rkpd=rkpd, code=code, name=name[:400]) for code, name in source.priority_programs
    ])
    renjas = AgencyAnnualPlan.objects.bulk_create([
        AgencyAnnualPlan(rkpd=rkpd, agency=agencies[code], stage=source.stage, ceiling=ceiling)
        for code, ceiling in source.agency_ceilings
    ])
    renja_of = {renja.agency.code: renja for renja in renjas}
    rows = [
        RenjaLine(renja=renja_of[line.agency_code], renstra_line=renstra_lines.get((line.agency_code, line.code)),
                  code=line.code, nomenclature_edition=district.nomenclature_edition, name=line.name[:400],
                  indicator=line.indicator[:300], unit=line.unit, direction=_OUTPUT_DIRECTION,
                  target=line.target, budget=line.budget,
                  forward_estimate=line.forward_estimate, district_code=line.district_code)
        for line in source.renja_lines
    ]
    RenjaLine.objects.bulk_create(rows, batch_size=2_000)
    return {(row.renja.agency.code, row.code): row for row in rows}
