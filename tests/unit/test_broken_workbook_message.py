"""A broken zip or workbook is refused with one Bahasa Indonesia message that says what to do,
given by the upload limits (`upload_limits.BROKEN_WORKBOOK`) to every importer: proposals, plan
tables (Renstra, RPJMD, Renja, RKPD), realisation and higher-level targets.

Before: the limits passed the zip and XML libraries' English text ('File is not a zip file',
'XML: unclosed token: line 1, column 0') as the detail of "table.zip_invalid"; only the proposal
import reworded it; a CSV the reader could not decode said '(encoding)'."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from selaras.formats import alignment_targets, plan_tables, realisation_table
from selaras.formats import proposal_table as pt
from selaras.formats.upload_limits import BROKEN_WORKBOOK, WorkbookRefused, check_workbook
from selaras.web.errors.messages import TABLE_TEXTS
from selaras.web.evaluation.messages import finding_text
from selaras.web.planning.excel import problem_text
from selaras.web.proposals.messages import describe
from tests.unit.crafted_workbooks import cells_xml, sheet_xml, workbook

_ENGLISH = re.compile(r"cannot|detect|file format|not a zip|zip file|token|line \d|column \d|error|invalid|"
                      r"encoding|bad|crc|header|compression|DOCTYPE|XML", re.IGNORECASE)
_SHEET = "xl/worksheets/sheet1.xml"


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _method(data: bytes, method: int) -> bytes:
    """`data` with every member's compression method set to `method` (local and central headers)."""
    raw = bytearray(data)
    for signature, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = raw.find(signature)
        while start != -1:
            raw[start + at:start + at + 2] = method.to_bytes(2, "little")
            start = raw.find(signature, start + 4)
    return bytes(raw)


def _encrypted(data: bytes) -> bytes:
    """`data` with its first member marked encrypted (zipfile then raises RuntimeError, not BadZipFile)."""
    raw = bytearray(data)
    for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        raw[raw.find(signature) + at] |= 0x1
    return bytes(raw)


def _corrupt(data: bytes) -> bytes:
    """The sheet's deflated bytes damaged in the middle (its CRC or its inflation fails)."""
    raw = bytearray(data)
    middle = len(raw) // 3
    raw[middle:middle + 16] = b"\xff" * 16
    return bytes(raw)


_GOOD = workbook(sheet_xml(cells_xml([("A1", "Usulan"), ("A2", "Jalan " * 200)])))
BROKEN = {
    "truncated zip": _zip({_SHEET: "<worksheet/>"})[:40],
    "broken sheet xml": _zip({"[Content_Types].xml": "<Types", _SHEET: "<worksheet"}),
    "doctype": workbook(sheet_xml(cells_xml([("A1", "a")])).replace("<worksheet", "<!DOCTYPE x><worksheet", 1)),
    "cell address": workbook(sheet_xml('<row r="1"><c r="A1B"><v>1</v></c></row>')),
    "compression method": _method(_GOOD, 14),
    "damaged deflate": _corrupt(_GOOD),
    "encrypted member": _encrypted(_zip({_SHEET: "<worksheet/>"})),
    "ods repeat of 5000 digits": _zip({"content.xml": '<t:table xmlns:t="urn:t"><t:table-row t:number-rows-'
                                                      f'repeated="{"9" * 5000}"><t:table-cell t:value-type="s"/>'
                                                      '</t:table-row></t:table>'}),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_the_limits_say_one_bahasa_message_for_a_broken_workbook(case):
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(BROKEN[case])
    assert refused.value.reason == "table.zip_invalid"
    assert refused.value.params == {"detail": BROKEN_WORKBOOK}


def _said(text: str) -> None:
    assert BROKEN_WORKBOOK in text, text
    assert "unggah lagi" in text and "Excel atau LibreOffice" in text
    assert not _ENGLISH.search(text), text


@pytest.mark.parametrize("case", list(BROKEN))
def test_every_importer_says_it_the_same_way(case):
    data = BROKEN[case]
    with pytest.raises(pt.TableError) as refused:
        pt.read_table(data, "usulan.xlsx")
    _said(describe(refused.value.finding))
    layout = plan_tables.LAYOUTS["T-C.27"]([2025, 2026])
    problems = plan_tables.read_table(layout, data).problems
    assert [p.code for p in problems] == ["table.zip_invalid"]
    _said(problem_text(problems[0]))
    _, findings = realisation_table.read_realisation(data)
    assert [f.code for f in findings] == ["table.zip_invalid"]
    _said(finding_text(findings[0]))
    _, findings = alignment_targets.read_targets(data)
    assert [f.code for f in findings] == ["table.zip_invalid"]
    _said(TABLE_TEXTS["table.zip_invalid"].format(**findings[0].params))


def test_the_proposal_import_rewords_nothing_of_its_own():
    assert not hasattr(pt, "BROKEN_ZIP") and not hasattr(pt, "BROKEN_XML") and not hasattr(pt, "_refusal_params")


def test_a_csv_that_no_encoding_reads_is_said_in_bahasa():
    with pytest.raises(pt.TableError) as refused:
        pt.read_table(b"Usulan,Volume\n\x81\x8d\x8f\x90\x9d,1\n", "usulan.csv")
    text = describe(refused.value.finding)
    assert refused.value.finding.code == "table.unreadable"
    assert "encoding" not in text and "unggah lagi" in text


def test_the_broken_workbook_sentence_says_it_once() -> None:
    text = TABLE_TEXTS["table.zip_invalid"].format(detail=BROKEN_WORKBOOK)
    assert text.count("rusak") == 1 and "(" not in text, text
