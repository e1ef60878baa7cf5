"""Read (and write the blank form of) a workbook of quarterly realisation of Renja lines.

Pure: bytes in, rows and findings out; the web app checks the codes against the Renja and writes
all rows or none. Layout (first sheet, header on the first row, names matched case-insensitively;
extra columns such as `nama` and `satuan` are ignored):

    kode_sub_kegiatan | triwulan | realisasi_kinerja | realisasi_keuangan |
    faktor_pendorong | faktor_penghambat | tindak_lanjut | alasan_koreksi

`triwulan` is 1..4 (or I..IV); `realisasi_kinerja` is a number in the line's unit (decimal comma
or point), `realisasi_keuangan` whole rupiah (dots or commas as thousands separators are
accepted). An empty value cell means "not reported". Problems come back as findings with their
row (1-based, as the spreadsheet shows it) and column name; codes `realisation.*` and `table.*`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from python_calamine import CalamineWorkbook

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
from selaras.formats.xlsx_util import stream_workbook

__all__ = ["COLUMNS", "REQUIRED", "RealisationRow", "read_realisation", "write_form", "MAX_NOTE", "MAX_VOLUME",
           "MAX_SPENT"]

COLUMNS = ("kode_sub_kegiatan", "triwulan", "realisasi_kinerja", "realisasi_keuangan", "faktor_pendorong",
           "faktor_penghambat", "tindak_lanjut", "alasan_koreksi")
REQUIRED = ("kode_sub_kegiatan", "triwulan")
MAX_NOTE = 2_000
MAX_VOLUME = Decimal("99999999999999")  # 14 digits before the point (the column keeps 4 after it)
MAX_SPENT = 10**15  # Rp 1,000 trillion: more than any regional budget
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class RealisationRow:
    row: int
    code: str
    quarter: int
    volume: Decimal | None
    spent: int | None
    helped: str
    hindered: str
    follow_up: str
    reason: str


def _bad(row: int | None, column: str, code: str, **params: object) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, location=Location(row=row, column=column), params=params)


def parse_quarter(text: str) -> int | None:
    """1..4 from '1', '1.0', 'I', 'TW II', 'triwulan 3'; None when it is none of them."""
    t = text.strip().lower().removeprefix("triwulan").removeprefix("tw").strip()
    if t in _ROMAN:
        return _ROMAN[t]
    if t in ("1", "2", "3", "4"):
        return int(t)
    return None


#: '1.500', '12.345.678' and '1.250,5': thousands grouped with points, the Indonesian way.
_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def read_decimal(text: str) -> Decimal:
    """A number as typed in Indonesia: '12', '12,5', '12.5', '1.500' (one thousand five hundred,
    as the plan editor reads it), '1.250,5'; raises ValueError when it is none of these."""
    t = text.strip().replace(" ", "")
    if _GROUPED.match(t):
        t = t.replace(".", "").replace(",", ".")
    elif "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        value = Decimal(t)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_volume(text: str) -> Decimal | None:
    """A performance value: '12', '12,5', '12.5', '1.500' (raises ValueError when not a finite number >= 0)."""
    value = read_decimal(text)
    if value < 0 or value > MAX_VOLUME:
        raise ValueError(text)
    return value.quantize(Decimal("0.0001"))


def _cell_text(value: Any) -> str:
    """A cell as text; a number cell (1.125 in the sheet is one and a eighth) with a decimal comma, so
    that it is never read as grouped thousands."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number.is_finite():
            return format(number, "f").replace(".", ",")
    return as_text(value)


def parse_money(text: str) -> int:
    """Whole rupiah: '1500000', '1.500.000', '1,500,000', 'Rp 1.500.000', '1500000.0'."""
    t = text.strip().lower().removeprefix("rp").strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):  # 1.500.000 (Indonesian) or 1,500,000
        t = re.sub(r"[.,]", "", t)
    elif re.fullmatch(r"\d+\.0+", t):  # 1500000.0 typed from a number cell
        t = t.split(".")[0]
    if not t.isascii() or not t.isdigit() or len(t) > 16:
        raise ValueError(text)
    value = int(t)
    if value > MAX_SPENT:
        raise ValueError(text)
    return value


def check_note(text: str) -> str | None:
    """A finding code for a note that is too long or carries control characters, else None."""
    if len(text) > MAX_NOTE:
        return "realisation.note_too_long"
    if _CONTROL.search(text):
        return "realisation.control_character"
    return None


def _read_rows(data: bytes, limits: ReadLimits) -> list[list[Any]]:
    check_workbook(data, limits)
    sheet = CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_index(0)
    end_row, end_col = sheet.end or (-1, -1)
    check_grid(end_row + 1, end_col + 1, limits)
    return sheet.to_python(skip_empty_area=False)


def read_realisation(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[RealisationRow], list[Finding]]:
    """The good rows and the findings of the bad ones (every problem of every row, in order)."""
    try:
        rows = _read_rows(data, limits)
    except WorkbookRefused as exc:
        return [], [Finding(code=exc.reason, severity=Severity.ERROR, location=Location(row=None),
                            params=dict(exc.params))]
    except UNREADABLE_ERRORS:  # not a workbook at all (a bug of ours stays a bug)
        return [], [_bad(None, "", "table.unreadable", detail=NOT_A_WORKBOOK)]
    if not rows:
        return [], [_bad(None, "", "table.empty")]
    header = [as_text(h).lower().replace(" ", "_") for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [_bad(1, ", ".join(missing), "realisation.missing_columns")]
    col = {name: header.index(name) for name in COLUMNS if name in header}
    good: list[RealisationRow] = []
    findings: list[Finding] = []
    for number, raw in enumerate(rows[1:], start=2):
        values = {name: (_cell_text(raw[i]) if name == "realisasi_kinerja" else as_text(raw[i])) if i < len(raw)
                  else "" for name, i in col.items()}
        if not any(values.values()):
            continue
        row, problems = _row(number, values)
        findings.extend(problems)
        if row is not None and not problems:
            good.append(row)
    if not good and not findings:
        findings.append(_bad(None, "", "table.no_rows"))
    return good, findings


def _row(number: int, values: dict[str, str]) -> tuple[RealisationRow | None, list[Finding]]:
    problems: list[Finding] = []
    code = values.get("kode_sub_kegiatan", "")
    if not code:
        problems.append(_bad(number, "kode_sub_kegiatan", "realisation.required"))
    elif len(code) > 40 or _CONTROL.search(code):
        problems.append(_bad(number, "kode_sub_kegiatan", "realisation.bad_code", value=code[:40]))
    quarter = parse_quarter(values.get("triwulan", ""))
    if quarter is None:
        problems.append(_bad(number, "triwulan", "realisation.bad_quarter", value=values.get("triwulan", "")[:20]))
    volume: Decimal | None = None
    if text := values.get("realisasi_kinerja", ""):
        try:
            volume = parse_volume(text)
        except ValueError:
            problems.append(_bad(number, "realisasi_kinerja", "realisation.bad_volume", value=text[:30]))
    spent: int | None = None
    if text := values.get("realisasi_keuangan", ""):
        try:
            spent = parse_money(text)
        except ValueError:
            problems.append(_bad(number, "realisasi_keuangan", "realisation.bad_money", value=text[:30]))
    notes = {}
    for name in ("faktor_pendorong", "faktor_penghambat", "tindak_lanjut", "alasan_koreksi"):
        text = values.get(name, "")
        if reason := check_note(text):
            problems.append(_bad(number, name, reason, limit=MAX_NOTE))
        notes[name] = text
    if problems or quarter is None:
        return None, problems
    return RealisationRow(
        row=number, code=code, quarter=quarter, volume=volume, spent=spent, helped=notes["faktor_pendorong"],
        hindered=notes["faktor_penghambat"], follow_up=notes["tindak_lanjut"], reason=notes["alasan_koreksi"],
    ), []


def write_form(lines: Iterable[Sequence[Any]]) -> bytes:
    """The blank (or pre-filled) form: `lines` are rows (code, quarter, volume, spent, helped,
    hindered, follow_up, reason, name, unit, target, pagu); the last four are for the reader's eyes."""
    headers = [*COLUMNS, "nama", "satuan", "target", "pagu"]
    out = stream_workbook("Realisasi", headers, lines, widths=[20, 9, 16, 18, 30, 30, 30, 24, 50, 12, 12, 18])
    return bytes(out.getvalue())
