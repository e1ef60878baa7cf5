"""Small openpyxl helpers shared by the Excel writers: styled headers, streaming sheets."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["HEADER_FONT", "HEADER_FILL", "REQUIRED_FILL", "style_header_row", "write_rows_sheet",
           "stream_workbook", "workbook_bytes"]

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
REQUIRED_FILL = PatternFill("solid", fgColor="9A3412")
PROBLEM_FILL = PatternFill("solid", fgColor="B42318")
_THIN = Side(style="thin", color="D8E0E5")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def style_header_row(sheet: Worksheet, widths: Sequence[int], required: Sequence[bool] = ()) -> None:
    """Bold white header on green (dark red for required columns), frozen, with widths."""
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if index <= len(required) and required[index - 1] else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 32


def write_rows_sheet(book: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                     widths: Sequence[int]) -> Worksheet:
    """A reference sheet (normal mode): styled header, then rows, with an auto filter."""
    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    count = 0
    for row in rows:
        sheet.append(list(row))
        count += 1
    style_header_row(sheet, widths)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    return sheet


def _header_cells(sheet: Any, headers: Sequence[str], fills: Sequence[PatternFill]) -> list[WriteOnlyCell]:
    cells = []
    for text, fill in zip(headers, fills, strict=True):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = HEADER_FONT
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def stream_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                    widths: Sequence[int], fills: Sequence[PatternFill] | None = None,
                    target: Any = None) -> Any:
    """Write one sheet in openpyxl's write-only mode (constant memory). Returns the target.

    `target` is a path or a binary file object; by default a new BytesIO.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, headers, fills or [HEADER_FILL] * len(headers)))
    for row in rows:
        sheet.append(list(row))
    out = target if target is not None else io.BytesIO()
    book.save(out)
    return out


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
