"""Lookups over a `PlanSet`, built once per check and shared by all rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from selaras.domain.cascade import (
    AgencyRef,
    IndicatorOwner,
    IndicatorSnap,
    PlanSet,
    RenjaLineSnap,
    RenjaRef,
    RenstraLineSnap,
    RenstraObjectiveRef,
    RenstraRef,
    nomenclature_level,
)
from selaras.domain.findings import Location
from selaras.domain.plans import LineLevel

__all__ = ["PlanIndex", "ref"]

T = TypeVar("T")


def ref(kind: str, id_: int) -> str:
    """A stable pointer to a plan element, e.g. `renja_line:42` (the edge turns it into a link)."""
    return f"{kind}:{id_}"


class PlanIndex:
    """Dictionaries by id and by code over one `PlanSet`; every index is built on first use."""

    def __init__(self, plan: PlanSet) -> None:
        self.plan = plan
        self.year = plan.year
        self.nomenclature_level = nomenclature_level(plan.government.level)
        self._memo: dict[str, Any] = {}
        self._renstra_documents: dict[int, str] = {}

    def memo(self, key: str, factory: Callable[[], T]) -> T:
        """A value computed once per check and shared by the rules that need it."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]  # type: ignore[no-any-return]

    # -- by id -----------------------------------------------------------------------------
    @cached_property
    def agencies(self) -> dict[int, AgencyRef]:
        return {a.id: a for a in self.plan.agencies}

    @cached_property
    def agency_by_code(self) -> dict[str, AgencyRef]:
        return {a.code: a for a in self.plan.agencies}

    @cached_property
    def renstras(self) -> dict[int, RenstraRef]:
        return {r.id: r for r in self.plan.renstras}

    @cached_property
    def renstra_objectives(self) -> dict[int, RenstraObjectiveRef]:
        return {o.id: o for o in self.plan.renstra_objectives}

    @cached_property
    def renstra_lines(self) -> dict[int, RenstraLineSnap]:
        return {line.id: line for line in self.plan.renstra_lines}

    @cached_property
    def renjas(self) -> dict[int, RenjaRef]:
        return {r.id: r for r in self.plan.renjas}

    @cached_property
    def renja_lines(self) -> dict[int, RenjaLineSnap]:
        return {line.id: line for line in self.plan.renja_lines}

    @cached_property
    def objective_ids(self) -> frozenset[int]:
        return frozenset(o.id for o in self.plan.objectives)

    # -- grouped ---------------------------------------------------------------------------
    @cached_property
    def renstra_of_agency(self) -> dict[int, RenstraRef]:
        """The Renstra in force in the year for each agency (lowest id if several)."""
        found: dict[int, RenstraRef] = {}
        for renstra in sorted(self.plan.renstras, key=lambda r: r.id):
            if renstra.start_year <= self.year <= renstra.end_year:
                found.setdefault(renstra.agency_id, renstra)
        return found

    @cached_property
    def renstra_line_by_code(self) -> dict[tuple[int, str], RenstraLineSnap]:
        """(renstra id, code) -> line (lowest id when a code repeats)."""
        found: dict[tuple[int, str], RenstraLineSnap] = {}
        for line in sorted(self.plan.renstra_lines, key=lambda x: x.id):
            found.setdefault((line.renstra_id, line.code), line)
        return found

    @cached_property
    def renja_lines_of(self) -> dict[int, list[RenjaLineSnap]]:
        grouped: dict[int, list[RenjaLineSnap]] = defaultdict(list)
        for line in self.plan.renja_lines:
            grouped[line.renja_id].append(line)
        return grouped

    @cached_property
    def indicators_by_key(self) -> dict[str, list[IndicatorSnap]]:
        grouped: dict[str, list[IndicatorSnap]] = defaultdict(list)
        for indicator in self.plan.indicators:
            if indicator.key:
                grouped[indicator.key].append(indicator)
        return grouped

    @cached_property
    def served_objective_ids(self) -> frozenset[int]:
        """RPJMD objectives served by a Renstra program (through the program or its activities)."""
        served: set[int] = set()
        for line in self.plan.renstra_lines:
            if self.program_of(line) is None:
                continue
            objective = self.line_objective(line)
            if objective is not None and objective.rpjmd_objective_id is not None:
                served.add(objective.rpjmd_objective_id)
        return frozenset(served)

    # -- derived ---------------------------------------------------------------------------
    def line_objective(self, line: RenstraLineSnap) -> RenstraObjectiveRef | None:
        """The Renstra objective of a line, inherited from its parents when not set on it."""
        seen = 0
        current: RenstraLineSnap | None = line
        while current is not None and seen < 8:
            if current.objective_id is not None:
                return self.renstra_objectives.get(current.objective_id)
            current = self.renstra_lines.get(current.parent_id) if current.parent_id is not None else None
            seen += 1
        return None

    def program_of(self, line: RenstraLineSnap) -> RenstraLineSnap | None:
        current: RenstraLineSnap | None = line
        for _ in range(8):
            if current is None or current.level is LineLevel.PROGRAM:
                return current
            current = self.renstra_lines.get(current.parent_id) if current.parent_id is not None else None
        return None

    def agency_of_renja_line(self, line: RenjaLineSnap) -> AgencyRef | None:
        renja = self.renjas.get(line.renja_id)
        return self.agencies.get(renja.agency_id) if renja else None

    def agency_of_renstra(self, renstra_id: int) -> AgencyRef | None:
        renstra = self.renstras.get(renstra_id)
        return self.agencies.get(renstra.agency_id) if renstra else None

    def agency_code(self, agency_id: int | None) -> str:
        agency = self.agencies.get(agency_id) if agency_id is not None else None
        return agency.code if agency else ""

    def renstra_line_of_renja_line(self, line: RenjaLineSnap) -> RenstraLineSnap | None:
        """The Renstra line a Renja line stands for: its link, else the same code in its Renstra."""
        if line.renstra_line_id is not None:
            return self.renstra_lines.get(line.renstra_line_id)
        renja = self.renjas.get(line.renja_id)
        renstra = self.renstra_of_agency.get(renja.agency_id) if renja else None
        return self.renstra_line_by_code.get((renstra.id, line.code)) if renstra else None

    # -- documents -------------------------------------------------------------------------
    def rpjmd_document(self) -> str:
        rpjmd = self.plan.rpjmd
        return f"RPJMD {rpjmd.start_year}-{rpjmd.end_year}" if rpjmd else "RPJMD"

    def renstra_document(self, renstra_id: int) -> str:
        cached = self._renstra_documents.get(renstra_id)
        if cached is None:
            renstra = self.renstras.get(renstra_id)
            cached = ("Renstra" if renstra is None else
                      f"Renstra {self.agency_code(renstra.agency_id)} {renstra.start_year}-{renstra.end_year}")
            self._renstra_documents[renstra_id] = cached
        return cached

    def renja_document(self, renja_id: int) -> str:
        renja = self.renjas.get(renja_id)
        return f"Renja {self.agency_code(renja.agency_id if renja else None)} {self.year}"

    def rkpd_document(self) -> str:
        return f"RKPD {self.year}"

    def indicator_document(self, indicator: IndicatorSnap) -> str:
        if indicator.owner == IndicatorOwner.RPJPD:
            return "RPJPD"
        if indicator.owner == IndicatorOwner.RENSTRA_OBJECTIVE:
            objective = self.renstra_objectives.get(indicator.owner_id)
            return self.renstra_document(objective.renstra_id) if objective else "Renstra"
        return self.rpjmd_document()

    def indicator_agency(self, indicator: IndicatorSnap) -> str:
        if indicator.owner != IndicatorOwner.RENSTRA_OBJECTIVE:
            return ""
        objective = self.renstra_objectives.get(indicator.owner_id)
        renstra = self.renstras.get(objective.renstra_id) if objective else None
        return self.agency_code(renstra.agency_id if renstra else None)

    def indicator_years(self, indicator: IndicatorSnap) -> tuple[int, ...]:
        """The years an indicator needs a target for: its Renstra's period, else the RPJMD's; an
        RPJPD indicator has targets for the periods it names (never 'missing')."""
        if indicator.owner == IndicatorOwner.RPJPD:
            return tuple(year for year, _target in indicator.yearly())
        if indicator.owner == IndicatorOwner.RENSTRA_OBJECTIVE:
            objective = self.renstra_objectives.get(indicator.owner_id)
            renstra = self.renstras.get(objective.renstra_id) if objective else None
            if renstra is not None:
                return renstra.years
        return self.plan.rpjmd.years if self.plan.rpjmd else ()

    def renstra_line_location(self, line: RenstraLineSnap, year: int | None = None) -> Location:
        return Location(document=self.renstra_document(line.renstra_id), line=ref("renstra_line", line.id),
                        code=line.code, year=year)

    def renja_line_location(self, line: RenjaLineSnap) -> Location:
        return Location(document=self.renja_document(line.renja_id), line=ref("renja_line", line.id),
                        code=line.code, year=self.year)

    def indicator_location(self, indicator: IndicatorSnap, year: int | None = None) -> Location:
        return Location(document=self.indicator_document(indicator), line=ref("indicator", indicator.id),
                        code=indicator.key, year=year)
