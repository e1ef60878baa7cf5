"""Every Excel writer stores formula-like texts as text, never as formulas; numbers stay numbers."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from selaras.domain.findings import Finding, Location, Severity
from selaras.formats import proposal_table as pt
from selaras.formats import proposal_workbooks as pw
from selaras.formats.alignment_report import FindingLine, ReportSheets, write_report
from selaras.formats.xlsx_util import (
    append_row,
    is_formula_like,
    stream_workbook,
    workbook_bytes,
    write_rows_sheet,
)

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@x", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


def _cells(data: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_safe(data: bytes, expected: list[str], numbers: tuple[float, ...] = ()) -> None:
    cells = _cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula was written"
    texts = {c.value for c in cells if c.data_type == "s"}
    for text in expected:
        # XML reads a carriage return back as a line feed (end-of-line handling): still text
        assert text.replace("\r", "\n") in texts, f"{text!r} not read back as text"
    for number in numbers:
        assert any(c.data_type == "n" and c.value == number for c in cells), f"{number} not a number"


@pytest.mark.parametrize("value", [*HOSTILE, -5, 0, "a=b", "", None])
def test_formula_like(value: Any) -> None:
    assert is_formula_like(value) == (isinstance(value, str) and value[:1] in "=+-@\t\r" and value != "")


def test_streamed_sheet() -> None:
    rows = [[text, -5, 2.5] for text in HOSTILE]
    out = stream_workbook("Usulan", ["=Judul", "Angka", "Desimal"], rows, [10, 10, 10])
    _assert_safe(out.getvalue(), [*HOSTILE, "=Judul"], (-5, 2.5))


def test_normal_sheet_helpers() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    append_row(sheet, ["Judul", "Angka"])
    for text in HOSTILE:
        append_row(sheet, [text, -7])
    write_rows_sheet(book, "Daftar", ["Kode", "Nama"], [("1", text) for text in HOSTILE], [8, 20])
    _assert_safe(workbook_bytes(book), HOSTILE, (-7,))


def test_rejects_workbook() -> None:
    headers = [c.header for c in pt.columns_for("musrenbang_village")]
    table = pt.Table(headers=[*headers[:-1], "=1+1"], rows=[])
    report = pt.ValidationReport()
    for number, text in enumerate(HOSTILE, start=2):
        report.rejected_rows[number] = [text, -3, *([None] * (len(headers) - 2))]
        report.findings.append(Finding("row.required", Severity.ERROR, Location(row=number, column="X"), {}))
    out = pw.write_rejects(table, report, lambda f: "-masalah")
    _assert_safe(out.getvalue(), [*HOSTILE, "-masalah", "=1+1"], (-3,))


def test_template() -> None:
    ref = pw.TemplateReference(
        government_name="=1+1", districts=[("32.16.01", "+SUM(A1)")],
        villages=[("32.16.01.2001", "-2+3", "desa", "32.16.01")], agencies=[("1.03", "@x")],
        sub_activities=[("1.03.10.2.01.0001", "\t=1")])
    data = pw.write_template("musrenbang_village", ref)
    _assert_safe(data, ["Pemerintah daerah: =1+1", "+SUM(A1)", "-2+3", "@x", "\t=1"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["Usulan"].data_validations.dataValidation  # the template's own rules are kept


def test_alignment_report() -> None:
    sheets = ReportSheets(
        government_name="=1+1", year=2026,
        findings=[FindingLine(code="x", severity="galat", title=text, agency="-2+3", document="@x", line="\r=1",
                              location_code="+1", year=2026, message=text, params={"v": -1}) for text in HOSTILE],
        rules=[("x", "=1+1", "galat", -4)], agencies=[("-", "+SUM(A1)", 1, 0, 1)],
        coverage=[("=cakupan", 1, 2, -50.0)])
    _assert_safe(write_report(sheets), [*HOSTILE, "=cakupan", "+SUM(A1)", "+1"], (-4, 2026, -50.0))
