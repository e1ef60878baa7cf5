"""Agencies and the plan cascade of a demo district: RPJPD, RPJMD, Renstra per agency, RKPD/Renja."""

from __future__ import annotations

import random
from decimal import Decimal

from selaras.demo.catalogue import (
    AGENCIES,
    DISTRICT_OFFICE_WEIGHT,
    SMALL_AGENCIES,
    SUPPORT_SUB_ACTIVITIES,
    TEMPLATES,
    AgencySpec,
)
from selaras.demo.codes import CodeIndex, RegionSlice, activity_of, program_of
from selaras.demo.indicators import KEY_INDICATORS, OBJECTIVES, make_indicator
from selaras.demo.model import (
    DemoAgency,
    DemoGoal,
    DemoLongTermPlan,
    DemoMission,
    DemoObjective,
    DemoRenjaLine,
    DemoRenstra,
    DemoRenstraLine,
    DemoRenstraObjective,
    DemoRKPD,
    DemoRPJMD,
    DemoStrategy,
    Scale,
)

__all__ = [
    "AGENCY_PROGRAMS", "RKPD_YEAR", "RPJMD_YEARS", "agency_code", "line_unit", "make_agencies",
    "make_renstras", "make_rkpd", "make_rpjmd", "make_rpjpd", "sector_agency",
]

RPJMD_YEARS = range(2025, 2030)
RKPD_YEAR = 2026

# Agencies sharing a sector split it by program.
AGENCY_PROGRAMS: dict[str, tuple[str, ...]] = {
    "RSUD": ("1.02.02",),
    "Satpol PP": ("1.05.02",),
    "BPBD": ("1.05.03",),
    "Damkar": ("1.05.04",),
}


def agency_code(sectors: tuple[str, ...], number: int) -> str:
    """U.BB.U.BB.U.BB.OO.UUUU: up to three sectors, organisation number, unit 0000."""
    parts = [*sectors[:3]] + ["0.00"] * (3 - min(len(sectors), 3))
    return ".".join(parts) + f".{number:02d}.0000"


def make_agencies(region: RegionSlice, scale: Scale) -> tuple[DemoAgency, ...]:
    specs: list[AgencySpec] = list(AGENCIES)
    if scale.sector_agencies is not None:
        specs = [s for s in specs if s.short_name in SMALL_AGENCIES][: scale.sector_agencies]
    agencies: list[DemoAgency] = []
    used: dict[str, int] = {}
    for spec in specs:
        first = spec.sectors[0]
        used[first] = used.get(first, 0) + 1
        agencies.append(DemoAgency(
            code=agency_code(spec.sectors, used[first]), name=spec.name, short_name=spec.short_name,
            sector_codes=spec.sectors, weight=spec.weight,
        ))
    districts = region.districts if scale.district_offices is None else region.districts[: scale.district_offices]
    for number, (code, name) in enumerate(districts, start=1):
        agencies.append(DemoAgency(
            code=agency_code(("7.01",), number), name=f"Kecamatan {name}", short_name=f"Kec. {name}"[:40],
            sector_codes=("7.01",), district_code=code, weight=DISTRICT_OFFICE_WEIGHT,
        ))
    return tuple(agencies)


def region_label(region: RegionSlice) -> str:
    return region.name.replace("Kabupaten ", "").replace("Kota ", "")


def make_rpjpd(region: RegionSlice) -> DemoLongTermPlan:
    name = region_label(region)
    return DemoLongTermPlan(
        start_year=2025, end_year=2045,
        vision=f"{name} yang maju, sejahtera, berbudaya dan berkelanjutan menuju Indonesia Emas 2045",
        missions=(
            "Mewujudkan sumber daya manusia yang unggul dan berdaya saing",
            "Mewujudkan perekonomian daerah yang maju dan berkelanjutan",
            "Mewujudkan infrastruktur dan lingkungan hidup yang berkualitas",
            "Mewujudkan tata kelola pemerintahan yang baik",
        ),
    )


def make_rpjmd(rng: random.Random, region: RegionSlice) -> DemoRPJMD:
    name = region_label(region)
    keys = {spec.key: make_indicator(rng, spec.key, RPJMD_YEARS) for spec in KEY_INDICATORS}
    missions: list[DemoMission] = []
    mission_texts: dict[int, str] = {}
    goals: dict[tuple[int, str], list[DemoObjective]] = {}
    goal_order: list[tuple[int, str]] = []
    for mission_no, mission_text, goal_text, objective_text, sectors, indicator_keys in OBJECTIVES:
        if mission_text:
            mission_texts[mission_no] = mission_text
        goal_key = (mission_no, goal_text)
        if goal_key not in goals:
            goals[goal_key] = []
            goal_order.append(goal_key)
        goal_no = sum(1 for m, _ in goal_order if m == mission_no)
        objective_no = f"{mission_no}.{goal_no}.{len(goals[goal_key]) + 1}"
        indicators = tuple(keys.get(k) or make_indicator(rng, k, RPJMD_YEARS) for k in indicator_keys)
        strategy = DemoStrategy(
            text=f"Peningkatan {objective_text[len('Meningkatnya '):].lower()}"
            if objective_text.startswith("Meningkatnya ") else f"Percepatan: {objective_text.lower()}",
            policy_directions=(
                f"Memprioritaskan lokus dengan capaian {indicators[0].name.lower()} terendah",
                "Mengintegrasikan usulan Musrenbang dan Pokir DPRD dengan Renstra perangkat daerah",
            ),
        )
        goals[goal_key].append(DemoObjective(
            number=objective_no, text=objective_text, indicators=indicators,
            strategies=(strategy,), sector_codes=sectors,
        ))
    for mission_no in sorted(mission_texts):
        mission_goals = [g for g in goal_order if g[0] == mission_no]
        missions.append(DemoMission(
            number=mission_no, text=mission_texts[mission_no],
            goals=tuple(
                DemoGoal(number=f"{mission_no}.{i}", text=g[1], objectives=tuple(goals[g]))
                for i, g in enumerate(mission_goals, start=1)
            ),
        ))
    return DemoRPJMD(
        start_year=RPJMD_YEARS[0], end_year=RPJMD_YEARS[-1],
        vision=f"{name} maju, sejahtera, religius dan berdaya saing",
        missions=tuple(missions), key_indicators=tuple(keys.values()),
    )


def _objective_for(rpjmd: DemoRPJMD, sector: str) -> DemoObjective:
    fallback: DemoObjective | None = None
    for mission in rpjmd.missions:
        for goal in mission.goals:
            for objective in goal.objectives:
                if sector in objective.sector_codes:
                    return objective
                if "5.01" in objective.sector_codes:
                    fallback = objective
    assert fallback is not None
    return fallback


_UNIT_WORDS = (
    ("Gaji", "orang/bulan"), ("Penyusunan", "dokumen"), ("Evaluasi", "laporan"), ("Pelatihan", "orang"),
    ("Peningkatan Kapasitas", "orang"), ("Pembangunan", "unit"), ("Rehabilitasi", "unit"),
    ("Pengadaan", "paket"), ("Penyediaan Jasa", "laporan"), ("Pemeliharaan", "unit"),
    ("Sosialisasi", "kegiatan"), ("Koordinasi", "laporan"), ("Fasilitasi", "kegiatan"),
)


def line_unit(name: str, code: str) -> str:
    for template in TEMPLATES:
        if template.code == code:
            return template.unit
    for word, unit in _UNIT_WORDS:
        if word.lower() in name.lower():
            return unit
    return "kegiatan"


def _pick_sub_activities(
    rng: random.Random, agency: DemoAgency, codes: CodeIndex, limit: int,
) -> list[str]:
    prefixes = AGENCY_PROGRAMS.get(agency.short_name, ())
    chosen: list[str] = []
    pool: list[str] = []
    for sector in agency.sector_codes:
        for code in codes.sub_activities_by_sector.get(sector, ()):
            if prefixes and not code.startswith(prefixes):
                continue
            pool.append(code)
    wanted = sorted({t.code for t in TEMPLATES if t.code in pool})
    chosen.extend(wanted)
    rest = [c for c in pool if c not in set(wanted)]
    rng.shuffle(rest)
    chosen.extend(rest[: max(0, limit - len(chosen))])
    return sorted(chosen)


def _budget(rng: random.Random, code: str, weight: float, office: bool) -> int:
    if code == "X.XX.01.2.02.0001" and office:  # salaries of a kecamatan office
        value = rng.uniform(4e9, 7e9)
    elif code == "X.XX.01.2.02.0001":  # salaries scale with the agency's size (teachers, health staff)
        value = weight * rng.uniform(1.5e10, 3e10) + rng.uniform(5e9, 1e10)
    elif code.startswith("X.XX"):
        value = rng.lognormvariate(19.6, 0.7)  # ~ Rp 330 juta median
    else:
        value = rng.lognormvariate(20.6, 1.0) * (0.6 + weight / 10)  # ~ Rp 900 juta median
    return max(25_000_000, min(int(value), 250_000_000_000)) // 1000 * 1000


def make_renstras(
    rng: random.Random, agencies: tuple[DemoAgency, ...], rpjmd: DemoRPJMD, codes: CodeIndex, scale: Scale,
) -> tuple[DemoRenstra, ...]:
    renstras: list[DemoRenstra] = []
    years = list(RPJMD_YEARS)
    for agency in agencies:
        limit = scale.sub_activities_per_agency // (2 if agency.district_code else 1)
        sub_codes = _pick_sub_activities(rng, agency, codes, limit)
        support = [c for c in SUPPORT_SUB_ACTIVITIES if codes.is_sub_activity(c)]
        rpjmd_objective = _objective_for(rpjmd, agency.sector_codes[0])
        objectives = (
            DemoRenstraObjective(
                number="1.1", text=f"{rpjmd_objective.text} (urusan {agency.short_name})",
                rpjmd_objective_number=rpjmd_objective.number,
                indicators=(make_indicator(rng, rpjmd_objective.indicators[0].key, RPJMD_YEARS),),
            ),
            DemoRenstraObjective(
                number="1.2", text=f"Meningkatnya akuntabilitas kinerja {agency.name}",
                rpjmd_objective_number=_objective_for(rpjmd, "5.01").number,
                indicators=(make_indicator(rng, "accountability", RPJMD_YEARS),),
            ),
        )
        sub_lines: list[DemoRenstraLine] = []
        for code in [*support, *sub_codes]:
            name = codes.names[code]
            unit = line_unit(name, code)
            base_target = rng.randint(1, 12) if unit not in ("orang", "m", "orang/bulan") else rng.randint(20, 400)
            budget = _budget(rng, code, agency.weight, bool(agency.district_code))
            growth = rng.uniform(1.02, 1.08)
            year_rows = []
            for offset, year in enumerate(years):
                amount = int(budget * growth**offset * rng.uniform(0.95, 1.05)) // 1000 * 1000
                target = Decimal(max(1, round(base_target * rng.uniform(0.9, 1.15))))
                year_rows.append((year, target, amount))
            sub_lines.append(DemoRenstraLine(
                level="sub_activity", code=code, parent_code=activity_of(code), name=name,
                indicator=f"Jumlah {unit} {name[:1].lower()}{name[1:]}"[:300], unit=unit,
                objective_number="1.2" if code.startswith("X.XX") else "1.1", years=tuple(year_rows),
            ))
        parents: dict[str, DemoRenstraLine] = {}
        for line in sub_lines:
            for parent_code, level, grand in (
                (activity_of(line.code), "activity", program_of(line.code)),
                (program_of(line.code), "program", ""),
            ):
                if parent_code in parents:
                    continue
                parents[parent_code] = DemoRenstraLine(
                    level=level, code=parent_code, parent_code=grand,
                    name=codes.names.get(parent_code, parent_code),
                    indicator="Persentase capaian kinerja " + ("program" if level == "program" else "kegiatan"),
                    unit="%", objective_number=line.objective_number, years=(),
                )
        totals: dict[str, list[int]] = {c: [0] * len(years) for c in parents}
        for line in sub_lines:
            for i, (_, _, amount) in enumerate(line.years):
                totals[activity_of(line.code)][i] += amount
                totals[program_of(line.code)][i] += amount
        parent_lines = [
            DemoRenstraLine(
                level=p.level, code=p.code, parent_code=p.parent_code, name=p.name, indicator=p.indicator,
                unit=p.unit, objective_number=p.objective_number,
                years=tuple((year, Decimal(80 + 5 * i), totals[p.code][i]) for i, year in enumerate(years)),
            )
            for p in parents.values()
        ]
        lines = sorted([*parent_lines, *sub_lines], key=lambda line: (_code_key(line.code), line.level))
        renstras.append(DemoRenstra(
            agency_code=agency.code, start_year=years[0], end_year=years[-1],
            goal_text=f"Terwujudnya penyelenggaraan urusan {agency.name} yang berkualitas",
            objectives=objectives, lines=tuple(lines),
        ))
    return tuple(renstras)


def _code_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((0, p) if not p.isdigit() else (1, p.zfill(6)) for p in code.split("."))


def make_rkpd(
    rng: random.Random, region: RegionSlice, agencies: tuple[DemoAgency, ...], renstras: tuple[DemoRenstra, ...],
) -> DemoRKPD:
    renja_lines: list[DemoRenjaLine] = []
    ceilings: list[tuple[str, int]] = []
    by_code = {a.code: a for a in agencies}
    index = RKPD_YEAR - RPJMD_YEARS[0]
    for renstra in renstras:
        agency = by_code[renstra.agency_code]
        factor = rng.uniform(0.86, 0.97)
        total = 0
        for line in renstra.lines:
            if line.level != "sub_activity":
                continue
            _, target, amount = line.years[index]
            budget = int(amount * factor) // 1000 * 1000
            forward = int(line.years[index + 1][2] * factor) // 1000 * 1000
            total += budget
            renja_lines.append(DemoRenjaLine(
                agency_code=agency.code, code=line.code, name=line.name, indicator=line.indicator,
                unit=line.unit, target=target, budget=budget, forward_estimate=forward,
                district_code=agency.district_code,
            ))
        ceiling = -(-total // 1_000_000) * 1_000_000  # rounded up to a million: Renja fits its ceiling
        ceilings.append((agency.code, ceiling))
    priority_sectors = ("1.01.02", "1.02.02", "1.03.10", "1.03.06", "1.04.04", "2.17.07", "1.06.05", "2.07.03")
    programs: dict[str, str] = {}
    for renstra in renstras:
        for line in renstra.lines:
            if line.level == "program" and line.code in priority_sectors:
                programs.setdefault(line.code, line.name)
    return DemoRKPD(
        year=RKPD_YEAR, stage="rancangan_awal", ceiling=sum(c for _, c in ceilings),
        theme=f"Penguatan kualitas SDM dan pemerataan infrastruktur untuk pertumbuhan ekonomi inklusif "
              f"{region_label(region)}",
        priority_programs=tuple(sorted(programs.items())), agency_ceilings=tuple(ceilings),
        renja_lines=tuple(renja_lines),
    )


def sector_agency(agencies: tuple[DemoAgency, ...], sector: str, code: str) -> DemoAgency | None:
    """The agency that carries `code` (first in catalogue order whose sectors and programs fit)."""
    for agency in agencies:
        if sector not in agency.sector_codes or agency.district_code:
            continue
        prefixes = AGENCY_PROGRAMS.get(agency.short_name, ())
        if prefixes and not code.startswith(prefixes):
            continue
        return agency
    return None
