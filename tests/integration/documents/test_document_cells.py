"""Cells of the official tables a reviewer found wrong, read back from the files: the forward year's
(n+1) target, the location and the funding source of T-C.33 and the RKPD table from the snapshot;
every T-C.27 cell (goal, objective, location, responsible unit) from the issued version;
E.81 amounts within their column in the PDF; E.78 and E.80 indicators by their Indonesian name and
with their unit, never by their internal key."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest

from selaras.formats.documents.model import Format, RowKind
from selaras.formats.documents.numbers import format_value
from selaras.formats.documents.pdf import write_pdf
from selaras.formats.documents.xlsx import write_xlsx
from selaras.formats.plan_tables import renja_programme_table, renstra_tc27, rkpd_programme_table
from selaras.web.documents.builders import evaluation as evaluation_builders
from selaras.web.documents.builders import plans
from selaras.web.evaluation import selectors
from selaras.web.planning.documents import of as plan_document
from selaras.web.planning.versions import store_version
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    Indicator,
    LocalGovernment,
    RenjaLine,
    Renstra,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
)
from tests.integration.documents.helpers import find_row, number_row, pdf_text, workbook

DAY = dt.date(2026, 1, 20)
EVALUATION_YEAR = 2025


@pytest.fixture
def government(demo_district) -> LocalGovernment:  # noqa: ANN001
    return LocalGovernment.objects.get(pk=demo_district.government_id)


def _line(government: LocalGovernment) -> RenjaLine:
    renja = AgencyAnnualPlan.objects.filter(rkpd__government=government, lines__isnull=False).distinct() \
        .select_related("rkpd", "agency").order_by("agency__code").first()
    line = RenjaLine.objects.filter(renja=renja).order_by("code", "id").first()
    assert line is not None
    return line


def _sheet_rows(document) -> list[list]:  # noqa: ANN001
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _rows_of(rows: list[list], code: str) -> list[list]:
    return [row for row in rows if row and row[0] == code]


def test_tc33_prints_the_snapshot_and_the_forward_year_target(government) -> None:  # noqa: ANN001
    line = _line(government)
    renja, year = line.renja, line.renja.rkpd.year
    RenjaLine.objects.filter(pk=line.pk).update(
        target=Decimal("12.5"), target_min=None, target_max=None, forward_target=Decimal("14.75"),
        forward_target_min=None, forward_target_max=None, location="Desa Sukamaju", funding_source="DAU")
    issued = store_version(None, plan_document(renja), "penetapan")
    # after the version was issued, the plan moves on
    RenjaLine.objects.filter(pk=line.pk).update(forward_target=Decimal("16"), location="Desa Sukaraja",
                                                funding_source="DAK Fisik")
    layout = renja_programme_table(year)
    column = {key: layout.number(key) - 1 for key in ("location", "target", "funding_source", "forward_target")}

    printed = plans.build_tc33(government, year, renja.agency, issued.number, day=DAY)
    [row] = _rows_of(_sheet_rows(printed), line.code)
    assert row[column["target"]] == 12.5
    assert row[column["forward_target"]] == 14.75  # the year n+1, not the year's 12.5 again
    assert row[column["location"]] == "Desa Sukamaju" and row[column["funding_source"]] == "DAU"
    text = " ".join(pdf_text(write_pdf(printed)).split())
    assert "Desa Sukamaju" in text and "Sukaraja" not in text and "DAK Fisik" not in text
    assert "14,75" in text

    current = plans.build_tc33(government, year, renja.agency, day=DAY)
    [row] = _rows_of(_sheet_rows(current), line.code)
    assert (row[column["location"]], row[column["funding_source"]], row[column["forward_target"]]) == (
        "Desa Sukaraja", "DAK Fisik", 16)


def test_rkpd_table_fills_the_forward_year_target(government) -> None:  # noqa: ANN001
    line = _line(government)
    year = line.renja.rkpd.year
    RenjaLine.objects.filter(pk=line.pk).update(
        target=Decimal("3"), target_min=None, target_max=None, forward_target=Decimal("4.25"),
        forward_target_min=None, forward_target_max=None, location="Kecamatan Cikarang", funding_source="PAD")
    layout = rkpd_programme_table(year)
    number = {key: layout.number(key) - 1 for key in ("agency", "location", "target", "funding_source",
                                                      "forward_target")}
    document = plans.build_rkpd(government, year, day=DAY)
    agency = line.renja.agency.short_name or line.renja.agency.code
    [row] = [r for r in _rows_of(_sheet_rows(document), line.code) if r[number["agency"]] == agency]
    assert row[number["target"]] == 3 and row[number["forward_target"]] == 4.25
    assert row[number["location"]] == "Kecamatan Cikarang" and row[number["funding_source"]] == "PAD"
    forward_cells = [r[number["forward_target"]] for r in _sheet_rows(document)[:-1]
                     if r and r[number["forward_target"]] not in (None, "")]
    assert forward_cells  # the (n+1) column has values, not one empty column
    assert "4,25" in pdf_text(write_pdf(document))


def test_tc27_prints_the_issued_version_not_the_lines_edited_since(government) -> None:  # noqa: ANN001
    renstra = Renstra.objects.filter(agency__government=government, lines__objective__isnull=False).distinct() \
        .order_by("agency__code").first()
    line = RenstraLine.objects.filter(renstra=renstra).select_related("objective__goal").order_by("code", "id").first()
    objective = line.objective
    assert objective is not None  # the first row prints its goal and objective
    years = list(range(renstra.start_year, renstra.end_year + 1))
    RenstraLine.objects.filter(pk=line.pk).update(location="Desa Sukamaju", responsible_unit="Bidang PAUD Terpadu")
    RenstraLineYear.objects.filter(line=line, year=years[0]).update(budget=123_456_789_000)
    issued = store_version(None, plan_document(renstra), "penetapan")
    # after the version was issued, the plan moves on: the line, its objective and its goal are edited
    RenstraLine.objects.filter(pk=line.pk).update(location="Desa Sukaraja", responsible_unit="UPTD Wilayah Timur")
    RenstraLineYear.objects.filter(line=line, year=years[0]).update(budget=987_654_321_000)
    RenstraObjective.objects.filter(pk=objective.pk).update(text="Sasaran yang dirumuskan ulang kemudian")
    RenstraGoal.objects.filter(pk=objective.goal_id).update(text="Tujuan yang dirumuskan ulang kemudian")
    layout = renstra_tc27(years)
    column = {key: layout.number(key) - 1 for key in ("goal", "objective", "code", "location", "responsible_unit",
                                                      f"budget_{years[0]}")}

    def row_of(document) -> list:  # noqa: ANN001
        [row] = [r for r in _sheet_rows(document) if len(r) > column["code"] and r[column["code"]] == line.code]
        return row

    printed = plans.build_tc27(government, renstra.start_year, renstra.agency, issued.number, day=DAY)
    row = row_of(printed)
    assert (row[column["goal"]], row[column["objective"]]) == (objective.goal.text, objective.text)
    assert (row[column["location"]], row[column["responsible_unit"]]) == ("Desa Sukamaju", "Bidang PAUD Terpadu")
    assert row[column[f"budget_{years[0]}"]] == 123_456_789_000
    words = set(pdf_text(write_pdf(printed)).split())  # narrow columns: a cell's words on several lines
    assert {"Sukamaju", "Terpadu", "123.456.789.000"} <= words
    assert not words & {"Sukaraja", "UPTD", "dirumuskan", "987.654.321.000"}
    # only the plan's lines are rows: its goals, objectives and indicators are in their own cells
    codes = {r[column["code"]] for r in _sheet_rows(printed)[:-1] if len(r) > column["code"]}
    assert objective.number not in codes and objective.goal.number not in codes

    row = row_of(plans.build_tc27(government, renstra.start_year, renstra.agency, day=DAY))
    assert (row[column["location"]], row[column["responsible_unit"]], row[column["objective"]]) == (
        "Desa Sukaraja", "UPTD Wilayah Timur", "Sasaran yang dirumuskan ulang kemudian")


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def _words(pdf: bytes) -> list[tuple[float, float, str]]:
    """(xMin, xMax, text) of every word of the PDF (pdftotext -bbox)."""
    done = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    return [(float(x0), float(x1), text) for x0, _, x1, text in _WORD.findall(done.stdout.decode("utf-8"))]


def test_e81_amounts_stay_within_their_column(government) -> None:  # noqa: ANN001
    agency = next(a.agency for a in selectors.e81_all(government, EVALUATION_YEAR)
                  if a.total is not None and a.total.rp_year)
    document = evaluation_builders.build_e81(government, EVALUATION_YEAR, agency, day=DAY)
    table = document.tables()[0]
    renstra_rp = 5  # column (5) Rp, the Renstra money at the end of the period: the largest amounts
    amounts = {format_value(r.values[renstra_rp], Format.MONEY) for r in table.rows
               if r.kind is not RowKind.GROUP and r.values[renstra_rp]}
    longest = max(amounts, key=len)
    assert len(longest) >= len("1.000.000.000.000")  # a trillion: the demo has amounts this long
    words = _words(write_pdf(document))
    # (5) Rp is the first money column: an amount's leftmost place is in it. Right-aligned amounts
    # that fit their cell all end at its right edge; one spilling out ends further right.
    ends = {}
    for amount in amounts:
        found = [(x0, x1) for x0, x1, text in words if text == amount]
        assert found, f"{amount} is not printed whole"
        ends[amount] = min(found)[1]
    assert max(ends.values()) - min(ends.values()) < 1.0, ends


def _column_width(sheet, column: int) -> float:  # noqa: ANN001
    """A column's width as written (a <col> element may cover several columns)."""
    found = [d.width for d in sheet.column_dimensions.values() if d.min and d.max and d.min <= column <= d.max]
    assert found, f"column {column} has no width"
    return found[0]


#: How long a number is on screen in each of the workbook's number formats.
_SHOWN = {"#,##0": "{:,.0f}", "#,##0.00": "{:,.2f}", "0.00": "{:.2f}"}


def test_e81_excel_columns_fit_their_amounts_and_the_total_label(government) -> None:  # noqa: ANN001
    agency = next(a.agency for a in selectors.e81_all(government, EVALUATION_YEAR)
                  if a.total is not None and a.total.rp_year)
    document = evaluation_builders.build_e81(government, EVALUATION_YEAR, agency, day=DAY)
    sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
    numbers = number_row(sheet)
    longest: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=numbers + 1):
        for cell in row:
            if isinstance(cell.value, int | float | Decimal) and cell.number_format in _SHOWN:
                shown = _SHOWN[cell.number_format].format(cell.value)
                longest[cell.column] = max(longest.get(cell.column, 0), len(shown))
    assert max(longest.values()) >= len("1,000,000,000,000")  # the demo has amounts of a trillion rupiah
    narrow = {column: (_column_width(sheet, column), length) for column, length in longest.items()
              if _column_width(sheet, column) < length + 1}
    assert not narrow, narrow  # (width, longest value): Excel would show #####

    label = next(cell for cell in sheet["A"] if cell.value == "JUMLAH")
    [merged] = [r for r in sheet.merged_cells.ranges if (r.min_row, r.min_col) == (label.row, 1)]
    assert merged.max_row == label.row
    assert merged.max_col == 4  # No, Sasaran, Program and Indikator: the label cannot wrap
    assert sum(_column_width(sheet, c) for c in range(1, 5)) > 2 * len("JUMLAH")
    total = find_row(sheet, "JUMLAH")
    assert total[5] == document.tables()[0].rows[-1].values[5]  # the amounts stay in their columns


def _indicator_texts(document) -> str:  # noqa: ANN001
    rows = _sheet_rows(document)
    return "\n".join(str(cell) for row in rows for cell in row if cell is not None)


def test_e78_and_e80_name_indicators_in_indonesian_with_their_unit(government) -> None:  # noqa: ANN001
    rpjmd_indicator = Indicator.objects.filter(rpjmd__government=government, key="maternal_mortality").first()
    assert rpjmd_indicator is not None
    same_key_unit = Indicator.objects.filter(objective__goal__mission__rpjmd=rpjmd_indicator.rpjmd,
                                             key=rpjmd_indicator.key).exclude(unit="").first().unit
    Indicator.objects.filter(pk=rpjmd_indicator.pk).update(unit="")  # a key indicator left without a unit
    keys = set(Indicator.objects.exclude(key="").values_list("key", flat=True))

    e78 = evaluation_builders.build_e78(government, EVALUATION_YEAR, day=DAY)
    sheet_text = _indicator_texts(e78)
    assert not {k for k in keys if re.search(rf"(?m)^{re.escape(k)}$", sheet_text)}
    rows = _sheet_rows(e78)
    header = next(row for row in rows if row and row[0] == "No")
    assert "Kode" not in header
    name, unit = header.index("Indikator kinerja"), header.index("Satuan")
    first = next(row for row in rows if row and row[name] == rpjmd_indicator.name)  # the key indicator comes first
    assert first[unit] == same_key_unit
    text = pdf_text(write_pdf(e78))
    assert "maternal_mortality" not in text and "poverty_rate" not in text
    assert rpjmd_indicator.name in text

    agency_indicator = Indicator.objects.filter(renstra_objective__goal__renstra__agency__government=government) \
        .exclude(key="").select_related("renstra_objective__goal__renstra__agency").order_by("id").first()
    agency = agency_indicator.renstra_objective.goal.renstra.agency
    expected_unit = agency_indicator.unit
    Indicator.objects.filter(pk=agency_indicator.pk).update(unit="")
    e80 = evaluation_builders.build_e80(government, EVALUATION_YEAR, agency, day=DAY)
    book = workbook(write_xlsx(e80).getvalue())
    rows = [list(r) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if row and "Indikator sasaran" in row)
    name, unit = header.index("Indikator sasaran"), header.index("Satuan")
    [row] = [r for r in rows if len(r) > name and r[name] == agency_indicator.name]
    assert row[unit] == expected_unit
    assert agency_indicator.key not in {str(c) for r in rows for c in r if c is not None}
    assert agency_indicator.key not in pdf_text(write_pdf(e80))
