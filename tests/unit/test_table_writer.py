"""The fast table writers: what is written reads back the same, texts never become formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from selaras.formats.table_writer import column_letter, write_csv, write_xlsx

HEADERS = ["Nomor", "Judul", "Biaya", "Dibuat", "Volume"]


def _read(data: bytes) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_values_read_back_with_their_types() -> None:
    created = dt.datetime(2026, 12, 4, 21, 30)
    rows = [["3216-2027-MD-000001", "Jalan <RT 03> & gang", 1_500_000_000, created, Decimal("2.5")],
            ["3216-2027-MD-000002", None, 0, None, 7]]
    out = io.BytesIO()
    assert write_xlsx(out, "Usulan", HEADERS, rows, [20, 40, 16, 18, 8], money_columns=[2]) == 2
    back = _read(out.getvalue())
    assert back[0] == tuple(HEADERS)
    assert back[1][:3] == ("3216-2027-MD-000001", "Jalan <RT 03> & gang", 1_500_000_000)
    assert back[1][3] == created and back[1][4] == 2.5
    assert back[2] == ("3216-2027-MD-000002", None, 0, None, 7)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet.freeze_panes == "A2" and sheet["C2"].number_format == "#,##0"


def test_formula_like_texts_stay_text() -> None:
    texts = ["=1+1", "+62 812", "-5 hari", "@SUM(A1)", "\tx", "=HYPERLINK(\"http://x\")"]
    out = io.BytesIO()
    write_xlsx(out, "S", ["A"], [[t] for t in texts])
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    for index, text in enumerate(texts, start=2):
        cell = sheet.cell(row=index, column=1)
        assert cell.value == text and cell.data_type == "s"
    buffer = io.StringIO()
    write_csv(buffer, ["A"], [[t] for t in texts])
    read = [r[0] for r in csv.reader(io.StringIO(buffer.getvalue()))][1:]
    assert read == ["'" + t for t in texts]


def test_control_characters_are_dropped_not_fatal() -> None:
    out = io.BytesIO()
    write_xlsx(out, "Lembar:[1]/?*", ["A"], [["a\x00b\x1fc\x0bd"]])
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert book.active["A2"].value == "abcd"


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


@given(st.lists(st.tuples(st.text(max_size=30), st.integers(min_value=-(2**53), max_value=2**53)), max_size=20))
def test_any_text_and_integer_round_trip(rows: list[tuple[str, int]]) -> None:
    out = io.BytesIO()
    write_xlsx(out, "S", ["T", "N"], rows)
    back = _read(out.getvalue())[1:]
    legal = str.maketrans({c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)})
    for (text, number), row in zip(rows, back, strict=True):
        clean = text.translate(legal)
        assert (row[0] or "") == clean.replace("\r\n", "\n").replace("\r", "\n") or (row[0] or "") == clean
        assert row[1] == number
