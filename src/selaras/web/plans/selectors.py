"""Read queries of the plan pages. Every page costs a fixed number of queries (prefetch, no per-row
queries), whatever the size of the plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum

from selaras.domain.errors import NotFound
from selaras.domain.plan_cells import target_text
from selaras.reference.editions import PACKAGED_EDITIONS
from selaras.web.http import AnyUser
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    Goal,
    Indicator,
    LocalGovernment,
    MediumTermPlan,
    Mission,
    Objective,
    PriorityProgram,
    Renstra,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
)

__all__ = [
    "IndicatorRow", "LineRow", "government_by_code", "government_for", "governments_for_choice", "overview",
    "current_rpjmd", "latest_rkpd", "rpjmd_detail", "agency_list", "agency_of", "renstra_detail",
    "rkpd_detail", "renja_detail", "indicator_rows",
]

SESSION_GOVERNMENT_KEY = "selaras_pemda"


# --- scope -----------------------------------------------------------------------------------

def government_for(user: AnyUser, chosen_id: object = None) -> LocalGovernment | None:
    """The government a user reads: its membership's; for staff without one, the chosen or first."""
    membership = getattr(user, "membership", None)
    if membership is not None:
        return membership.government
    if not (user.is_superuser or user.is_staff):
        return None
    governments = LocalGovernment.objects.all()
    if chosen_id not in (None, ""):
        try:
            chosen = governments.filter(pk=int(str(chosen_id))).first()
        except ValueError:
            chosen = None
        if chosen is not None:
            return chosen
    # Prefer a government that has a plan; otherwise the first by code.
    with_plan = governments.filter(rpjmds__isnull=False).order_by("region_code").first()
    return with_plan or governments.order_by("region_code").first()


def government_by_code(code: str, edition: str | None = None) -> LocalGovernment:
    """The government of region code `code` (e.g. "32.16"), on region edition `edition` if given.

    Why one function: a government is stored once per region edition, so with two editions loaded
    one code names two governments, and every command and the API must pick the same one. Without
    `edition` it is the one on the newest region edition (editions in the order Selaras ships them,
    `selaras.reference.editions`; an edition this version does not ship counts as older), then the
    latest created. Raises `NotFound` (Bahasa message) when there is none.
    """
    code = code.strip()
    found = LocalGovernment.objects.filter(region_code=code)
    if edition:
        found = found.filter(region_edition=edition)
    candidates = list(found)
    if not candidates:
        where = f" pada edisi kode wilayah {edition}" if edition else ""
        raise NotFound(f"Pemerintah daerah dengan kode {code}{where} tidak ditemukan.",
                       region_code=code, region_edition=edition or "")
    shipped = [e.key for e in PACKAGED_EDITIONS if e.kind == "region"]
    rank = {key: i for i, key in enumerate(shipped)}
    return max(candidates, key=lambda g: (rank.get(g.region_edition, -1), g.pk))


def governments_for_choice(user: AnyUser) -> list[LocalGovernment]:
    """Governments a staff user without membership may switch between (empty for members)."""
    if getattr(user, "membership", None) is not None or not (user.is_superuser or user.is_staff):
        return []
    return list(LocalGovernment.objects.order_by("region_code").only("id", "name", "region_code")[:600])


def current_rpjmd(government: LocalGovernment) -> MediumTermPlan | None:
    return MediumTermPlan.objects.filter(government=government).order_by("-start_year", "-id").first()


def latest_rkpd(government: LocalGovernment) -> AnnualPlan | None:
    return AnnualPlan.objects.filter(government=government).order_by("-year").first()


# --- overview --------------------------------------------------------------------------------

def overview(government: LocalGovernment) -> dict[str, object]:
    rpjmd = current_rpjmd(government)
    counts: dict[str, int] = {"missions": 0, "goals": 0, "objectives": 0, "key_indicators": 0}
    if rpjmd is not None:
        counts = {
            "missions": Mission.objects.filter(rpjmd=rpjmd).count(),
            "goals": Goal.objects.filter(mission__rpjmd=rpjmd).count(),
            "objectives": Objective.objects.filter(goal__mission__rpjmd=rpjmd).count(),
            "key_indicators": Indicator.objects.filter(rpjmd=rpjmd).count(),
        }
    agency_counts = Agency.objects.filter(government=government).aggregate(
        agencies=Count("id", distinct=True),
        with_renstra=Count("id", filter=Q(renstras__isnull=False), distinct=True),
    )
    rkpds = list(
        AnnualPlan.objects.filter(government=government)
        .annotate(renja_count=Count("renjas"), renja_ceiling=Sum("renjas__ceiling"))
        .order_by("-year")
    )
    return {"government": government, "rpjmd": rpjmd, "counts": counts, "rkpds": rkpds, **agency_counts}


# --- indicators ------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    targets: list[Decimal | str | None]


def shown_target(value: Decimal | None, low: Decimal | None, high: Decimal | None) -> Decimal | str | None:
    """A target for a read page: the number (formatted by the page) or a range's text ('0,6 – 1,8')."""
    if value is not None or (low is None and high is None):
        return value
    return target_text(None, low, high)


def indicator_rows(indicators: Iterable[Indicator], years: Sequence[int]) -> list[IndicatorRow]:
    """Targets aligned with `years` (None where a year has no target). Uses prefetched targets."""
    rows = []
    for indicator in indicators:
        by_year = {t.year: shown_target(t.value, t.target_min, t.target_max) for t in indicator.targets.all()}
        rows.append(IndicatorRow(indicator, [by_year.get(y) for y in years]))
    return rows


_INDICATORS_WITH_TARGETS = Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets"))


# --- RPJMD -----------------------------------------------------------------------------------

def rpjmd_detail(government: LocalGovernment, rpjmd_id: int) -> dict[str, object] | None:
    objectives = Objective.objects.prefetch_related("strategies__policy_directions", _INDICATORS_WITH_TARGETS)
    goals = Goal.objects.prefetch_related(Prefetch("objectives", queryset=objectives))
    missions = Mission.objects.prefetch_related(Prefetch("goals", queryset=goals))
    rpjmd = (
        MediumTermPlan.objects.filter(government=government, pk=rpjmd_id)
        .select_related("government", "long_term_plan")
        .prefetch_related(
            Prefetch("missions", queryset=missions),
            Prefetch("key_indicators", queryset=Indicator.objects.prefetch_related("targets")),
        )
        .first()
    )
    if rpjmd is None:
        return None
    years = rpjmd.years
    for mission in rpjmd.missions.all():
        for goal in mission.goals.all():
            for objective in goal.objectives.all():
                objective.indicator_table = indicator_rows(objective.indicators.all(), years)
    return {
        "rpjmd": rpjmd,
        "years": years,
        "key_indicators": indicator_rows(rpjmd.key_indicators.all(), years),
    }


# --- agencies --------------------------------------------------------------------------------

def agency_list(government: LocalGovernment) -> dict[str, object]:
    rkpd = latest_rkpd(government)
    renjas = AgencyAnnualPlan.objects.filter(rkpd=rkpd) if rkpd is not None else AgencyAnnualPlan.objects.none()
    agencies = list(
        Agency.objects.filter(government=government)
        .prefetch_related(
            Prefetch("renstras", queryset=Renstra.objects.order_by("-start_year", "-id")),
            Prefetch("renjas", queryset=renjas, to_attr="current_renjas"),
        )
        .order_by("code")
    )
    return {"agencies": agencies, "rkpd": rkpd}


def agency_of(government: LocalGovernment, agency_id: int) -> Agency | None:
    return Agency.objects.filter(government=government, pk=agency_id).first()


# --- Renstra ---------------------------------------------------------------------------------

@dataclass
class LineRow:
    """One program, activity or sub-activity with values aligned to the plan's years."""

    line: Any
    depth: int
    targets: list[Decimal | str | None] = field(default_factory=list)
    budgets: list[int] = field(default_factory=list)
    is_leaf: bool = True

    @property
    def total_budget(self) -> int:
        return sum(self.budgets)

    @property
    def pairs(self) -> list[tuple[Decimal | str | None, int]]:
        return list(zip(self.targets, self.budgets, strict=True))


def _tree_order(lines: list[RenstraLine]) -> list[tuple[RenstraLine, int, bool]]:
    """Depth-first order by parent link (codes as tie-break); lines whose parent is elsewhere are roots."""
    ids = {line.pk for line in lines}
    children: dict[int | None, list[RenstraLine]] = defaultdict(list)
    for line in lines:
        children[line.parent_id if line.parent_id in ids else None].append(line)
    for siblings in children.values():
        siblings.sort(key=lambda x: (x.code, x.pk))
    ordered: list[tuple[RenstraLine, int, bool]] = []
    stack: list[tuple[RenstraLine, int]] = [(line, 0) for line in reversed(children[None])]
    while stack:
        line, depth = stack.pop()
        kids = children.get(line.pk, [])
        ordered.append((line, depth, not kids))
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    return ordered


def renstra_detail(agency: Agency, renstra_id: int | None = None) -> dict[str, object] | None:
    renstras = Renstra.objects.filter(agency=agency).select_related("agency", "rpjmd")
    renstra = (renstras.filter(pk=renstra_id) if renstra_id else renstras.order_by("-start_year", "-id")).first()
    if renstra is None:
        return None
    years = list(range(renstra.start_year, renstra.end_year + 1))
    objectives = RenstraObjective.objects.select_related("rpjmd_objective").prefetch_related(
        _INDICATORS_WITH_TARGETS
    )
    goals = list(
        RenstraGoal.objects.filter(renstra=renstra).prefetch_related(Prefetch("objectives", queryset=objectives))
    )
    lines = list(
        RenstraLine.objects.filter(renstra=renstra)
        .select_related("objective")
        .prefetch_related(Prefetch("years", queryset=RenstraLineYear.objects.order_by("year")))
    )
    rows = []
    year_totals = [0] * len(years)
    for line, depth, is_leaf in _tree_order(lines):
        by_year = {y.year: y for y in line.years.all()}
        row = LineRow(
            line=line, depth=depth, is_leaf=is_leaf,
            targets=[shown_target(by_year[y].target, by_year[y].target_min, by_year[y].target_max)
                     if y in by_year else None for y in years],
            budgets=[by_year[y].budget if y in by_year else 0 for y in years],
        )
        if is_leaf:  # leaves carry the money; upper levels would count it twice
            year_totals = [a + b for a, b in zip(year_totals, row.budgets, strict=True)]
        rows.append(row)
    for goal in goals:
        for objective in goal.objectives.all():
            objective.indicator_table = indicator_rows(objective.indicators.all(), years)
    return {
        "renstra": renstra,
        "other_renstras": [r for r in renstras.order_by("-start_year") if r.pk != renstra.pk],
        "years": years,
        "goals": goals,
        "rows": rows,
        "year_totals": year_totals,
        "grand_total": sum(year_totals),
        "counts": {
            level: sum(1 for r in rows if r.line.level == level)
            for level in ("program", "activity", "sub_activity")
        },
    }


# --- RKPD and Renja --------------------------------------------------------------------------

def rkpd_detail(government: LocalGovernment, year: int) -> dict[str, object] | None:
    rkpd = (
        AnnualPlan.objects.filter(government=government, year=year)
        .select_related("rpjmd")
        .prefetch_related(Prefetch("priority_programs", queryset=PriorityProgram.objects.order_by("code")))
        .first()
    )
    if rkpd is None:
        return None
    renjas = list(
        AgencyAnnualPlan.objects.filter(rkpd=rkpd)
        .select_related("agency")
        .annotate(line_count=Count("lines"), line_budget=Sum("lines__budget"),
                  line_forward=Sum("lines__forward_estimate"))
        .order_by("agency__code")
    )
    total_ceiling = sum(r.ceiling for r in renjas)
    total_budget = sum(r.line_budget or 0 for r in renjas)
    return {
        "rkpd": rkpd,
        "renjas": renjas,
        "total_ceiling": total_ceiling,
        "total_budget": total_budget,
        "total_forward": sum(r.line_forward or 0 for r in renjas),
        "total_lines": sum(r.line_count for r in renjas),
        "unallocated": rkpd.ceiling - total_ceiling,
        "other_years": list(
            AnnualPlan.objects.filter(government=government).exclude(pk=rkpd.pk)
            .order_by("-year").values_list("year", flat=True)
        ),
    }


def renja_detail(government: LocalGovernment, year: int, agency_id: int) -> dict[str, object] | None:
    renja = (
        AgencyAnnualPlan.objects.filter(rkpd__government=government, rkpd__year=year, agency_id=agency_id)
        .select_related("agency", "rkpd")
        .first()
    )
    if renja is None:
        return None
    lines = list(renja.lines.select_related("renstra_line").order_by("code", "id"))
    total_budget = sum(line.budget for line in lines)
    return {
        "renja": renja,
        "lines": lines,
        "total_budget": total_budget,
        "total_forward": sum(line.forward_estimate for line in lines),
        "remaining": renja.ceiling - total_budget,
    }
