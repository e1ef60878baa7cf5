"""The shape of an official document, independent of Excel or PDF.

A `Document` has a title, the government's name, a period, blocks (paragraphs and tables, in
order) and signature blocks. A `Table` has a tree of columns: a `Column` with children is a merged
header over them; the leaves are the data columns, numbered 1..n as in the regulation's annex (the
row of column numbers under the headers). A `Row` holds one value per leaf column, a hierarchy
level (0 = programme, 1 = activity, 2 = sub-activity ...) and a kind (item, group heading, total).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = ["Align", "Column", "Document", "Format", "Paper", "Paragraph", "Quantity", "Row", "RowKind", "Signature",
           "Table", "Value", "header_grid", "HeaderCell", "PAPER_MM", "quantity", "row_cells"]

Number = str | int | float | Decimal | None


@dataclass(frozen=True)
class Quantity:
    """A value in an indicator's unit (a target, a baseline, a realisation K) in a table whose
    official layout has no "Satuan" column: printed with its unit after it ("8 unit", "14,5 %";
    `numbers.format_value`), in the PDF and in Excel alike. `value` is a number or a range's text."""

    value: Number
    unit: str


Value = Number | Quantity


def quantity(value: Value, unit: str | None) -> Value:
    """`value` with its `unit` for a table without a "Satuan" column; the bare value when there is
    no unit or nothing to print (an empty cell stays empty, it never shows a lone unit)."""
    unit = (unit or "").strip()
    if isinstance(value, Quantity) or not unit or value is None or (isinstance(value, str) and not value.strip()):
        return value
    return Quantity(value, unit)


class Format(StrEnum):
    """How a leaf column's values are shown."""

    TEXT = "text"
    MONEY = "money"  # whole rupiah
    VOLUME = "volume"  # a target or realisation in the indicator's unit (up to 2 decimals)
    PERCENT = "percent"  # an achievement in % (2 decimals)
    INTEGER = "integer"
    CODE = "code"  # a code shown as text, never as a number


class Paper(StrEnum):
    A4 = "A4"
    F4 = "F4"  # folio 215 x 330 mm, common in Indonesian offices


#: Landscape page sizes in millimetres (width, height).
PAPER_MM: dict[Paper, tuple[int, int]] = {Paper.A4: (297, 210), Paper.F4: (330, 215)}


class RowKind(StrEnum):
    ITEM = "item"
    GROUP = "group"  # a heading row (e.g. an objective) spanning the table
    TOTAL = "total"


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Column:
    """A header cell; a leaf (no children) is a data column of the given format and width."""

    title: str
    children: tuple[Column, ...] = ()
    format: Format = Format.TEXT
    width: float = 12.0  # Excel character widths; the PDF uses them as proportions
    indent: bool = False  # the hierarchy column: indented by the row's level
    one_number: bool = False  # a parent whose leaves share one column number (e.g. K and Rp of "(5)")

    def leaves(self) -> Iterator[Column]:
        if not self.children:
            yield self
            return
        for child in self.children:
            yield from child.leaves()

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)

    @property
    def align(self) -> Align:
        if self.format in (Format.MONEY, Format.VOLUME, Format.PERCENT, Format.INTEGER):
            return Align.RIGHT
        return Align.LEFT


@dataclass(frozen=True)
class Row:
    values: tuple[Value, ...]
    level: int = 0
    kind: RowKind = RowKind.ITEM


def _label_span(values: Sequence[Value], leaves: Sequence[Column], index: int) -> int:
    """Cells a total row's label takes: itself and the empty text cells after it ("JUMLAH" in a
    narrow "No" column would otherwise break letter by letter, or run over the cell's edge). A
    label in the first column spans whatever that column's format (a numbered "No" column)."""
    if index >= len(values) or values[index] in (None, ""):
        return 1
    if leaves[index].format not in (Format.TEXT, Format.CODE) and not (index == 0 and isinstance(values[0], str)):
        return 1
    span = 1
    while index + span < len(leaves) and leaves[index + span].format in (Format.TEXT, Format.CODE) and (
            index + span >= len(values) or values[index + span] in (None, "")):
        span += 1
    return span


def row_cells(row: Row, leaves: Sequence[Column]) -> list[tuple[int, int]]:
    """The cells a row is printed in, as (first leaf index, leaves spanned): one a leaf, except in a
    total row, whose labels take the empty text cells after them (merged in Excel, colspan in PDF)."""
    cells: list[tuple[int, int]] = []
    index = 0
    while index < len(leaves):
        span = _label_span(row.values, leaves, index) if row.kind is RowKind.TOTAL else 1
        cells.append((index, span))
        index += span
    return cells


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: Sequence[Row]
    title: str = ""
    sheet_name: str = ""  # Excel sheet of this table (a document's tables share the first sheet by default)

    def leaves(self) -> list[Column]:
        return [leaf for column in self.columns for leaf in column.leaves()]

    def header_depth(self) -> int:
        return max(c.depth() for c in self.columns)

    def numbering(self) -> list[tuple[int, int, int]]:
        """The row of column numbers: (number, first leaf index, leaves spanned), numbered 1.. in order;
        a parent marked `one_number` gets one number over all its leaves."""
        out: list[tuple[int, int, int]] = []

        def walk(column: Column, at: int) -> int:
            width = sum(1 for _ in column.leaves())
            if column.one_number or not column.children:
                out.append((len(out) + 1, at, width))
                return at + width
            for child in column.children:
                at = walk(child, at)
            return at

        at = 0
        for column in self.columns:
            at = walk(column, at)
        return out


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Signature:
    """One signature block: "<place>, <date>", a caption (e.g. "Mengetahui"), the position, room to
    sign, the name and the NIP. Empty name/NIP print as dotted lines to fill in by hand."""

    position: str
    name: str = ""
    nip: str = ""
    place: str = ""
    date: str = ""  # already written out in Bahasa Indonesia, e.g. "12 Februari 2025"
    caption: str = ""


@dataclass(frozen=True)
class Document:
    title: str
    government_name: str
    period: str
    blocks: tuple[Table | Paragraph, ...]
    signatures: tuple[Signature, ...] = ()
    subtitle: str = ""
    paper: Paper = Paper.A4
    code: str = ""  # e.g. "T-C.27": printed at the top right as in the annex
    notes: tuple[str, ...] = field(default=())

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class HeaderCell:
    """A header cell placed on the header grid (0-based row/column, spans >= 1)."""

    title: str
    row: int
    column: int
    row_span: int
    column_span: int


def header_grid(columns: Sequence[Column]) -> tuple[list[HeaderCell], int]:
    """Place the column tree on a grid: a parent spans its leaves; a leaf above the deepest level
    spans down to the last header row. Returns the cells and the number of header rows."""
    depth = max(c.depth() for c in columns)
    cells: list[HeaderCell] = []

    def place(column: Column, row: int, start: int) -> int:
        width = sum(1 for _ in column.leaves())
        if column.children:
            cells.append(HeaderCell(column.title, row, start, 1, width))
            at = start
            for child in column.children:
                at = place(child, row + 1, at)
        else:
            cells.append(HeaderCell(column.title, row, start, depth - row, 1))
        return start + width

    at = 0
    for column in columns:
        at = place(column, 0, at)
    return cells, depth
