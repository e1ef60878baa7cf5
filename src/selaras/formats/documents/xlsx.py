"""An official document as an .xlsx workbook (openpyxl), laid out like the regulation's annex.

Each sheet: the title, the government's name and the period on top; paragraphs; the table with
its merged multi-row header and the row of column numbers (1), (2) ...; rows indented by level,
totals in bold; the signature blocks below. Frozen under the header, landscape A4/F4 fitted to
the page width, header rows repeated on every printed page, "Halaman X dari Y" in the footer.
Texts that a spreadsheet could take for a formula are written as text (`xlsx_util`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from selaras.formats.documents.model import (
    Column,
    Document,
    Format,
    Paper,
    Paragraph,
    Quantity,
    RowKind,
    Signature,
    Table,
    Value,
    header_grid,
    row_cells,
)
from selaras.formats.documents.numbers import format_value, number_texts, with_unit
from selaras.formats.xlsx_util import is_formula_like

__all__ = ["NUMBER_FORMATS", "unit_format", "write_xlsx"]

NUMBER_FORMATS: dict[Format, str] = {
    Format.MONEY: "#,##0",
    Format.VOLUME: "#,##0.00",
    Format.PERCENT: "0.00",
    Format.INTEGER: "#,##0",
    Format.TEXT: "@",
    Format.CODE: "@",
}
_PAPER_SIZE = {Paper.A4: 9, Paper.F4: 14}  # Excel paper codes: 9 = A4, 14 = folio 8.5 x 13 in
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E2EC")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_MAX_INDENT = 6
_NUMBER_MARGIN = 2  # characters beside a number's longest value: the cell's margins, bold totals


def _styles(book: Workbook) -> None:
    """Named styles: one assignment per cell instead of four (the big tables stay fast)."""
    for fmt, code in NUMBER_FORMATS.items():
        horizontal = "left" if fmt in (Format.TEXT, Format.CODE) else "right"
        for kind in RowKind:
            bold = kind is not RowKind.ITEM
            levels = range(_MAX_INDENT + 1) if fmt is Format.TEXT else range(1)
            for level in levels:
                style = NamedStyle(name=f"doc_{fmt.value}_{kind.value}_{level}")
                style.number_format = code
                style.font = Font(name="Arial", size=9, bold=bold)
                style.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True, indent=level)
                style.border = _BORDER
                if kind is RowKind.TOTAL:
                    style.fill = _TOTAL_FILL
                book.add_named_style(style)


def _style_name(column: Column, kind: RowKind, level: int) -> str:
    indent = min(max(level, 0), _MAX_INDENT) if column.indent and column.format is Format.TEXT else 0
    return f"doc_{column.format.value}_{kind.value}_{indent}"


def _put(sheet: Worksheet, row: int, column: int, value: Value) -> Any:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
    return cell


def unit_format(fmt: Format, unit: str) -> str:
    """The number format of a number in its unit: the column's format with the unit after it, as
    `numbers.with_unit` prints it ("#,##0.00" and "%" give '#,##0.00 "%"': the cell shows 14.50 %
    and keeps the number 14.5; a quoted % is text, not Excel's ×100)."""
    return with_unit(NUMBER_FORMATS[fmt], '"' + unit.replace('"', "") + '"')


def _put_value(sheet: Worksheet, row: int, column: Column, index: int, value: Value, style: str) -> None:
    """A data cell: a number in its unit (`Quantity`) stays a number, the unit in its number format;
    a range in its unit is the printed text ("0,6 – 1,8 %")."""
    if isinstance(value, Quantity):
        if isinstance(value.value, int | float | Decimal):
            cell = _put(sheet, row, index + 1, value.value)
            cell.style = style
            cell.number_format = unit_format(column.format, value.unit)
            return
        value = format_value(value, column.format)
    cell = _put(sheet, row, index + 1, value)
    cell.style = style


def _banner(sheet: Worksheet, row: int, text: str, width: int, *, size: int = 11, bold: bool = True,
            align: str = "center") -> int:
    cell = _put(sheet, row, 1, text)
    cell.font = Font(name="Arial", size=size, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return row + 1


def _header(sheet: Worksheet, table: Table, top: int) -> int:
    """The merged header and the row of column numbers; returns the first data row."""
    cells, depth = header_grid(table.columns)
    font = Font(name="Arial", size=9, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for hc in cells:
        first_row, first_col = top + hc.row, hc.column + 1
        last_row, last_col = first_row + hc.row_span - 1, first_col + hc.column_span - 1
        for r in range(first_row, last_row + 1):  # border every cell of a merged range
            for c in range(first_col, last_col + 1):
                sheet.cell(row=r, column=c).border = _BORDER
        cell = _put(sheet, first_row, first_col, hc.title)
        cell.font, cell.alignment, cell.fill = font, centre, _HEAD_FILL
        if (last_row, last_col) != (first_row, first_col):
            sheet.merge_cells(start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col)
    number_row = top + depth
    for number, first, span in table.numbering():
        for column in range(first + 1, first + span + 1):
            sheet.cell(row=number_row, column=column).border = _BORDER
        cell = _put(sheet, number_row, first + 1, f"({number})")
        cell.font, cell.alignment, cell.fill = Font(name="Arial", size=8, italic=True), centre, _HEAD_FILL
        if span > 1:
            sheet.merge_cells(start_row=number_row, start_column=first + 1, end_row=number_row,
                              end_column=first + span)
    return number_row + 1


def _rows(sheet: Worksheet, table: Table, first: int) -> int:
    leaves = table.leaves()
    width = len(leaves)
    number = first
    for row in table.rows:
        if row.kind is RowKind.GROUP:
            cell = _put(sheet, number, 1, row.values[0] if row.values else "")
            cell.style = "doc_text_group_0"
            for c in range(2, width + 1):
                sheet.cell(row=number, column=c).style = "doc_text_group_0"
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
        else:
            for index, column in enumerate(leaves):
                value = row.values[index] if index < len(row.values) else None
                _put_value(sheet, number, column, index, value, _style_name(column, row.kind, row.level))
            for index, span in row_cells(row, leaves) if row.kind is RowKind.TOTAL else ():
                if span > 1:  # a total's label over the empty text cells after it
                    sheet.merge_cells(start_row=number, start_column=index + 1, end_row=number,
                                      end_column=index + span)
        number += 1
    return number


def _column_widths(tables: Sequence[Table]) -> list[float]:
    """Column widths (characters): the first table's (a later, wider table's beyond them), and a column
    of numbers of any table at least as wide as its longest value as the sheet shows it (decimals to
    all places), with room for the cell's margins: an amount never shows as ##### (the PDF's rule:
    html._column_widths)."""
    widths: list[float] = []
    for table in tables:
        widths += [leaf.width for leaf in table.leaves()[len(widths):]]
        for index, texts in number_texts(table, all_places=True).items():
            widths[index] = max(widths[index], max(map(len, texts), default=0) + _NUMBER_MARGIN)
    return widths


def _signatures(sheet: Worksheet, signatures: Sequence[Signature], top: int, width: int) -> int:
    if not signatures:
        return top
    slots = len(signatures)
    span = max(1, width // slots)
    font = Font(name="Arial", size=10)
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    end = top
    for i, signature in enumerate(signatures):
        first = 1 + i * span if slots > 1 else max(1, width - max(3, width // 3) + 1)
        last = min(width, first + span - 1) if slots > 1 else width
        lines = [", ".join(p for p in (signature.place, signature.date) if p), signature.caption,
                 signature.position, "", "", "", signature.name or "(................................)",
                 f"NIP. {signature.nip}" if signature.nip else "NIP. ................................"]
        for offset, text in enumerate(lines):
            cell = _put(sheet, top + offset, first, text)
            cell.font = Font(name="Arial", size=10, bold=True, underline="single") if offset == 6 else font
            cell.alignment = centre
            if last > first:
                sheet.merge_cells(start_row=top + offset, start_column=first, end_row=top + offset, end_column=last)
        end = top + len(lines)
    return end


def _print_setup(sheet: Worksheet, document: Document, header_top: int, header_bottom: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = _PAPER_SIZE[document.paper]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_top}:{header_bottom}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.left.text = document.government_name.replace("&", "&&")
    sheet.oddFooter.left.size = 8
    sheet.oddFooter.center.text = "Halaman &P dari &N"
    sheet.oddFooter.center.size = 8
    sheet.oddFooter.right.text = document.title.replace("&", "&&")[:120]
    sheet.oddFooter.right.size = 8


def _sheet_title(name: str, used: set[str]) -> str:
    clean = "".join(ch for ch in name if ch not in '[]:*?/\\').strip()[:31] or "Dokumen"
    title, n = clean, 2
    while title in used:
        suffix = f" ({n})"
        title, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _groups(document: Document) -> list[tuple[str, list[Table | Paragraph]]]:
    """The blocks by sheet: paragraphs and unnamed tables on the first sheet, a named table on its own."""
    first: list[Table | Paragraph] = []
    groups: list[tuple[str, list[Table | Paragraph]]] = [(document.code or "Dokumen", first)]
    for block in document.blocks:
        if isinstance(block, Table) and block.sheet_name:
            groups.append((block.sheet_name, [block]))
        else:
            first.append(block)
    return groups


def _write_sheet(sheet: Worksheet, document: Document, blocks: Sequence[Table | Paragraph],
                 signatures: Sequence[Signature]) -> None:
    tables = [b for b in blocks if isinstance(b, Table)]
    width = max((len(t.leaves()) for t in tables), default=6)
    for index, column_width in enumerate(_column_widths(tables), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    row = 1
    if document.code:
        cell = _put(sheet, row, width, document.code)
        cell.font, cell.alignment = Font(name="Arial", size=9, bold=True), Alignment(horizontal="right")
        row += 1
    row = _banner(sheet, row, document.title, width, size=12)
    row = _banner(sheet, row, document.government_name.upper(), width)
    if document.subtitle:
        row = _banner(sheet, row, document.subtitle, width, bold=False)
    row = _banner(sheet, row, document.period, width, bold=False) + 1
    header_rows: tuple[int, int] | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            row = _banner(sheet, row, block.text, width, size=10, bold=block.bold, align="left")
            continue
        if block.title:
            row = _banner(sheet, row, block.title, width, size=10, align="left")
        first_data = _header(sheet, block, row)
        if header_rows is None:
            header_rows = (row, first_data - 1)
            sheet.freeze_panes = sheet.cell(row=first_data, column=1).coordinate
        row = _rows(sheet, block, first_data) + 1
    for note in document.notes:
        row = _banner(sheet, row, note, width, size=8, bold=False, align="left")
    _signatures(sheet, signatures, row + 1, width)
    if header_rows is not None:
        _print_setup(sheet, document, *header_rows)
    else:
        _print_setup(sheet, document, 1, 1)


def write_xlsx(document: Document, target: Any = None) -> Any:
    """Write `document` to `target` (a path or binary file; default a new BytesIO, returned)."""
    book = Workbook()
    _styles(book)
    default = book.active
    assert default is not None
    book.remove(default)
    used: set[str] = set()
    for index, (name, blocks) in enumerate(_groups(document)):
        if index > 0 or blocks or len(_groups(document)) == 1:
            sheet = book.create_sheet(_sheet_title(name, used))
            _write_sheet(sheet, document, blocks, document.signatures if index == 0 else ())
    out = target if target is not None else BytesIO()
    book.save(out)
    return out

