"""The alignment files without a database: the target workbook reader and the report writer."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook

from selaras.domain.plans import Direction
from selaras.formats.alignment_report import (
    FINDING_COLUMNS,
    FindingLine,
    ReportSheets,
    write_report,
)
from selaras.formats.alignment_targets import read_targets

HEADER = ["Dokumen", "Jenis", "Tingkat", "Kode_Provinsi", "Tahun_Awal", "Tahun_Akhir", "Kunci", "Indikator",
          "Satuan", "Arah", 2025, 2026]


def _bytes(*rows: tuple[object, ...]) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_reader_returns_plain_rows_and_findings_from_bytes() -> None:
    good = ("RPJMD Provinsi", "rpjmd_provinsi", "Provinsi", "32", 2025, 2029, "rls", "", "tahun", "naik",
            "8,6", "x")
    bad = ("RPJMN", "rpjmn", "kabupaten", "", 2025, 2029, "k", "K", "%", "turun", 1, 2)
    rows, findings = read_targets(_bytes(good, (), bad))
    assert len(rows) == 1
    row = rows[0]
    assert (row.row, row.plan_name, row.kind, row.level, row.region_code, row.start_year, row.end_year) == (
        2, "RPJMD Provinsi", "rpjmd_provinsi", "province", "32", 2025, 2029)
    assert (row.key, row.name, row.direction, row.targets) == ("rls", "rls", Direction.HIGHER_IS_BETTER,
                                                               ((2025, Decimal("8.6")),))
    assert [(f.code, f.location.row, f.location.column) for f in findings] == [
        ("import.bad_number", 2, "2026"), ("import.bad_choice", 4, "tingkat")]


def test_reader_reports_missing_columns() -> None:
    book = Workbook()
    book.active.append(["Dokumen"])
    buffer = BytesIO()
    book.save(buffer)
    rows, findings = read_targets(buffer.getvalue())
    assert rows == [] and [f.code for f in findings] == ["import.missing_columns"]


def test_report_writer_lays_out_three_sheets() -> None:
    sheets = ReportSheets(
        government_name="Kabupaten Uji", year=2026,
        findings=[FindingLine("money.x", "Galat", "Judul", "DINKES", "renja", "renja_line:1", "1.02", 2026,
                              "Pesan panjang", {"b": 2, "a": "ä"})],
        rules=[("money.x", "Judul", "Galat", 1)], agencies=[("-", "Tanpa perangkat daerah", 1, 0, 1)],
        coverage=[("Ukuran", 1, 2, 50.0)])
    book = load_workbook(BytesIO(write_report(sheets)))
    assert book.sheetnames == ["Temuan", "Ringkasan", "Cakupan"]
    found = [[c.value for c in r] for r in book["Temuan"].iter_rows()]
    assert found == [list(FINDING_COLUMNS),
                     [1, "money.x", "Galat", "Judul", "DINKES", "renja", "renja_line:1", "1.02", 2026,
                      "Pesan panjang", '{"a": "ä", "b": 2}']]
    assert book["Temuan"].freeze_panes == "A2" and book["Temuan"]["A1"].font.b
    assert [[c.value for c in r] for r in book["Ringkasan"].iter_rows()] == [
        ["Kode aturan", "Aturan", "Tingkat", "Jumlah", None], ["money.x", "Judul", "Galat", 1, None],
        [None] * 5, ["Perangkat daerah", "Nama", "Galat", "Peringatan", "Jumlah"],
        ["-", "Tanpa perangkat daerah", 1, 0, 1]]
    assert [[c.value for c in r] for r in book["Cakupan"].iter_rows()][-2:] == [
        ["Pemerintah daerah", "Kabupaten Uji", None, None], ["Tahun", 2026, None, None]]
