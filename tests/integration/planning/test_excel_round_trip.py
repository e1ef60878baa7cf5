"""Excel round trip in the official layouts: export -> import -> equal; a file with errors changes
nothing and names row and column of every problem."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selaras.web.planning import documents, excel, versions
from selaras.web.plans.models import RenjaLine, RenstraLine, RenstraLineYear
from tests.planning_world import ROAD_NEW, PlanWorld, build_plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw() -> PlanWorld:
    return build_plan_world()


def checksum() -> str:
    digest = hashlib.sha256()
    for model in (RenstraLine, RenstraLineYear, RenjaLine):
        digest.update(repr(list(model.objects.order_by("pk").values_list())).encode())
    return digest.hexdigest()


def edit(data: bytes, changes: dict[str, object]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    for ref, value in changes.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


DOCS = [("renstra", "renstra"), ("renja", "renja"), ("rkpd", None), ("rpjmd", None)]


@pytest.mark.parametrize(("kind", "key"), DOCS)
def test_export_import_reads_back_equal(pw, kind, key):
    pk = {"renstra": pw.renstra["pupr"].pk, "renja": pw.renja["pupr"].pk, "rkpd": pw.rkpd.pk,
          "rpjmd": pw.rpjmd.pk}[kind]
    doc = documents.load(kind, pk)
    before_rows = excel.export_rows(doc)
    before = checksum()
    outcome = excel.import_document(pw.bappeda, doc, excel.export_document(doc))
    assert outcome.ok, [excel.problem_text(p) for p in outcome.problems]
    assert (outcome.created, outcome.updated, outcome.deleted) == (0, 0, 0)
    assert checksum() == before
    assert excel.export_rows(documents.load(kind, pk)) == before_rows


def test_renstra_edit_offline_adds_changes_and_removes(pw):
    doc = documents.load("renstra", pw.renstra["pupr"].pk)
    data = excel.export_document(doc)
    layout = excel.layout_of(doc)
    start = doc.obj.start_year
    # row 4 programme, 5 activity, 6 sub-activity; add a new sub-activity in row 7 with a range target
    col = {c.key: i for i, c in enumerate(layout.columns, start=1)}
    from openpyxl.utils import get_column_letter as L
    changed = edit(data, {
        f"{L(col['budget_' + str(start)])}6": 2_500_000_000,
        f"{L(col['code'])}7": ROAD_NEW, f"{L(col['name'])}7": "Pembangunan Jalan",
        f"{L(col['target_' + str(start)])}7": "0,6 – 1,8", f"{L(col['budget_' + str(start)])}7": 100,
        f"{L(col['direction'])}7": "rentang", f"{L(col['unit'])}7": "km",
    })
    outcome = excel.import_document(pw.perencana_pupr, doc, changed)
    assert outcome.ok, [excel.problem_text(p) for p in outcome.problems]
    assert (outcome.created, outcome.updated) == (1, 1)  # the new line; the line whose 1st-year budget changed
    new = RenstraLine.objects.get(renstra=doc.obj, code=ROAD_NEW)
    assert new.parent.code == "1.03.10.2.01" and new.direction == "band"
    year = new.years.get(year=start)
    assert (year.target, year.target_min, year.target_max, year.budget) == (None, Decimal("0.6"), Decimal("1.8"), 100)
    assert RenstraLineYear.objects.get(line__renstra=doc.obj, line__code="1.03.10.2.01.0009",
                                       year=start).budget == 2_500_000_000
    # the file read back equals the document
    assert excel.import_document(pw.perencana_pupr, doc, excel.export_document(doc)).updated == 0
    rows = excel.export_rows(documents.load("renstra", doc.pk))
    assert [r["code"] for r in rows] == ["1.03.10", "1.03.10.2.01", ROAD_NEW, "1.03.10.2.01.0009"]


def test_file_with_errors_changes_nothing_and_names_row_and_column(pw):
    doc = documents.load("renstra", pw.renstra["pupr"].pk)
    layout = excel.layout_of(doc)
    col = {c.key: i for i, c in enumerate(layout.columns, start=1)}
    from openpyxl.utils import get_column_letter as L
    start = doc.obj.start_year
    bad = edit(excel.export_document(doc), {
        f"{L(col['budget_' + str(start)])}5": "banyak",          # not rupiah
        f"{L(col['target_' + str(start + 1)])}6": "5 - 1",      # inverted range
        f"{L(col['code'])}7": "1.03.10.2.09.0001", f"{L(col['name'])}7": "Tanpa induk",  # parent missing
        f"{L(col['unit'])}4": "gelas?",                          # unknown unit
    })
    before = checksum()
    outcome = excel.import_document(pw.perencana_pupr, doc, bad)
    assert not outcome.ok
    assert checksum() == before
    texts = [excel.problem_text(p) for p in outcome.problems]
    budget_col, target_col = L(col["budget_" + str(start)]), L(col["target_" + str(start + 1)])
    assert any(t.startswith(f"Baris 5, kolom {budget_col}") and "rupiah" in t for t in texts), texts
    assert any(t.startswith(f"Baris 6, kolom {target_col}") and "minimum" in t for t in texts), texts
    assert any(t.startswith("Baris 7, kolom C") and "induk" in t for t in texts), texts
    assert any(t.startswith(f"Baris 4, kolom {L(col['unit'])}") and "Satuan" in t for t in texts), texts
    assert all(p.location.row and p.location.column for p in outcome.problems)


def test_existing_line_without_its_parent_reads_back(pw):
    """A flaw already in the document (a sub-activity whose activity is missing, as the demo plants)
    does not make the document's own export unreadable; a new line without its parent still is."""
    renstra = pw.renstra["pupr"]
    RenstraLine.objects.create(renstra=renstra, level="sub_activity", code="1.03.10.1.01.0001", name="Salah induk")
    doc = documents.load("renstra", renstra.pk)
    before = checksum()
    outcome = excel.import_document(pw.perencana_pupr, doc, excel.export_document(doc))
    assert outcome.ok, [excel.problem_text(p) for p in outcome.problems]
    assert (outcome.created, outcome.updated, outcome.deleted) == (0, 0, 0) and checksum() == before


def test_wrong_headers_and_garbage_files_are_refused(pw):
    doc = documents.load("renja", pw.renja["pupr"].pk)
    before = checksum()
    outcome = excel.import_document(pw.perencana_pupr, doc, edit(excel.export_document(doc), {"B2": "Nama"}))
    assert [excel.problem_text(p) for p in outcome.problems][0].startswith("Baris 2, kolom B")
    assert not excel.import_document(pw.perencana_pupr, doc, b"not a workbook").ok
    assert checksum() == before


@pytest.mark.parametrize("data", [b"%PDF-1.4 not a workbook", b""])
def test_an_unreadable_file_says_what_to_do_in_bahasa(pw, data):
    """A PDF, an empty file or an old .xls sent as the table: one problem in Bahasa saying to save it
    as .xlsx, never the reader's own English error ('Cannot detect file format')."""
    doc = documents.load("renja", pw.renja["pupr"].pk)
    outcome = excel.import_document(pw.perencana_pupr, doc, data)
    texts = [excel.problem_text(p) for p in outcome.problems]
    assert len(texts) == 1 and texts[0].startswith("Berkas tidak dapat dibaca: isinya bukan buku kerja Excel;"), texts
    assert "simpan ulang" in texts[0] and "Cannot" not in texts[0] and "detect" not in texts[0]


def test_renja_line_with_proposals_is_never_dropped(pw):
    from tests.browser.proposal_world import village_proposal

    line = pw.renja["pupr"].lines.get()
    proposal = village_proposal(pw.world)
    type(proposal).objects.filter(pk=proposal.pk).update(renja_line=line)
    doc = documents.load("renja", pw.renja["pupr"].pk)
    emptied = edit(excel.export_document(doc), {f"{c}4": None for c in "ABCDEFGHIJKL"})
    outcome = excel.import_document(pw.perencana_pupr, doc, emptied)
    assert not outcome.ok
    assert RenjaLine.objects.filter(pk=line.pk).exists()


def test_import_refused_for_other_agency(pw):
    from selaras.domain.errors import NotPermitted

    doc = documents.load("renja", pw.renja["pupr"].pk)
    with pytest.raises(NotPermitted):
        excel.import_document(pw.perencana_dinkes, doc, excel.export_document(doc))


def test_comparison_workbook(pw):
    from selaras.web.planning import stages

    doc = documents.load("renja", pw.renja["pupr"].pk)
    v1 = stages.move(pw.perencana_pupr, doc, "rancangan").version
    RenjaLine.objects.filter(renja=doc.obj).update(budget=3)
    cmp = versions.compare(v1.payload, versions.payload_of(documents.load("renja", doc.pk)))
    from selaras.formats.plan_comparison import write_comparison

    data = write_comparison(doc.title, "versi 1", "sekarang", versions.comparison_rows(cmp), cmp.totals)
    sheet = load_workbook(io.BytesIO(data))["Perubahan"]
    assert [c.value for c in sheet[2]][:3] == ["diubah", "1.03.10.2.01.0009", "Sub kegiatan Dinas PUPR"]


def test_negative_renja_target_in_a_file_is_refused(pw):
    doc = documents.load("renja", pw.renja["pupr"].pk)
    rows = excel.export_rows(doc)
    from selaras.formats.plan_tables import write_table

    for changes in ({"target": (Decimal(-3), None, None)}, {"forward_target": (None, Decimal(-2), Decimal(4))}):
        before = checksum()
        outcome = excel.import_document(pw.perencana_pupr, doc, write_table(excel.layout_of(doc),
                                                                            [dict(rows[0], **changes)]))
        assert not outcome.ok and checksum() == before
        texts = [excel.problem_text(p) for p in outcome.problems]
        assert any(t.startswith("Baris 4, kolom") and "tidak boleh negatif" in t for t in texts), texts


def test_import_of_a_changed_pagu_takes_it_over_from_the_proposals(pw):
    line = pw.renja["pupr"].lines.get()
    RenjaLine.objects.filter(pk=line.pk).update(budget_from_proposals=True, unit="m2")
    doc = documents.load("renja", pw.renja["pupr"].pk)
    same = excel.import_document(pw.perencana_pupr, doc, excel.export_document(doc))
    assert same.ok and same.updated == 0  # 'm2' written as 'm²' is not a change
    rows = excel.export_rows(doc)
    from selaras.formats.plan_tables import write_table

    changed = write_table(excel.layout_of(doc), [dict(rows[0], budget=2_000_000_000)])
    outcome = excel.import_document(pw.perencana_pupr, doc, changed)
    assert outcome.ok and outcome.updated == 1
    line.refresh_from_db()
    assert (line.budget, line.budget_from_proposals) == (2_000_000_000, False)


def test_lines_created_by_import_have_their_history(pw):
    from datetime import timedelta

    from django.utils import timezone

    doc = documents.load("renstra", pw.renstra["pupr"].pk)
    rows = excel.export_rows(doc)
    from selaras.formats.plan_tables import write_table

    RenstraLine.objects.filter(renstra=doc.obj).delete()
    outcome = excel.import_document(pw.perencana_pupr, doc, write_table(excel.layout_of(doc), rows))
    assert outcome.ok and outcome.created == 3
    for line in RenstraLine.objects.filter(renstra=doc.obj):
        (record,) = line.history.all()
        assert (record.history_type, record.history_user_id, record.history_change_reason) == (
            "+", pw.perencana_pupr.pk, "impor Excel")
        assert (record.code, record.name, record.renstra_id, record.parent_id) == (
            line.code, line.name, line.renstra_id, line.parent_id)
        assert abs(record.history_date - timezone.now()) < timedelta(minutes=5)
        for year in line.years.all():
            (entry,) = year.history.all()
            assert (entry.history_type, entry.budget, entry.target, entry.line_id) == (
                "+", year.budget, year.target, line.pk)


@pytest.mark.parametrize("kind", ["renstra", "rpjmd"])
def test_negative_baselines_and_targets_of_renstra_and_tc14_files_are_refused(pw, kind):
    """T-C.27 and T-C.14: a line's baseline, yearly target (value or range end) and end-of-period
    target are never negative (domain.targets.negative_problem), money neither; nothing written."""
    from selaras.formats.plan_tables import write_table

    doc = documents.load(kind, pw.renstra["pupr"].pk if kind == "renstra" else pw.rpjmd.pk)
    rows = excel.export_rows(doc)
    year = doc.obj.start_year
    for changes, words in (({"baseline": Decimal(-1)}, "tidak boleh negatif"),
                           ({f"target_{year}": (Decimal(-2), None, None)}, "tidak boleh negatif"),
                           ({f"target_{year}": (None, Decimal(-2), Decimal(3))}, "tidak boleh negatif"),
                           ({"end_target": (Decimal("-0.5"), None, None)}, "tidak boleh negatif"),
                           ({f"budget_{year}": -1_000}, "tidak boleh negatif")):
        before = checksum()
        outcome = excel.import_document(pw.bappeda, doc, write_table(excel.layout_of(doc),
                                                                     [dict(rows[0], **changes), *rows[1:]]))
        assert not outcome.ok and checksum() == before, changes
        texts = [excel.problem_text(p) for p in outcome.problems]
        assert any(t.startswith("Baris 4, kolom") and words in t for t in texts), (changes, texts)
    zero = write_table(excel.layout_of(doc), [dict(rows[0], baseline=Decimal(0)), *rows[1:]])
    assert excel.import_document(pw.bappeda, doc, zero).ok


def test_new_lines_with_codes_outside_the_nomenclature_are_refused(pw):
    """T-C.27: a new line's code must be in the government's nomenclature edition, of its level
    (reference.selectors.nomenclature_standing, the editor's rule); every row at fault is named and
    nothing is written, not even the valid new line of the same file."""
    doc = documents.load("renstra", pw.renstra["pupr"].pk)
    layout = excel.layout_of(doc)
    col = {c.key: i for i, c in enumerate(layout.columns, start=1)}
    from openpyxl.utils import get_column_letter as L
    code_col, name_col = L(col["code"]), L(col["name"])
    province = "1.03.10.1.01.0001"
    from selaras.web.reference.models import NomenclatureItem

    # the reference data may hold these codes already (by test order): made to be as the test needs
    NomenclatureItem.objects.update_or_create(
        edition=pw.gov.nomenclature_edition, code=province, government_level="provinsi",
        defaults={"name": "Jalan provinsi", "level": "sub_activity", "parent_code": "1.03.10.1.01", "active": True})
    NomenclatureItem.objects.update_or_create(
        edition=pw.gov.nomenclature_edition, code="1.03.10.2.01.0002", government_level="kab/kota",
        defaults={"name": "Dihapus", "level": "sub_activity", "parent_code": "1.03.10.2.01", "active": False})
    bad = edit(excel.export_document(doc), {
        f"{code_col}7": ROAD_NEW, f"{name_col}7": "Pembangunan Jalan",                  # valid
        f"{code_col}8": "1.03.10.2.01.0777", f"{name_col}8": "Tidak ada di nomenklatur",  # unknown
        f"{code_col}9": "1.03.10.2.01.0002", f"{name_col}9": "Sudah tidak aktif",        # inactive
    })
    before = checksum()
    outcome = excel.import_document(pw.perencana_pupr, doc, bad)
    assert not outcome.ok and checksum() == before
    texts = [excel.problem_text(p) for p in outcome.problems]
    assert any(t.startswith(f"Baris 8, kolom {code_col}") and "tidak ada di nomenklatur" in t for t in texts), texts
    assert any(t.startswith(f"Baris 9, kolom {code_col}") and "tidak aktif" in t for t in texts), texts
    assert not any(t.startswith("Baris 7") for t in texts), texts
    # a Renja file: a new sub-activity of the province's nomenclature is refused, the regency's taken
    renja = documents.load("renja", pw.renja["pupr"].pk)
    rows = excel.export_rows(renja)
    from selaras.formats.plan_tables import write_table

    outcome = excel.import_document(pw.perencana_pupr, renja, write_table(excel.layout_of(renja), [
        *rows, dict(rows[0], code=province, name="Jalan provinsi")]))
    texts = [excel.problem_text(p) for p in outcome.problems]
    assert not outcome.ok and checksum() == before
    assert any(t.startswith("Baris 5, kolom") and "pemerintah daerah kab/kota" in t for t in texts), texts
    outcome = excel.import_document(pw.perencana_pupr, renja, write_table(excel.layout_of(renja), [
        *rows, dict(rows[0], code=ROAD_NEW, name="Pembangunan Jalan")]))
    assert outcome.ok and outcome.created == 1, [excel.problem_text(p) for p in outcome.problems]
