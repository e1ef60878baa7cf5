"""Excel export of an alignment report: findings, a summary per rule and agency, coverage."""

from __future__ import annotations

import json
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selaras.web.alignment.selectors import AlignmentReport

__all__ = ["FINDING_COLUMNS", "report_workbook"]

FINDING_COLUMNS = ("No", "Kode aturan", "Tingkat", "Aturan", "Perangkat daerah", "Dokumen", "Rujukan baris",
                   "Kode", "Tahun", "Pesan", "Nilai (JSON)")
_HEADER = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="1F4E79")


def _header(sheet, columns: tuple[str, ...] | list[str], widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    sheet.append(list(columns))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _HEADER, _FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def report_workbook(report: AlignmentReport) -> bytes:
    """The report as an .xlsx file (bytes)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Temuan"
    _header(sheet, FINDING_COLUMNS, [6, 38, 12, 45, 16, 28, 20, 22, 8, 90, 40])
    for number, row in enumerate(report.rows, start=1):
        f = row.finding
        sheet.append([number, f.code, row.severity_label, row.title, row.agency, f.location.document,
                      f.location.line, f.location.code, f.location.year, row.message,
                      json.dumps(f.params, ensure_ascii=False, sort_keys=True, default=str)])
        sheet.cell(row=number + 1, column=10).alignment = Alignment(wrap_text=True, vertical="top")

    summary = book.create_sheet("Ringkasan")
    _header(summary, ["Kode aturan", "Aturan", "Tingkat", "Jumlah"], [38, 60, 12, 10])
    for group in report.by_rule:
        summary.append([group.code, group.title, group.severity_label, group.count])
    summary.append([])
    summary.append(["Perangkat daerah", "Nama", "Galat", "Peringatan", "Jumlah"])
    for agency in report.by_agency:
        summary.append([agency.code or "-", agency.name, agency.errors, agency.warnings, agency.total])

    cover = book.create_sheet("Cakupan")
    _header(cover, ["Ukuran", "Terpenuhi", "Total", "Persen"], [60, 12, 12, 10])
    for label, share in report.coverage_rows():
        cover.append([label, share["done"], share["total"], share["percent"]])
    cover.append([])
    cover.append(["Pemerintah daerah", report.government.name])
    cover.append(["Tahun", report.year])

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
