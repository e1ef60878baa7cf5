"""A TableError carries its finding's code and params; its text comes from the one catalogue."""

from __future__ import annotations

import pytest

from selaras.domain.findings import Finding, Location, Severity
from selaras.formats import proposal_table as pt
from selaras.formats.upload_limits import LIMIT_CODES
from selaras.web.errors.messages import TABLE_TEXTS, error_text
from selaras.web.errors.status import status_of
from selaras.web.proposals.messages import MESSAGES, describe


def test_an_unreadable_file_reads_as_a_sentence_not_its_code() -> None:
    with pytest.raises(pt.TableError) as bad:
        pt.read_table(b"this is not a workbook", "usulan.xlsx")
    error = bad.value
    assert error.code == "invalid_table" and error.params["finding"] == "table.unreadable"
    text = error_text(error)
    assert text.startswith("Berkas tidak dapat dibaca: isinya bukan buku kerja Excel; simpan ulang")
    assert "table.unreadable" not in text
    assert text == describe(error.finding)  # the page and the import's list say the same
    assert status_of(error) == 400


def test_an_empty_file_and_an_unknown_finding() -> None:
    with pytest.raises(pt.TableError) as empty:
        pt.read_table(b"", "usulan.csv")
    assert error_text(empty.value) == "Berkas kosong: tidak ada baris judul maupun data."
    odd = pt.TableError(Finding("table.something_new", Severity.ERROR, Location(), {}))
    assert error_text(odd) == "Berkas tidak dapat dibaca sebagai tabel usulan."


def test_every_file_level_code_has_one_text() -> None:
    file_codes = {code for code in pt.FINDING_CODES if code.startswith("table.")} | set(LIMIT_CODES)
    assert file_codes <= set(TABLE_TEXTS)
    assert all(MESSAGES[code] is TABLE_TEXTS[code] for code in TABLE_TEXTS)
