"""Write use cases of the alignment area: import higher-level targets from Excel, map indicators.

Workbook layout (first sheet, one row per indicator, header on the first row; header names are
matched case-insensitively):

    dokumen | jenis | tingkat | kode_provinsi | tahun_awal | tahun_akhir | kunci | indikator |
    satuan | arah | 2025 | 2026 | ... (one column per year, the target of that year)

`tingkat` is "nasional" or "provinsi"; `jenis` one of rpjpn, rpjmn, rkp, rpjpd_provinsi,
rpjmd_provinsi; `arah` "naik" (higher is better), "turun" (lower is better) or empty. Bad rows
are returned as findings with their row number; good rows are written (idempotently: a
re-import updates the same plan, indicator and yearly targets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from python_calamine import CalamineWorkbook

from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.plans import Direction
from selaras.web.alignment.models import (
    HigherLevelIndicator,
    HigherLevelPlan,
    HigherLevelTarget,
    IndicatorMapping,
)
from selaras.web.plans.models import LocalGovernment

__all__ = ["ImportResult", "import_higher_targets", "map_indicator", "IMPORT_COLUMNS"]

IMPORT_COLUMNS = ("dokumen", "jenis", "tingkat", "kode_provinsi", "tahun_awal", "tahun_akhir", "kunci",
                  "indikator", "satuan", "arah")
_LEVELS = {"nasional": HigherLevelPlan.LEVEL_NATIONAL, "national": HigherLevelPlan.LEVEL_NATIONAL,
           "provinsi": HigherLevelPlan.LEVEL_PROVINCE, "province": HigherLevelPlan.LEVEL_PROVINCE}
_DIRECTIONS = {"naik": Direction.HIGHER_IS_BETTER, "up": Direction.HIGHER_IS_BETTER,
               "turun": Direction.LOWER_IS_BETTER, "down": Direction.LOWER_IS_BETTER,
               "": Direction.UNKNOWN, "-": Direction.UNKNOWN, "none": Direction.UNKNOWN}
_KINDS = {k for k, _ in HigherLevelPlan.KIND_CHOICES}


@dataclass
class ImportResult:
    plans: int = 0
    indicators: int = 0
    targets: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _year(value: Any) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() and len(text) == 4 else None


def _bad(row: int, column: str, code: str, **params: object) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, location=Location(row=row, column=column), params=params)


def import_higher_targets(source: str | Path | IO[bytes]) -> ImportResult:
    """Read a workbook of higher-level targets and write it; bad rows come back as findings."""
    workbook = (CalamineWorkbook.from_path(str(source)) if isinstance(source, str | Path)
                else CalamineWorkbook.from_filelike(source))
    rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    result = ImportResult()
    if not rows:
        result.findings.append(_bad(1, "", "import.empty"))
        return result
    header = [_text(h).lower() for h in rows[0]]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        result.findings.append(_bad(1, ", ".join(missing), "import.missing_columns"))
        return result
    col = {name: header.index(name) for name in IMPORT_COLUMNS}
    year_cols = [(i, y) for i, h in enumerate(header) if (y := _year(h)) is not None]
    seen_plans: set[int] = set()
    seen_indicators: set[int] = set()
    with transaction.atomic():
        for number, raw in enumerate(rows[1:], start=2):
            values = {name: _text(raw[i]) if i < len(raw) else "" for name, i in col.items()}
            if not any(values.values()):
                continue
            parsed = _parse_row(number, values, result)
            if parsed is None:
                continue
            targets: list[tuple[int, Decimal]] = []
            for i, year in year_cols:
                cell = _text(raw[i]) if i < len(raw) else ""
                if not cell:
                    continue
                try:
                    targets.append((year, Decimal(cell.replace(",", "."))))
                except InvalidOperation:
                    result.findings.append(_bad(number, str(year), "import.bad_number", value=cell))
            plan, _ = HigherLevelPlan.objects.update_or_create(name=values["dokumen"], defaults=parsed)
            indicator, _ = HigherLevelIndicator.objects.update_or_create(
                plan=plan, key=values["kunci"],
                defaults={"name": values["indikator"] or values["kunci"], "unit": values["satuan"],
                          "direction": _DIRECTIONS[values["arah"].lower()].value})
            for year, value in targets:
                HigherLevelTarget.objects.update_or_create(indicator=indicator, year=year,
                                                           defaults={"value": value})
                result.targets += 1
            seen_plans.add(plan.pk)
            seen_indicators.add(indicator.pk)
    result.plans, result.indicators = len(seen_plans), len(seen_indicators)
    return result


def _parse_row(number: int, values: dict[str, str], result: ImportResult) -> dict[str, object] | None:
    problems = []
    if not values["dokumen"]:
        problems.append(_bad(number, "dokumen", "import.required"))
    if not values["kunci"]:
        problems.append(_bad(number, "kunci", "import.required"))
    level = _LEVELS.get(values["tingkat"].lower())
    if level is None:
        problems.append(_bad(number, "tingkat", "import.bad_choice", value=values["tingkat"]))
    kind = values["jenis"].lower()
    if kind not in _KINDS:
        problems.append(_bad(number, "jenis", "import.bad_choice", value=values["jenis"]))
    if values["arah"].lower() not in _DIRECTIONS:
        problems.append(_bad(number, "arah", "import.bad_choice", value=values["arah"]))
    start, end = _year(values["tahun_awal"]), _year(values["tahun_akhir"])
    if start is None or end is None or end < start:
        problems.append(_bad(number, "tahun_awal", "import.bad_period",
                             value=f"{values['tahun_awal']}-{values['tahun_akhir']}"))
    if level == HigherLevelPlan.LEVEL_PROVINCE and not values["kode_provinsi"]:
        problems.append(_bad(number, "kode_provinsi", "import.required"))
    if problems:
        result.findings.extend(problems)
        return None
    return {"kind": kind, "level": level, "start_year": start, "end_year": end,
            "region_code": values["kode_provinsi"] if level == HigherLevelPlan.LEVEL_PROVINCE else ""}


IMPORT_MESSAGES = {
    "import.empty": "Berkas kosong.",
    "import.missing_columns": "Kolom wajib tidak ada: {column}.",
    "import.required": "Baris {row}: kolom {column} wajib diisi.",
    "import.bad_choice": "Baris {row}: nilai \"{value}\" pada kolom {column} tidak dikenali.",
    "import.bad_period": "Baris {row}: periode {value} tidak sah.",
    "import.bad_number": "Baris {row}: target tahun {column} \"{value}\" bukan angka.",
}


def import_message(finding: Finding) -> str:
    template = IMPORT_MESSAGES.get(finding.code, finding.code)
    return template.format(row=finding.location.row, column=finding.location.column, **finding.params)


def map_indicator(government: LocalGovernment, higher_indicator: HigherLevelIndicator,
                  local_key: str) -> IndicatorMapping:
    """Map a higher-level indicator to a local indicator key of `government` (replacing any)."""
    mapping, _ = IndicatorMapping.objects.update_or_create(
        government=government, higher_indicator=higher_indicator, defaults={"local_key": local_key})
    return mapping
