"""Proposal tables for bulk import: reading a file, matching headers, validating the rows.

Pure: no database. Validation against the database happens through sets of valid codes that
the caller passes in (`ReferenceSets`). Problems are returned as `Finding`s with stable codes;
their Bahasa Indonesia text is produced at the edge (web, CLI) and handed back to
`write_rejects` as a function.

The public entry of the format: re-exports the columns and the workbook writers as well.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.proposals import Channel
from selaras.domain.units import normalise_unit as _domain_unit
from selaras.formats.proposal_columns import (
    IMPORT_CHANNELS,
    LAT_RANGE,
    LON_RANGE,
    MAX_COST,
    MAX_VOLUME,
    Column,
    columns_for,
)
from selaras.formats.proposal_workbooks import (
    PROBLEMS_HEADER,
    TemplateReference,
    write_rejects,
    write_template,
)

__all__ = [
    "Column", "ReferenceSets", "ProposalRow", "Table", "TableError", "ValidationReport",
    "columns_for", "read_table", "match_headers", "validate_rows", "IMPORT_CHANNELS",
    "FINDING_CODES", "TemplateReference", "write_template", "write_rejects",
    "MAX_VOLUME", "MAX_COST", "PROBLEMS_HEADER",
]

# Stable codes of everything this module can report.
FINDING_CODES = (
    "table.empty", "table.unreadable", "table.format", "header.missing", "header.duplicate",
    "header.unknown",
    "row.required", "row.too_long", "row.not_number", "row.not_integer", "row.volume_not_positive",
    "row.cost_negative", "row.number_too_large", "row.too_many_decimals", "row.rank_invalid",
    "row.village_unknown", "row.district_unknown", "row.village_district_mismatch",
    "row.sub_activity_unknown", "row.sub_activity_not_regency", "row.agency_unknown",
    "row.unit_unknown", "row.coordinate_invalid", "row.out_of_scope",
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


class TableError(Exception):
    """The file cannot be read as a table at all. `finding` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.code)
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

def read_table(source: bytes | Path | str, filename: str = "") -> Table:
    """Read the first sheet of an .xlsx/.xls/.ods (python-calamine) or a .csv file."""
    name = (filename or (str(source) if not isinstance(source, bytes) else "")).lower()
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if name.endswith(".csv") or name.endswith(".txt"):
        rows = _read_csv(data)
    else:
        rows = _read_workbook(data)
    while rows and _blank(rows[-1]):
        rows.pop()
    if not rows:
        raise TableError(_finding("table.empty"))
    headers = ["" if v is None else str(v).strip() for v in rows[0]]
    return Table(headers=headers, rows=rows[1:])


def _read_workbook(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        return [list(r) for r in sheet.to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises several error types for non-workbooks
        raise TableError(_finding("table.unreadable", detail=str(exc)[:200])) from exc


def _read_csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise TableError(_finding("table.unreadable", detail="encoding"))
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


# ---------------------------------------------------------------------------------- headers

def _norm_header(text: str) -> str:
    text = text.replace("*", " ").replace("\n", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


def match_headers(headers: Sequence[str], channel: Channel | str) -> tuple[dict[str, int], list[Finding]]:
    """Map column keys to positions. Findings: missing required, duplicate, unknown columns."""
    columns = columns_for(channel)
    wanted = {}
    for col in columns:
        wanted[_norm_header(col.header)] = col
        wanted[col.key.lower()] = col
    positions: dict[str, int] = {}
    findings: list[Finding] = []
    for index, text in enumerate(headers):
        if not text:
            continue
        col = wanted.get(_norm_header(text))
        if col is None:
            findings.append(Finding("header.unknown", Severity.WARNING, Location(row=1, column=text),
                                    {"header": text}))
        elif col.key in positions:
            findings.append(_finding("header.duplicate", 1, col.header, header=col.header))
        else:
            positions[col.key] = index
    for col in columns:
        if col.required and col.key not in positions:
            findings.append(_finding("header.missing", 1, col.header, header=col.header,
                                     expected=[c.header for c in columns]))
    return positions, findings


# ---------------------------------------------------------------------------------- values

_INT_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value: Any) -> Decimal | None:
    """A number from a cell; accepts Indonesian decimal comma. None if not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "")
    if text.lower().startswith("rp"):
        text = text[2:].lstrip(".").strip()
    if _INT_GROUPED.match(text):
        text = text.replace(".", "")
    elif "," in text:
        # 1.234,5 (Indonesian) or 2,5
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# ---------------------------------------------------------------------------------- rows

_unit_cache: dict[str, str] = {}


def validate_rows(
    table: Table,
    channel: Channel | str,
    refs: ReferenceSets,
    *,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 5000,
) -> ValidationReport:
    """Validate every row of `table` for `channel`. Header problems stop before the rows."""
    report = ValidationReport(total_rows=0)
    positions, header_findings = match_headers(table.headers, channel)
    report.findings.extend(header_findings)
    if any(f.severity == Severity.ERROR for f in header_findings):
        return report
    columns = [c for c in columns_for(channel) if c.key in positions]
    plan = [(c, positions[c.key]) for c in columns]
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
        for col, index in plan:
            _check_cell(parsed, col, raw[index], refs, findings)
        _check_row(parsed, columns, refs, findings)
        if len(findings) > before:
            report.rejected_rows[row_number] = list(raw)
        else:
            report.valid.append(parsed)
    if progress is not None:
        progress(total, total)
    return report


def _shown(number: Decimal) -> str:
    """A number as a person wrote it: -4.0 -> '-4', 1E+2 -> '100'."""
    return format(number.normalize(), "f")


def _check_cell(parsed: ProposalRow, col: Column, value: Any, refs: ReferenceSets,
                findings: list[Finding]) -> None:
    row = parsed.row
    kind = col.kind
    if kind in ("volume", "cost", "rank", "lat", "lon"):
        if value is None or (isinstance(value, str) and not value.strip()):
            if col.required:
                findings.append(_finding("row.required", row, col.header))
            return
        number = _decimal(value)
        if number is None:
            findings.append(_finding("row.not_number", row, col.header, value=_text(value)[:50]))
            return
        if kind == "volume":
            if number <= 0:
                findings.append(_finding("row.volume_not_positive", row, col.header, value=_shown(number)))
            elif number > MAX_VOLUME:
                findings.append(_finding("row.number_too_large", row, col.header, value=_shown(number)))
            elif number != number.quantize(Decimal("0.01")):
                findings.append(_finding("row.too_many_decimals", row, col.header, value=_shown(number)))
            else:
                parsed.volume = number.quantize(Decimal("0.01"))
        elif kind == "cost":
            if number != number.to_integral_value():
                findings.append(_finding("row.not_integer", row, col.header, value=_shown(number)))
            elif number < 0:
                findings.append(_finding("row.cost_negative", row, col.header, value=_shown(number)))
            elif number > MAX_COST:
                findings.append(_finding("row.number_too_large", row, col.header, value=_shown(number)))
            else:
                parsed.estimated_cost = int(number)
        elif kind == "rank":
            if number != number.to_integral_value() or number < 1 or number > 1_000_000:
                findings.append(_finding("row.rank_invalid", row, col.header, value=_shown(number)))
            else:
                parsed.priority_rank = int(number)
        else:
            low, high = LAT_RANGE if kind == "lat" else LON_RANGE
            if not low <= number <= high:
                findings.append(_finding("row.coordinate_invalid", row, col.header, value=_shown(number),
                                         low=int(low), high=int(high)))
            else:
                setattr(parsed, col.key, number.quantize(Decimal("0.000001")))
        return
    text = _text(value)
    if not text:
        if col.required:
            findings.append(_finding("row.required", row, col.header))
        return
    if col.max_length and len(text) > col.max_length:
        findings.append(_finding("row.too_long", row, col.header, length=len(text), max=col.max_length))
        return
    if kind == "text":
        setattr(parsed, col.key, text)
    elif kind == "village":
        if text not in refs.village_codes:
            findings.append(_finding("row.village_unknown", row, col.header, value=text))
        else:
            parsed.village_code = text
    elif kind == "district":
        if text not in refs.district_codes:
            findings.append(_finding("row.district_unknown", row, col.header, value=text))
        else:
            parsed.district_code = text
    elif kind == "sub_activity":
        if text in refs.sub_activity_codes:
            parsed.sub_activity_code = text
        elif text in refs.other_sub_activity_codes:
            findings.append(_finding("row.sub_activity_not_regency", row, col.header, value=text))
        else:
            findings.append(_finding("row.sub_activity_unknown", row, col.header, value=text))
    elif kind == "agency":
        if text not in refs.agency_codes:
            findings.append(_finding("row.agency_unknown", row, col.header, value=text))
        else:
            parsed.agency_code = text
    elif kind == "unit":
        unit = _unit_cache.get(text)
        if unit is None:
            unit = _domain_unit(text) or ""
            if len(_unit_cache) < 10_000:
                _unit_cache[text] = unit
        if not unit:
            findings.append(_finding("row.unit_unknown", row, col.header, value=text))
        else:
            parsed.unit = unit


def _check_row(parsed: ProposalRow, columns: Iterable[Column], refs: ReferenceSets,
               findings: list[Finding]) -> None:
    """Rules across cells: the village must lie in the kecamatan given."""
    if parsed.village_code:
        district = parsed.village_code.rsplit(".", 1)[0]
        if parsed.district_code and parsed.district_code != district:
            header = next((c.header for c in columns if c.key == "district_code"), "Kode Kecamatan")
            findings.append(_finding("row.village_district_mismatch", parsed.row, header,
                                     village=parsed.village_code, district=parsed.district_code))
        else:
            parsed.district_code = district
