"""Is a proposal's cost and volume plausible? Warnings, and a hard upper bound.

Why: a walkthrough entered Rp 999.999.999.999.999.999 and Rp 500 trillion for a 120 m road, and
both reached the kecamatan without a word; an import accepted 22 rows costing Rp 0. Each check
here takes the cleaned volume, unit, cost and sub-activity code and returns `Finding`s with
stable codes (``row.plausibility.*``), never raises; Bahasa text is the web layer's
(`web/proposals/messages.py`).

- **Hard bound (error):** a cost above `HARD_COST_CAP` (Rp 10 trillion: more than the whole yearly
  budget of all but the largest provinces), or above the government's whole yearly budget when
  the caller knows it.
- **Warnings:** cost zero; cost above `BUDGET_SHARE_WARNING` of the government's budget; cost
  per unit of volume outside the range of its kind (`UNIT_COST_RANGES`: per sector of the
  sub-activity, e.g. public works 1.03, and per unit; a wide default per unit otherwise); a
  volume beyond what one proposal of that unit can hold (`VOLUME_LIMITS`).

The ranges are deliberately wide (an order of magnitude around typical Indonesian unit prices
of village and regency works, from public price lists such as the regional HSPK/SSH tables);
they flag typing slips (a missing or extra group of zeros, a cost typed in the volume field),
not honest estimates. Pure (stdlib only).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selaras.domain.findings import Finding, Location, Severity

__all__ = [
    "HARD_COST_CAP", "BUDGET_SHARE_WARNING", "UnitCostRange", "UNIT_COST_RANGES", "VOLUME_LIMITS",
    "PLAUSIBILITY_CODES", "kind_of", "unit_cost_range", "check_plausibility",
]

#: No single proposal costs more than this (Rp 10 trillion), whatever the government.
HARD_COST_CAP = 10_000_000_000_000
#: A proposal above this share of the government's yearly budget is worth a second look.
BUDGET_SHARE_WARNING = Decimal("0.05")

PLAUSIBILITY_CODES = (
    "row.plausibility.cost_above_cap", "row.plausibility.cost_above_budget", "row.plausibility.cost_zero",
    "row.plausibility.cost_share_high", "row.plausibility.unit_cost_low", "row.plausibility.unit_cost_high",
    "row.plausibility.volume_high",
)


@dataclass(frozen=True, slots=True)
class UnitCostRange:
    """Plausible rupiah per unit of volume for one kind of sub-activity and one unit."""

    low: int
    high: int


#: Sector (first two parts of the sub-activity code) -> kind of works.
_SECTOR_KINDS = {
    "1.01": "education", "1.02": "health", "1.03": "public_works", "1.04": "housing",
    "2.07": "people", "2.08": "people", "2.13": "people", "3.27": "agriculture", "3.25": "agriculture",
}

# (kind, unit) -> range; kind "*" is the default of a unit.
UNIT_COST_RANGES: dict[tuple[str, str], UnitCostRange] = {
    # roads, drains, dykes per metre: from a rabat beton footpath to a regency road with structures
    ("public_works", "m"): UnitCostRange(100_000, 50_000_000),
    ("public_works", "km"): UnitCostRange(100_000_000, 50_000_000_000),
    ("public_works", "m²"): UnitCostRange(50_000, 20_000_000),
    ("public_works", "m³"): UnitCostRange(50_000, 10_000_000),
    ("*", "m"): UnitCostRange(20_000, 50_000_000),
    ("*", "km"): UnitCostRange(20_000_000, 50_000_000_000),
    ("*", "m²"): UnitCostRange(20_000, 30_000_000),
    ("*", "m³"): UnitCostRange(20_000, 20_000_000),
    ("*", "ha"): UnitCostRange(500_000, 5_000_000_000),
    # buildings and rooms
    ("education", "ruang"): UnitCostRange(20_000_000, 2_000_000_000),
    ("*", "ruang"): UnitCostRange(5_000_000, 2_000_000_000),
    ("*", "rumah"): UnitCostRange(2_000_000, 1_000_000_000),
    ("*", "sekolah"): UnitCostRange(10_000_000, 50_000_000_000),
    # people and households: training, aid, services
    ("*", "orang"): UnitCostRange(10_000, 100_000_000),
    ("*", "jiwa"): UnitCostRange(5_000, 50_000_000),
    ("*", "kk"): UnitCostRange(10_000, 200_000_000),
    ("*", "orang/bulan"): UnitCostRange(10_000, 50_000_000),
    ("*", "kelompok"): UnitCostRange(500_000, 2_000_000_000),
    # things and lumps
    ("*", "unit"): UnitCostRange(50_000, 200_000_000_000),
    ("*", "buah"): UnitCostRange(5_000, 20_000_000_000),
    ("*", "paket"): UnitCostRange(500_000, 200_000_000_000),
    ("*", "titik"): UnitCostRange(100_000, 20_000_000_000),
    ("*", "lokasi"): UnitCostRange(500_000, 200_000_000_000),
    ("*", "set"): UnitCostRange(50_000, 20_000_000_000),
    ("*", "ekor"): UnitCostRange(10_000, 500_000_000),
    ("*", "ton"): UnitCostRange(100_000, 2_000_000_000),
    ("*", "liter"): UnitCostRange(1_000, 10_000_000),
    ("*", "dokumen"): UnitCostRange(100_000, 20_000_000_000),
    ("*", "laporan"): UnitCostRange(100_000, 20_000_000_000),
    ("*", "kegiatan"): UnitCostRange(100_000, 200_000_000_000),
    ("*", "kegiatan/tahun"): UnitCostRange(100_000, 200_000_000_000),
    ("*", "bulan"): UnitCostRange(100_000, 50_000_000_000),
    ("*", "kali"): UnitCostRange(50_000, 50_000_000_000),
    ("*", "desa"): UnitCostRange(1_000_000, 500_000_000_000),
}

#: The most one proposal can hold of a unit (a warning beyond).
VOLUME_LIMITS: dict[str, Decimal] = {
    "m": Decimal(200_000), "km": Decimal(2_000), "m²": Decimal(10_000_000), "m³": Decimal(10_000_000),
    "ha": Decimal(1_000_000), "orang": Decimal(5_000_000), "jiwa": Decimal(5_000_000), "kk": Decimal(2_000_000),
    "rumah": Decimal(200_000), "ruang": Decimal(10_000), "sekolah": Decimal(5_000), "desa": Decimal(10_000),
    "unit": Decimal(10_000_000), "buah": Decimal(100_000_000), "paket": Decimal(100_000),
}


def kind_of(sub_activity_code: str) -> str:
    """The kind of works of a sub-activity code ('1.03.10.2.01.0009' -> 'public_works'); '*' if unknown."""
    parts = (sub_activity_code or "").strip().split(".")
    return _SECTOR_KINDS.get(".".join(parts[:2]), "*") if len(parts) >= 2 else "*"


def unit_cost_range(sub_activity_code: str, unit: str) -> UnitCostRange | None:
    """The plausible cost per unit for a sub-activity's kind and a unit, or None (no range known)."""
    return UNIT_COST_RANGES.get((kind_of(sub_activity_code), unit)) or UNIT_COST_RANGES.get(("*", unit))


def _rupiah(amount: int | Decimal) -> str:
    """Whole rupiah grouped the Indonesian way, for finding params ('1.250.000')."""
    return f"{int(amount):,}".replace(",", ".")


def _finding(code: str, severity: Severity, column: str, **params: object) -> Finding:
    return Finding(code, severity, Location(column=column), dict(params))


def check_plausibility(*, volume: Decimal | None, unit: str | None, cost: int | None,
                       sub_activity_code: str = "", budget: int | None = None) -> list[Finding]:
    """Findings on the cleaned volume, unit and cost of one proposal: errors for the hard bounds,
    warnings otherwise (in that order). Missing values are skipped (other checks report them)."""
    found: list[Finding] = []
    if cost is None:
        return found
    if cost > HARD_COST_CAP:
        return [_finding("row.plausibility.cost_above_cap", Severity.ERROR, "estimated_cost",
                         value=_rupiah(cost), cap=_rupiah(HARD_COST_CAP))]
    if budget and budget > 0 and cost > budget:
        return [_finding("row.plausibility.cost_above_budget", Severity.ERROR, "estimated_cost",
                         value=_rupiah(cost), budget=_rupiah(budget))]
    if cost == 0:
        found.append(_finding("row.plausibility.cost_zero", Severity.WARNING, "estimated_cost"))
    elif budget and budget > 0 and Decimal(cost) > BUDGET_SHARE_WARNING * budget:
        share = (Decimal(cost) * 100 / budget).quantize(Decimal("0.1"))
        found.append(_finding("row.plausibility.cost_share_high", Severity.WARNING, "estimated_cost",
                              value=_rupiah(cost), share=str(share).replace(".", ","), budget=_rupiah(budget)))
    if volume is None or volume <= 0 or not unit:
        return found
    limit = VOLUME_LIMITS.get(unit)
    if limit is not None and volume > limit:
        found.append(_finding("row.plausibility.volume_high", Severity.WARNING, "volume",
                              value=_rupiah(volume), unit=unit, limit=_rupiah(limit)))
    span = unit_cost_range(sub_activity_code, unit)
    if span is not None and cost > 0:
        per_unit = Decimal(cost) / volume
        if per_unit < span.low:
            found.append(_finding("row.plausibility.unit_cost_low", Severity.WARNING, "estimated_cost",
                                  per_unit=_rupiah(per_unit), unit=unit, low=_rupiah(span.low),
                                  high=_rupiah(span.high)))
        elif per_unit > span.high:
            found.append(_finding("row.plausibility.unit_cost_high", Severity.WARNING, "estimated_cost",
                                  per_unit=_rupiah(per_unit), unit=unit, low=_rupiah(span.low),
                                  high=_rupiah(span.high)))
    return found
