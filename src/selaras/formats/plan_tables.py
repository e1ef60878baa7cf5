"""Official plan tables (Permendagri 86/2017) as data: T-C.27 (Renstra), T-C.14 (RPJMD programmes)
and the Renja/RKPD programme table (T-C.33 style); writing them to Excel and reading them back.

A `TableLayout` is the single definition of a table: its columns in order, each with the
official column number, header, header group (merged above it in the official print), the kind
of value and whether it belongs to the official print (`official`) or only to the round-trip
file (unit and direction, appended at the right). The Excel round trip (`write_table`,
`read_table`) and the official documents (formats/documents, by H-DOCS) both read these layouts.

File shape: row 1 the group headers, row 2 the column headers, row 3 the column numbers (as in
the annex), data from row 4. `read_table` checks the headers, parses every cell with the
drafting rules (`domain.plan_cells`: the same checks as the in-place editor) and returns the
rows as dicts or every problem with its row number and column letter; it never touches a
database.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selaras.domain import plan_cells
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.values import as_text
from selaras.formats.upload_limits import (
    DEFAULT_LIMITS,
    NOT_A_WORKBOOK,
    UNREADABLE_ERRORS,
    ReadLimits,
    WorkbookRefused,
    check_grid,
    check_workbook,
)
from selaras.formats.xlsx_util import HEADER_FILL, HEADER_FONT, append_row, workbook_bytes

__all__ = ["ColumnKind", "PlanColumn", "TableLayout", "renstra_tc27", "rpjmd_tc14", "renja_programme_table",
           "rkpd_programme_table", "write_table", "read_table", "ReadResult", "HEADER_ROWS", "LAYOUTS"]

ColumnKind = Literal["text", "code", "level", "decimal", "target", "rupiah", "direction", "unit"]
#: Rows above the data: group headers, column headers, column numbers.
HEADER_ROWS = 3


@dataclass(frozen=True, slots=True)
class PlanColumn:
    key: str            # the row dict's key (a target column's key ends in the year, e.g. "target_2026")
    header: str
    kind: ColumnKind = "text"
    group: str = ""     # merged header above (e.g. "Tahun 2026")
    width: int = 14
    official: bool = True
    required: bool = False
    max_length: int = 400


@dataclass(frozen=True, slots=True)
class TableLayout:
    name: str           # "T-C.27", "T-C.14", "T-C.33", "RKPD"
    title: str
    columns: tuple[PlanColumn, ...]
    key_columns: tuple[str, ...] = ("code",)
    years: tuple[int, ...] = field(default=())

    def column(self, key: str) -> PlanColumn:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def official_columns(self) -> tuple[PlanColumn, ...]:
        return tuple(c for c in self.columns if c.official)

    def number(self, key: str) -> int:
        """The official column number (1-based, official columns only)."""
        return [c.key for c in self.official_columns].index(key) + 1


def _yearly(years: Sequence[int], *, money: bool = True, label: str = "Tahun") -> list[PlanColumn]:
    cols: list[PlanColumn] = []
    for n, year in enumerate(years, start=1):
        group = f"{label} {n} ({year})"
        cols.append(PlanColumn(f"target_{year}", "Target", "target", group, 12))
        if money:
            cols.append(PlanColumn(f"budget_{year}", "Rp", "rupiah", group, 16))
    return cols


def renstra_tc27(years: Sequence[int]) -> TableLayout:
    """T-C.27: Renstra programmes, activities and sub-activities with indicative funding."""
    cols = [
        PlanColumn("goal", "Tujuan", "text", width=24),
        PlanColumn("objective", "Sasaran", "text", width=24),
        PlanColumn("code", "Kode", "code", width=20, required=True, max_length=24),
        PlanColumn("name", "Program dan Kegiatan", "text", width=40, required=True),
        PlanColumn("indicator", "Indikator Kinerja Program (outcome) dan Kegiatan (output)", "text", width=36,
                   max_length=300),
        PlanColumn("baseline", "Data Capaian pada Tahun Awal Perencanaan", "decimal", width=12),
        *_yearly(years, label="Target Kinerja Program dan Kerangka Pendanaan Tahun"),
        PlanColumn("end_target", "Target", "target", "Kondisi Kinerja pada Akhir Periode Renstra", 12),
        PlanColumn("end_budget", "Rp", "rupiah", "Kondisi Kinerja pada Akhir Periode Renstra", 16),
        PlanColumn("responsible_unit", "Unit Kerja Perangkat Daerah Penanggung Jawab", "text", width=20,
                   max_length=200),
        PlanColumn("location", "Lokasi", "text", width=18, max_length=200),
        PlanColumn("unit", "Satuan", "unit", width=12, official=False),
        PlanColumn("direction", "Arah Indikator", "direction", width=12, official=False),
    ]
    return TableLayout("T-C.27", "Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan Perangkat Daerah",
                       tuple(cols), ("code",), tuple(years))


def rpjmd_tc14(years: Sequence[int]) -> TableLayout:
    """T-C.14: RPJMD programmes with indicators, targets and indicative funding per year."""
    cols = [
        PlanColumn("code", "Kode", "code", width=20, required=True, max_length=24),
        PlanColumn("name", "Misi/Tujuan/Sasaran/Program Pembangunan Daerah", "text", width=40, required=True),
        PlanColumn("indicator", "Indikator Kinerja (tujuan/impact/outcome)", "text", width=36, max_length=300),
        PlanColumn("baseline", "Kondisi Kinerja Awal RPJMD (Tahun 0)", "decimal", width=12),
        *_yearly(years, label="Capaian Kinerja Program dan Kerangka Pendanaan Tahun"),
        PlanColumn("end_target", "Target", "target", "Kondisi Kinerja pada Akhir Periode RPJMD", 12),
        PlanColumn("end_budget", "Rp", "rupiah", "Kondisi Kinerja pada Akhir Periode RPJMD", 16),
        PlanColumn("agency", "Perangkat Daerah Penanggung Jawab", "code", width=24, required=True, max_length=40),
        PlanColumn("unit", "Satuan", "unit", width=12, official=False),
        PlanColumn("direction", "Arah Indikator", "direction", width=12, official=False),
    ]
    return TableLayout("T-C.14", "Indikasi Rencana Program Prioritas yang Disertai Kebutuhan Pendanaan",
                       tuple(cols), ("agency", "code"), tuple(years))


def _annual_columns(year: int, *, with_agency: bool) -> list[PlanColumn]:
    group = f"Rencana Tahun {year}"
    forward = f"Prakiraan Maju Rencana Tahun {year + 1}"
    cols = [
        PlanColumn("code", "Kode", "code", width=20, required=True, max_length=24),
        PlanColumn("name", "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan", "text",
                   width=44, required=True),
        PlanColumn("indicator", "Indikator Kinerja Program/Kegiatan/Sub Kegiatan", "text", width=36, max_length=300),
        PlanColumn("location", "Lokasi", "text", group, 18, max_length=200),
        PlanColumn("target", "Target Capaian Kinerja", "target", group, 12),
        PlanColumn("budget", "Kebutuhan Dana/Pagu Indikatif", "rupiah", group, 18),
        PlanColumn("funding_source", "Sumber Dana", "text", group, 14, max_length=120),
        PlanColumn("note", "Catatan Penting", "text", width=18, max_length=400),
        PlanColumn("forward_target", "Target Capaian Kinerja", "target", forward, 12),
        PlanColumn("forward_estimate", "Kebutuhan Dana/Pagu Indikatif", "rupiah", forward, 18),
    ]
    if with_agency:
        cols.insert(3, PlanColumn("agency", "Perangkat Daerah", "code", width=24, required=True, max_length=40))
    cols += [PlanColumn("unit", "Satuan", "unit", width=12, official=False),
             PlanColumn("direction", "Arah Indikator", "direction", width=12, official=False)]
    return cols


def renja_programme_table(year: int) -> TableLayout:
    """Renja PD programme table (T-C.33 style): the year's lines with the forward estimate."""
    return TableLayout("T-C.33", f"Rumusan Rencana Program dan Kegiatan Perangkat Daerah Tahun {year}",
                       tuple(_annual_columns(year, with_agency=False)), ("code",), (year,))


def rkpd_programme_table(year: int) -> TableLayout:
    """RKPD programme table: the Renja tables of every agency in one, with the agency column."""
    return TableLayout("RKPD", f"Rencana Program dan Kegiatan RKPD Tahun {year}",
                       tuple(_annual_columns(year, with_agency=True)), ("agency", "code"), (year,))


LAYOUTS = {"T-C.27": renstra_tc27, "T-C.14": rpjmd_tc14, "T-C.33": renja_programme_table,
           "RKPD": rkpd_programme_table}


# ------------------------------------------------------------------------------------ writing

def _cell_value(col: PlanColumn, value: Any) -> Any:
    if col.kind == "target":
        if value is None:
            return None
        single, low, high = value
        if single is not None:
            return float(single)  # a number cell; 4 decimals at most survive float and back
        return plan_cells.target_text(single, low, high) or None
    if col.kind == "decimal":
        return None if value is None else float(value)
    if col.kind == "rupiah":
        return int(value or 0)
    if col.kind == "direction":
        return _DIRECTION_SHOWN.get(str(value or ""), "")
    return "" if value is None else str(value)


_DIRECTION_SHOWN = {"up": "naik", "down": "turun", "band": "rentang", "none": ""}


def write_table(layout: TableLayout, rows: Iterable[dict[str, Any]], *, subtitle: str = "") -> bytes:
    """The table as an .xlsx file (one sheet). Targets are written as numbers (single values) or
    as text ('0,6 – 1,8', '>= 90'); money as whole rupiah."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = layout.name.replace(".", "")[:31]
    groups = [c.group for c in layout.columns]
    append_row(sheet, groups)
    append_row(sheet, [c.header for c in layout.columns])
    append_row(sheet, [str(i) if c.official else "" for i, c in
                       zip(_official_numbers(layout), layout.columns, strict=True)])
    for row in rows:
        append_row(sheet, [_cell_value(c, row.get(c.key)) for c in layout.columns])
    grey = PatternFill("solid", fgColor="E6ECEF")
    for index, col in enumerate(layout.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = col.width
        for r in (1, 2):
            cell = sheet.cell(row=r, column=index)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        number = sheet.cell(row=3, column=index)
        number.fill = grey
        number.font = Font(italic=True)
        number.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = f"A{HEADER_ROWS + 1}"
    sheet.row_dimensions[2].height = 60
    if subtitle:
        sheet.sheet_properties.tabColor = "0B6E4F"
        book.properties.title = f"{layout.title} — {subtitle}"[:250]
    return workbook_bytes(book)


def _official_numbers(layout: TableLayout) -> list[int]:
    numbers, n = [], 0
    for col in layout.columns:
        if col.official:
            n += 1
        numbers.append(n)
    return numbers


# ------------------------------------------------------------------------------------ reading

@dataclass
class ReadResult:
    rows: list[dict[str, Any]]
    row_numbers: list[int]
    problems: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(code: str, row: int | None, column: str = "", **params: Any) -> Finding:
    return Finding(code, Severity.ERROR, Location(row=row, column=column), params)


def _norm(text: Any) -> str:
    return " ".join(as_text(text).lower().split())


def _grid(data: bytes, limits: ReadLimits) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    check_workbook(data, limits)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = book.get_sheet_by_index(0)
    end_row, end_col = sheet.end or (-1, -1)
    check_grid(end_row + 1, end_col + 1, limits)
    return [list(r) for r in sheet.to_python(skip_empty_area=False)]


def _parse(col: PlanColumn, raw: Any) -> tuple[Any, plan_cells.Problem | None]:
    if col.kind == "target":
        return plan_cells.parse_target(raw)
    if col.kind == "decimal":
        return plan_cells.parse_decimal(raw)
    if col.kind == "rupiah":
        return plan_cells.parse_rupiah(raw)
    if col.kind == "direction":
        found, problem = plan_cells.parse_direction(raw)
        return (found.value if found is not None else None), problem
    if col.kind == "unit":
        return plan_cells.parse_unit(raw)
    return plan_cells.parse_text(raw, max_length=col.max_length, required=col.required)


def read_table(layout: TableLayout, data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Every data row of the file parsed to a dict keyed by the layout's columns, or the problems
    (each with the row number in the file and the column letter). A row is skipped when blank."""
    try:
        grid = _grid(data, limits)
    except WorkbookRefused as exc:
        return ReadResult([], [], [Finding(exc.reason, Severity.ERROR, Location(), dict(exc.params))])
    except UNREADABLE_ERRORS:  # not a workbook; the reader's (English) text is no use to the planner
        return ReadResult([], [], [Finding("table.unreadable", Severity.ERROR, Location(), {"detail": NOT_A_WORKBOOK})])
    problems: list[Finding] = []
    if len(grid) < HEADER_ROWS:
        return ReadResult([], [], [_problem("plan_table.no_header", 2)])
    headers = grid[1]
    for index, col in enumerate(layout.columns):
        letter = get_column_letter(index + 1)
        found = headers[index] if index < len(headers) else ""
        if _norm(found) != _norm(col.header):
            problems.append(_problem("plan_table.header", 2, letter, expected=col.header, found=as_text(found)[:80]))
    if problems:
        return ReadResult([], [], problems)
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    seen: dict[tuple[Any, ...], int] = {}
    width = len(layout.columns)
    for offset, values in enumerate(grid[HEADER_ROWS:], start=HEADER_ROWS + 1):
        cells = list(values[:width]) + [None] * max(0, width - len(values))
        if all(as_text(v) == "" for v in cells):
            continue
        row: dict[str, Any] = {}
        for index, col in enumerate(layout.columns):
            value, problem = _parse(col, cells[index])
            if problem is not None:
                problems.append(_problem(problem[0], offset, get_column_letter(index + 1), header=col.header,
                                         value=as_text(cells[index])[:80], **problem[1]))
            row[col.key] = value
        key = tuple(row.get(k) for k in layout.key_columns)
        if all(k for k in key):
            if key in seen:
                problems.append(_problem("plan_table.duplicate", offset, get_column_letter(
                    [c.key for c in layout.columns].index(layout.key_columns[-1]) + 1),
                    key=" / ".join(str(k) for k in key), first_row=seen[key]))
            else:
                seen[key] = offset
        rows.append(row)
        numbers.append(offset)
    if not rows and not problems:
        problems.append(_problem("plan_table.no_rows", HEADER_ROWS + 1))
    return ReadResult(rows, numbers, problems)
