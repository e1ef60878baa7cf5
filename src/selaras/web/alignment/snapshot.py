"""The one place where the ORM is turned into the alignment engine's `PlanSet`.

Every table is read with one `values_list` query (no per-row queries), so that a Bekasi-scale
government (about 40 agencies, thousands of Renstra and Renja lines, 160,000 proposals) is read
in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from selaras.domain.cascade import (
    AcceptedProposal,
    AgencyRef,
    GovernmentRef,
    HigherTarget,
    IndicatorOwner,
    IndicatorSnap,
    NomenclatureEntry,
    NomenclatureView,
    ObjectiveRef,
    PlanSet,
    PriorityProgramRef,
    RenjaLineSnap,
    RenjaRef,
    RenstraLineSnap,
    RenstraLineYear,
    RenstraObjectiveRef,
    RenstraRef,
    RkpdRef,
    RpjmdRef,
)
from selaras.domain.plans import Direction, GovernmentLevel, LineLevel
from selaras.domain.proposals import ProposalStatus
from selaras.domain.targets import TargetRange
from selaras.engines.memory import gc_paused
from selaras.web.alignment.models import (
    HigherLevelIndicator,
    HigherLevelPlan,
    HigherLevelTarget,
    IndicatorMapping,
)
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    MediumTermPlan,
    Objective,
    PriorityProgram,
    RenjaLine,
    Renstra,
    RenstraLine,
    RenstraObjective,
)
from selaras.web.plans.models import (
    RenstraLineYear as RenstraLineYearModel,
)
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.reference.models import NomenclatureItem

__all__ = ["build_plan_set", "rpjmd_for", "nomenclature_view"]

_NOMENCLATURE_CACHE: dict[tuple[str, int], NomenclatureView] = {}
_LINE_LEVELS = {level.value: level for level in LineLevel}
_DIRECTIONS = {direction.value: direction for direction in Direction}


def _raw(queryset: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    """Rows of `queryset.values_list(*fields)` straight from the cursor, without Django's per-value
    converters (they dominate the time on large tables); decimals come back as the driver gives them."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _dec(value: Any) -> Decimal | None:
    """A stored number as a plain Decimal without trailing zeros (8.7000 -> 8.7, 10.0000 -> 10),
    the same whichever way the database driver returned it."""
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def rpjmd_for(government: LocalGovernment, year: int) -> MediumTermPlan | None:
    """The RPJMD in force in `year` (the latest-starting one if periods overlap)."""
    return (MediumTermPlan.objects.filter(government=government, start_year__lte=year, end_year__gte=year)
            .order_by("-start_year", "-id").first())


def nomenclature_view(edition: str) -> NomenclatureView:
    """The nomenclature edition as a lookup, cached per edition while its row count is unchanged."""
    rows = NomenclatureItem.objects.filter(edition=edition)
    count = rows.count()
    cached = _NOMENCLATURE_CACHE.get((edition, count))
    if cached is not None:
        return cached
    entries: dict[str, list[NomenclatureEntry]] = defaultdict(list)
    for code, level, gov_level, active in _raw(rows, "code", "level", "government_level", "active"):
        entries[code].append(NomenclatureEntry(code, level, gov_level, bool(active)))
    view = NomenclatureView(edition=edition, entries={c: tuple(e) for c, e in entries.items()})
    _NOMENCLATURE_CACHE.clear()
    _NOMENCLATURE_CACHE[(edition, count)] = view
    return view


def build_plan_set(government: LocalGovernment, year: int) -> PlanSet:
    """Snapshot of `government`'s plans for the alignment check of `year`."""
    # Tens of thousands of small objects are made here and none is garbage: pausing the cyclic
    # collector avoids full collections over the whole process (measured: a third of the time).
    with gc_paused():
        return _build(government, year)


def _build(government: LocalGovernment, year: int) -> PlanSet:
    gov = GovernmentRef(government.pk, government.region_code, government.name,
                        GovernmentLevel(government.level), government.nomenclature_edition)
    rpjmd_model = rpjmd_for(government, year)
    rpjmd = RpjmdRef(rpjmd_model.pk, rpjmd_model.start_year, rpjmd_model.end_year) if rpjmd_model else None

    objectives: tuple[ObjectiveRef, ...] = ()
    if rpjmd_model is not None:
        objectives = tuple(ObjectiveRef(i, n, t) for i, n, t in Objective.objects.filter(
            goal__mission__rpjmd=rpjmd_model).order_by("id").values_list("id", "number", "text"))

    agencies = tuple(
        AgencyRef(i, code, short or name, tuple(sectors or ()), district or "")
        for i, code, name, short, sectors, district in Agency.objects.filter(government=government)
        .order_by("id").values_list("id", "code", "name", "short_name", "sector_codes", "district_code"))

    renstra_qs = Renstra.objects.filter(agency__government=government, start_year__lte=year, end_year__gte=year)
    renstras = tuple(RenstraRef(*row) for row in renstra_qs.order_by("id").values_list(
        "id", "agency_id", "start_year", "end_year"))
    renstra_objectives = tuple(RenstraObjectiveRef(i, r, n, o) for i, r, n, o in RenstraObjective.objects.filter(
        goal__renstra__in=renstra_qs).order_by("id").values_list("id", "goal__renstra_id", "number",
                                                                 "rpjmd_objective_id"))

    indicators = _indicators(rpjmd_model, renstra_qs, government, year)
    renstra_lines = _renstra_lines(renstra_qs)

    rkpd_model = AnnualPlan.objects.filter(government=government, year=year).first()
    rkpd = RkpdRef(rkpd_model.pk, rkpd_model.year, rkpd_model.ceiling) if rkpd_model else None
    priority_programs: tuple[PriorityProgramRef, ...] = ()
    renjas: tuple[RenjaRef, ...] = ()
    renja_lines: tuple[RenjaLineSnap, ...] = ()
    if rkpd_model is not None:
        priority_programs = tuple(PriorityProgramRef(*row) for row in PriorityProgram.objects.filter(
            rkpd=rkpd_model).order_by("id").values_list("id", "code", "name"))
        renjas = tuple(RenjaRef(*row) for row in AgencyAnnualPlan.objects.filter(rkpd=rkpd_model)
                       .order_by("id").values_list("id", "agency_id", "ceiling"))
        renja_lines = tuple(
            RenjaLineSnap(i, renja_id, code, renstra_line_id, _dec(target), budget, district or "", _dec(low),
                          _dec(high), edition)
            for i, renja_id, code, renstra_line_id, target, budget, district, low, high, edition in _raw(
                RenjaLine.objects.filter(renja__rkpd=rkpd_model).order_by("id"),
                "id", "renja_id", "code", "renstra_line_id", "target", "budget", "district_code", "target_min",
                "target_max", "nomenclature_edition"))

    return PlanSet(
        government=gov, year=year, rpjmd=rpjmd, objectives=objectives, indicators=indicators,
        agencies=agencies, renstras=renstras, renstra_objectives=renstra_objectives,
        renstra_lines=renstra_lines, rkpd=rkpd, priority_programs=priority_programs, renjas=renjas,
        renja_lines=renja_lines, proposals=_accepted_proposals(government, year),
        nomenclature=nomenclature_view(government.nomenclature_edition),
        higher_targets=_higher_targets(government),
    )


def _indicators(rpjmd: MediumTermPlan | None, renstra_qs: QuerySet[Renstra], government: LocalGovernment,
                year: int) -> tuple[IndicatorSnap, ...]:
    # the RPJPD in force: its long-term targets are checked against the RPJPN's
    owner = Q(renstra_objective__goal__renstra__in=renstra_qs) | Q(
        long_term_plan__government=government, long_term_plan__start_year__lte=year,
        long_term_plan__end_year__gte=year)
    if rpjmd is not None:
        owner |= Q(rpjmd=rpjmd) | Q(objective__goal__mission__rpjmd=rpjmd)
    chosen = Indicator.objects.filter(owner)
    targets: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    ranges: dict[int, list[tuple[int, TargetRange]]] = defaultdict(list)
    for indicator_id, year, value, low, high in _raw(IndicatorTarget.objects.filter(
            indicator__in=chosen.values("id")).order_by("indicator_id", "year"),
            "indicator_id", "year", "value", "target_min", "target_max"):
        target = TargetRange.of(_dec(value), _dec(low), _dec(high))
        if target is None:
            continue
        if target.is_single and target.low is not None:
            targets[indicator_id].append((year, target.low))
        ranges[indicator_id].append((year, target))
    result = []
    for (i, rpjmd_id, objective_id, renstra_objective_id, rpjpd_id, key, name, unit, direction, baseline,
         end_value) in chosen.order_by("id").values_list(
            "id", "rpjmd_id", "objective_id", "renstra_objective_id", "long_term_plan_id", "key", "name", "unit",
            "direction", "baseline", "end_value"):
        if rpjpd_id is not None:
            owner_kind, owner_id = IndicatorOwner.RPJPD, rpjpd_id
        elif objective_id is not None:
            owner_kind, owner_id = IndicatorOwner.OBJECTIVE, objective_id
        elif renstra_objective_id is not None:
            owner_kind, owner_id = IndicatorOwner.RENSTRA_OBJECTIVE, renstra_objective_id
        else:
            owner_kind, owner_id = IndicatorOwner.RPJMD, rpjmd_id
        result.append(IndicatorSnap(i, owner_kind, owner_id, name, key, unit, _DIRECTIONS[direction], _dec(baseline),
                                    _dec(end_value), tuple(targets.get(i, ())), tuple(ranges.get(i, ()))))
    return tuple(result)


def _renstra_lines(renstra_qs: QuerySet[Renstra]) -> tuple[RenstraLineSnap, ...]:
    years: dict[int, list[RenstraLineYear]] = defaultdict(list)
    for line_id, year, target, budget, low, high in _raw(RenstraLineYearModel.objects.filter(
            line__renstra__in=renstra_qs).order_by("line_id", "year"), "line_id", "year", "target", "budget",
            "target_min", "target_max"):
        years[line_id].append(RenstraLineYear(year, _dec(target), budget, _dec(low), _dec(high)))
    return tuple(
        RenstraLineSnap(i, renstra_id, _LINE_LEVELS[level], code, parent_id, objective_id, tuple(years.get(i, ())),
                        edition)
        for i, renstra_id, level, code, parent_id, objective_id, edition in _raw(RenstraLine.objects.filter(
            renstra__in=renstra_qs).order_by("id"), "id", "renstra_id", "level", "code", "parent_id", "objective_id",
            "nomenclature_edition"))


def _accepted_proposals(government: LocalGovernment, year: int) -> tuple[AcceptedProposal, ...]:
    accepted = Proposal.objects.filter(government=government, year=year, status=ProposalStatus.ACCEPTED.value)
    decided_cost: dict[int, int] = {}
    # The latest decision that set a cost wins (decisions are append-only, ordered by time).
    for proposal_id, cost in _raw(Decision.objects.filter(
            proposal__in=accepted.values("id"), new_cost__isnull=False).order_by("created_at", "id"),
            "proposal_id", "new_cost"):
        decided_cost[proposal_id] = cost
    return tuple(
        AcceptedProposal(i, number, agency_id, code or "", line_id, decided_cost.get(i, cost))
        for i, number, agency_id, code, line_id, cost in _raw(accepted.order_by("id"),
            "id", "number", "agency_id", "sub_activity_code", "renja_line_id", "estimated_cost"))


def _higher_targets(government: LocalGovernment) -> tuple[HigherTarget, ...]:
    plans = Q(level=HigherLevelPlan.LEVEL_NATIONAL)
    if government.level != GovernmentLevel.PROVINCE.value:
        plans |= Q(level=HigherLevelPlan.LEVEL_PROVINCE, region_code=government.region_code.split(".")[0])
    plan_qs = HigherLevelPlan.objects.filter(plans)
    indicator_qs = HigherLevelIndicator.objects.filter(plan__in=plan_qs)
    mapped = dict(IndicatorMapping.objects.filter(government=government, higher_indicator__in=indicator_qs)
                  .values_list("higher_indicator_id", "local_key"))
    result = []
    for (indicator_id, plan, level, key, name, unit, direction, year, value, low,
         high) in HigherLevelTarget.objects.filter(indicator__in=indicator_qs).order_by("indicator_id", "year").values_list(
            "indicator_id", "indicator__plan__name", "indicator__plan__level", "indicator__key",
            "indicator__name", "indicator__unit", "indicator__direction", "year", "value", "target_min", "target_max"):
        if value is None and low is None and high is None:
            continue
        result.append(HigherTarget(plan, level, mapped.get(indicator_id, key), year, _dec(value) or Decimal(0),
                                   _DIRECTIONS[direction], unit, name, _dec(low), _dec(high)))
    return tuple(result)
