"""Write use cases of the alignment area: store higher-level targets read from Excel, map indicators.

The workbook is read by `selaras.formats.alignment_targets` (no database there); this module
only writes what it returns, idempotently: a re-import updates the same plan, indicator and
yearly targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction

from selaras.domain.findings import Finding, Severity
from selaras.formats.alignment_targets import IMPORT_COLUMNS, read_targets
from selaras.formats.upload_limits import LIMIT_CODES
from selaras.web.alignment.models import (
    HigherLevelIndicator,
    HigherLevelPlan,
    HigherLevelTarget,
    IndicatorMapping,
)
from selaras.web.errors.messages import TABLE_TEXTS
from selaras.web.plans.models import LocalGovernment

__all__ = ["ImportResult", "import_higher_targets", "import_message", "map_indicator", "IMPORT_COLUMNS"]


@dataclass
class ImportResult:
    plans: int = 0
    indicators: int = 0
    targets: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)


def import_higher_targets(source: bytes | str | Path | IO[bytes]) -> ImportResult:
    """Read a workbook of higher-level targets and write it; bad rows come back as findings."""
    rows, findings = read_targets(source)
    result = ImportResult(findings=findings)
    seen_plans: set[int] = set()
    seen_indicators: set[int] = set()
    with transaction.atomic():
        for row in rows:
            plan, _ = HigherLevelPlan.objects.update_or_create(
                name=row.plan_name,
                defaults={"kind": row.kind, "level": row.level, "start_year": row.start_year,
                          "end_year": row.end_year, "region_code": row.region_code})
            indicator, _ = HigherLevelIndicator.objects.update_or_create(
                plan=plan, key=row.key,
                defaults={"name": row.name, "unit": row.unit, "direction": row.direction.value})
            for year, value in row.targets:
                HigherLevelTarget.objects.update_or_create(indicator=indicator, year=year, defaults={
                    "value": value, "target_min": None, "target_max": None})
                result.targets += 1
            for year, low, high in row.ranges:
                HigherLevelTarget.objects.update_or_create(indicator=indicator, year=year, defaults={
                    "value": None, "target_min": low, "target_max": high})
                result.targets += 1
            seen_plans.add(plan.pk)
            seen_indicators.add(indicator.pk)
    result.plans, result.indicators = len(seen_plans), len(seen_indicators)
    return result


IMPORT_MESSAGES = {
    "import.empty": "Berkas kosong.",
    "import.missing_columns": "Kolom wajib tidak ada: {column}.",
    "import.required": "Baris {row}: kolom {column} wajib diisi.",
    "import.bad_choice": "Baris {row}: nilai \"{value}\" pada kolom {column} tidak dikenali.",
    "import.bad_period": "Baris {row}: periode {value} tidak sah.",
    "import.bad_number": "Baris {row}: target tahun {column} \"{value}\" bukan angka.",
    # file limits (formats.upload_limits) and a file that is not a workbook: every importer's texts
    **{code: TABLE_TEXTS[code] for code in (*LIMIT_CODES, "table.unreadable")},
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
