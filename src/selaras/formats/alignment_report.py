"""Write a sinkronisasi (alignment) report as an .xlsx workbook: findings, summary, coverage.

Plain rows in, bytes out: the web turns its report objects into `ReportSheets` and this module
only lays them out, so the workbook can be checked without a database. Three sheets: "Temuan"
(one numbered row per finding, its parameters as JSON), "Ringkasan" (count per rule, then per
agency) and "Cakupan" (coverage measures, then the government and year).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from selaras.formats.xlsx_util import append_row

__all__ = ["FINDING_COLUMNS", "FindingLine", "ReportSheets", "write_report"]

FINDING_COLUMNS = ("No", "Kode aturan", "Tingkat", "Aturan", "Perangkat daerah", "Dokumen", "Rujukan baris",
                   "Kode", "Tahun", "Pesan", "Nilai (JSON)")
_HEADER = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="1F4E79")
_MESSAGE_COLUMN = FINDING_COLUMNS.index("Pesan") + 1


@dataclass(frozen=True)
class FindingLine:
    """One finding as the workbook shows it (texts already rendered)."""

    code: str
    severity: str
    title: str
    agency: str
    document: str
    line: str
    location_code: str
    year: int | None
    message: str
    params: dict[str, Any]


@dataclass
class ReportSheets:
    """Everything the workbook holds, as plain values."""

    government_name: str
    year: int
    findings: list[FindingLine] = field(default_factory=list)
    #: (rule code, rule title, severity label, count)
    rules: list[tuple[str, str, str, int]] = field(default_factory=list)
    #: (agency code or "-", agency name, errors, warnings, total)
    agencies: list[tuple[str, str, int, int, int]] = field(default_factory=list)
    #: (measure label, done, total, percent)
    coverage: list[tuple[str, Any, Any, Any]] = field(default_factory=list)


def _header(sheet: Worksheet, columns: Sequence[str], widths: Sequence[int]) -> None:
    append_row(sheet, list(columns))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _HEADER, _FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def write_report(sheets: ReportSheets) -> bytes:
    """The report as an .xlsx file (bytes)."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Temuan"
    _header(sheet, FINDING_COLUMNS, [6, 38, 12, 45, 16, 28, 20, 22, 8, 90, 40])
    for number, f in enumerate(sheets.findings, start=1):
        append_row(sheet, [number, f.code, f.severity, f.title, f.agency, f.document, f.line, f.location_code, f.year,
                      f.message, json.dumps(f.params, ensure_ascii=False, sort_keys=True, default=str)])
        sheet.cell(row=number + 1, column=_MESSAGE_COLUMN).alignment = Alignment(wrap_text=True, vertical="top")

    summary = book.create_sheet("Ringkasan")
    _header(summary, ["Kode aturan", "Aturan", "Tingkat", "Jumlah"], [38, 60, 12, 10])
    for rule in sheets.rules:
        append_row(summary, list(rule))
    append_row(summary, [])
    append_row(summary, ["Perangkat daerah", "Nama", "Galat", "Peringatan", "Jumlah"])
    for agency in sheets.agencies:
        append_row(summary, list(agency))

    cover = book.create_sheet("Cakupan")
    _header(cover, ["Ukuran", "Terpenuhi", "Total", "Persen"], [60, 12, 12, 10])
    for measure in sheets.coverage:
        append_row(cover, list(measure))
    append_row(cover, [])
    append_row(cover, ["Pemerintah daerah", sheets.government_name])
    append_row(cover, ["Tahun", sheets.year])

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
