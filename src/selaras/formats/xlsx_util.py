"""Small openpyxl helpers shared by the Excel writers: styled headers, streaming sheets, safe rows.

Every writer appends its rows through `append_row` (or `stream_workbook`/`write_rows_sheet`,
which use it): a text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is stored
as a text cell, never as a formula (openpyxl would store a str starting with `=` as a formula, and
a spreadsheet program may evaluate the others). Numbers stay numbers, negative ones included.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["HEADER_FONT", "HEADER_FILL", "REQUIRED_FILL", "FORMULA_STARTS", "is_formula_like", "append_row",
           "style_header_row", "write_rows_sheet", "stream_workbook", "workbook_bytes"]

#: A text starting with one of these could be taken for a formula by a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """A text (only texts: numbers are never neutralised) that a spreadsheet might evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row to a normal or write-only sheet; formula-like texts become text cells."""
    row = list(values)
    if isinstance(sheet, Worksheet):
        sheet.append(row)
        if any(is_formula_like(v) for v in row):
            number = sheet.max_row
            for index, value in enumerate(row, start=1):
                if is_formula_like(value):
                    cell = sheet.cell(row=number, column=index)
                    cell.value = value
                    cell.data_type = "s"
        return
    cells: list[Any] = []
    for value in row:
        if is_formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    sheet.append(cells)

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
    append_row(sheet, headers)
    count = 0
    for row in rows:
        append_row(sheet, row)
        count += 1
    style_header_row(sheet, widths)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    return sheet


def _header_cells(sheet: Any, headers: Sequence[str], fills: Sequence[PatternFill]) -> list[WriteOnlyCell]:
    cells = []
    for text, fill in zip(headers, fills, strict=True):
        cell = WriteOnlyCell(sheet, value=text)
        if is_formula_like(text):
            cell.data_type = "s"
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
        append_row(sheet, row)
    out = target if target is not None else io.BytesIO()
    book.save(out)
    return out


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
