"""T-C.27, T-C.33, the RKPD table and T-C.14 from the demo district; two versions of a Renstra
print documents that differ exactly where the versions differ."""

from __future__ import annotations

import datetime as dt

import pytest

from selaras.formats.documents.model import Format, RowKind
from selaras.formats.documents.numbers import format_value
from selaras.formats.documents.pdf import write_pdf
from selaras.formats.documents.xlsx import write_xlsx
from selaras.formats.plan_tables import renstra_tc27
from selaras.web.documents.builders import plans
from selaras.web.documents.builders.rpjmd import build_tc14
from selaras.web.planning.documents import of as plan_document
from selaras.web.planning.versions import store_version
from selaras.web.plans.models import AgencyAnnualPlan, LocalGovernment, Renstra, RenstraLineYear
from tests.integration.documents.helpers import find_row, number_row, pdf_text, workbook

DAY = dt.date(2025, 3, 1)


@pytest.fixture
def government(demo_district) -> LocalGovernment:  # noqa: ANN001
    return LocalGovernment.objects.get(pk=demo_district.government_id)


def _renstra(government: LocalGovernment) -> Renstra:
    return Renstra.objects.filter(agency__government=government, lines__level="sub_activity").distinct() \
        .order_by("agency__code").first()


def _total(document) -> int:  # noqa: ANN001
    row = [r for r in document.tables()[0].rows if r.kind is RowKind.TOTAL][0]
    return row.values


def test_tc27_has_its_numbered_columns_and_the_sum_of_the_sub_activities(government) -> None:  # noqa: ANN001
    renstra = _renstra(government)
    document = plans.build_tc27(government, renstra.start_year, renstra.agency, day=DAY)
    leaves = document.tables()[0].leaves()
    layout = renstra_tc27(list(range(renstra.start_year, renstra.end_year + 1)))
    assert len(leaves) == len(layout.official_columns) == 20  # goal and objective both, as H-PLANS laid it out
    end_budget = layout.number("end_budget")
    expected = sum(RenstraLineYear.objects.filter(line__renstra=renstra, line__level="sub_activity")
                   .values_list("budget", flat=True))
    total = _total(document)
    assert total[-3] == expected  # end-of-period Rp: every year's sub-activities
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    numbers = number_row(sheet)
    assert sheet.cell(numbers, 20).value == "(20)"
    assert sheet.cell(numbers - 2, 7).value.startswith("Target Kinerja Program dan Kerangka Pendanaan Tahun 1")
    assert f"G{numbers - 2}:H{numbers - 2}" in {str(r) for r in sheet.merged_cells.ranges}
    assert find_row(sheet, "JUMLAH")[end_budget - 1] == expected
    text = pdf_text(write_pdf(document))
    assert "T-C.27" in text and format_value(expected, Format.MONEY) in text
    assert f"Kepala {renstra.agency.name}"[:30] in " ".join(text.split())
    assert "Halaman 1 dari" in text


def test_two_versions_print_exactly_their_difference(government) -> None:  # noqa: ANN001
    renstra = _renstra(government)
    doc = plan_document(renstra)
    first = store_version(None, doc, "awal")
    cell = RenstraLineYear.objects.filter(line__renstra=renstra, line__level="sub_activity").order_by("id").first()
    RenstraLineYear.objects.filter(pk=cell.pk).update(budget=cell.budget + 7_000_000)
    second = store_version(None, doc, "perbaikan")
    before = plans.build_tc27(government, renstra.start_year, renstra.agency, first.number, day=DAY)
    after = plans.build_tc27(government, renstra.start_year, renstra.agency, second.number, day=DAY)
    rows_before, rows_after = before.tables()[0].rows, after.tables()[0].rows
    assert len(rows_before) == len(rows_after)
    changed = [(a, b) for a, b in zip(rows_before, rows_after, strict=True) if a != b]
    assert len(changed) == 2  # the line itself and the total
    line_before, line_after = changed[0]
    column = renstra_column = [i for i, (x, y) in enumerate(zip(line_before.values, line_after.values, strict=True))
                               if x != y]
    assert line_after.values[1:5] == line_before.values[1:5]
    assert len(column) == 2  # the year's Rp and the end-of-period Rp
    assert all(line_after.values[i] - line_before.values[i] == 7_000_000 for i in renstra_column)
    assert _total(after)[-3] - _total(before)[-3] == 7_000_000
    assert "Versi 1" in before.subtitle and "Versi 2" in after.subtitle
    text_before, text_after = pdf_text(write_pdf(before)), pdf_text(write_pdf(after))
    assert format_value(_total(after)[-3], Format.MONEY) in text_after
    assert format_value(_total(after)[-3], Format.MONEY) not in text_before


def test_renja_rkpd_and_rpjmd_tables(government) -> None:  # noqa: ANN001
    renja = AgencyAnnualPlan.objects.filter(rkpd__government=government, lines__isnull=False).distinct() \
        .select_related("rkpd", "agency").first()
    document = plans.build_tc33(government, renja.rkpd.year, renja.agency, day=DAY)
    budget = sum(renja.lines.values_list("budget", flat=True))
    forward = sum(renja.lines.values_list("forward_estimate", flat=True))
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    assert sheet.cell(number_row(sheet), 10).value == "(10)"
    total = find_row(sheet, "JUMLAH")
    assert total[5] == budget and total[9] == forward
    levels = {r.level for r in document.tables()[0].rows if r.kind is RowKind.ITEM}
    assert levels == {0, 1, 2}
    assert format_value(budget, Format.MONEY) in pdf_text(write_pdf(document))

    rkpd = plans.build_rkpd(government, renja.rkpd.year, day=DAY)
    all_budget = sum(AgencyAnnualPlan.objects.filter(rkpd=renja.rkpd).values_list("lines__budget", flat=True)
                     .exclude(lines__budget=None))
    assert _total(rkpd)[6] == all_budget

    tc14 = build_tc14(government, renja.rkpd.year, day=DAY)
    assert len(tc14.tables()[0].leaves()) == 17
    sheet = workbook(write_xlsx(tc14).getvalue()).worksheets[0]
    assert sheet.cell(number_row(sheet), 17).value == "(17)"
    text = pdf_text(write_pdf(tc14))
    assert "T-C.14" in text and "Kepala Bappeda" in text
