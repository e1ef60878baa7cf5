"""Plain records of a generated demo district (no database, no Django).

Plans are small and kept as nested dataclasses; proposals and decisions are large and kept as
column lists (one list per field) so that 160,000 rows cost a few seconds, not a minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selaras.demo.duplicates import DuplicateTruth

__all__ = [
    "DemoAgency",
    "DemoCouncillor",
    "DemoDecisions",
    "DemoDistrict",
    "DemoGoal",
    "DemoIndicator",
    "DemoLongTermPlan",
    "DemoMission",
    "DemoObjective",
    "DemoProposals",
    "DemoRenjaLine",
    "DemoRenstra",
    "DemoRenstraLine",
    "DemoRenstraObjective",
    "DemoRKPD",
    "DemoRPJMD",
    "DemoStrategy",
    "Scale",
]


@dataclass(frozen=True, slots=True)
class Scale:
    """How big a generated district is. `sector_agencies=None` means every agency of the catalogue."""

    name: str
    sector_agencies: int | None
    district_offices: int | None  # kecamatan offices as agencies; None: every kecamatan
    village_proposals: int
    pokir_proposals: int
    agency_draft_proposals: int
    councillors: int
    sub_activities_per_agency: int


@dataclass(frozen=True, slots=True)
class DemoAgency:
    code: str
    name: str
    short_name: str
    sector_codes: tuple[str, ...]
    district_code: str = ""  # set for kecamatan offices
    weight: float = 1.0  # share of Pra-Renja proposals


@dataclass(frozen=True, slots=True)
class DemoIndicator:
    key: str
    name: str
    unit: str
    direction: str  # selaras.domain.plans.Direction value
    baseline: Decimal
    targets: tuple[tuple[int, Decimal], ...]
    end_value: Decimal


@dataclass(frozen=True, slots=True)
class DemoStrategy:
    text: str
    policy_directions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoObjective:
    number: str
    text: str
    indicators: tuple[DemoIndicator, ...]
    strategies: tuple[DemoStrategy, ...]
    sector_codes: tuple[str, ...]  # sectors whose agencies serve this objective


@dataclass(frozen=True, slots=True)
class DemoGoal:
    number: str
    text: str
    objectives: tuple[DemoObjective, ...]


@dataclass(frozen=True, slots=True)
class DemoMission:
    number: int
    text: str
    goals: tuple[DemoGoal, ...]


@dataclass(frozen=True, slots=True)
class DemoLongTermPlan:
    start_year: int
    end_year: int
    vision: str
    missions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoRPJMD:
    start_year: int
    end_year: int
    vision: str
    missions: tuple[DemoMission, ...]
    key_indicators: tuple[DemoIndicator, ...]


@dataclass(frozen=True, slots=True)
class DemoRenstraLine:
    level: str  # selaras.domain.plans.LineLevel value
    code: str
    parent_code: str  # code of the parent line in the same Renstra ("" for programs)
    name: str
    indicator: str
    unit: str
    objective_number: str  # Renstra objective the line serves
    years: tuple[tuple[int, Decimal | None, int], ...]  # (year, target, budget in rupiah)


@dataclass(frozen=True, slots=True)
class DemoRenstraObjective:
    number: str
    text: str
    rpjmd_objective_number: str
    indicators: tuple[DemoIndicator, ...]


@dataclass(frozen=True, slots=True)
class DemoRenstra:
    agency_code: str
    start_year: int
    end_year: int
    goal_text: str
    objectives: tuple[DemoRenstraObjective, ...]
    lines: tuple[DemoRenstraLine, ...]


@dataclass(frozen=True, slots=True)
class DemoRenjaLine:
    agency_code: str
    code: str
    name: str
    indicator: str
    unit: str
    target: Decimal | None
    budget: int
    forward_estimate: int
    district_code: str


@dataclass(frozen=True, slots=True)
class DemoRKPD:
    year: int
    stage: str
    ceiling: int
    theme: str
    priority_programs: tuple[tuple[str, str], ...]  # (program code, name)
    agency_ceilings: tuple[tuple[str, int], ...]  # (agency code, rupiah)
    renja_lines: tuple[DemoRenjaLine, ...]


@dataclass(frozen=True, slots=True)
class DemoCouncillor:
    name: str
    faction: str
    electoral_district: str  # "Dapil 1" ...
    district_codes: tuple[str, ...]


@dataclass
class DemoProposals:
    """Proposals as columns; row i of every list is proposal i."""

    number: list[str] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    village_code: list[str] = field(default_factory=list)
    district_code: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    volume: list[Decimal] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    estimated_cost: list[int] = field(default_factory=list)
    priority_rank: list[int | None] = field(default_factory=list)
    proposer_name: list[str] = field(default_factory=list)
    proposer_role: list[str] = field(default_factory=list)
    councillor_name: list[str] = field(default_factory=list)
    agency_code: list[str] = field(default_factory=list)  # "" when not yet assigned
    sub_activity_code: list[str] = field(default_factory=list)
    created_at: list[datetime] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.number)


@dataclass
class DemoDecisions:
    """Decisions as columns, in the order they were taken; `proposal` is a row index of proposals."""

    proposal: list[int] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)
    actor_role: list[str] = field(default_factory=list)
    new_volume: list[Decimal | None] = field(default_factory=list)
    new_cost: list[int | None] = field(default_factory=list)
    merged_into: list[int | None] = field(default_factory=list)
    postponed_to_year: list[int | None] = field(default_factory=list)
    created_at: list[datetime] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.proposal)


@dataclass
class DemoDistrict:
    region_code: str
    region_name: str
    level: str  # selaras.domain.plans.GovernmentLevel value
    province_code: str
    province_name: str
    seed: int
    scale: Scale
    region_edition: str
    nomenclature_edition: str
    agencies: tuple[DemoAgency, ...]
    long_term_plan: DemoLongTermPlan
    rpjmd: DemoRPJMD
    renstras: tuple[DemoRenstra, ...]
    rkpd: DemoRKPD
    councillors: tuple[DemoCouncillor, ...]
    proposals: DemoProposals
    decisions: DemoDecisions
    district_codes: tuple[str, ...]  # kecamatan the district's proposals are spread over
    village_codes: tuple[str, ...]
    duplicate_truth: DuplicateTruth | None = None  # planted duplicates, kept apart from proposals
