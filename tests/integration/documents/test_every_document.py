"""Every document kind of the catalogue, from the demo district: the Excel file read back (its
column numbers and the total row as the document computed it), the PDF text (pdftotext) with the
government's name, the totals, the signature block (position and NIP line) and the page numbers.
The totals of the RKPD table and T-C.14 are checked against sums taken straight from the database;
two versions of a Renja (T-C.33) and of the RPJMD (T-C.14) print documents differing exactly
where the versions differ."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Sum

from selaras.domain.proposals import Outcome, Stage
from selaras.formats.documents.model import Document, Format, Quantity, RowKind, header_grid
from selaras.formats.documents.numbers import format_value
from selaras.formats.documents.pdf import write_pdf
from selaras.formats.documents.xlsx import write_xlsx
from selaras.formats.plan_tables import rpjmd_tc14
from selaras.web.documents.builders import plans
from selaras.web.documents.builders.rpjmd import build_tc14
from selaras.web.documents.catalogue import KINDS, ScopeKind
from selaras.web.documents.models import Signatory
from selaras.web.evaluation import selectors
from selaras.web.planning.documents import of as plan_document
from selaras.web.planning.versions import store_version
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    IndicatorTarget,
    LocalGovernment,
    MediumTermPlan,
    RenjaLine,
    Renstra,
    RenstraLineYear,
)
from selaras.web.proposals.models import Decision
from tests.integration.documents.helpers import find_row, number_row, pdf_text, workbook

DAY = dt.date(2026, 1, 20)
EVALUATION_YEAR = 2025


def _flat(text: str) -> str:
    return " ".join(text.split())


def _agency(government: LocalGovernment) -> Agency:
    """An agency with a Renstra, a Renja and realisation in the evaluated year."""
    with_renstra = set(Renstra.objects.filter(agency__government=government).values_list("agency_id", flat=True))
    for item in selectors.e81_all(government, EVALUATION_YEAR):
        if item.agency.pk in with_renstra and item.total is not None and item.total.rp_year:
            return item.agency
    raise AssertionError("no agency with a Renstra and realisation in the demo")


def _district(government: LocalGovernment) -> tuple[str, int]:
    counts: dict[tuple[str, int], int] = {}
    for code, year in Decision.objects.filter(
            proposal__government=government, stage=Stage.DISTRICT.value,
            outcome=Outcome.FORWARDED.value).values_list("proposal__district_code", "proposal__year"):
        counts[(code, year)] = counts.get((code, year), 0) + 1
    return max(counts, key=lambda k: counts[k])


def _total_row(document: Document) -> tuple[Any, ...]:
    for table in document.tables():
        for row in table.rows:
            if row.kind is RowKind.TOTAL:
                return row.values
    raise AssertionError(f"{document.code}: no total row")


def _money_leaves(document: Document) -> list[int]:
    return [i for i, leaf in enumerate(document.tables()[0].leaves()) if leaf.format is Format.MONEY]


@pytest.fixture
def setting(demo_district) -> dict[str, Any]:  # noqa: ANN001
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    agency = _agency(government)
    district_code, proposal_year = _district(government)
    renja_year = AgencyAnnualPlan.objects.filter(agency=agency).order_by("-rkpd__year").values_list(
        "rkpd__year", flat=True).first()
    renstra = Renstra.objects.filter(agency=agency).order_by("-start_year").first()
    # a named signatory for the agency: its name and NIP must reach every agency document
    Signatory.objects.create(government=government, agency=agency, position=f"Kepala {agency.name}",
                             name="Dr. Rina Kartika, M.Si.", nip="197801022005012003")
    return {"government": government, "agency": agency, "district": district_code,
            "years": {ScopeKind.DISTRICT: proposal_year, "tc27": renstra.start_year, "tc33": renja_year,
                      "rkpd": renja_year, "tc14": renja_year, "ba_forum_pd": proposal_year}}


def _year(setting: dict[str, Any], key: str) -> int:
    kind = KINDS[key]
    years = setting["years"]
    return int(years.get(key) or years.get(kind.scope) or EVALUATION_YEAR)


def _scope(setting: dict[str, Any], key: str) -> Any:
    scope = KINDS[key].scope
    return {ScopeKind.DISTRICT: setting["district"], ScopeKind.AGENCY: setting["agency"],
            ScopeKind.GOVERNMENT: None}[scope]


def test_every_kind_reads_back_and_prints_totals_and_signature(setting) -> None:  # noqa: ANN001
    government: LocalGovernment = setting["government"]
    seen: set[str] = set()
    assert set(KINDS) >= {"td4", "ba_musrenbang_kecamatan", "ba_forum_pd", "tc27", "tc33", "rkpd", "tc14",
                          "e81", "e80", "e79", "e78"}
    for key, kind in KINDS.items():
        document = kind.build(government, _year(setting, key), _scope(setting, key), None, DAY)
        total = _total_row(document)
        money = [i for i in _money_leaves(document) if isinstance(total[i], int)]

        # Excel: the first sheet has its column numbers and the same total row as the document
        sheet = workbook(write_xlsx(document).getvalue()).worksheets[0]
        printed = find_row(sheet, "JUMLAH")
        for i in money:
            assert printed[i] == total[i], (key, i)
        # the header: every leaf column's title above the row of column numbers, under its merged parent
        table = document.tables()[0]
        numbers = number_row(sheet)
        cells, depth = header_grid(table.columns)
        for cell in cells:
            assert sheet.cell(numbers - depth + cell.row, cell.column + 1).value == cell.title, (key, cell)
        assert sheet.cell(numbers, 1).value == "(1)", key

        # PDF: government, title code, totals, signature block, page numbers
        text = pdf_text(write_pdf(document))
        flat = _flat(text)
        assert document.government_name.upper() in flat, key
        assert "JUMLAH" in text, key
        for i in money:
            assert format_value(total[i], Format.MONEY) in text, (key, i, total[i])
        signature = document.signatures[0]
        assert _flat(signature.position)[:40] in flat, key
        assert "NIP." in text and "Halaman 1 dari" in text, key
        # the block's lines are broken (<br>): the NIP starts a line of its own
        assert any(line.strip().startswith("NIP.") for line in text.splitlines()), key
        if kind.scope is ScopeKind.AGENCY:
            assert "Dr. Rina Kartika, M.Si." in text and "NIP. 197801022005012003" in text, key
        seen.add(key)
    assert seen == set(KINDS)


def test_rkpd_and_tc14_totals_are_the_database_sums(setting) -> None:  # noqa: ANN001
    government: LocalGovernment = setting["government"]
    year = setting["years"]["rkpd"]
    rkpd = plans.build_rkpd(government, year, day=DAY)
    lines = RenjaLine.objects.filter(renja__rkpd__government=government, renja__rkpd__year=year)
    sums = lines.aggregate(budget=Sum("budget"), forward=Sum("forward_estimate"))
    total = _total_row(rkpd)
    money = _money_leaves(rkpd)
    # (the test above shows the document's total row is what the Excel file and the PDF print)
    assert [total[i] for i in money] == [sums["budget"], sums["forward"]]

    tc14 = build_tc14(government, year, day=DAY)
    rpjmd = MediumTermPlan.objects.filter(government=government, start_year__lte=year,
                                          end_year__gte=year).order_by("-start_year").first()
    assert rpjmd is not None
    by_year = dict(RenstraLineYear.objects.filter(
        line__renstra__rpjmd=rpjmd, line__level="program", line__objective__rpjmd_objective__isnull=False,
        year__in=rpjmd.years).values_list("year").annotate(total=Sum("budget")))
    expected = [int(by_year.get(y) or 0) for y in rpjmd.years] + [sum(int(v) for v in by_year.values())]
    total = _total_row(tc14)
    money = _money_leaves(tc14)
    assert [total[i] for i in money] == expected
    assert expected[-1] > 0


def test_two_renja_versions_print_exactly_their_difference(setting) -> None:  # noqa: ANN001
    government: LocalGovernment = setting["government"]
    agency: Agency = setting["agency"]
    year = setting["years"]["tc33"]
    renja = AgencyAnnualPlan.objects.get(rkpd__government=government, rkpd__year=year, agency=agency)
    doc = plan_document(renja)
    first = store_version(None, doc, "rancangan")
    line = RenjaLine.objects.filter(renja=renja).order_by("code", "id").first()
    assert line is not None
    RenjaLine.objects.filter(pk=line.pk).update(budget=line.budget + 12_500_000)
    second = store_version(None, doc, "rancangan akhir")
    before = plans.build_tc33(government, year, agency, first.number, day=DAY)
    after = plans.build_tc33(government, year, agency, second.number, day=DAY)
    rows_before, rows_after = before.tables()[0].rows, after.tables()[0].rows
    assert len(rows_before) == len(rows_after)
    changed = [(a, b) for a, b in zip(rows_before, rows_after, strict=True) if a != b]
    # the line, its activity and its programme (money summed upwards), and the total
    assert len(changed) == 4
    for old, new in changed:
        differing = [i for i, (x, y) in enumerate(zip(old.values, new.values, strict=True)) if x != y]
        assert len(differing) == 1
        assert new.values[differing[0]] - old.values[differing[0]] == 12_500_000
    assert changed[-1][1].kind is RowKind.TOTAL
    assert "Versi 1" in before.subtitle and "Versi 2" in after.subtitle
    new_total = format_value(_total_row(after)[_money_leaves(after)[0]], Format.MONEY)
    assert new_total in pdf_text(write_pdf(after)) and new_total not in pdf_text(write_pdf(before))
    sheets = [find_row(workbook(write_xlsx(d).getvalue()).worksheets[0], "JUMLAH") for d in (before, after)]
    column = _money_leaves(after)[0]
    assert sheets[1][column] - sheets[0][column] == 12_500_000


def test_two_rpjmd_versions_print_tc14_differing_in_the_changed_target(setting) -> None:  # noqa: ANN001
    government: LocalGovernment = setting["government"]
    year = setting["years"]["tc14"]
    rpjmd = MediumTermPlan.objects.filter(government=government, start_year__lte=year,
                                          end_year__gte=year).order_by("-start_year").first()
    assert rpjmd is not None
    doc = plan_document(rpjmd)
    first = store_version(None, doc, "rancangan awal")
    target = (IndicatorTarget.objects.filter(indicator__objective__goal__mission__rpjmd=rpjmd, value__isnull=False,
                                             target_min__isnull=True, target_max__isnull=True)
              .select_related("indicator").order_by("indicator_id", "year").first())
    assert target is not None
    IndicatorTarget.objects.filter(pk=target.pk).update(value=target.value + 7)
    second = store_version(None, doc, "rancangan akhir")
    before = build_tc14(government, year, first.number, day=DAY)
    after = build_tc14(government, year, second.number, day=DAY)
    current = build_tc14(government, year, day=DAY)
    assert after.tables()[0].rows == current.tables()[0].rows  # the latest version is the current state
    rows_before, rows_after = before.tables()[0].rows, after.tables()[0].rows
    assert len(rows_before) == len(rows_after)
    changed = [(a, b) for a, b in zip(rows_before, rows_after, strict=True) if a != b]
    assert len(changed) == 1  # the indicator's row; the money (the Renstra programmes) is untouched
    old, new = changed[0]
    differing = [i for i, (x, y) in enumerate(zip(old.values, new.values, strict=True)) if x != y]
    columns = rpjmd_tc14(rpjmd.years).official_columns
    assert len(differing) == 1 and columns[differing[0]].key == f"target_{target.year}"
    changed_old, changed_new = old.values[differing[0]], new.values[differing[0]]
    assert isinstance(changed_new, Quantity) and changed_new.unit == target.indicator.unit  # "8 unit", "14,5 %"
    assert isinstance(changed_old, Quantity) and changed_new.value - changed_old.value == 7
    assert target.indicator.name in str(new.values)
    assert "Versi 1" in before.subtitle and "Versi 2" in after.subtitle
