"""A value in its indicator's unit (`Quantity`): one rule for print, "8 unit", "14,5 %", used by the
PDF (its HTML) and by Excel (the cell keeps the number, its number format shows the unit)."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from selaras.formats.documents.html import render_html
from selaras.formats.documents.model import Column, Document, Format, Quantity, Row, Table, quantity
from selaras.formats.documents.numbers import format_value, number_texts, with_unit
from selaras.formats.documents.xlsx import unit_format, write_xlsx

LONG = "per 100.000 kelahiran hidup"


def test_a_quantity_prints_its_unit_after_the_value() -> None:
    assert format_value(Quantity(Decimal(8), "unit"), Format.VOLUME) == "8 unit"
    assert format_value(Quantity(Decimal("14.5"), "%"), Format.VOLUME) == "14,5 %"
    assert format_value(Quantity(Decimal("1234.5"), "km"), Format.VOLUME, all_places=True) == "1.234,50 km"
    assert format_value(Quantity("0,6 – 1,8", "%"), Format.VOLUME) == "0,6 – 1,8 %"
    assert with_unit("", "%") == "" and with_unit("8", "") == "8"


def test_quantity_keeps_empty_cells_empty_and_bare_values_without_a_unit() -> None:
    assert quantity(None, "unit") is None
    assert quantity("", "%") == ""
    assert quantity(Decimal(5), "") == Decimal(5)
    assert quantity(Decimal(5), "  ") == Decimal(5)
    assert quantity(Decimal(5), " km ") == Quantity(Decimal(5), "km")
    assert quantity(Quantity(Decimal(5), "km"), "m") == Quantity(Decimal(5), "km")


def _document(rows: list[Row], *, columns: int = 1) -> Document:
    cols = (Column("Kode", format=Format.CODE), Column("Program", width=30),
            *(Column(f"Target {n}", format=Format.VOLUME) for n in range(columns)), Column("Rp", format=Format.MONEY))
    return Document(title="T", government_name="Pemerintah Kabupaten Contoh", period="2026",
                    blocks=(Table(cols, rows),))


def test_excel_keeps_the_number_and_shows_the_unit_in_its_number_format() -> None:
    rows = [Row(("1.01", "A", Quantity(Decimal(8), "unit"), 1_000)),
            Row(("1.02", "B", Quantity(Decimal("14.5"), "%"), 2_000)),
            Row(("1.03", "C", Quantity("0,6 – 1,8", "%"), 3_000)),
            Row(("1.04", "D", Quantity(Decimal(3), 'm"2'), None)),
            Row(("1.05", "E", Decimal(7), None))]
    sheet = load_workbook(BytesIO(write_xlsx(_document(rows)).getvalue())).worksheets[0]
    cells = {sheet.cell(r, 1).value: sheet.cell(r, 3) for r in range(1, sheet.max_row + 1)}
    assert cells["1.01"].value == 8 and cells["1.01"].number_format == '#,##0.00 "unit"'
    assert cells["1.02"].value == 14.5 and cells["1.02"].number_format == '#,##0.00 "%"'  # quoted: no ×100
    assert cells["1.03"].value == "0,6 – 1,8 %"
    assert cells["1.04"].number_format == unit_format(Format.VOLUME, "m2")  # a quote cannot break the format
    assert cells["1.05"].value == 7 and cells["1.05"].number_format == "#,##0.00"  # no unit, none shown


def test_pdf_html_prints_a_short_unit_on_the_line_of_its_number() -> None:
    html = render_html(_document([Row(("1.01", "A", Quantity(Decimal(8), "unit"), 1_000))]))
    assert re.search(r'<td class="r">8 unit</td>', html)


def test_a_long_unit_goes_under_its_number_only_when_the_table_has_no_room() -> None:
    roomy = render_html(_document([Row(("1.01", "A", Quantity(Decimal("85.6"), LONG), 1_000))]))
    assert f'<td class="r">85,6 {LONG}</td>' in roomy
    crowded = _document([Row(("1.01", "A", *(Quantity(Decimal("85.6"), LONG) for _ in range(12)), 1_000))],
                        columns=12)
    html = render_html(crowded)
    assert f'<td class="r u"><span>85,6</span> {LONG}</td>' in html  # the number whole, the unit may wrap
    # sized to the number and the unit's words (each must fit on a line), not the whole text
    texts = number_texts(crowded.tables()[0], wrapping=True)[2]
    assert texts == ["85,6", "per", "100.000", "kelahiran", "hidup"]
