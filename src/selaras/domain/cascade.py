"""The input of the alignment check: a snapshot of one government's plans around one year.

A `PlanSet` holds what the sinkronisasi rules read: the RPJMD in force (objectives, indicators
with yearly targets), the agencies' Renstra (objectives, lines with yearly targets and indicative
budgets), the RKPD and Renja of the year, the accepted proposals of the year, a view of the
nomenclature edition in force, and the targets of higher-level plans (RPJMN, provincial RPJMD)
mapped to local indicator keys. Everything is immutable and refers to other parts by integer id,
so the same snapshot can be built from the database, from a file or by hand in a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from selaras.domain.plans import Direction, GovernmentLevel, LineLevel
from selaras.domain.targets import TargetRange

__all__ = [
    "GovernmentRef",
    "AgencyRef",
    "RpjmdRef",
    "ObjectiveRef",
    "IndicatorOwner",
    "IndicatorSnap",
    "RenstraRef",
    "RenstraObjectiveRef",
    "RenstraLineYear",
    "RenstraLineSnap",
    "RkpdRef",
    "PriorityProgramRef",
    "RenjaRef",
    "RenjaLineSnap",
    "AcceptedProposal",
    "NomenclatureEntry",
    "NomenclatureView",
    "HigherTarget",
    "PlanSet",
    "nomenclature_level",
    "NOMENCLATURE_PROVINCE",
    "NOMENCLATURE_REGENCY",
]

NOMENCLATURE_PROVINCE = "provinsi"
NOMENCLATURE_REGENCY = "kab/kota"


@dataclass(frozen=True, slots=True)
class GovernmentRef:
    id: int
    region_code: str
    name: str
    level: GovernmentLevel
    nomenclature_edition: str


@dataclass(frozen=True, slots=True)
class AgencyRef:
    id: int
    code: str
    name: str
    sector_codes: tuple[str, ...] = ()
    district_code: str = ""  # set for a kecamatan office


class _Period:
    """The years of a five-year plan (RPJMD, Renstra), written once for both."""

    __slots__ = ()
    start_year: int
    end_year: int

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start_year, self.end_year + 1))


@dataclass(frozen=True, slots=True)
class RpjmdRef(_Period):
    id: int
    start_year: int
    end_year: int


@dataclass(frozen=True, slots=True)
class ObjectiveRef:
    """Sasaran RPJMD."""

    id: int
    number: str
    text: str = ""


class IndicatorOwner:
    """Which part of the plans an indicator belongs to (string constants, stable in findings)."""

    RPJPD = "rpjpd"  # a long-term target of the region, checked against the RPJPN
    RPJMD = "rpjmd"
    OBJECTIVE = "objective"
    RENSTRA_OBJECTIVE = "renstra_objective"


@dataclass(frozen=True, slots=True)
class IndicatorSnap:
    id: int
    owner: str  # IndicatorOwner.*
    owner_id: int
    name: str
    key: str = ""
    unit: str = ""
    direction: Direction = Direction.UNKNOWN
    baseline: Decimal | None = None
    end_value: Decimal | None = None
    targets: tuple[tuple[int, Decimal], ...] = ()  # (year, value), sorted by year: single values only
    #: Every yearly target, single values and ranges, sorted by year; empty: read from `targets`.
    ranges: tuple[tuple[int, TargetRange], ...] = ()

    def yearly(self) -> tuple[tuple[int, TargetRange], ...]:
        """The yearly targets as ranges (a single value v is the range v..v)."""
        if self.ranges:
            return self.ranges
        return tuple((year, TargetRange(value, value)) for year, value in self.targets)


@dataclass(frozen=True, slots=True)
class RenstraRef(_Period):
    id: int
    agency_id: int
    start_year: int
    end_year: int


@dataclass(frozen=True, slots=True)
class RenstraObjectiveRef:
    id: int
    renstra_id: int
    number: str
    rpjmd_objective_id: int | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class RenstraLineYear:
    year: int
    target: Decimal | None = None
    budget: int = 0
    target_min: Decimal | None = None
    target_max: Decimal | None = None

    @property
    def target_range(self) -> TargetRange | None:
        return TargetRange.of(self.target, self.target_min, self.target_max)


@dataclass(frozen=True, slots=True)
class RenstraLineSnap:
    id: int
    renstra_id: int
    level: LineLevel
    code: str
    parent_id: int | None = None
    objective_id: int | None = None  # RenstraObjectiveRef.id
    years: tuple[RenstraLineYear, ...] = ()
    edition: str = ""  # nomenclature edition the code was written in ("" = not known)

    def year(self, year: int) -> RenstraLineYear | None:
        for entry in self.years:
            if entry.year == year:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class RkpdRef:
    id: int
    year: int
    ceiling: int = 0


@dataclass(frozen=True, slots=True)
class PriorityProgramRef:
    id: int
    code: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class RenjaRef:
    id: int
    agency_id: int
    ceiling: int = 0


@dataclass(frozen=True, slots=True)
class RenjaLineSnap:
    id: int
    renja_id: int
    code: str
    renstra_line_id: int | None = None
    target: Decimal | None = None
    budget: int = 0
    district_code: str = ""
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    edition: str = ""  # nomenclature edition the code was written in ("" = not known)

    @property
    def target_range(self) -> TargetRange | None:
        return TargetRange.of(self.target, self.target_min, self.target_max)


@dataclass(frozen=True, slots=True)
class AcceptedProposal:
    """An accepted proposal of the year; `cost` is the latest decided cost (or the estimate)."""

    id: int
    number: str
    agency_id: int | None
    sub_activity_code: str
    renja_line_id: int | None
    cost: int


@dataclass(frozen=True, slots=True)
class NomenclatureEntry:
    code: str
    level: str  # affair | sector | program | activity | sub_activity
    government_level: str  # provinsi | kab/kota | ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class NomenclatureView:
    """The nomenclature edition in force: code -> its entries (one per government level)."""

    edition: str
    entries: dict[str, tuple[NomenclatureEntry, ...]] = field(default_factory=dict)

    def lookup(self, code: str, government_level: str) -> NomenclatureEntry | None:
        """The entry of `code` for a government level (an entry without level fits all)."""
        found = self.entries.get(code)
        if found is None:
            return None
        for entry in found:
            if entry.government_level in (government_level, ""):
                return entry
        return None

    def knows(self, code: str) -> bool:
        return code in self.entries


@dataclass(frozen=True, slots=True)
class HigherTarget:
    """A yearly target of a national or provincial plan, mapped to a local indicator key."""

    plan: str  # e.g. "RPJMN 2025-2029", "RPJMD Provinsi Jawa Barat 2025-2029"
    level: str  # national | province
    local_key: str
    year: int
    value: Decimal
    direction: Direction = Direction.UNKNOWN
    unit: str = ""
    indicator_name: str = ""
    #: A target given as a band (e.g. poverty 0.6–1.8 %): `value` is then unused.
    target_min: Decimal | None = None
    target_max: Decimal | None = None

    @property
    def target_range(self) -> TargetRange:
        if self.target_min is not None or self.target_max is not None:
            return TargetRange(self.target_min, self.target_max)
        return TargetRange(self.value, self.value)


def nomenclature_level(level: GovernmentLevel) -> str:
    """The nomenclature's government level (jns_pemda) for a government level."""
    return NOMENCLATURE_PROVINCE if level is GovernmentLevel.PROVINCE else NOMENCLATURE_REGENCY


@dataclass(frozen=True, slots=True)
class PlanSet:
    """Everything the alignment rules read for one government and one year."""

    government: GovernmentRef
    year: int
    rpjmd: RpjmdRef | None = None
    objectives: tuple[ObjectiveRef, ...] = ()
    indicators: tuple[IndicatorSnap, ...] = ()
    agencies: tuple[AgencyRef, ...] = ()
    renstras: tuple[RenstraRef, ...] = ()
    renstra_objectives: tuple[RenstraObjectiveRef, ...] = ()
    renstra_lines: tuple[RenstraLineSnap, ...] = ()
    rkpd: RkpdRef | None = None
    priority_programs: tuple[PriorityProgramRef, ...] = ()
    renjas: tuple[RenjaRef, ...] = ()
    renja_lines: tuple[RenjaLineSnap, ...] = ()
    proposals: tuple[AcceptedProposal, ...] = ()
    nomenclature: NomenclatureView = field(default_factory=lambda: NomenclatureView(edition=""))
    higher_targets: tuple[HigherTarget, ...] = ()
