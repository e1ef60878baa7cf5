"""Proposal tables for bulk import: the columns per channel, reading, row validation, rejects.

Pure: no database. Validation against the database happens through sets of valid codes that
the caller passes in (`ReferenceSets`). Problems are returned as `Finding`s with stable codes;
their Bahasa Indonesia text is produced at the edge (web, CLI) and handed back to
`write_rejects` as a function.
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
from selaras.domain.units import UNIT_LABELS
from selaras.domain.units import normalise_unit as _domain_unit

__all__ = [
    "Column", "ReferenceSets", "ProposalRow", "Table", "TableError", "ValidationReport",
    "columns_for", "read_table", "match_headers", "validate_rows", "IMPORT_CHANNELS",
    "FINDING_CODES", "TemplateReference", "write_template", "write_rejects",
]

IMPORT_CHANNELS: tuple[Channel, ...] = (
    Channel.VILLAGE_MUSRENBANG, Channel.DISTRICT_MUSRENBANG, Channel.POKIR,
    Channel.AGENCY_DRAFT, Channel.ASPIRATION,
)

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

MAX_VOLUME = Decimal("999999999999.99")  # Proposal.volume: 14 digits, 2 decimals
MAX_COST = 9_000_000_000_000_000  # fits a BigIntegerField with room to spare


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import table."""

    key: str  # attribute of ProposalRow
    header: str  # header text in the template (Bahasa Indonesia)
    kind: str  # text | village | district | sub_activity | agency | unit | volume | cost | rank | lat | lon
    required: bool = False
    max_length: int = 0
    example: str = ""
    help: str = ""
    width: int = 18


def _c(key: str, header: str, kind: str, required: bool = False, max_length: int = 0,
       example: str = "", help: str = "", width: int = 18) -> Column:
    return Column(key, header, kind, required, max_length, example, help, width)


_TITLE = _c("title", "Usulan", "text", True, 300, "Rehabilitasi jalan lingkungan RT 03/RW 02",
            "Nama kegiatan yang diusulkan, singkat dan jelas (maks. 300 karakter).", 40)
_DESCRIPTION = _c("description", "Alasan/Permasalahan", "text", False, 2000,
                  "Jalan rusak berat, sering tergenang saat hujan",
                  "Masalah yang ingin diselesaikan (maks. 2.000 karakter).", 40)
_VILLAGE_REQ = _c("village_code", "Kode Desa/Kelurahan", "village", True, 13, "",
                  "Kode wilayah Kemendagri desa/kelurahan lokasi usulan, mis. 32.16.01.2001 "
                  "(lihat lembar Desa).", 18)
_VILLAGE_OPT = _c("village_code", "Kode Desa/Kelurahan", "village", False, 13, "",
                  "Boleh kosong bila lokasi tidak satu desa; kode dari lembar Desa.", 18)
_DISTRICT = _c("district_code", "Kode Kecamatan", "district", False, 13, "",
               "Boleh kosong bila kode desa diisi (kecamatan diambil dari kode desa).", 14)
_DISTRICT_REQ = _c("district_code", "Kode Kecamatan", "district", True, 13, "",
                   "Kode kecamatan, mis. 32.16.01 (lihat lembar Kecamatan).", 14)
_ADDRESS = _c("address", "Alamat/Lokasi", "text", False, 300, "Kp. Cibeureum RT 03/RW 02",
              "Alamat atau keterangan lokasi (maks. 300 karakter).", 30)
_SUB_REQ = _c("sub_activity_code", "Kode Sub Kegiatan", "sub_activity", True, 24, "",
              "Kode sub kegiatan nomenklatur kabupaten/kota, mis. 1.03.10.2.01.0001 "
              "(lihat lembar Sub Kegiatan).", 22)
_SUB_OPT = _c("sub_activity_code", "Kode Sub Kegiatan", "sub_activity", False, 24, "",
              "Boleh kosong; bila diisi harus sub kegiatan kabupaten/kota yang berlaku.", 22)
_AGENCY_REQ = _c("agency_code", "Kode Perangkat Daerah", "agency", True, 32, "",
                 "Kode perangkat daerah pelaksana (lihat lembar Perangkat Daerah).", 26)
_AGENCY_OPT = _c("agency_code", "Kode Perangkat Daerah", "agency", False, 32, "",
                 "Perangkat daerah tujuan usulan; boleh kosong (ditentukan saat verifikasi).", 26)
_VOLUME = _c("volume", "Volume", "volume", True, 0, "250",
             "Angka lebih dari 0; desimal paling banyak 2 angka (koma atau titik).", 10)
_UNIT = _c("unit", "Satuan", "unit", True, 40, "meter",
           "Satuan baku dari lembar Satuan (mis. meter, unit, paket, orang).", 12)
_COST = _c("estimated_cost", "Perkiraan Biaya (Rp)", "cost", True, 0, "150000000",
           "Rupiah bulat tanpa desimal, 0 atau lebih (tanpa 'Rp' dan tanpa titik lebih baik).", 18)
_RANK = _c("priority_rank", "Peringkat Prioritas", "rank", False, 0, "1",
           "Bilangan bulat 1, 2, 3 ... (1 = paling prioritas); boleh kosong.", 12)
_PROPOSER_REQ = _c("proposer_name", "Pengusul", "text", True, 200, "Musrenbang Desa",
                   "Siapa yang mengusulkan (lembaga/kelompok; maks. 200 karakter).", 24)
_PROPOSER_OPT = _c("proposer_name", "Pengusul", "text", False, 200, "",
                   "Boleh kosong: diisi nama perangkat daerah.", 24)
_PROPOSER_POKIR = _c("proposer_name", "Pengusul", "text", False, 200, "",
                     "Boleh kosong: diisi nama anggota DPRD.", 24)
_PROPOSER_ROLE = _c("proposer_role", "Peran Pengusul", "text", False, 60, "Kelompok masyarakat",
                    "Mis. RT/RW, LPM, kelompok tani (maks. 60 karakter).", 18)
_COUNCILLOR = _c("councillor_name", "Nama Anggota DPRD", "text", True, 200, "",
                 "Anggota DPRD pemilik pokok pikiran (maks. 200 karakter).", 24)
_LAT = _c("latitude", "Lintang", "lat", False, 0, "-6.2400",
          "Koordinat desimal (Indonesia: -11 s.d. 6); boleh kosong.", 11)
_LON = _c("longitude", "Bujur", "lon", False, 0, "107.1500",
          "Koordinat desimal (Indonesia: 95 s.d. 141); boleh kosong.", 11)

_COLUMNS: dict[Channel, tuple[Column, ...]] = {
    Channel.VILLAGE_MUSRENBANG: (_TITLE, _DESCRIPTION, _VILLAGE_REQ, _ADDRESS, _SUB_OPT, _AGENCY_OPT,
                                 _VOLUME, _UNIT, _COST, _RANK, _PROPOSER_REQ, _PROPOSER_ROLE, _LAT, _LON),
    Channel.DISTRICT_MUSRENBANG: (_TITLE, _DESCRIPTION, _DISTRICT_REQ, _VILLAGE_OPT, _ADDRESS, _SUB_OPT,
                                  _AGENCY_OPT, _VOLUME, _UNIT, _COST, _RANK, _PROPOSER_REQ,
                                  _PROPOSER_ROLE, _LAT, _LON),
    Channel.POKIR: (_TITLE, _DESCRIPTION, _COUNCILLOR, _VILLAGE_REQ, _ADDRESS, _SUB_OPT, _AGENCY_OPT,
                    _VOLUME, _UNIT, _COST, _PROPOSER_POKIR, _LAT, _LON),
    Channel.AGENCY_DRAFT: (_AGENCY_REQ, _SUB_REQ, _TITLE, _DESCRIPTION, _DISTRICT, _VILLAGE_OPT,
                           _ADDRESS, _VOLUME, _UNIT, _COST, _PROPOSER_OPT),
    Channel.ASPIRATION: (_TITLE, _DESCRIPTION, _VILLAGE_REQ, _ADDRESS, _SUB_OPT, _AGENCY_OPT, _VOLUME,
                         _UNIT, _COST, _PROPOSER_REQ, _PROPOSER_ROLE, _LAT, _LON),
}


def columns_for(channel: Channel | str) -> tuple[Column, ...]:
    """The template columns of a channel, in order."""
    return _COLUMNS[Channel(channel)]


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
_LAT_RANGE = (Decimal(-11), Decimal(6))
_LON_RANGE = (Decimal(95), Decimal(141))


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
            low, high = _LAT_RANGE if kind == "lat" else _LON_RANGE
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


# ---------------------------------------------------------------------------------- writing

@dataclass(frozen=True)
class TemplateReference:
    """Lists that go into the template's reference sheets."""

    government_name: str
    districts: Sequence[tuple[str, str]]  # code, name
    villages: Sequence[tuple[str, str, str, str]]  # code, name, kind, district code
    agencies: Sequence[tuple[str, str]]  # code, name
    sub_activities: Sequence[tuple[str, str]]  # code, name


_CHANNEL_TITLES = {
    Channel.VILLAGE_MUSRENBANG: "Usulan Musrenbang Desa/Kelurahan",
    Channel.DISTRICT_MUSRENBANG: "Usulan Musrenbang Kecamatan",
    Channel.POKIR: "Pokok-pokok Pikiran DPRD",
    Channel.AGENCY_DRAFT: "Usulan Pra-Renja Perangkat Daerah",
    Channel.ASPIRATION: "Aspirasi Masyarakat",
}


def write_template(channel: Channel | str, ref: TemplateReference) -> bytes:
    """The .xlsx template a user fills in: the 'Usulan' sheet first, then instructions and lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from selaras.formats.xlsx_util import WRAP, style_header_row, workbook_bytes, write_rows_sheet

    channel = Channel(channel)
    columns = columns_for(channel)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Usulan"
    sheet.append([c.header for c in columns])
    style_header_row(sheet, [c.width for c in columns], [c.required for c in columns])
    for index, col in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        if col.kind == "unit":
            rule = DataValidation(type="list", formula1=f"=Satuan!$A$2:$A${len(UNIT_LABELS) + 1}",
                                  allow_blank=not col.required, showErrorMessage=True,
                                  errorTitle="Satuan tidak dikenal",
                                  error="Pilih satuan dari daftar (lembar Satuan).")
        elif col.kind in ("volume", "cost"):
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                  showErrorMessage=True, errorTitle="Bukan angka",
                                  error="Isi dengan angka (lihat lembar Petunjuk).")
        elif col.kind in ("village", "district", "sub_activity", "agency"):
            sheet.column_dimensions[letter].number_format = "@"
            continue
        else:
            continue
        rule.add(f"{letter}2:{letter}200000")
        sheet.add_data_validation(rule)

    guide = book.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    guide.append([f"Templat impor: {_CHANNEL_TITLES[channel]}"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([f"Pemerintah daerah: {ref.government_name}"])
    guide.append([])
    for line in (
        "1. Isi lembar 'Usulan' mulai baris 2, satu usulan per baris. Jangan mengubah baris judul.",
        "2. Kolom berjudul merah wajib diisi; kolom hijau boleh kosong.",
        "3. Kode wilayah, kode sub kegiatan, kode perangkat daerah dan satuan harus persis seperti "
        "pada lembar referensi (Kecamatan, Desa, Sub Kegiatan, Perangkat Daerah, Satuan).",
        "4. Volume: angka lebih dari 0 (desimal dengan koma atau titik, paling banyak 2 angka).",
        "5. Perkiraan biaya: rupiah bulat, 0 atau lebih, tanpa 'Rp'.",
        "6. Seluruh baris diperiksa sebelum disimpan. Bila ada satu baris salah, tidak ada yang "
        "disimpan, kecuali Anda memilih 'impor baris yang valid saja'; baris yang ditolak "
        "dikembalikan sebagai berkas Excel dengan kolom 'Masalah'.",
        "7. Berkas CSV juga diterima (baris judul yang sama, pemisah koma atau titik koma, UTF-8).",
    ):
        guide.append([line])
    guide.append([])
    guide.append(["Kolom", "Wajib", "Keterangan"])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = Font(bold=True)
    for col in columns:
        guide.append([col.header, "ya" if col.required else "tidak", col.help])
        guide.cell(row=guide.max_row, column=3).alignment = WRAP

    write_rows_sheet(book, "Satuan", ["Satuan", "Keterangan"], UNIT_LABELS.items(), [14, 30])
    write_rows_sheet(book, "Kecamatan", ["Kode Kecamatan", "Nama Kecamatan"], ref.districts, [16, 40])
    district_names = dict(ref.districts)
    write_rows_sheet(
        book, "Desa", ["Kode Desa/Kelurahan", "Nama", "Jenis", "Kode Kecamatan", "Nama Kecamatan"],
        ((c, n, k, d, district_names.get(d, "")) for c, n, k, d in ref.villages), [20, 36, 12, 16, 30])
    write_rows_sheet(book, "Perangkat Daerah", ["Kode Perangkat Daerah", "Nama"], ref.agencies, [30, 60])
    write_rows_sheet(book, "Sub Kegiatan", ["Kode Sub Kegiatan", "Nama Sub Kegiatan"],
                     ref.sub_activities, [22, 100])
    book.properties.title = _CHANNEL_TITLES[channel]
    book.properties.creator = "Selaras"
    return workbook_bytes(book)


PROBLEMS_HEADER = "Masalah"


def write_rejects(table: Table, report: ValidationReport, describe: Callable[[Finding], str],
                  target: Any = None) -> Any:
    """The rows that failed, as they were, with an added 'Masalah' column (streamed)."""
    from selaras.formats.xlsx_util import HEADER_FILL, PROBLEM_FILL, stream_workbook

    by_row: dict[int, list[str]] = {}
    for finding in report.findings:
        if finding.location.row is not None and finding.location.row in report.rejected_rows:
            by_row.setdefault(finding.location.row, []).append(describe(finding))
    width = len(table.headers)
    headers = [*table.headers, "Baris asal", PROBLEMS_HEADER]

    def rows() -> Iterable[list[Any]]:
        for number in sorted(report.rejected_rows):
            raw = list(report.rejected_rows[number])[:width]
            raw += [None] * (width - len(raw))
            yield [*raw, number, "; ".join(by_row.get(number, []))]

    fills = [HEADER_FILL] * (width + 1) + [PROBLEM_FILL]
    return stream_workbook("Ditolak", headers, rows(), [18] * width + [10, 80], fills, target)
