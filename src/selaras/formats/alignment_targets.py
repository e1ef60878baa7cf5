"""Read a workbook of higher-level plan targets (RPJMN, RPJMD provinsi, ...) into plain rows.

Kept apart from the database so the file rules can be tested without one and the web only
stores what this module returns. Layout (first sheet, one row per indicator, header on the first
row; header names are matched case-insensitively):

    dokumen | jenis | tingkat | kode_provinsi | tahun_awal | tahun_akhir | kunci | indikator |
    satuan | arah | 2025 | 2026 | ... (one column per year, the target of that year)

`tingkat` is "nasional" or "provinsi"; `jenis` one of `PLAN_KINDS`; `arah` "naik" (higher is
better), "turun" (lower is better) or empty. Bad rows come back as findings with their row number
(codes `import.*`, texts rendered by the web); a good row with an unreadable yearly target keeps
its other targets and gets an `import.bad_number` finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from python_calamine import CalamineWorkbook

from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.plan_cells import parse_target
from selaras.domain.plans import Direction
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

__all__ = ["IMPORT_COLUMNS", "LEVEL_NATIONAL", "LEVEL_PROVINCE", "PLAN_KINDS", "TargetRow", "read_targets"]

IMPORT_COLUMNS = ("dokumen", "jenis", "tingkat", "kode_provinsi", "tahun_awal", "tahun_akhir", "kunci",
                  "indikator", "satuan", "arah")
LEVEL_NATIONAL, LEVEL_PROVINCE = "national", "province"
#: Plan kinds a row may name (the same keys as the stored plan's kind choices).
PLAN_KINDS = ("rpjpn", "rpjmn", "rkp", "rpjpd_provinsi", "rpjmd_provinsi")
_LEVELS = {"nasional": LEVEL_NATIONAL, "national": LEVEL_NATIONAL,
           "provinsi": LEVEL_PROVINCE, "province": LEVEL_PROVINCE}
_DIRECTIONS = {"naik": Direction.HIGHER_IS_BETTER, "up": Direction.HIGHER_IS_BETTER,
               "turun": Direction.LOWER_IS_BETTER, "down": Direction.LOWER_IS_BETTER,
               "rentang": Direction.WITHIN_BAND, "band": Direction.WITHIN_BAND,
               "": Direction.UNKNOWN, "-": Direction.UNKNOWN, "none": Direction.UNKNOWN}


@dataclass(frozen=True)
class TargetRow:
    """One good row: its plan, its indicator and the yearly targets that could be read."""

    row: int
    plan_name: str
    kind: str
    level: str
    region_code: str
    start_year: int
    end_year: int
    key: str
    name: str
    unit: str
    direction: Direction
    targets: tuple[tuple[int, Decimal], ...] = field(default=())
    #: Targets given as a band (year, minimum, maximum), e.g. poverty "0,6 - 1,8".
    ranges: tuple[tuple[int, Decimal | None, Decimal | None], ...] = field(default=())


def _year(value: Any) -> int | None:
    text = as_text(value)
    return int(text) if text.isdigit() and len(text) == 4 else None


def _bad(row: int, column: str, code: str, **params: object) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, location=Location(row=row, column=column), params=params)


def _bytes(source: bytes | str | Path | IO[bytes]) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    return source.read()


def _read_rows(data: bytes, limits: ReadLimits) -> list[list[Any]]:
    """The first sheet's rows, its size checked before calamine builds its grid (see upload_limits)."""
    check_workbook(data, limits)
    sheet = CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_index(0)
    end_row, end_col = sheet.end or (-1, -1)
    check_grid(end_row + 1, end_col + 1, limits)
    return sheet.to_python(skip_empty_area=False)


def read_targets(source: bytes | str | Path | IO[bytes],
                 limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[TargetRow], list[Finding]]:
    """The good rows of the workbook and the findings of the bad ones, in sheet order.

    A workbook larger than `limits` is not read: one finding with the limit's code (`table.*`); a
    file that is not a workbook is one "table.unreadable" (its `detail`: `upload_limits.NOT_A_WORKBOOK`).
    """
    try:
        rows = _read_rows(_bytes(source), limits)
    except WorkbookRefused as exc:
        return [], [Finding(code=exc.reason, severity=Severity.ERROR, location=Location(row=None),
                            params=dict(exc.params))]
    except UNREADABLE_ERRORS:  # not a workbook: the reader's (English) text is said by no one;
        # any other error is a bug of this module and stays one (not 'the file cannot be read')
        return [], [Finding(code="table.unreadable", severity=Severity.ERROR, location=Location(row=None),
                            params={"detail": NOT_A_WORKBOOK})]
    if not rows:
        return [], [_bad(1, "", "import.empty")]
    header = [as_text(h).lower() for h in rows[0]]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        return [], [_bad(1, ", ".join(missing), "import.missing_columns")]
    col = {name: header.index(name) for name in IMPORT_COLUMNS}
    year_cols = [(i, y) for i, h in enumerate(header) if (y := _year(h)) is not None]
    good: list[TargetRow] = []
    findings: list[Finding] = []
    for number, raw in enumerate(rows[1:], start=2):
        values = {name: as_text(raw[i]) if i < len(raw) else "" for name, i in col.items()}
        if not any(values.values()):
            continue
        problems = _check_row(number, values)
        if problems:
            findings.extend(problems)
            continue
        targets: list[tuple[int, Decimal]] = []
        ranges: list[tuple[int, Decimal | None, Decimal | None]] = []
        for i, year in year_cols:
            cell = as_text(raw[i]) if i < len(raw) else ""
            if not cell:
                continue
            try:
                targets.append((year, Decimal(cell.replace(",", "."))))
            except InvalidOperation:
                parsed, problem = parse_target(cell)  # a band: "0,6 - 1,8", ">= 90", "<= 2"
                if parsed is None or problem is not None:
                    findings.append(_bad(number, str(year), "import.bad_number", value=cell))
                else:
                    ranges.append((year, parsed[1], parsed[2]))
        level = _LEVELS[values["tingkat"].lower()]
        good.append(TargetRow(
            row=number, plan_name=values["dokumen"], kind=values["jenis"].lower(), level=level,
            region_code=values["kode_provinsi"] if level == LEVEL_PROVINCE else "",
            start_year=int(values["tahun_awal"]), end_year=int(values["tahun_akhir"]), key=values["kunci"],
            name=values["indikator"] or values["kunci"], unit=values["satuan"],
            direction=_DIRECTIONS[values["arah"].lower()], targets=tuple(targets), ranges=tuple(ranges)))
    return good, findings


def _check_row(number: int, values: dict[str, str]) -> list[Finding]:
    problems = []
    if not values["dokumen"]:
        problems.append(_bad(number, "dokumen", "import.required"))
    if not values["kunci"]:
        problems.append(_bad(number, "kunci", "import.required"))
    level = _LEVELS.get(values["tingkat"].lower())
    if level is None:
        problems.append(_bad(number, "tingkat", "import.bad_choice", value=values["tingkat"]))
    if values["jenis"].lower() not in PLAN_KINDS:
        problems.append(_bad(number, "jenis", "import.bad_choice", value=values["jenis"]))
    if values["arah"].lower() not in _DIRECTIONS:
        problems.append(_bad(number, "arah", "import.bad_choice", value=values["arah"]))
    start, end = _year(values["tahun_awal"]), _year(values["tahun_akhir"])
    if start is None or end is None or end < start:
        problems.append(_bad(number, "tahun_awal", "import.bad_period",
                             value=f"{values['tahun_awal']}-{values['tahun_akhir']}"))
    if level == LEVEL_PROVINCE and not values["kode_provinsi"]:
        problems.append(_bad(number, "kode_provinsi", "import.required"))
    return problems
