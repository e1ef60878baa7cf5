"""A file that is not a workbook is refused by the proposal import in Bahasa Indonesia, with what
to do, never with the reader library's English ('Cannot detect file format', 'File is not a zip
file', expat's 'unclosed token'); a number cell beyond what a Decimal can quote is a row finding,
not a crash of the whole import."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from selaras.formats import proposal_table as pt
from selaras.web.errors.messages import error_text
from selaras.web.proposals.messages import describe
from tests.unit.test_proposal_table import _row, _validate

_ENGLISH = re.compile(r"cannot|detect|file format|not a zip|zip file|token|line \d|column \d|error|invalid",
                      re.IGNORECASE)


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


_SHEET = "xl/worksheets/sheet1.xml"
NOT_WORKBOOKS = {
    "text renamed .xlsx": (b"Usulan,Volume\nJalan,1\n", "usulan.xlsx", "table.unreadable"),
    "pdf renamed .xlsx": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "usulan.xlsx", "table.unreadable"),
    "zip that is not xlsx": (_zip({"catatan.txt": "halo"}), "usulan.xlsx", "table.unreadable"),
    "empty zip": (_zip({}), "usulan.xlsx", "table.unreadable"),
    "xlsx without a workbook part": (_zip({_SHEET: "<worksheet/>"}), "usulan.xlsx", "table.unreadable"),
    "legacy .xls header only": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 512, "usulan.xls", "table.unreadable"),
    "ods without content": (_zip({"content.xml": "<x/>"}), "usulan.ods", "table.unreadable"),
    "truncated zip": (_zip({_SHEET: "<worksheet/>"})[:40], "usulan.xlsx", "table.zip_invalid"),
    "broken sheet xml": (_zip({"[Content_Types].xml": "<Types", _SHEET: "<worksheet"}), "usulan.xlsx",
                         "table.zip_invalid"),
    "csv with an endless quoted field": (('Usulan,Volume\n"' + ("x" * 1000 + "\n") * 200).encode(), "usulan.csv",
                                         "table.unreadable"),
}


@pytest.mark.parametrize("case", list(NOT_WORKBOOKS))
def test_a_file_that_is_not_a_table_is_refused_in_bahasa(case):
    data, filename, code = NOT_WORKBOOKS[case]
    with pytest.raises(pt.TableError) as refused:
        pt.read_table(data, filename)
    finding = refused.value.finding
    assert finding.code == code
    text = describe(finding)
    assert text == error_text(refused.value)  # the upload page and the import's list say the same
    assert not _ENGLISH.search(text), text
    assert "unggah lagi" in text  # says what to do


@pytest.mark.parametrize(("data", "filename"), [(b"", "usulan.xlsx"), (b"", "usulan.ods"), (b"  \n\n", "usulan.xlsx"),
                                                (b"", "usulan.csv")])
def test_an_empty_file_is_said_to_be_empty(data, filename):
    with pytest.raises(pt.TableError) as refused:
        pt.read_table(data, filename)
    assert refused.value.finding.code == "table.empty"
    assert describe(refused.value.finding) == "Berkas kosong: tidak ada baris judul maupun data."


@pytest.mark.parametrize(("column", "code", "said"), [
    ("Volume", "row.number_too_large", "angka terlalu besar (1e99999999)"),
    ("Perkiraan Biaya (Rp)", "row.number_too_large", "angka terlalu besar (1e99999999)"),
    ("Peringkat Prioritas", "row.rank_invalid", "1 sampai 1.000.000 (1e99999999)"),
    ("Lintang", "row.coordinate_invalid", "koordinat 1e99999999 di luar wilayah"),
])
def test_a_number_cell_beyond_decimal_is_a_row_finding_not_a_crash(column, code, said):
    # the domain's own check says it (proposal_entry.shown quotes it), no guard of the import's
    report = _validate(_row(**{column: "1e99999999", "Bujur": "107,1"}), _row())
    assert [(f.code, f.location.row, f.location.column) for f in report.findings] == [(code, 2, column)]
    assert len(report.valid) == 1 and list(report.rejected_rows) == [2]
    assert said in describe(report.findings[0])
