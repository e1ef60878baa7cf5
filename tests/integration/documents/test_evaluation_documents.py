"""E.81, E.79, E.80 and E.78 printed from the evaluation rows of the demo district (realisation 2025)."""

from __future__ import annotations

import datetime as dt

import pytest

from selaras.formats.documents.model import Format, RowKind
from selaras.formats.documents.numbers import format_value
from selaras.formats.documents.pdf import write_pdf
from selaras.formats.documents.xlsx import write_xlsx
from selaras.web.documents.builders import evaluation as builders
from selaras.web.evaluation import selectors
from selaras.web.plans.models import Agency, LocalGovernment
from tests.integration.documents.helpers import find_row, label_fits, number_row, pdf_text, workbook

DAY = dt.date(2026, 1, 20)
YEAR = 2025


@pytest.fixture
def government(demo_district) -> LocalGovernment:  # noqa: ANN001
    return LocalGovernment.objects.get(pk=demo_district.government_id)


def _agency_with_realisation(government: LocalGovernment) -> Agency:
    for item in selectors.e81_all(government, YEAR):
        if item.total is not None and item.total.rp_year:
            return item.agency
    raise AssertionError("no agency with realisation in the demo")


def test_e81_numbers_its_17_columns_and_prints_the_years_money(government) -> None:  # noqa: ANN001
    agency = _agency_with_realisation(government)
    computed = selectors.e81_for_agency(government, YEAR, agency.pk)
    document = builders.build_e81(government, YEAR, agency, day=DAY)
    table = document.tables()[0]
    assert [n for n, _, _ in table.numbering()] == list(range(1, 18))
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    numbers = number_row(sheet)
    assert sheet.cell(numbers, 5).value == "(5)" and sheet.cell(numbers, 7).value == "(6)"
    assert f"E{numbers}:F{numbers}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(numbers - 2, 5).value == "K" and sheet.cell(numbers - 2, 6).value == "Rp"  # down to the numbers
    total = find_row(sheet, "JUMLAH")
    assert total[23] == computed.total.rp_year  # column 12 Rp: the year's money
    assert total[9] == computed.total.rp_year_target
    text = pdf_text(write_pdf(document))
    assert "E.81" in text and format_value(computed.total.rp_year, Format.MONEY) in text
    assert "NIP." in text and "Halaman 1 dari" in text


def test_e79_e80_e78(government) -> None:  # noqa: ANN001
    e79 = builders.build_e79(government, YEAR, day=DAY)
    rows, total = selectors.e79(government, YEAR)
    printed = [r for r in e79.tables()[0].rows if r.kind is RowKind.TOTAL][0]
    assert printed.values[23] == total.rp_year
    assert find_row(workbook(write_xlsx(e79).getvalue()).worksheets[0], "JUMLAH")[23] == total.rp_year

    agency = _agency_with_realisation(government)
    e80 = builders.build_e80(government, YEAR, agency, day=DAY)
    book = workbook(write_xlsx(e80).getvalue())
    assert book.worksheets[0].title == "E.80"
    budget = find_row(book.worksheets[0], "JUMLAH")
    assert budget[-4] > 0  # pagu of the whole period
    assert format_value(budget[-4], Format.MONEY) in pdf_text(write_pdf(e80))
    assert label_fits(write_pdf(e80), "JUMLAH")
    at = next(i for i, row in enumerate(book.worksheets[0].iter_rows(values_only=True), 1) if row and row[0] == "JUMLAH")
    assert any(m.min_row == at and m.min_col == 1 and m.max_col == 2 for m in book.worksheets[0].merged_cells.ranges)

    e78 = builders.build_e78(government, YEAR, day=DAY)
    sheet = workbook(write_xlsx(e78).getvalue()).worksheets[0]
    assert find_row(sheet, "JUMLAH")[1].endswith("rata-rata capaian akhir periode")  # no Kode column
    assert "Kepala Bappeda" in pdf_text(write_pdf(e78))
    assert label_fits(write_pdf(e78), "JUMLAH")  # not run into the text next to it
