"""The plan tables (T-C.27, T-C.14, T-C.33, RKPD) have no "Satuan" column in the annex: every
target and baseline prints with its indicator's unit after it ("8 unit", "14,5 %"), read back from
a real PDF (pdftotext) and a real Excel file (openpyxl). E.78 and E.80 have a "Satuan" column:
it is filled from the indicator's unit (tests/integration/documents/test_document_cells.py). E.81
and E.79 (26 columns, no room for a unit in each K cell) name the unit once per row, after the
indicator, and say so in their note."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from selaras.formats.documents.model import Quantity
from selaras.formats.documents.pdf import write_pdf
from selaras.formats.documents.xlsx import write_xlsx
from selaras.formats.plan_tables import renja_programme_table, renstra_tc27, rpjmd_tc14
from selaras.web.documents.builders import evaluation as evaluation_builders
from selaras.web.documents.builders import plans
from selaras.web.documents.builders.rpjmd import build_tc14
from selaras.web.evaluation import selectors
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    MediumTermPlan,
    RenjaLine,
    Renstra,
    RenstraLine,
    RenstraLineYear,
)
from tests.integration.documents.helpers import number_row, pdf_text, workbook

DAY = dt.date(2025, 3, 1)


@pytest.fixture
def government(demo_district) -> LocalGovernment:  # noqa: ANN001
    return LocalGovernment.objects.get(pk=demo_district.government_id)


def _printed(text: str, value: str) -> bool:
    """Whether `value` ("8 unit") stands in the PDF's text as a whole (not the end of "18 unit")."""
    return re.search(rf"(?<![\d.,]){re.escape(value)}(?![\w])", text) is not None


def _sheet_rows(document) -> tuple[object, dict[str, int]]:  # noqa: ANN001
    """The first sheet and the row of each code in its "Kode" column (the first column)."""
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    rows: dict[str, int] = {}
    for row in range(number_row(sheet) + 1, sheet.max_row + 1):
        value = sheet.cell(row, 1).value
        if isinstance(value, str):
            rows.setdefault(value, row)
    return sheet, rows


def _shows(cell, number: Decimal | float, unit: str) -> None:  # noqa: ANN001
    """An Excel cell keeps the number and shows its unit after it (its number format)."""
    assert cell.value == number, (cell.coordinate, cell.value)
    assert cell.number_format.endswith(f' "{unit}"'), (cell.coordinate, cell.number_format)


def test_tc33_prints_each_target_with_its_unit_in_pdf_and_excel(government) -> None:  # noqa: ANN001
    renja = (AgencyAnnualPlan.objects.filter(rkpd__government=government, lines__isnull=False).distinct()
             .order_by("agency__code").first())
    first, second, third = RenjaLine.objects.filter(renja=renja).order_by("code", "id")[:3]
    RenjaLine.objects.filter(pk=first.pk).update(unit="unit", target=Decimal(8), target_min=None, target_max=None,
                                                 forward_target=Decimal(9), forward_target_min=None,
                                                 forward_target_max=None)
    RenjaLine.objects.filter(pk=second.pk).update(unit="%", target=Decimal("14.5"), target_min=None, target_max=None)
    RenjaLine.objects.filter(pk=third.pk).update(unit="%", target=None, target_min=Decimal("0.6"),
                                                 target_max=Decimal("1.8"))
    document = plans.build_tc33(government, renja.rkpd.year, renja.agency, day=DAY)

    text = pdf_text(write_pdf(document))
    for shown in ("8 unit", "9 unit", "14,5 %", "0,6 – 1,8 %"):
        assert _printed(text, shown), shown

    layout = renja_programme_table(renja.rkpd.year)
    target, forward = layout.number("target"), layout.number("forward_target")
    sheet, rows = _sheet_rows(document)
    _shows(sheet.cell(rows[first.code], target), 8, "unit")
    _shows(sheet.cell(rows[first.code], forward), 9, "unit")
    _shows(sheet.cell(rows[second.code], target), 14.5, "%")
    assert sheet.cell(rows[third.code], target).value == "0,6 – 1,8 %"  # a range: its printed text
    assert sheet.cell(rows[first.code], layout.number("budget")).number_format == "#,##0"  # money: no unit


def test_tc27_prints_baseline_and_targets_with_their_unit(government) -> None:  # noqa: ANN001
    renstra = (Renstra.objects.filter(agency__government=government, lines__level="sub_activity").distinct()
               .order_by("agency__code").first())
    line = RenstraLine.objects.filter(renstra=renstra, level="sub_activity").order_by("code", "id").first()
    year = renstra.start_year
    RenstraLine.objects.filter(pk=line.pk).update(unit="km", baseline=Decimal("3.25"), end_target=Decimal("41.5"))
    RenstraLineYear.objects.filter(line=line, year=year).update(target=Decimal(17), target_min=None, target_max=None)
    document = plans.build_tc27(government, year, renstra.agency, day=DAY)

    text = pdf_text(write_pdf(document))
    for shown in ("3,25 km", "17 km", "41,5 km"):
        assert _printed(text, shown), shown

    layout = renstra_tc27(list(range(renstra.start_year, renstra.end_year + 1)))
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    code_column = layout.number("code")
    row = next(r for r in range(number_row(sheet) + 1, sheet.max_row + 1)
               if sheet.cell(r, code_column).value == line.code)
    _shows(sheet.cell(row, layout.number("baseline")), 3.25, "km")
    _shows(sheet.cell(row, layout.number(f"target_{year}")), 17, "km")
    _shows(sheet.cell(row, layout.number("end_target")), 41.5, "km")


def test_tc14_prints_indicator_targets_with_their_unit_even_a_long_one(government) -> None:  # noqa: ANN001
    rpjmd = MediumTermPlan.objects.filter(government=government).order_by("-start_year").first()
    target = (IndicatorTarget.objects.filter(indicator__objective__goal__mission__rpjmd=rpjmd, value__isnull=False,
                                             target_min__isnull=True, target_max__isnull=True)
              .select_related("indicator").order_by("indicator_id", "year").first())
    Indicator.objects.filter(pk=target.indicator_id).update(unit="per 100.000 kelahiran hidup")
    IndicatorTarget.objects.filter(pk=target.pk).update(value=Decimal("183.5"))
    document = build_tc14(government, rpjmd.start_year, day=DAY)
    column = [c.key for c in rpjmd_tc14(rpjmd.years).official_columns].index(f"target_{target.year}")
    cells = [r.values[column] for r in document.tables()[0].rows]
    assert Quantity(Decimal("183.5"), "per 100.000 kelahiran hidup") in cells

    words = " ".join(pdf_text(write_pdf(document)).split())
    # a unit of several words may go under its number: the number stays whole, the unit's words follow
    assert re.search(r"(?<![\d.,])183,5(?![\d,])", words)
    assert "kelahiran hidup" in words or "kelahiran" in words

    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    found = [c for row in sheet.iter_rows(min_row=number_row(sheet) + 1, min_col=column + 1, max_col=column + 1)
             for c in row if c.value == Decimal("183.5") or c.value == 183.5]
    assert found and found[0].number_format.endswith(' "per 100.000 kelahiran hidup"')


def test_rkpd_cells_carry_the_unit_of_their_line(government) -> None:  # noqa: ANN001
    renja = (AgencyAnnualPlan.objects.filter(rkpd__government=government, lines__isnull=False).distinct()
             .order_by("agency__code").first())
    line = RenjaLine.objects.filter(renja=renja).order_by("code", "id").first()
    RenjaLine.objects.filter(pk=line.pk).update(unit="dokumen", target=Decimal(4), target_min=None, target_max=None)
    document = plans.build_rkpd(government, renja.rkpd.year, day=DAY)
    cells = {value for row in document.tables()[0].rows for value in row.values}
    assert Quantity(Decimal(4), "dokumen") in cells


def test_e81_names_each_row_s_unit_after_its_indicator_and_says_so(government) -> None:  # noqa: ANN001
    year = 2025
    agency = next(a.agency for a in selectors.e81_all(government, year) if a.total is not None and a.total.rp_year)
    line = next(r for r in selectors.e81_for_agency(government, year, agency.pk).rows if r.indicator and r.unit)
    indicator = f"{line.indicator} ({line.unit})"
    for document in (evaluation_builders.build_e81(government, year, agency, day=DAY),
                     evaluation_builders.build_e79(government, year, day=DAY)):
        sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        words = " ".join(pdf_text(write_pdf(document)).split())
        assert any("dalam satuan indikator" in c for c in cells), document.code  # the note
        assert "dalam satuan indikator" in words, document.code
        if document.code == "E.81":
            assert indicator in cells
            assert f"({line.unit})" in words
