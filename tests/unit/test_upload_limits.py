"""Workbook and CSV limits are checked before a file is read: the crafted XFD1048576 workbook,
zip bombs, sizes that lie, too many rows, columns or characters on a line (issue 13)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from selaras.formats import proposal_table as pt
from selaras.formats.alignment_targets import read_targets
from selaras.formats.upload_limits import ReadLimits, WorkbookRefused, check_workbook, column_number
from tests.unit.crafted_workbooks import (
    bomb_workbook,
    cells_xml,
    far_cell_workbook,
    sheet_xml,
    workbook,
)

SRC = Path(__file__).resolve().parents[2] / "src"
SMALL = ReadLimits(max_rows=10, max_columns=5, max_cells=40)


def _refused(data: bytes, filename: str = "usulan.xlsx", limits: ReadLimits = pt.DEFAULT_LIMITS) -> pt.Finding:
    with pytest.raises(pt.TableError) as caught:
        pt.read_table(data, filename, limits)
    return caught.value.finding


def test_crafted_file_is_small() -> None:
    assert 1000 < len(far_cell_workbook()) < 2048
    assert 1000 < len(far_cell_workbook(with_a1=True)) < 2048


@pytest.mark.parametrize("with_a1", [False, True])
def test_far_cell_refused_before_reading(with_a1: bool) -> None:
    finding = _refused(far_cell_workbook(with_a1))
    assert finding.code == "table.too_many_rows"
    assert finding.params == {"rows": 1_048_575, "limit": 200_000}


def test_far_column_refused() -> None:
    finding = _refused(workbook(sheet_xml(cells_xml([("A1", "a"), ("XFD1", "b")]))))
    assert finding.code == "table.too_many_columns" and finding.params["columns"] == 16_384


def test_alignment_reader_refuses_crafted_file() -> None:
    rows, findings = read_targets(far_cell_workbook(with_a1=True))
    assert rows == [] and [f.code for f in findings] == ["table.too_many_rows"]


_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB: the unchecked read asks for 512 GiB
sys.path[:0] = [{src!r}, {root!r}]
from selaras.formats import proposal_table as pt
from tests.unit.crafted_workbooks import far_cell_workbook
data = far_cell_workbook(with_a1=True)
start = time.perf_counter()
try:
    pt.read_table(data, "usulan.xlsx")
    code = None
except pt.TableError as exc:
    code = exc.finding.code
seconds = time.perf_counter() - start
# VmHWM: this program's peak (ru_maxrss would carry the parent's peak over the exec)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({{"code": code, "seconds": seconds, "peak_kb": peak}}))
"""


def test_crafted_file_refused_quickly_with_bounded_memory() -> None:
    """In a child process capped at 1 GiB: an abort there would not take the test run with it."""
    code = _CHILD.format(src=str(SRC), root=str(SRC.parent))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == "table.too_many_rows"
    assert result["seconds"] < 0.5
    assert result["peak_kb"] < 150 * 1024  # the interpreter and the imports; the read adds nothing


def test_zip_bomb_refused() -> None:
    data = bomb_workbook(40)
    assert len(data) < 100_000
    finding = _refused(data)
    assert finding.code == "table.zip_ratio" and finding.params["limit"] == 200


def test_total_uncompressed_size_refused() -> None:
    finding = _refused(bomb_workbook(3), limits=ReadLimits(max_uncompressed=2 * 1024 * 1024, max_ratio=10_000))
    assert finding.code == "table.zip_too_large"


def test_member_whose_size_lies_is_refused() -> None:
    """A member declaring fewer bytes than it inflates to (patched in both headers)."""
    sheet = sheet_xml(cells_xml([("A1", "Usulan"), ("A2", "x" * 5000)]))
    data = bytearray(workbook(sheet))
    real = len(sheet.encode())
    fake = (100).to_bytes(4, "little")
    name = b"xl/worksheets/sheet1.xml"
    local = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode()).header_offset
    data[local + 22:local + 26] = fake  # local file header: uncompressed size
    central = bytes(data).index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:  # central directory entry of the sheet
        central = bytes(data).index(b"PK\x01\x02", central + 1)
    assert int.from_bytes(data[central + 24:central + 28], "little") == real
    data[central + 24:central + 28] = fake
    finding = _refused(bytes(data))
    assert finding.code == "table.zip_invalid"


def test_doctype_refused() -> None:
    sheet = sheet_xml(cells_xml([("A1", "a")])).replace("<worksheet", '<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1)
    assert _refused(workbook(sheet)).code == "table.zip_invalid"


def test_cells_without_reference_are_counted() -> None:
    body = "<row>" + "<c><v>1</v></c>" * 6 + "</row>"
    with pytest.raises(WorkbookRefused) as caught:
        check_workbook(workbook(sheet_xml(body)), SMALL)
    assert caught.value.reason == "table.too_many_columns"


def test_rows_limit_counts_data_rows() -> None:
    ok = workbook(sheet_xml(cells_xml([(f"A{n}", "x") for n in range(1, 12)])))  # header + 10 rows
    assert len(pt.read_table(ok, "u.xlsx", SMALL).rows) == 10
    too_many = workbook(sheet_xml(cells_xml([(f"A{n}", "x") for n in range(1, 13)])))
    finding = _refused(too_many, limits=SMALL)
    assert finding.code == "table.too_many_rows" and finding.params == {"rows": 11, "limit": 10}


def test_cells_limit() -> None:
    finding = _refused(workbook(sheet_xml(cells_xml([("A1", "x"), ("E9", "y")]))), limits=SMALL)
    assert finding.code == "table.too_many_cells" and finding.params["cells"] == 45


def test_xlsb_refused() -> None:
    data = workbook(sheet_xml(cells_xml([("A1", "x")])), {"xl/worksheets/sheet2.bin": b"\0"})
    assert _refused(data).code == "table.format_binary"


def test_openpyxl_workbook_still_reads() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Usulan", "Volume"])
    sheet.append(["Jalan", 12])
    out = io.BytesIO()
    book.save(out)
    table = pt.read_table(out.getvalue(), "u.xlsx")
    assert table.headers == ["Usulan", "Volume"] and table.rows == [["Jalan", 12.0]]


def test_ods_repeated_rows_with_content_refused_and_trailing_empty_rows_accepted() -> None:
    def ods(rows: str) -> bytes:
        content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
                   f'<office:spreadsheet><table:table table:name="U">{rows}</table:table>'
                   '</office:spreadsheet></office:body></office:document-content>')
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", content)
        return out.getvalue()

    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    empty = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    assert check_workbook(ods(f"<table:table-row>{cell}</table:table-row>{empty}")) == "ods"
    with pytest.raises(WorkbookRefused) as caught:
        check_workbook(ods(f"<table:table-row>{cell}</table:table-row>{empty}<table:table-row>{cell}</table:table-row>"))
    assert caught.value.reason == "table.too_many_rows"


def test_csv_rows_limit() -> None:
    text = "Usulan\n" + "jalan\n" * 11
    finding = _refused(text.encode(), "u.csv", SMALL)
    assert finding.code == "table.too_many_rows" and finding.params["limit"] == 10
    assert len(pt.read_table(("Usulan\n" + "jalan\n" * 10).encode(), "u.csv", SMALL).rows) == 10


def test_csv_line_and_columns_limit() -> None:
    long_line = "Usulan\n" + "x" * 200_001 + "\n"
    assert _refused(long_line.encode(), "u.csv").code == "table.line_too_long"
    wide = ",".join(["a"] * 6) + "\n"
    assert _refused(wide.encode(), "u.csv", SMALL).code == "table.too_many_columns"


def test_column_number() -> None:
    assert (column_number("A"), column_number("Z"), column_number("AA"), column_number("XFD")) == (1, 26, 27, 16384)
