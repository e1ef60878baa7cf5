"""T-C.14 names an indicator's unit once: the annex has no "Satuan" column, so each baseline and
target prints with its unit after it ("12 ruas", as T-C.27, T-C.33 and the RKPD table do since
f2bad43), and the indicator no longer repeats it in brackets ("Panjang jalan (ruas)" then "12 ruas"
in every cell of the same row). An indicator with no value at all keeps its unit after its name,
the only place left for it. Read back from a real PDF (pdftotext) and a real Excel file."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from selaras.formats.documents.model import Quantity
from selaras.formats.documents.pdf import write_pdf
from selaras.formats.documents.xlsx import write_xlsx
from selaras.formats.plan_tables import rpjmd_tc14
from selaras.web.documents.builders.rpjmd import build_tc14
from selaras.web.plans.models import Indicator, IndicatorTarget, LocalGovernment, MediumTermPlan
from tests.integration.documents.helpers import number_row, pdf_text, workbook

DAY = dt.date(2025, 3, 1)
UNIT = "ruas"
NAME = "Panjang jalan kabupaten mantap"


@pytest.fixture
def setting(demo_district) -> tuple[LocalGovernment, MediumTermPlan, Indicator]:  # noqa: ANN001
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    rpjmd = MediumTermPlan.objects.filter(government=government).order_by("-start_year").first()
    assert rpjmd is not None
    indicator = (Indicator.objects.filter(objective__goal__mission__rpjmd=rpjmd).order_by("id").first())
    assert indicator is not None
    return government, rpjmd, indicator


def _words(document) -> list[str]:  # noqa: ANN001
    return pdf_text(write_pdf(document)).split()


def _column(rpjmd: MediumTermPlan, key: str) -> int:
    return [c.key for c in rpjmd_tc14(rpjmd.years).official_columns].index(key)


def test_tc14_prints_the_unit_after_each_value_and_not_after_the_indicator(setting) -> None:  # noqa: ANN001
    government, rpjmd, indicator = setting
    assert UNIT not in " ".join(_words(build_tc14(government, rpjmd.start_year, day=DAY)))  # the word is ours
    Indicator.objects.filter(pk=indicator.pk).update(name=NAME, unit=UNIT, baseline=Decimal(12),
                                                     end_value=Decimal(40))
    IndicatorTarget.objects.filter(indicator=indicator).delete()
    yearly = {year: Decimal(15 + 5 * i) for i, year in enumerate(rpjmd.years)}
    IndicatorTarget.objects.bulk_create(IndicatorTarget(indicator=indicator, year=year, value=value)
                                        for year, value in yearly.items())
    document = build_tc14(government, rpjmd.start_year, day=DAY)

    row = next(r for r in document.tables()[0].rows if str(r.values[_column(rpjmd, "indicator")]).startswith(NAME))
    assert row.values[_column(rpjmd, "indicator")] == NAME  # no "(ruas)" after it
    assert row.values[_column(rpjmd, "baseline")] == Quantity(Decimal(12), UNIT)
    assert row.values[_column(rpjmd, "end_target")] == Quantity(Decimal(40), UNIT)
    for year, value in yearly.items():
        assert row.values[_column(rpjmd, f"target_{year}")] == Quantity(value, UNIT)

    words = _words(document)
    text = " ".join(words)
    assert f"({UNIT})" not in text  # not after the indicator
    numbers = ["12", "40", *(str(v) for v in yearly.values())]
    for number in numbers:  # after each value, once
        assert re.search(rf"(?<![\d.,]){number} {UNIT}(?! {UNIT})", text), number
    assert words.count(UNIT) == len(numbers), (words.count(UNIT), len(numbers))  # and nowhere else

    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    name_column, baseline_column = _column(rpjmd, "indicator") + 1, _column(rpjmd, "baseline") + 1
    found = [r for r in range(number_row(sheet) + 1, sheet.max_row + 1)
             if str(sheet.cell(r, name_column).value or "").startswith(NAME)]
    assert len(found) == 1 and sheet.cell(found[0], name_column).value == NAME
    assert sheet.cell(found[0], baseline_column).number_format.endswith(f' "{UNIT}"')


def test_tc14_indicator_without_any_value_keeps_its_unit_after_its_name(setting) -> None:  # noqa: ANN001
    government, rpjmd, indicator = setting
    Indicator.objects.filter(pk=indicator.pk).update(name=NAME, unit=UNIT, baseline=None, end_value=None)
    IndicatorTarget.objects.filter(indicator=indicator).delete()
    document = build_tc14(government, rpjmd.start_year, day=DAY)

    cells = [r.values[_column(rpjmd, "indicator")] for r in document.tables()[0].rows]
    assert f"{NAME} ({UNIT})" in cells and NAME not in cells
    words = _words(document)
    assert words.count(f"({UNIT})") == 1 and UNIT not in words
