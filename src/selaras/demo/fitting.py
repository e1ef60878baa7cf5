"""Make a generated cycle consistent: the demo district's own plans raise no alignment finding.

The alignment check (selaras.engines.alignment) must find exactly the flaws planted on purpose
after loading, so the generator itself leaves none behind:

- `serve_all_objectives`: every RPJMD objective is served by at least one Renstra program (at
  the small scale, objectives whose sectors have no agency are taken up by the agencies there);
- `fit_budgets`: every Renja line's budget covers the accepted proposals on it, stays within its
  Renstra line's budget for the year, kecamatan manage at least `DISTRICT_SHARE` of the year's
  budget, and the agency and regional ceilings cover what the Renja hold. Where a Renja line
  grows, its forward estimate and its Renstra line's whole five-year path grow in proportion:
  a Renstra raised in the RKPD year alone would show that year at up to hundreds of times the
  others, which a Bappeda planner reads as a data error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from selaras.demo.codes import activity_of, program_of
from selaras.demo.model import (
    DemoAgency,
    DemoDecisions,
    DemoProposals,
    DemoRenstra,
    DemoRenstraLine,
    DemoRenstraObjective,
    DemoRKPD,
    DemoRPJMD,
)

__all__ = ["DISTRICT_SHARE", "fit_budgets", "serve_all_objectives"]

# Share of the year's budget managed by kecamatan offices (the alignment check wants >= 5 %).
DISTRICT_SHARE = Decimal("0.06")
MILLION = 1_000_000


def _round_up(amount: int, unit: int = MILLION) -> int:
    return -(-amount // unit) * unit


def serve_all_objectives(
    renstras: tuple[DemoRenstra, ...], agencies: tuple[DemoAgency, ...], rpjmd: DemoRPJMD,
) -> tuple[DemoRenstra, ...]:
    """Give each RPJMD objective that no Renstra program serves a Renstra objective of its own,
    carried by one program of an agency that has a program to spare (sector match first)."""
    objectives = [o for m in rpjmd.missions for g in m.goals for o in g.objectives]
    served = {
        objective.rpjmd_objective_number
        for renstra in renstras for objective in renstra.objectives
        if any(line.objective_number == objective.number for line in renstra.lines)
    }
    by_code = {a.code: a for a in agencies}
    result = list(renstras)
    for objective in objectives:
        if objective.number in served:
            continue
        best: tuple[tuple[int, int, int], int, str] | None = None
        for position, renstra in enumerate(result):
            agency = by_code[renstra.agency_code]
            if agency.district_code:
                continue
            programs = sorted(line.code for line in renstra.lines
                              if line.level == "program" and line.objective_number == "1.1")
            if len(programs) < 2:
                continue  # the agency keeps at least one program on its own objective
            match = int(not set(objective.sector_codes) & set(agency.sector_codes))
            moved = len(renstra.objectives) - 2  # objectives already taken up
            key = (match, moved, position)
            if best is None or key < best[0]:
                best = (key, position, programs[-1])
        if best is None:
            continue
        _, position, program = best
        renstra = result[position]
        agency = by_code[renstra.agency_code]
        number = f"1.{len(renstra.objectives) + 1}"
        new_objective = DemoRenstraObjective(
            number=number, text=f"{objective.text} (urusan {agency.short_name})",
            rpjmd_objective_number=objective.number, indicators=(),
        )
        lines = tuple(
            replace(line, objective_number=number) if program_of(line.code) == program else line
            for line in renstra.lines
        )
        result[position] = replace(renstra, objectives=(*renstra.objectives, new_objective), lines=lines)
        served.add(objective.number)
    return tuple(result)


def _accepted_costs(proposals: DemoProposals, decisions: DemoDecisions) -> dict[tuple[str, str], int]:
    """(agency, sub-activity) -> cost of the accepted proposals there (latest decided cost)."""
    decided: dict[int, int] = {}
    for index, new_cost in zip(decisions.proposal, decisions.new_cost, strict=True):
        if new_cost is not None:
            decided[index] = new_cost
    costs: dict[tuple[str, str], int] = defaultdict(int)
    for i in range(len(proposals.number)):
        if proposals.status[i] != "accepted" or not proposals.agency_code[i]:
            continue
        costs[(proposals.agency_code[i], proposals.sub_activity_code[i])] += decided.get(i, proposals.estimated_cost[i])
    return costs


def fit_budgets(
    rkpd: DemoRKPD, renstras: tuple[DemoRenstra, ...], agencies: tuple[DemoAgency, ...],
    proposals: DemoProposals, decisions: DemoDecisions,
) -> tuple[DemoRKPD, tuple[DemoRenstra, ...]]:
    """Renja lines sized to their accepted proposals and the kecamatan share, Renstra and ceilings
    raised to match (see the module docstring)."""
    costs = _accepted_costs(proposals, decisions)
    offices = {a.code for a in agencies if a.district_code}
    lines = list(rkpd.renja_lines)
    budgets = [max(line.budget, _round_up(costs.get((line.agency_code, line.code), 0))) for line in lines]

    # kecamatan offices' lines grow until they manage DISTRICT_SHARE of the year's budget
    managed = sum(b for line, b in zip(lines, budgets, strict=True) if line.agency_code in offices)
    total = sum(budgets)
    office_factor = Decimal(1)
    if managed and total and Decimal(managed) / total < DISTRICT_SHARE:
        wanted = DISTRICT_SHARE * (total - managed) / (1 - DISTRICT_SHARE)
        office_factor = wanted / managed * Decimal("1.001")
        budgets = [_round_up(int(b * office_factor), 1000) if line.agency_code in offices else b
                   for line, b in zip(lines, budgets, strict=True)]

    new_budget = {(line.agency_code, line.code): b for line, b in zip(lines, budgets, strict=True)}
    renja_lines = tuple(
        replace(line, budget=b, forward_estimate=_grown(line.forward_estimate, b, line.budget))
        for line, b in zip(lines, budgets, strict=True)
    )
    new_renstras = tuple(
        _fit_renstra(renstra, rkpd.year, new_budget, office_factor if renstra.agency_code in offices else None)
        for renstra in renstras
    )
    totals: dict[str, int] = defaultdict(int)
    for line in renja_lines:
        totals[line.agency_code] += line.budget
    ceilings = tuple((code, max(ceiling, _round_up(totals[code]))) for code, ceiling in rkpd.agency_ceilings)
    return replace(rkpd, renja_lines=renja_lines, agency_ceilings=ceilings,
                   ceiling=max(rkpd.ceiling, sum(c for _, c in ceilings))), new_renstras


def _grown(amount: int, new: int, old: int) -> int:
    """`amount` grown as `old` grew to `new` (to the thousand, integer arithmetic)."""
    if new == old or old <= 0:
        return amount
    return amount * new // old // 1000 * 1000


def _fit_renstra(
    renstra: DemoRenstra, year: int, budget: dict[tuple[str, str], int], factor: Decimal | None,
) -> DemoRenstra:
    """Scale an office's sub-activity lines by `factor`; where a Renja line needs more than its
    Renstra line holds for `year`, raise every year of that line in proportion (the year itself to
    the Renja line's budget exactly), so the five-year path keeps its shape; add the activity and
    program totals up again."""
    subs: dict[str, DemoRenstraLine] = {}
    for line in renstra.lines:
        if line.level != "sub_activity":
            continue
        years = line.years
        if factor is not None and factor != 1:
            years = tuple((y, target, int(amount * factor) // 1000 * 1000) for y, target, amount in years)
        renja = budget.get((renstra.agency_code, line.code), 0)
        planned = next(amount for y, _, amount in years if y == year)
        if renja > planned:
            years = tuple((y, target, renja if y == year else _grown(amount, renja, planned))
                          for y, target, amount in years)
        subs[line.code] = replace(line, years=years)
    if all(subs[c].years == line.years for c, line in ((ln.code, ln) for ln in renstra.lines
                                                      if ln.level == "sub_activity")):
        return renstra
    sums: dict[str, list[int]] = {}
    for line in subs.values():
        for parent in (activity_of(line.code), program_of(line.code)):
            row = sums.setdefault(parent, [0] * len(line.years))
            for i, (_, _, amount) in enumerate(line.years):
                row[i] += amount
    out: list[DemoRenstraLine] = []
    for line in renstra.lines:
        if line.level == "sub_activity":
            out.append(subs[line.code])
        elif line.code in sums:
            out.append(replace(line, years=tuple(
                (y, target, sums[line.code][i]) for i, (y, target, _) in enumerate(line.years))))
        else:
            out.append(line)
    return replace(renstra, lines=tuple(out))
