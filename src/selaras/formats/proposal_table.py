"""Proposal tables for bulk import: reading a file, matching headers, validating the rows.

Pure: no database. Validation against the database happens through sets of valid codes that
the caller passes in (`ReferenceSets`); the value checks (volume, cost, unit, coordinates, rank)
are the domain's entry checks (`domain.proposal_entry`), the same the web form uses. Problems
are returned as `Finding`s with stable codes; their Bahasa Indonesia text is produced at the
edge (web, CLI). The workbooks (template, rejected rows) are written by `proposal_workbooks`,
which builds on this module (never the other way round).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from selaras.domain import proposal_entry as entry
from selaras.domain.errors import InvalidInput
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.plausibility import PLAUSIBILITY_CODES, check_plausibility
from selaras.domain.proposal_entry import INDONESIA, MAX_COST, MAX_VOLUME, Bounds
from selaras.domain.proposals import Channel
from selaras.domain.values import as_text
from selaras.formats.proposal_columns import IMPORT_CHANNELS, Column, columns_for
from selaras.formats.upload_limits import (
    DEFAULT_LIMITS,
    LIMIT_CODES,
    NOT_A_WORKBOOK,
    UNREADABLE_ERRORS,
    ReadLimits,
    WorkbookRefused,
    check_grid,
    check_workbook,
    iter_limited_lines,
)

__all__ = [
    "Column", "ReferenceSets", "ProposalRow", "Table", "TableError", "ValidationReport",
    "columns_for", "read_table", "match_headers", "validate_rows", "IMPORT_CHANNELS",
    "FINDING_CODES", "MAX_VOLUME", "MAX_COST",
]

# Stable codes of everything this module can report.
FINDING_CODES = (
    "table.empty", "table.unreadable", "table.format", "header.missing", "header.duplicate",
    "header.unknown", *LIMIT_CODES,
    "row.required", "row.too_long", "row.not_number", "row.not_integer", "row.volume_not_positive",
    "row.cost_negative", "row.number_too_large", "row.too_many_decimals", "row.rank_invalid",
    "row.village_unknown", "row.district_unknown", "row.village_district_mismatch",
    "row.sub_activity_unknown", "row.sub_activity_not_regency", "row.agency_unknown",
    "row.unit_unknown", "row.coordinate_invalid", "row.out_of_scope", *PLAUSIBILITY_CODES,
)


@dataclass(frozen=True)
class ReferenceSets:
    """What the database says is valid, passed in so that validation stays pure."""

    village_codes: frozenset[str]
    district_codes: frozenset[str]
    sub_activity_codes: frozenset[str]  # active kab/kota sub-activities
    agency_codes: frozenset[str]
    other_sub_activity_codes: frozenset[str] = frozenset()  # exist, but provincial or inactive


@dataclass(slots=True)
class ProposalRow:
    """A validated row, ready to become a Proposal."""

    row: int  # 1-based row number in the file (header is row 1)
    title: str = ""
    description: str = ""
    village_code: str = ""
    district_code: str = ""
    address: str = ""
    sub_activity_code: str = ""
    agency_code: str = ""
    volume: Decimal = Decimal(0)
    unit: str = ""
    estimated_cost: int = 0
    priority_rank: int | None = None
    proposer_name: str = ""
    proposer_role: str = ""
    councillor_name: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass
class Table:
    """A table as read from a file: header texts and raw rows (row 2 of the file is rows[0])."""

    headers: list[str]
    rows: list[list[Any]]


class TableError(InvalidInput):
    """The file cannot be read as a table at all (bad input). `finding` says why; the error's
    params are the finding's code (`finding`) and its params, so its text comes from the catalogue."""

    code = "invalid_table"

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding=finding.code, **finding.params)
        self.finding = finding


@dataclass
class ValidationReport:
    """Valid rows, findings (all rows), and the raw rows that failed, by row number."""

    valid: list[ProposalRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rejected_rows: dict[int, list[Any]] = field(default_factory=dict)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not any(f.severity == Severity.ERROR for f in self.findings)


def _finding(code: str, row: int | None = None, column: str = "", **params: Any) -> Finding:
    return Finding(code, Severity.ERROR, Location(row=row, column=column), params)


# ---------------------------------------------------------------------------------- reading

def read_table(source: bytes | Path | str, filename: str = "", limits: ReadLimits = DEFAULT_LIMITS) -> Table:
    """Read the first sheet of an .xlsx/.xls/.ods (python-calamine) or a .csv file.

    The file's size is checked against `limits` before it is read (a sheet larger than the
    limits, a zip bomb, too many rows or too long a line raise `TableError`).
    """
    name = (filename or (str(source) if not isinstance(source, bytes) else "")).lower()
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if not data.strip():  # an empty file (also one named .xlsx) is empty, not an unreadable workbook
        raise TableError(_finding("table.empty"))
    try:
        if name.endswith(".csv") or name.endswith(".txt"):
            rows = _read_csv(data, limits)
        else:
            rows = _read_workbook(data, limits)
    except WorkbookRefused as exc:
        raise TableError(Finding(exc.reason, Severity.ERROR, Location(), dict(exc.params))) from exc
    while rows and _blank(rows[-1]):
        rows.pop()
    if not rows:
        raise TableError(_finding("table.empty"))
    headers = ["" if v is None else str(v).strip() for v in rows[0]]
    return Table(headers=headers, rows=rows[1:])


#: Why a CSV file is not read, said to the person who sent it (the `detail` of "table.unreadable";
#: a workbook's is `upload_limits.NOT_A_WORKBOOK`, a broken zip's `upload_limits.BROKEN_WORKBOOK`,
#: for every importer). The reader library's own messages ('Cannot detect file format') are English
#: and name no remedy: they are never shown.
NOT_CSV = "susunan CSV tidak sah; simpan ulang sebagai CSV (dipisah koma) atau .xlsx, lalu unggah lagi"


def _read_workbook(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    check_workbook(data, limits)  # before calamine: it builds the whole grid at once
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        end_row, end_col = sheet.end or (-1, -1)
        check_grid(end_row + 1, end_col + 1, limits)  # the grid from A1 (legacy .xls: by format at most 65536 x 256)
        return [list(r) for r in sheet.to_python(skip_empty_area=False)]
    except WorkbookRefused:
        raise
    except UNREADABLE_ERRORS as exc:  # only these: a bug of ours stays a bug, not 'the file cannot be read'
        raise TableError(_finding("table.unreadable", detail=NOT_A_WORKBOOK)) from exc


def _read_csv(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 decodes nearly everything, not 0x81, 0x8d, 0x8f, 0x90, 0x9d
        raise TableError(_finding("table.unreadable", detail=NOT_CSV))
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(iter_limited_lines(text, limits), dialect):
            rows.append(row)
            if len(rows) > limits.max_rows + 1:
                raise WorkbookRefused("table.too_many_rows", rows=f"lebih dari {limits.max_rows}",
                                      limit=limits.max_rows)
            if len(row) > limits.max_columns:
                raise WorkbookRefused("table.too_many_columns", columns=len(row), limit=limits.max_columns)
    except csv.Error as exc:
        raise TableError(_finding("table.unreadable", detail=NOT_CSV)) from exc
    return rows


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


# ---------------------------------------------------------------------------------- headers

def _norm_header(text: str) -> str:
    text = text.replace("*", " ").replace("\n", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


def match_headers(headers: Sequence[str], channel: Channel | str) -> tuple[dict[str, int], list[Finding]]:
    """Map column keys to positions. Findings: missing required, duplicate, unknown columns."""
    columns = columns_for(channel)
    wanted: dict[str, Column] = {}
    for col in columns:
        wanted[_norm_header(col.header)] = col
        wanted[col.key.lower()] = col
    positions: dict[str, int] = {}
    findings: list[Finding] = []
    for index, text in enumerate(headers):
        if not text:
            continue
        match = wanted.get(_norm_header(text))
        if match is None:
            findings.append(Finding("header.unknown", Severity.WARNING, Location(row=1, column=text),
                                    {"header": text}))
        elif match.key in positions:
            findings.append(_finding("header.duplicate", 1, match.header, header=match.header))
        else:
            positions[match.key] = index
    for col in columns:
        if col.required and col.key not in positions:
            findings.append(_finding("header.missing", 1, col.header, header=col.header,
                                     expected=[c.header for c in columns]))
    return positions, findings


# ---------------------------------------------------------------------------------- values

# ---------------------------------------------------------------------------------- rows


def validate_rows(
    table: Table,
    channel: Channel | str,
    refs: ReferenceSets,
    *,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 5000,
    bounds: Bounds = INDONESIA,
) -> ValidationReport:
    """Validate every row of `table` for `channel`. Header problems stop before the rows.

    `bounds` is the area coordinates must lie in (the government's, when it is known).
    """
    report = ValidationReport(total_rows=0)
    positions, header_findings = match_headers(table.headers, channel)
    report.findings.extend(header_findings)
    if any(f.severity == Severity.ERROR for f in header_findings):
        return report
    columns = [c for c in columns_for(channel) if c.key in positions]
    plan = [(c, positions[c.key], _number_check(c, bounds)) for c in columns]
    headers = {c.key: c.header for c in columns}
    total = len(table.rows)
    width = len(table.headers)
    findings = report.findings
    for offset, raw in enumerate(table.rows):
        if progress is not None and offset % progress_every == 0:
            progress(offset, total)
        if _blank(raw):
            continue
        report.total_rows += 1
        row_number = offset + 2
        if len(raw) < width:
            raw = list(raw) + [None] * (width - len(raw))
        parsed = ProposalRow(row=row_number)
        before = len(findings)
        for col, index, check in plan:
            value = raw[index]
            if check is None:
                _check_cell(parsed, col, value, refs, findings)
            elif value is None or (isinstance(value, str) and not value.strip()):
                if col.required:
                    findings.append(_finding("row.required", row_number, col.header))
            else:
                clean, found = check(value)
                if found:
                    findings.extend(_at(f, row_number, col.header) for f in found)
                elif clean is not None:
                    setattr(parsed, col.key, clean)
        _check_row(parsed, columns, refs, findings)
        if len(findings) == before:
            _check_plausible(parsed, headers, findings)
        if any(f.severity is Severity.ERROR for f in findings[before:]):  # warnings keep the row
            report.rejected_rows[row_number] = list(raw)
        else:
            report.valid.append(parsed)
    if progress is not None:
        progress(total, total)
    return report


_unit_cache: dict[str, tuple[str | None, list[Finding]]] = {}


_NumberCheck = Callable[[Any], tuple[Any, list[Finding]]]


def _number_check(col: Column, bounds: Bounds) -> _NumberCheck | None:
    """The domain's check of a number column (None for other kinds); empty cells never reach it.

    Results for volumes and costs are remembered per cell value: a big file repeats the same
    ones, and the import must stay as fast as when it checked numbers itself.
    """
    kind = col.kind
    check: _NumberCheck
    if kind in ("lat", "lon"):  # nearly every coordinate differs: nothing to remember
        return partial(entry.check_coordinate, axis=kind, bounds=bounds)
    if kind == "volume":
        check = entry.check_volume
    elif kind == "cost":
        check = entry.check_cost
    elif kind == "rank":
        check = entry.check_rank
    else:
        return None
    seen: dict[tuple[type, Any], tuple[Any, list[Finding]]] = {}

    def remembered(value: Any) -> tuple[Any, list[Finding]]:
        key = (value.__class__, value)
        result = seen.get(key)
        if result is None:
            result = check(value)
            if len(seen) < 10_000:
                seen[key] = result
        return result

    return remembered


def _at(finding: Finding, row: int, column: str) -> Finding:
    """A finding of the domain's checks, placed at a cell of the file."""
    return Finding(finding.code, finding.severity, Location(row=row, column=column), finding.params)


def _check_unit(parsed: ProposalRow, col: Column, text: str, findings: list[Finding]) -> None:
    """The domain's unit check, cached: an import repeats a handful of spellings many times."""
    cached = _unit_cache.get(text)
    if cached is None:
        cached = entry.check_unit(text)
        if len(_unit_cache) < 10_000:
            _unit_cache[text] = cached
    unit, found = cached
    if found:
        findings.extend(_at(f, parsed.row, col.header) for f in found)
    elif unit:
        parsed.unit = unit


#: Code cells checked against one set of the reference: column kind -> (set in ReferenceSets,
#: finding when the code is not in it). The code is kept under the column's key.
_KNOWN_CODES = {
    "village": ("village_codes", "row.village_unknown"),
    "district": ("district_codes", "row.district_unknown"),
    "agency": ("agency_codes", "row.agency_unknown"),
}


def _check_cell(parsed: ProposalRow, col: Column, value: Any, refs: ReferenceSets,
                findings: list[Finding]) -> None:
    """A text or code cell (number cells are checked by the domain's checks in `validate_rows`)."""
    row = parsed.row
    kind = col.kind
    text = as_text(value)
    if not text:
        if col.required:
            findings.append(_finding("row.required", row, col.header))
        return
    if col.max_length and len(text) > col.max_length:
        findings.append(_finding("row.too_long", row, col.header, length=len(text), max=col.max_length))
        return
    if kind == "text":
        setattr(parsed, col.key, text)
    elif kind in _KNOWN_CODES:
        known, unknown = _KNOWN_CODES[kind]
        if text in getattr(refs, known):
            setattr(parsed, col.key, text)
        else:
            findings.append(_finding(unknown, row, col.header, value=text))
    elif kind == "sub_activity":
        if text in refs.sub_activity_codes:
            parsed.sub_activity_code = text
        elif text in refs.other_sub_activity_codes:
            findings.append(_finding("row.sub_activity_not_regency", row, col.header, value=text))
        else:
            findings.append(_finding("row.sub_activity_unknown", row, col.header, value=text))
    elif kind == "unit":
        _check_unit(parsed, col, text, findings)


def _check_plausible(parsed: ProposalRow, headers: dict[str, str], findings: list[Finding]) -> None:
    """Cost and volume of a row without other problems (`domain.plausibility`): a hard bound refuses
    the row; warnings (e.g. a cost of Rp 0) are listed and the row is kept."""
    if parsed.unit:
        for f in check_plausibility(volume=parsed.volume, unit=parsed.unit, cost=parsed.estimated_cost,
                                    sub_activity_code=parsed.sub_activity_code):
            findings.append(_at(f, parsed.row, headers.get(f.location.column, "")))


def _check_row(parsed: ProposalRow, columns: Iterable[Column], refs: ReferenceSets,
               findings: list[Finding]) -> None:
    """Rules across cells: the village must lie in the kecamatan given."""
    if parsed.village_code:
        district, found = entry.check_village_in_district(parsed.village_code, parsed.district_code)
        if found:
            header = next((c.header for c in columns if c.key == "district_code"), "Kode Kecamatan")
            findings.extend(_at(f, parsed.row, header) for f in found)
        else:
            parsed.district_code = district
