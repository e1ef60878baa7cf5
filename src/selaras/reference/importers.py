"""Read an edition of reference data from a user's file into plain records (no database).

Layouts (`read_edition_file(path, kind)` picks one from the file's name and header):

- nomenclature, SIPD export (`.xlsx`): one row per sub-activity and government level with the
  columns JENIS PEMDA, BIDANG, PROGRAM, KEGIATAN, SUBKEGIATAN ("code name" each), optionally
  KINERJA, INDIKATOR, SATUAN, TAG, DEFINISI OPERASIONAL, PELAKSANA, SPM, JENIS and SUBKEGIATAN
  SEBELUMNYA (the official previous code and name). Affairs, sectors, programs and activities
  are built from the rows; affair names come from the regulation (`AFFAIR_NAMES`).
- nomenclature, the packaged CSV layout (`level,kode,nama,jns_pemda[,...]`, see readers).
- region, CSV with `kode,nama[,level]`.
- region, SQL dump with `INSERT INTO ... (kode, nama) VALUES (...), ...;` (as the open
  cahyadsn/wilayah dataset publishes it).

CSV and SQL files may be compressed (`.gz`, `.xz`). Every row is checked (code grammar, name,
duplicates, parent present); the first problem raises `InvalidEditionFile` with the row and the
column, before anything is written anywhere.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selaras.domain.codes import NomenclatureCode, RegionCode
from selaras.domain.errors import InvalidCode, InvalidEditionFile
from selaras.reference.readers import (
    NOMENCLATURE_LEVELS,
    NomenclatureRecord,
    RegionRecord,
    _clean_name,
    _nomenclature_parent,
    _region_kind,
    open_text,
)

__all__ = ["AFFAIR_NAMES", "MAX_FILE_BYTES", "ParsedEdition", "read_edition_file"]

MAX_FILE_BYTES = 200 * 1024 * 1024

# Affairs (urusan) of Permendagri 90/2019, unchanged by the later amendments.
AFFAIR_NAMES = {
    "1": "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR",
    "2": "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR",
    "3": "URUSAN PEMERINTAHAN PILIHAN",
    "4": "UNSUR PENDUKUNG URUSAN PEMERINTAHAN",
    "5": "UNSUR PENUNJANG URUSAN PEMERINTAHAN",
    "6": "UNSUR PENGAWASAN URUSAN PEMERINTAHAN",
    "7": "UNSUR KEWILAYAHAN",
    "8": "UNSUR PEMERINTAHAN UMUM",
    "9": "UNSUR KEKHUSUSAN",
    "X": "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH",
}
SIPD_GOVERNMENT_LEVELS = {"PROV": "provinsi", "KABKOT": "kab/kota"}
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedEdition:
    kind: str  # region | nomenclature
    layout: str  # sipd-xlsx | nomenklatur-csv | wilayah-csv | wilayah-sql
    regions: list[RegionRecord] = field(default_factory=list)
    nomenclature: list[NomenclatureRecord] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.regions) + len(self.nomenclature)


def _fail(row: int, column: str, reason: str, **facts: object) -> InvalidEditionFile:
    return InvalidEditionFile(row=row, column=column, reason=reason, **facts)


def _space(text: object) -> str:
    return _WS.sub(" ", str(text or "")).strip()


def read_edition_file(path: str | Path, kind: str) -> ParsedEdition:
    """Parse `path` as an edition of `kind` ("region"/"wilayah" or "nomenclature"/"nomenklatur")."""
    path = Path(path)
    kind = {"wilayah": "region", "nomenklatur": "nomenclature"}.get(kind, kind)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _fail(0, "", "unreadable", detail=type(error).__name__) from error
    if size > MAX_FILE_BYTES:
        raise _fail(0, "", "too_large", detail=f"{size // 1_048_576} MB, paling banyak {MAX_FILE_BYTES // 1_048_576} MB")
    name = path.name.lower()
    if kind == "nomenclature":
        if name.endswith((".xlsx", ".xlsm")):
            return ParsedEdition(kind, "sipd-xlsx", nomenclature=_sipd(path))
        return ParsedEdition(kind, "nomenklatur-csv", nomenclature=_nomenclature_csv(path))
    if kind == "region":
        stem = name.removesuffix(".gz").removesuffix(".xz")
        if stem.endswith(".sql"):
            return ParsedEdition(kind, "wilayah-sql", regions=_regions(_sql_rows(path)))
        return ParsedEdition(kind, "wilayah-csv", regions=_regions(_region_csv_rows(path)))
    raise _fail(0, "", "unknown_layout", detail=f"jenis '{kind}'")


# ---------------------------------------------------------------- regions


def _region_csv_rows(path: Path) -> Iterator[tuple[int, str, str, str | None]]:
    try:
        with open_text(path) as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            for column in ("kode", "nama"):
                if column not in header:
                    raise _fail(1, column, "missing_column")
            at_code, at_name = header.index("kode"), header.index("nama")
            at_level = header.index("level") if "level" in header else None
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(at_code, at_name):
                    raise _fail(number, "nama", "empty_name")
                level = row[at_level].strip() if at_level is not None and at_level < len(row) else None
                yield number, row[at_code].strip(), _space(row[at_name]), level
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as error:
        raise _fail(0, "", "unreadable", detail=type(error).__name__) from error


_INSERT = re.compile(r"INSERT\s+INTO\s+[`\"\w.]+\s*\(([^)]*)\)\s*VALUES\s*", re.IGNORECASE)
_TUPLE = re.compile(r"\(\s*((?:'(?:[^'\\]|\\.|'')*'|[^,()'\s]+)(?:\s*,\s*(?:'(?:[^'\\]|\\.|'')*'|[^,()'\s]+))*)\s*\)")
_VALUE = re.compile(r"'((?:[^'\\]|\\.|'')*)'|([^,\s]+)")


def _sql_rows(path: Path) -> Iterator[tuple[int, str, str, str | None]]:
    try:
        with open_text(path) as handle:
            text = handle.read()
    except (UnicodeDecodeError, OSError, EOFError) as error:
        raise _fail(0, "", "unreadable", detail=type(error).__name__) from error
    found = False
    for statement in _INSERT.finditer(text):
        found = True
        columns = [c.strip().strip('`"').lower() for c in statement.group(1).split(",")]
        line = text.count("\n", 0, statement.end()) + 1
        for column in ("kode", "nama"):
            if column not in columns:
                raise _fail(line, column, "missing_column")
        at_code, at_name = columns.index("kode"), columns.index("nama")
        position = statement.end()
        while True:
            match = _TUPLE.match(text, position)
            row_line = line + text.count("\n", statement.end(), position)
            if match is None:
                raise _fail(row_line, "", "bad_sql", detail=repr(text[position:position + 40]))
            values = [(q if q is not None else u).replace("''", "'").replace("\\'", "'")
                      for q, u in _VALUE.findall(match.group(1))]
            if len(values) != len(columns):
                raise _fail(row_line, "", "bad_sql", detail=f"{len(values)} nilai untuk {len(columns)} kolom")
            yield row_line, values[at_code].strip(), _space(values[at_name]), None
            position = match.end()
            rest = re.compile(r"\s*([,;])\s*").match(text, position)
            if rest is None:
                raise _fail(row_line, "", "bad_sql", detail=repr(text[position:position + 40]))
            position = rest.end()
            if rest.group(1) == ";":
                break
    if not found:
        raise _fail(0, "", "unknown_layout", detail="tidak ada INSERT ... (kode, nama)")


def _regions(rows: Iterator[tuple[int, str, str, str | None]]) -> list[RegionRecord]:
    seen: dict[str, int] = {}
    records: list[RegionRecord] = []
    for number, code, name, level_text in rows:
        try:
            parsed = RegionCode.parse(code)
        except InvalidCode as error:
            raise _fail(number, "kode", "bad_code", value=code, detail=str(error.params.get("reason", ""))) from error
        if not name:
            raise _fail(number, "nama", "empty_name")
        if code in seen:
            raise _fail(number, "kode", "duplicate", value=code, detail=seen[code])
        level = int(parsed.level)
        if level_text not in (None, "") and level_text != str(level):
            raise _fail(number, "level", "bad_level", value=level_text)
        parent = str(parsed.parent) if parsed.parent is not None else ""
        if parent and parent not in seen:
            raise _fail(number, "kode", "no_parent", value=code)
        seen[code] = number
        records.append(RegionRecord(code=code, name=name, level=level, parent_code=parent,
                                    kind=_region_kind(code, level, name), population=None, area_km2=None))
    if not records:
        raise _fail(0, "", "empty")
    return records


# ---------------------------------------------------------------- nomenclature


def _nomenclature_code(number: int, column: str, code: str) -> NomenclatureCode:
    try:
        return NomenclatureCode.parse(code, allow_unknown_affair=True)
    except InvalidCode as error:
        raise _fail(number, column, "bad_code", value=code, detail=str(error.params.get("reason", ""))) from error


def _nomenclature_csv(path: Path) -> list[NomenclatureRecord]:
    records: list[NomenclatureRecord] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        with open_text(path) as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            for column in ("level", "kode", "nama"):
                if column not in header:
                    raise _fail(1, column, "missing_column")
            for number, row in enumerate(reader, start=2):
                level = NOMENCLATURE_LEVELS.get((row.get("level") or "").strip())
                if level is None:
                    raise _fail(number, "level", "bad_level", value=row.get("level") or "")
                code = (row.get("kode") or "").strip()
                parsed = _nomenclature_code(number, "kode", code)
                if parsed.level.value != level:
                    raise _fail(number, "level", "bad_level", value=row.get("level") or "")
                name = _clean_name(_space(row.get("nama")))
                if not name:
                    raise _fail(number, "nama", "empty_name")
                government = (row.get("jns_pemda") or "").strip()
                if government not in ("", "provinsi", "kab/kota"):
                    raise _fail(number, "jns_pemda", "bad_level", value=government)
                key = (code, government)
                if key in seen:
                    raise _fail(number, "kode", "duplicate", value=code, detail=seen[key])
                seen[key] = number
                records.append(NomenclatureRecord(
                    code=code, name=name, level=level, parent_code=_nomenclature_parent(code),
                    government_level=government, active=(row.get("status_data") or "").strip() != "1",
                    regulation_ref=(row.get("id_hkm") or "").strip(),
                    performance=_space(row.get("kinerja")), indicator=_space(row.get("indikator")),
                    unit=_space(row.get("satuan")), previous_code=(row.get("kode_sebelumnya") or "").strip(),
                    previous_name=_space(row.get("nama_sebelumnya")), spm=(row.get("spm") or "").strip(),
                    service_type=(row.get("jenis") or "").strip(), tags=(row.get("tag") or "").strip(),
                    implementer=_space(row.get("pelaksana")), definition=row.get("definisi_operasional") or "",
                ))
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as error:
        raise _fail(0, "", "unreadable", detail=type(error).__name__) from error
    if not records:
        raise _fail(0, "", "empty")
    return records


SIPD_REQUIRED = ("JENIS PEMDA", "BIDANG", "PROGRAM", "KEGIATAN", "SUBKEGIATAN")


def _split_code_name(number: int, column: str, cell: object) -> tuple[str, str]:
    text = _space(cell)
    code, _, name = text.partition(" ")
    if not code:
        raise _fail(number, column, "bad_code", value="", detail="empty")
    return code, name.strip()


def _tags(cell: object) -> str:
    text = str(cell or "").strip()
    if not text or text == "[null]":
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _sipd(path: Path) -> list[NomenclatureRecord]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as error:
        raise _fail(0, "", "unreadable", detail=type(error).__name__) from error
    if not rows:
        raise _fail(0, "", "empty")
    header = [_space(h).upper() for h in rows[0]]
    for column in SIPD_REQUIRED:
        if column not in header:
            raise _fail(1, column, "missing_column")
    at = {name: index for index, name in enumerate(header)}

    def cell(row: Sequence[object], name: str) -> object:
        index = at.get(name)
        return row[index] if index is not None and index < len(row) else ""

    upper: dict[tuple[str, str], NomenclatureRecord] = {}
    subs: list[NomenclatureRecord] = []
    seen: dict[tuple[str, str], int] = {}
    levels = (("BIDANG", "sector"), ("PROGRAM", "program"), ("KEGIATAN", "activity"))
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in row):
            continue
        government = SIPD_GOVERNMENT_LEVELS.get(_space(cell(row, "JENIS PEMDA")).upper())
        if government is None:
            raise _fail(number, "JENIS PEMDA", "bad_level", value=_space(cell(row, "JENIS PEMDA")))
        code, name = _split_code_name(number, "SUBKEGIATAN", cell(row, "SUBKEGIATAN"))
        parsed = _nomenclature_code(number, "SUBKEGIATAN", code)
        if parsed.level.value != "sub_activity":
            raise _fail(number, "SUBKEGIATAN", "bad_level", value=code)
        if not name:
            raise _fail(number, "SUBKEGIATAN", "empty_name")
        key = (code, government)
        if key in seen:
            raise _fail(number, "SUBKEGIATAN", "duplicate", value=code, detail=seen[key])
        seen[key] = number
        below = code
        for column, level in reversed(levels):
            up_code, up_name = _split_code_name(number, column, cell(row, column))
            up_parsed = _nomenclature_code(number, column, up_code)
            if up_parsed.level.value != level:
                raise _fail(number, column, "bad_level", value=up_code)
            if not below.startswith(up_code + "."):
                raise _fail(number, column, "wrong_parent", value=below, detail=up_code)
            below = up_code
            if (up_code, government) not in upper:
                if not up_name:
                    raise _fail(number, column, "empty_name")
                upper[(up_code, government)] = NomenclatureRecord(
                    code=up_code, name=up_name, level=level, parent_code=_nomenclature_parent(up_code),
                    government_level=government, active=True, regulation_ref="")
        previous_code, previous_name = "", ""
        if _space(cell(row, "SUBKEGIATAN SEBELUMNYA")):
            previous_code, previous_name = _split_code_name(number, "SUBKEGIATAN SEBELUMNYA",
                                                            cell(row, "SUBKEGIATAN SEBELUMNYA"))
            _nomenclature_code(number, "SUBKEGIATAN SEBELUMNYA", previous_code)
        subs.append(NomenclatureRecord(
            code=code, name=name, level="sub_activity", parent_code=_nomenclature_parent(code),
            government_level=government, active=True, regulation_ref="",
            performance=_space(cell(row, "KINERJA")), indicator=_space(cell(row, "INDIKATOR")),
            unit=_space(cell(row, "SATUAN")), previous_code=previous_code, previous_name=previous_name,
            spm=_space(cell(row, "SPM")).upper(), service_type=_space(cell(row, "JENIS")),
            tags=_tags(cell(row, "TAG")), implementer=_space(cell(row, "PELAKSANA")),
            definition=str(cell(row, "DEFINISI OPERASIONAL") or "").strip(),
        ))
    if not subs:
        raise _fail(0, "", "empty")
    affairs = sorted({r.code.split(".")[0] for r in upper.values()})
    records = [NomenclatureRecord(code=a, name=AFFAIR_NAMES.get(a, f"URUSAN {a}"), level="affair", parent_code="",
                                  government_level="", active=True, regulation_ref="") for a in affairs]
    order = {"affair": 0, "sector": 1, "program": 2, "activity": 3, "sub_activity": 4}
    rest = sorted([*upper.values(), *subs], key=lambda r: (order[r.level], r.code, r.government_level))
    return records + rest
