"""A file that is not a workbook reads the same in every importer: one 'table.unreadable' text of
the error catalogue, its detail `upload_limits.NOT_A_WORKBOOK`, whose remedy (`RESAVE`) is the
broken workbook's too; and only the reader's own errors are 'unreadable': a bug of the importer
stays a bug.

Before: the targets import, the realisation import and the proposal import each wrote their own
sentence (the realisation's sent people to the page's form, the proposals' said 'atau CSV' for an
.xlsx), the remedy stood twice in formats; the targets and proposal readers caught every
Exception, so a TypeError of their own was said to the user as 'the file cannot be read'; so did the
realisation and plan-table readers, whose texts were a fourth and fifth copy."""

from __future__ import annotations

import pytest

from selaras.formats import alignment_targets, realisation_table
from selaras.formats import proposal_table as pt
from selaras.formats.upload_limits import BROKEN_WORKBOOK, NOT_A_WORKBOOK, RESAVE
from selaras.web.alignment.services import import_message
from selaras.web.errors.messages import TABLE_TEXTS
from selaras.web.evaluation.messages import finding_text
from selaras.web.proposals.messages import describe
from tests.unit.crafted_workbooks import cells_xml, sheet_xml, workbook

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"
SAID = ("Berkas tidak dapat dibaca: isinya bukan buku kerja Excel; simpan ulang dari Excel atau LibreOffice "
        "sebagai .xlsx, lalu unggah lagi.")


def test_one_remedy_ends_both_details():
    assert NOT_A_WORKBOOK.endswith(RESAVE) and BROKEN_WORKBOOK.endswith(RESAVE)
    assert TABLE_TEXTS["table.unreadable"].format(detail=NOT_A_WORKBOOK) == SAID


def test_every_importer_says_a_file_that_is_not_a_workbook_the_same_way():
    with pytest.raises(pt.TableError) as refused:
        pt.read_table(PDF, "usulan.xlsx")
    _, targets = alignment_targets.read_targets(PDF)
    _, realisation = realisation_table.read_realisation(PDF)
    assert [f.code for f in (refused.value.finding, *targets, *realisation)] == ["table.unreadable"] * 3
    assert describe(refused.value.finding) == SAID
    assert import_message(targets[0]) == SAID
    assert finding_text(realisation[0]) == SAID  # the reader's class name is never said


def test_the_plan_table_import_says_it_the_same_way():
    from selaras.formats.plan_tables import read_table, renstra_tc27
    from selaras.web.planning.excel import problem_text

    problems = read_table(renstra_tc27([2025, 2026, 2027, 2028, 2029]), PDF).problems
    assert [p.code for p in problems] == ["table.unreadable"] and problem_text(problems[0]) == SAID


def _bug(*args, **kwargs):
    raise TypeError("a bug of the reader, not of the file")


def test_a_bug_in_the_targets_reader_is_not_said_as_an_unreadable_file(monkeypatch):
    monkeypatch.setattr(alignment_targets, "_read_rows", _bug)
    with pytest.raises(TypeError, match="a bug of the reader"):
        alignment_targets.read_targets(PDF)


@pytest.mark.parametrize("reader", ["realisation", "plan"])
def test_a_bug_in_the_realisation_or_plan_reader_is_not_said_as_an_unreadable_file(monkeypatch, reader):
    from selaras.formats import plan_tables

    if reader == "realisation":
        monkeypatch.setattr(realisation_table, "_read_rows", _bug)
        with pytest.raises(TypeError, match="a bug of the reader"):
            realisation_table.read_realisation(PDF)
    else:
        monkeypatch.setattr(plan_tables, "_grid", _bug)
        with pytest.raises(TypeError, match="a bug of the reader"):
            plan_tables.read_table(plan_tables.renstra_tc27([2025, 2026, 2027, 2028, 2029]), PDF)


def test_a_bug_in_the_proposal_reader_is_not_said_as_an_unreadable_file(monkeypatch):
    monkeypatch.setattr(pt, "check_grid", _bug)  # inside the reader's try, after calamine opened the file
    data = workbook(sheet_xml(cells_xml([("A1", "Usulan")])))
    with pytest.raises(TypeError, match="a bug of the reader"):
        pt.read_table(data, "usulan.xlsx")
