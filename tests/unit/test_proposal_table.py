"""Pure tests of the proposal import table: headers, row checks, CSV reading, template, rejects."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from selaras.domain.findings import Severity
from selaras.formats import proposal_table as pt
from selaras.formats import proposal_workbooks as pw

REFS = pt.ReferenceSets(
    village_codes=frozenset({"32.16.01.2001", "32.16.01.2002", "32.16.02.2001"}),
    district_codes=frozenset({"32.16.01", "32.16.02"}),
    sub_activity_codes=frozenset({"1.03.10.2.01.0001"}),
    other_sub_activity_codes=frozenset({"1.03.10.1.01.0001"}),
    agency_codes=frozenset({"1.03.0.00.0.00.01.0000"}),
)
HEADERS = [c.header for c in pt.columns_for("musrenbang_village")]


def _row(**values: object) -> list[object]:
    base: dict[str, object] = {"Usulan": "Rehab jalan lingkungan", "Kode Desa/Kelurahan": "32.16.01.2001",
                               "Volume": 120, "Satuan": "meter", "Perkiraan Biaya (Rp)": 150_000_000,
                               "Pengusul": "Musrenbang Desa"}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def _validate(*rows: list[object], headers: list[str] | None = None) -> pt.ValidationReport:
    return pt.validate_rows(pt.Table(headers=headers or HEADERS, rows=list(rows)), "musrenbang_village", REFS)


def test_valid_row_is_parsed() -> None:
    report = _validate(_row(**{"Peringkat Prioritas": 2, "Alamat/Lokasi": "RT 03"}))
    assert report.ok and report.total_rows == 1
    row = report.valid[0]
    assert (row.row, row.village_code, row.district_code, row.unit) == (2, "32.16.01.2001", "32.16.01", "m")
    assert row.volume == Decimal("120.00") and row.estimated_cost == 150_000_000 and row.priority_rank == 2


def test_indonesian_number_spellings() -> None:
    report = _validate(_row(Volume="2,5", **{"Perkiraan Biaya (Rp)": "Rp 1.500.000"}))
    assert report.ok
    assert report.valid[0].volume == Decimal("2.50") and report.valid[0].estimated_cost == 1_500_000


@pytest.mark.parametrize(("values", "code", "column"), [
    ({"Usulan": ""}, "row.required", "Usulan"),
    ({"Usulan": "x" * 301}, "row.too_long", "Usulan"),
    ({"Volume": 0}, "row.volume_not_positive", "Volume"),
    ({"Volume": "banyak"}, "row.not_number", "Volume"),
    ({"Volume": "1,234"}, "row.too_many_decimals", "Volume"),
    ({"Perkiraan Biaya (Rp)": -5}, "row.cost_negative", "Perkiraan Biaya (Rp)"),
    ({"Perkiraan Biaya (Rp)": 10.5}, "row.not_integer", "Perkiraan Biaya (Rp)"),
    ({"Kode Desa/Kelurahan": "32.15.01.2001"}, "row.village_unknown", "Kode Desa/Kelurahan"),
    ({"Kode Sub Kegiatan": "1.03.10.1.01.0001"}, "row.sub_activity_not_regency", "Kode Sub Kegiatan"),
    ({"Kode Sub Kegiatan": "9.99.99.2.99.9999"}, "row.sub_activity_unknown", "Kode Sub Kegiatan"),
    ({"Kode Perangkat Daerah": "0.00"}, "row.agency_unknown", "Kode Perangkat Daerah"),
    ({"Satuan": "m?"}, "row.unit_unknown", "Satuan"),
    ({"Peringkat Prioritas": 0}, "row.rank_invalid", "Peringkat Prioritas"),
    ({"Lintang": 40}, "row.coordinate_invalid", "Lintang"),
])
def test_each_problem_has_code_row_and_column(values: dict[str, object], code: str, column: str) -> None:
    report = _validate(_row(), _row(**values))
    assert not report.ok
    assert [(f.code, f.location.row, f.location.column) for f in report.findings] == [(code, 3, column)]
    assert list(report.rejected_rows) == [3] and len(report.valid) == 1
    assert code in pt.FINDING_CODES


def test_every_problem_of_a_row_is_reported() -> None:
    report = _validate(_row(Usulan="", Volume=-1, Satuan="parsec"))
    assert {f.code for f in report.findings} == {"row.required", "row.volume_not_positive", "row.unit_unknown"}


def test_village_must_lie_in_the_district_given() -> None:
    headers = [c.header for c in pt.columns_for("musrenbang_district")]
    row = {"Usulan": "Drainase", "Kode Kecamatan": "32.16.02", "Kode Desa/Kelurahan": "32.16.01.2001",
           "Volume": 1, "Satuan": "paket", "Perkiraan Biaya (Rp)": 5, "Pengusul": "Camat"}
    report = pt.validate_rows(pt.Table(headers, [[row.get(h) for h in headers]]), "musrenbang_district", REFS)
    assert [f.code for f in report.findings] == ["row.village_district_mismatch"]


def test_missing_header_stops_before_rows() -> None:
    headers = [h for h in HEADERS if h != "Volume"] + ["Kolom Asing"]
    report = _validate(_row(), headers=headers)
    codes = {f.code: f for f in report.findings}
    assert codes["header.missing"].params["header"] == "Volume"
    assert codes["header.unknown"].severity == Severity.WARNING
    assert report.total_rows == 0 and not report.valid


def test_headers_match_loosely() -> None:
    headers = [f" {h.upper()}* " for h in HEADERS]
    assert _validate(_row(), headers=headers).ok


def test_blank_rows_are_skipped() -> None:
    report = _validate(_row(), [None] * len(HEADERS), ["", "  "] + [None] * (len(HEADERS) - 2), _row())
    assert report.ok and report.total_rows == 2 and [r.row for r in report.valid] == [2, 5]


def test_csv_with_semicolons_and_bom() -> None:
    text = ";".join(HEADERS) + "\n" + ";".join("" if v is None else str(v) for v in _row(Volume="2,5")) + "\n"
    table = pt.read_table(("\ufeff" + text).encode("utf-8"), "usulan.csv")
    assert table.headers == HEADERS and len(table.rows) == 1
    assert pt.validate_rows(table, "musrenbang_village", REFS).ok


def test_unreadable_and_empty_files() -> None:
    with pytest.raises(pt.TableError) as bad:
        pt.read_table(b"this is not a workbook", "usulan.xlsx")
    assert bad.value.finding.code == "table.unreadable"
    with pytest.raises(pt.TableError) as empty:
        pt.read_table(b"", "usulan.csv")
    assert empty.value.finding.code == "table.empty"


def _reference() -> pw.TemplateReference:
    return pw.TemplateReference(
        government_name="Kabupaten Bekasi", districts=[("32.16.01", "Setu")],
        villages=[("32.16.01.2001", "Taman Sari", "desa", "32.16.01")],
        agencies=[("1.03.0.00.0.00.01.0000", "Dinas PUPR")], sub_activities=[("1.03.10.2.01.0001", "Jalan")])


@pytest.mark.parametrize("channel", [c.value for c in pt.IMPORT_CHANNELS])
def test_template_has_header_instructions_and_lists(channel: str) -> None:
    data = pw.write_template(channel, _reference())
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Usulan", "Petunjuk", "Satuan", "Kecamatan", "Desa", "Perangkat Daerah",
                               "Sub Kegiatan"]
    assert [c.value for c in book["Usulan"][1]] == [c.header for c in pt.columns_for(channel)]
    assert "Isi lembar 'Usulan'" in str(book["Petunjuk"]["A4"].value)
    assert book["Desa"]["A2"].value == "32.16.01.2001" and book["Desa"]["E2"].value == "Setu"
    table = pt.read_table(data, "templat.xlsx")  # an empty template reads as headers only
    assert table.headers == [c.header for c in pt.columns_for(channel)] and table.rows == []


def test_rejects_workbook_keeps_rows_and_adds_problems() -> None:
    table = pt.Table(headers=HEADERS, rows=[_row(), _row(Volume=0), _row(Satuan="parsec", Usulan="")])
    report = pt.validate_rows(table, "musrenbang_village", REFS)
    out = pw.write_rejects(table, report, lambda f: f"{f.code}@{f.location.column}")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Baris asal", "Masalah")
    assert [r[-2] for r in rows[1:]] == [3, 4]
    assert rows[1][-1] == "row.volume_not_positive@Volume"
    assert rows[2][-1] == "row.required@Usulan; row.unit_unknown@Satuan"
