"""The realisation workbook reader (formats/realisation_table.py): values as people type them."""

from __future__ import annotations

import contextlib
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from selaras.formats.realisation_table import (
    COLUMNS,
    parse_money,
    parse_quarter,
    parse_volume,
    read_realisation,
    write_form,
)


@pytest.mark.parametrize(("text", "quarter"), [("1", 1), ("IV", 4), ("tw ii", 2), ("Triwulan 3", 3), ("5", None),
                                               ("", None), ("I V", None)])
def test_quarter(text: str, quarter: int | None) -> None:
    assert parse_quarter(text) == quarter


@pytest.mark.parametrize(("text", "value"), [("12", Decimal(12)), ("12,5", Decimal("12.5")), ("0.25", Decimal("0.25")),
                                             ("1.500", Decimal(1500)), ("12.345.678", Decimal(12_345_678)),
                                             ("1.250,5", Decimal("1250.5")), ("12.5", Decimal("12.5"))])
def test_volume(text: str, value: Decimal) -> None:
    assert parse_volume(text) == value


@pytest.mark.parametrize("text", ["-1", "abc", "NaN", "Infinity", "1e999999", "1,2,3", "1" * 20])
def test_volume_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_volume(text)


@pytest.mark.parametrize(("text", "value"), [("1500000", 1_500_000), ("1.500.000", 1_500_000),
                                             ("1,500,000", 1_500_000), ("Rp 2.000", 2_000), ("1500000.0", 1_500_000)])
def test_money(text: str, value: int) -> None:
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["12,5", "-5", "1.5", "Rp", "１２", "9" * 17, "1e6"])
def test_money_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


@given(st.text(max_size=40))
def test_parsers_only_raise_value_error(text: str) -> None:
    for parse in (parse_volume, parse_money):
        with contextlib.suppress(ValueError):
            parse(text)
    parse_quarter(text)


def _book(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_typed_1_500_is_fifteen_hundred_and_a_number_cell_stays_itself() -> None:
    """'1.500 orang' typed is one thousand five hundred (the plan editor reads it so; it was stored
    as 1,5); a number cell of 1.125 in the sheet is still one and an eighth."""
    rows, findings = read_realisation(_book([
        ["1.03.10.2.01.0001", 1, "1.500", "", "", "", "", ""],
        ["1.03.10.2.01.0001", 2, 1.125, "", "", "", "", ""],
        ["1.03.10.2.01.0001", 3, 2500, "", "", "", "", ""],
    ]))
    assert not findings
    assert [r.volume for r in rows] == [Decimal(1500), Decimal("1.125"), Decimal(2500)]


def test_read_rows_and_findings_with_row_and_column() -> None:
    rows, findings = read_realisation(_book([
        ["1.03.10.2.01.0001", 1, "2,5", "1.000.000", "baik", "", "", ""],
        [None, None, None, None, None, None, None, None],  # an empty row is skipped
        ["", "IX", "x", "-1", "", "", "", "x" * 2001],
    ]))
    assert [(r.row, r.code, r.quarter, r.volume, r.spent) for r in rows] == [
        (2, "1.03.10.2.01.0001", 1, Decimal("2.5"), 1_000_000)]
    assert {(f.location.row, f.location.column, f.code) for f in findings} == {
        (4, "kode_sub_kegiatan", "realisation.required"), (4, "triwulan", "realisation.bad_quarter"),
        (4, "realisasi_kinerja", "realisation.bad_volume"), (4, "realisasi_keuangan", "realisation.bad_money"),
        (4, "alasan_koreksi", "realisation.note_too_long"),
    }


def test_missing_columns_and_unreadable_files() -> None:
    book = Workbook()
    book.active.append(["kode"])
    out = io.BytesIO()
    book.save(out)
    assert read_realisation(out.getvalue())[1][0].code == "realisation.missing_columns"
    assert read_realisation(b"bukan excel")[1][0].code.startswith("table.")
    assert read_realisation(_book([]))[1][0].code == "table.no_rows"


def test_an_unreadable_file_reads_in_bahasa_without_the_readers_error() -> None:
    """Not 'Berkas tidak dapat dibaca sebagai Excel (CalamineError).': the reader's class name is code."""
    from selaras.web.evaluation.messages import finding_text

    text = finding_text(read_realisation(b"%PDF-1.4 bukan excel")[1][0])
    assert text.startswith("Berkas tidak dapat dibaca: isinya bukan buku kerja Excel;") and "simpan ulang" in text
    assert "Error" not in text and "Calamine" not in text


def test_the_form_reads_back() -> None:
    data = write_form([["1.03.10.2.01.0001", 2, Decimal("3.5"), 700_000, "", "", "", "", "Jalan", "km", 10, 1]])
    rows, findings = read_realisation(data)
    assert not findings and rows[0].quarter == 2 and rows[0].volume == Decimal("3.5") and rows[0].spent == 700_000
