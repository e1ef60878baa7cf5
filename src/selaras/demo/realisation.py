"""Realisation of a demo district: quarters I–IV of 2025 and I–II of 2026 for every Renja line,
and the yearly values of the plan indicators, consistent with the targets.

Deterministic (seeded by the district's seed and region). Most agencies keep pace with their
targets; a few (about one in five) fall behind, with the hindrances an agency would write; a few
macro indicators move the wrong way in 2026 (stunting, unemployment ...), so every evaluation
table and chart has something to show. Pure: the web's demo loader writes what this returns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from selaras.demo.model import DemoDistrict, DemoIndicator

__all__ = ["DemoIndicatorValue", "DemoPlanLine", "DemoQuarter", "DemoRealisation", "REALISED", "make_realisation"]

#: (year, quarters reported) of the demo.
REALISED: tuple[tuple[int, tuple[int, ...]], ...] = ((2025, (1, 2, 3, 4)), (2026, (1, 2)))

#: Share of a year's volume done in each quarter, and of its money spent (spending is back-loaded).
_VOLUME_SHARE = (0.15, 0.25, 0.30, 0.30)
_MONEY_SHARE = (0.12, 0.23, 0.30, 0.35)

_HELPED = (
    "Dukungan lintas perangkat daerah dan pemerintah desa berjalan baik.",
    "Pengadaan barang/jasa selesai tepat waktu melalui e-katalog.",
    "Partisipasi masyarakat dan kader tinggi.",
    "Data sasaran sudah dimutakhirkan sejak awal tahun.",
)
_HINDERED = (
    "Keterlambatan proses pengadaan barang/jasa.",
    "Penyesuaian (refocusing) anggaran pada pertengahan tahun.",
    "Kondisi cuaca menghambat pekerjaan fisik di lapangan.",
    "Keterbatasan tenaga teknis dan pendamping lapangan.",
    "Perubahan petunjuk teknis dari kementerian.",
)
_FOLLOW_UP = (
    "Percepatan jadwal pelaksanaan pada triwulan berikutnya.",
    "Koordinasi dengan Bagian Pengadaan Barang/Jasa dan BPKAD.",
    "Pendampingan teknis dan penambahan tenaga lapangan.",
    "Usulan pergeseran anggaran pada APBD Perubahan.",
)
#: Indicators that get worse in 2026 (when the district has them).
_WORSENING = ("stunting_prevalence", "open_unemployment", "maternal_mortality")


@dataclass(frozen=True, slots=True)
class DemoPlanLine:
    """A Renja line of a realised year that the district's RKPD does not hold (the year before it)."""

    year: int
    agency_code: str
    code: str
    name: str
    indicator: str
    unit: str
    target: Decimal | None
    budget: int


@dataclass(frozen=True, slots=True)
class DemoQuarter:
    agency_code: str
    code: str
    year: int
    quarter: int
    volume: Decimal | None
    spent: int
    helped: str
    hindered: str
    follow_up: str


@dataclass(frozen=True, slots=True)
class DemoIndicatorValue:
    """A plan indicator's realised value; `owner` is "rpjmd" or an agency code (Renstra objective)."""

    owner: str
    key: str
    year: int
    value: Decimal


@dataclass(frozen=True, slots=True)
class DemoRealisation:
    plan_lines: tuple[DemoPlanLine, ...]
    quarters: tuple[DemoQuarter, ...]
    indicators: tuple[DemoIndicatorValue, ...]
    behind: tuple[str, ...]  # agency codes that fall behind
    worsening: tuple[str, ...]  # indicator keys that get worse in 2026


def _year_lines(district: DemoDistrict) -> dict[int, list[DemoPlanLine]]:
    """Renja lines per realised year: the district's RKPD year as it is, other years from the Renstra."""
    out: dict[int, list[DemoPlanLine]] = {}
    for year, _ in REALISED:
        if year == district.rkpd.year:
            out[year] = [DemoPlanLine(year, line.agency_code, line.code, line.name, line.indicator, line.unit,
                                      line.target, line.budget) for line in district.rkpd.renja_lines]
            continue
        lines = []
        for renstra in district.renstras:
            for line in renstra.lines:
                if line.level != "sub_activity":
                    continue
                found = [(target, amount) for y, target, amount in line.years if y == year]
                if not found:
                    continue
                target, amount = found[0]
                lines.append(DemoPlanLine(year, renstra.agency_code, line.code, line.name, line.indicator, line.unit,
                                          target, int(amount * 0.93) // 1000 * 1000))
        out[year] = lines
    return out


def _note(rng: random.Random, options: tuple[str, ...], chance: float) -> str:
    return rng.choice(options) if rng.random() < chance else ""


def make_realisation(district: DemoDistrict) -> DemoRealisation:
    """Everything realised in the demo district (see the module docstring)."""
    rng = random.Random(f"selaras-demo-realisation:{district.seed}:{district.region_code}")
    codes = [a.code for a in district.agencies]
    behind = tuple(sorted(rng.sample(codes, max(1, len(codes) // 5))))
    pace = {code: (rng.uniform(0.45, 0.70) if code in behind else rng.uniform(0.86, 1.06)) for code in codes}
    by_year = _year_lines(district)
    quarters: list[DemoQuarter] = []
    for year, reported in REALISED:
        for line in by_year.get(year, []):
            line_pace = max(0.2, pace[line.agency_code] * rng.uniform(0.85, 1.12))
            money_pace = max(0.2, min(1.0, pace[line.agency_code] * rng.uniform(0.9, 1.05)))
            lagging = line_pace < 0.8
            for q in reported:
                volume = None
                if line.target is not None:
                    raw = float(line.target) * _VOLUME_SHARE[q - 1] * line_pace
                    volume = Decimal(f"{raw:.2f}") if raw < 10 else Decimal(round(raw))
                spent = int(line.budget * _MONEY_SHARE[q - 1] * money_pace) // 1000 * 1000
                quarters.append(DemoQuarter(
                    agency_code=line.agency_code, code=line.code, year=year, quarter=q, volume=volume, spent=spent,
                    helped=_note(rng, _HELPED, 0.25 if lagging else 0.4),
                    hindered=_note(rng, _HINDERED, 0.85 if lagging else 0.1),
                    follow_up=_note(rng, _FOLLOW_UP, 0.8 if lagging else 0.1),
                ))
    worsening = tuple(k for k in _WORSENING if any(i.key == k for i in district.rpjmd.key_indicators))
    values: list[DemoIndicatorValue] = []
    seen: set[tuple[str, str]] = set()
    rpjmd_indicators = list(district.rpjmd.key_indicators)
    for mission in district.rpjmd.missions:
        for goal in mission.goals:
            for objective in goal.objectives:
                rpjmd_indicators.extend(objective.indicators)
    for indicator in rpjmd_indicators:
        if ("rpjmd", indicator.key) in seen:
            continue
        seen.add(("rpjmd", indicator.key))
        values.extend(_indicator_values(rng, "rpjmd", indicator, indicator.key in worsening))
    for renstra in district.renstras:
        for renstra_objective in renstra.objectives:
            for indicator in renstra_objective.indicators:
                if (renstra.agency_code, indicator.key) in seen:
                    continue
                seen.add((renstra.agency_code, indicator.key))
                values.extend(_indicator_values(rng, renstra.agency_code, indicator,
                                                renstra.agency_code in behind and rng.random() < 0.5))
    return DemoRealisation(plan_lines=tuple(line for year, _ in REALISED if year != district.rkpd.year
                                            for line in by_year.get(year, [])),
                           quarters=tuple(quarters), indicators=tuple(values), behind=behind, worsening=worsening)


def _indicator_values(rng: random.Random, owner: str, indicator: DemoIndicator, worsen: bool) -> list[DemoIndicatorValue]:
    """2025: most of the way from the baseline to the target; 2026 (preliminary) onwards likewise,
    or a step back the wrong way when `worsen`."""
    exponent = indicator.baseline.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 2
    quantum = Decimal(1).scaleb(-places)
    targets = dict(indicator.targets)
    out: list[DemoIndicatorValue] = []
    previous = float(indicator.baseline)
    for year, _ in REALISED:
        target = targets.get(year)
        if target is None:
            continue
        step = float(target) - previous
        if worsen and year > REALISED[0][0]:
            value = previous - step * rng.uniform(0.4, 0.9)
        else:
            value = previous + step * rng.uniform(0.6, 1.1)
        if indicator.unit == "%":
            value = min(max(value, 0.0), 100.0)
        value = max(value, 0.0)
        out.append(DemoIndicatorValue(owner, indicator.key, year, Decimal(f"{value:.{places}f}").quantize(quantum)))
        previous = value
    return out
