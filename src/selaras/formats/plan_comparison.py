"""The comparison of two versions of a plan document as an .xlsx file (changes, then totals)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from selaras.formats.xlsx_util import append_row, style_header_row, workbook_bytes

__all__ = ["write_comparison", "CHANGE_HEADERS", "TOTAL_HEADERS"]

CHANGE_HEADERS = ("Perubahan", "Kode", "Nama", "Kolom", "Jenis", "Sebelum", "Sesudah", "Selisih (Rp)")
TOTAL_HEADERS = ("Kolom", "Jumlah sebelum (Rp)", "Jumlah sesudah (Rp)", "Selisih (Rp)")
_KINDS = {"target": "target", "money": "pagu", "text": "teks", "": ""}


def write_comparison(title: str, label_a: str, label_b: str, rows: Iterable[Sequence[Any]],
                     totals: Iterable[tuple[str, int, int, int]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Perubahan"
    append_row(sheet, CHANGE_HEADERS)
    for status, code, name, column, kind, before, after, difference in rows:
        append_row(sheet, [status, code, name, column, _KINDS.get(str(kind), str(kind)), before, after, difference])
    style_header_row(sheet, [12, 22, 44, 18, 10, 18, 18, 18])
    total_sheet = book.create_sheet("Jumlah")
    append_row(total_sheet, TOTAL_HEADERS)
    for column, before_total, after_total, difference in totals:
        append_row(total_sheet, [column, before_total, after_total, difference])
    style_header_row(total_sheet, [20, 22, 22, 22])
    book.properties.title = f"Perbandingan {title}: {label_a} dan {label_b}"[:250]
    return workbook_bytes(book)
