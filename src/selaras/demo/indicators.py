"""Macro indicators of an RPJMD and the objectives that carry them, with plausible values.

Baselines are drawn within ranges seen in West Java regencies' published RPJMD documents
(poverty 4-9 %, open unemployment 5-10 %, HDI 68-76 ...); yearly targets move by a typical
step in the improving direction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from selaras.demo.model import DemoIndicator

__all__ = ["IndicatorSpec", "KEY_INDICATORS", "OBJECTIVES", "make_indicator"]


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    key: str
    name: str
    unit: str
    direction: str  # "up" | "down"
    baseline: tuple[float, float]
    step: float  # yearly change in the improving direction (positive number)
    places: int


KEY_INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("poverty_rate", "Persentase penduduk miskin", "%", "down", (4.0, 9.0), 0.28, 2),
    IndicatorSpec("open_unemployment", "Tingkat pengangguran terbuka (TPT)", "%", "down", (5.5, 10.5), 0.35, 2),
    IndicatorSpec("hdi", "Indeks Pembangunan Manusia (IPM)", "poin", "up", (68.0, 76.0), 0.45, 2),
    IndicatorSpec("economic_growth", "Laju pertumbuhan ekonomi", "%", "up", (4.6, 5.6), 0.12, 2),
    IndicatorSpec("gini_ratio", "Rasio Gini", "indeks", "down", (0.33, 0.40), 0.004, 3),
    IndicatorSpec("stunting_prevalence", "Prevalensi stunting pada balita", "%", "down", (14.0, 24.0), 1.6, 2),
    IndicatorSpec("maternal_mortality", "Angka kematian ibu (AKI)", "per 100.000 kelahiran hidup", "down",
                  (70.0, 180.0), 7.0, 1),
    IndicatorSpec("infant_mortality", "Angka kematian bayi (AKB)", "per 1.000 kelahiran hidup", "down",
                  (8.0, 20.0), 0.6, 2),
    IndicatorSpec("mean_years_schooling", "Rata-rata lama sekolah (RLS)", "tahun", "up", (8.0, 9.8), 0.12, 2),
    IndicatorSpec("expected_years_schooling", "Harapan lama sekolah (HLS)", "tahun", "up", (12.2, 13.2), 0.08, 2),
    IndicatorSpec("life_expectancy", "Usia harapan hidup (UHH)", "tahun", "up", (71.0, 74.0), 0.15, 2),
)

_EXTRA: dict[str, IndicatorSpec] = {spec.key: spec for spec in (
    IndicatorSpec("road_condition", "Persentase panjang jalan kabupaten dalam kondisi mantap", "%", "up",
                  (65.0, 85.0), 2.5, 2),
    IndicatorSpec("safe_water_access", "Persentase rumah tangga dengan akses air minum layak", "%", "up",
                  (80.0, 93.0), 1.2, 2),
    IndicatorSpec("sanitation_access", "Persentase rumah tangga dengan akses sanitasi layak", "%", "up",
                  (75.0, 90.0), 1.5, 2),
    IndicatorSpec("uninhabitable_houses", "Persentase rumah tidak layak huni", "%", "down", (4.0, 12.0), 0.8, 2),
    IndicatorSpec("environment_quality", "Indeks kualitas lingkungan hidup (IKLH)", "poin", "up",
                  (48.0, 62.0), 1.0, 2),
    IndicatorSpec("investment_growth", "Pertumbuhan nilai investasi", "%", "up", (4.0, 9.0), 0.5, 2),
    IndicatorSpec("farmer_exchange", "Nilai tukar petani (NTP)", "poin", "up", (98.0, 108.0), 0.8, 2),
    IndicatorSpec("accountability", "Nilai SAKIP pemerintah daerah", "poin", "up", (62.0, 72.0), 1.5, 2),
    IndicatorSpec("reform_index", "Indeks reformasi birokrasi", "poin", "up", (60.0, 70.0), 1.5, 2),
    IndicatorSpec("public_order", "Persentase penegakan perda yang tuntas", "%", "up", (70.0, 85.0), 2.0, 2),
    IndicatorSpec("welfare_services", "Persentase PMKS yang memperoleh layanan sosial", "%", "up",
                  (55.0, 75.0), 3.0, 2),
    IndicatorSpec("youth_sport", "Jumlah prestasi olahraga tingkat provinsi dan nasional", "medali", "up",
                  (20.0, 60.0), 4.0, 0),
)}

_BY_KEY = {spec.key: spec for spec in KEY_INDICATORS} | _EXTRA

# (mission no, mission, goal, objective, sectors served, indicator keys)
OBJECTIVES: tuple[tuple[int, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (1, "Meningkatkan kualitas sumber daya manusia yang sehat, cerdas dan berdaya saing",
     "Meningkatkan kualitas pendidikan masyarakat",
     "Meningkatnya akses dan mutu layanan pendidikan",
     ("1.01", "2.23", "2.24"), ("mean_years_schooling", "expected_years_schooling")),
    (1, "", "Meningkatkan derajat kesehatan masyarakat",
     "Meningkatnya kualitas layanan kesehatan ibu, anak dan gizi masyarakat",
     ("1.02", "2.14", "2.08"), ("stunting_prevalence", "maternal_mortality", "infant_mortality")),
    (1, "", "Meningkatkan derajat kesehatan masyarakat",
     "Meningkatnya usia harapan hidup masyarakat", ("1.02",), ("life_expectancy",)),
    (1, "", "Meningkatkan prestasi pemuda, olahraga dan kebudayaan",
     "Meningkatnya prestasi olahraga dan pelestarian budaya daerah", ("2.19", "2.22"), ("youth_sport",)),
    (2, "Mewujudkan infrastruktur wilayah yang merata, terpadu dan berwawasan lingkungan",
     "Meningkatkan kualitas dan pemerataan infrastruktur wilayah",
     "Meningkatnya kemantapan jalan dan konektivitas wilayah", ("1.03", "2.15"), ("road_condition",)),
    (2, "", "Meningkatkan kualitas dan pemerataan infrastruktur wilayah",
     "Meningkatnya akses permukiman layak, air minum dan sanitasi", ("1.04", "2.10"),
     ("safe_water_access", "sanitation_access", "uninhabitable_houses")),
    (2, "", "Meningkatkan kualitas lingkungan hidup",
     "Meningkatnya kualitas lingkungan hidup dan pengelolaan sampah", ("2.11",), ("environment_quality",)),
    (3, "Meningkatkan perekonomian daerah yang inklusif berbasis potensi lokal",
     "Meningkatkan pertumbuhan ekonomi yang inklusif",
     "Meningkatnya kesempatan kerja dan daya saing usaha mikro", ("2.07", "2.17", "2.18", "3.30", "3.31", "3.26"),
     ("open_unemployment", "investment_growth")),
    (3, "", "Meningkatkan pertumbuhan ekonomi yang inklusif",
     "Meningkatnya produktivitas pertanian, perikanan dan ketahanan pangan",
     ("3.27", "3.25", "2.09", "3.28"), ("farmer_exchange",)),
    (4, "Mewujudkan tata kelola pemerintahan yang bersih, efektif dan melayani",
     "Meningkatkan kualitas tata kelola pemerintahan",
     "Meningkatnya akuntabilitas kinerja dan keuangan daerah",
     ("4.01", "4.02", "5.01", "5.02", "5.03", "5.04", "5.05", "6.01"), ("accountability",)),
    (4, "", "Meningkatkan kualitas tata kelola pemerintahan",
     "Meningkatnya kualitas pelayanan publik dan pemerintahan kecamatan dan desa",
     ("2.12", "2.13", "2.16", "2.20", "2.21", "7.01"), ("reform_index",)),
    (5, "Meningkatkan ketenteraman, ketertiban dan kesejahteraan sosial masyarakat",
     "Meningkatkan kesejahteraan sosial dan ketenteraman masyarakat",
     "Menurunnya kemiskinan dan meningkatnya perlindungan sosial", ("1.06",),
     ("poverty_rate", "welfare_services")),
    (5, "", "Meningkatkan kesejahteraan sosial dan ketenteraman masyarakat",
     "Meningkatnya ketenteraman, ketertiban umum dan kesiapsiagaan bencana", ("1.05", "8.01"),
     ("public_order",)),
)


def _quantize(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def make_indicator(rng: random.Random, key: str, years: range, baseline: float | None = None) -> DemoIndicator:
    """An indicator with a baseline (year before `years`) and one target per year."""
    spec = _BY_KEY[key]
    low, high = spec.baseline
    base = baseline if baseline is not None else rng.uniform(low, high)
    sign = 1.0 if spec.direction == "up" else -1.0
    targets = []
    value = base
    for year in years:
        value = value + sign * spec.step * rng.uniform(0.8, 1.2)
        if spec.unit == "%":
            value = min(max(value, 0.0), 100.0)
        targets.append((year, _quantize(value, spec.places)))
    return DemoIndicator(
        key=spec.key, name=spec.name, unit=spec.unit, direction=spec.direction,
        baseline=_quantize(base, spec.places), targets=tuple(targets), end_value=targets[-1][1],
    )
