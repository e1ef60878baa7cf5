"""A small, clean plan set built by hand, and helpers to break it one way at a time."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

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

YEAR = 2026
YEARS = (2025, 2026, 2027, 2028, 2029)
D = Decimal

# (code, level, government level, active)
NOMENCLATURE = [
    ("X.XX.01", "program", "kab/kota", True),
    ("X.XX.01.2.01", "activity", "kab/kota", True),
    ("X.XX.01.2.01.0001", "sub_activity", "kab/kota", True),
    ("1.02.02", "program", "kab/kota", True),
    ("1.02.02.2.01", "activity", "kab/kota", True),
    ("1.02.02.2.01.0001", "sub_activity", "kab/kota", True),
    ("1.02.02.2.01.0002", "sub_activity", "kab/kota", False),
    ("1.02.02.1.01", "activity", "provinsi", True),
    ("1.02.02.1.01.0001", "sub_activity", "provinsi", True),
    ("1.03.03", "program", "kab/kota", True),
    ("1.03.03.2.01", "activity", "kab/kota", True),
    ("1.03.03.2.01.0001", "sub_activity", "kab/kota", True),
    ("1.03.03.2.01.0002", "sub_activity", "kab/kota", True),
    ("7.01.02", "program", "kab/kota", True),
    ("7.01.02.2.01", "activity", "kab/kota", True),
    ("7.01.02.2.01.0001", "sub_activity", "kab/kota", True),
]


def nomenclature() -> NomenclatureView:
    entries: dict[str, tuple[NomenclatureEntry, ...]] = {}
    for code, level, gov, active in NOMENCLATURE:
        entries[code] = (*entries.get(code, ()), NomenclatureEntry(code, level, gov, active))
    return NomenclatureView(edition="ed-test", entries=entries)


def _years(budget: int, targets: tuple[int, ...] = (10, 20, 30, 40, 50)) -> tuple[RenstraLineYear, ...]:
    return tuple(RenstraLineYear(year=y, target=D(t), budget=budget) for y, t in zip(YEARS, targets, strict=True))


def _targets(*values: str) -> tuple[tuple[int, Decimal], ...]:
    return tuple((y, D(v)) for y, v in zip(YEARS, values, strict=True))


# Agencies: 1 health (1.02), 2 public works (1.03), 3 a kecamatan office (7.01).
# Renstra line ids: agency a has program 10a+1, activity 10a+2, sub-activity 10a+3
# (and health also a supporting sub-activity 14 under program 15 / activity 16).
def clean() -> PlanSet:
    """A regency's plans for 2026 that break no rule."""
    agencies = (
        AgencyRef(1, "DINKES", "Dinas Kesehatan", ("1.02",)),
        AgencyRef(2, "DPUPR", "Dinas PUPR", ("1.03",)),
        AgencyRef(3, "KEC-A", "Kecamatan A", ("7.01",), district_code="32.16.01"),
    )
    programs = {1: "1.02.02", 2: "1.03.03", 3: "7.01.02"}
    lines: list[RenstraLineSnap] = []
    renja_lines: list[RenjaLineSnap] = []
    budgets = {1: 400, 2: 500, 3: 100}
    for agency_id, program in programs.items():
        base = 10 * agency_id
        activity = program + ".2.01"
        lines += [
            RenstraLineSnap(base + 1, agency_id, LineLevel.PROGRAM, program, None, agency_id, _years(budgets[agency_id])),
            RenstraLineSnap(base + 2, agency_id, LineLevel.ACTIVITY, activity, base + 1, None, _years(budgets[agency_id])),
            RenstraLineSnap(base + 3, agency_id, LineLevel.SUB_ACTIVITY, activity + ".0001", base + 2, None,
                            _years(budgets[agency_id])),
        ]
        renja_lines.append(RenjaLineSnap(100 + agency_id, agency_id, activity + ".0001", base + 3, D(20),
                                          budgets[agency_id]))
    # Health's supporting program, written with the agency's sector (found under X.XX.01).
    lines += [
        RenstraLineSnap(15, 1, LineLevel.PROGRAM, "1.02.01", None, 1, _years(50)),
        RenstraLineSnap(16, 1, LineLevel.ACTIVITY, "1.02.01.2.01", 15, None, _years(50)),
        RenstraLineSnap(14, 1, LineLevel.SUB_ACTIVITY, "1.02.01.2.01.0001", 16, None, _years(50)),
    ]
    renja_lines.append(RenjaLineSnap(104, 1, "1.02.01.2.01.0001", 14, D(20), 50))
    return PlanSet(
        government=GovernmentRef(1, "32.16", "Kabupaten Contoh", GovernmentLevel.REGENCY, "ed-test"),
        year=YEAR,
        rpjmd=RpjmdRef(1, 2025, 2029),
        objectives=(ObjectiveRef(1, "1.1", "Kesehatan"), ObjectiveRef(2, "1.2", "Infrastruktur")),
        indicators=(
            IndicatorSnap(1, IndicatorOwner.OBJECTIVE, 1, "Prevalensi stunting", "stunting_prevalence", "%",
                          Direction.LOWER_IS_BETTER, D("20"), D("10"), _targets("18", "16", "14", "12", "10")),
            IndicatorSnap(2, IndicatorOwner.RPJMD, 1, "Rata-rata lama sekolah", "mean_years_schooling", "tahun",
                          Direction.HIGHER_IS_BETTER, D("8.5"), D("9.0"), _targets("8.6", "8.7", "8.8", "8.9", "9.0")),
            IndicatorSnap(3, IndicatorOwner.RENSTRA_OBJECTIVE, 2, "Jalan mantap", "", "%",
                          Direction.HIGHER_IS_BETTER, D("60"), D("80"), _targets("64", "68", "72", "76", "80")),
        ),
        agencies=agencies,
        renstras=tuple(RenstraRef(a.id, a.id, 2025, 2029) for a in agencies),
        renstra_objectives=(
            RenstraObjectiveRef(1, 1, "1", 1), RenstraObjectiveRef(2, 2, "1", 2), RenstraObjectiveRef(3, 3, "1", 2),
        ),
        renstra_lines=tuple(lines),
        rkpd=RkpdRef(1, YEAR, 2000),
        priority_programs=(PriorityProgramRef(1, "1.02.02", "Pemenuhan Upaya Kesehatan"),),
        renjas=(RenjaRef(1, 1, 500), RenjaRef(2, 2, 500), RenjaRef(3, 3, 100)),
        renja_lines=tuple(renja_lines),
        proposals=(
            AcceptedProposal(1, "U-1", 2, "1.03.03.2.01.0001", 102, 300),
            AcceptedProposal(2, "U-2", 3, "7.01.02.2.01.0001", 103, 100),
        ),
        nomenclature=nomenclature(),
        higher_targets=(
            HigherTarget("RPJMN 2025-2029", "national", "stunting_prevalence", 2026, D("16.5"),
                         Direction.LOWER_IS_BETTER, "%"),
            HigherTarget("RPJMD Provinsi 2025-2029", "province", "mean_years_schooling", 2026, D("8.7")),
        ),
    )


def swap(plan: PlanSet, attr: str, id_: int, **changes: Any) -> PlanSet:
    """`plan` with the element `id_` of tuple `attr` changed."""
    items = getattr(plan, attr)
    assert any(item.id == id_ for item in items), f"{attr} has no id {id_}"
    return replace(plan, **{attr: tuple(replace(i, **changes) if i.id == id_ else i for i in items)})


def add(plan: PlanSet, attr: str, *items: Any) -> PlanSet:
    return replace(plan, **{attr: (*getattr(plan, attr), *items)})


def drop(plan: PlanSet, attr: str, id_: int) -> PlanSet:
    return replace(plan, **{attr: tuple(i for i in getattr(plan, attr) if i.id != id_)})
