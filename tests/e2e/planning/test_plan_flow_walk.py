"""Defects of the plan flow found by walking it as its users (agency drafts and submits its Renja,
Bappeda reviews, the plan is issued): a move the state of the documents holds back was offered and
refused only after the form was filled; the agency's home did not say Bappeda had returned its
Renja."""

from __future__ import annotations

import pytest

from selaras.web.planning import documents, stages
from tests.planning_world import client_for

pytestmark = pytest.mark.django_db


def test_a_move_held_by_the_parent_plan_is_said_before_the_form(pw):
    """Bappeda opening a submitted Renja's stage page while the RKPD is not enacted reads why it
    cannot move yet, and gets no form to fill (a reason written there was refused after posting)."""
    renja = pw.renja["pupr"]
    stages.move(pw.perencana_pupr, documents.load("renja", renja.pk), "rancangan")
    page = client_for(pw.bappeda).get(f"/penyusunan/renja/{renja.pk}/tahap/")
    text = page.content.decode()
    assert page.status_code == 200 and "data-move-held" in text
    assert "harus lebih dulu berada pada tahap Penetapan" in text
    assert "Pindahkan" not in text and 'name="tahap"' not in text


def test_a_renja_over_its_ceiling_is_told_before_submitting(pw):
    renja = pw.renja["pupr"]
    agency = client_for(pw.perencana_pupr)
    line = renja.lines.get()
    agency.post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "6.500.000.000"})
    text = agency.get(f"/penyusunan/renja/{renja.pk}/tahap/").content.decode()
    assert "data-move-held" in text and "sebesar Rp 1.500.000.000" in text
    assert "Pindahkan" not in text
    # within the ceiling again: the form is back, and the refusal after a post is said once
    agency.post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "4.000.000.000"})
    assert "Pindahkan" in agency.get(f"/penyusunan/renja/{renja.pk}/tahap/").content.decode()


def test_the_agency_home_says_its_renja_was_returned_with_notes_to_answer(pw):
    """Bappeda sets "Perlu perbaikan" and writes a note: the agency's home says so beside its Renja
    and links to the notes in the editor (it showed only the stage, 'Rancangan')."""
    from selaras.web.planning import notes

    renja = pw.renja["pupr"]
    doc = documents.load("renja", renja.pk)
    agency = client_for(pw.perencana_pupr)
    before = agency.get("/").content.decode()
    assert 'data-review="renja"' in before and "Belum diverifikasi" in before
    notes.add_note(pw.bappeda, doc, "Target jalan terlalu rendah.")
    notes.set_verification(pw.bappeda, doc, "needs_correction")
    home = agency.get("/").content.decode()
    assert "Perlu perbaikan" in home and "1 catatan menunggu jawaban Anda" in home
    assert f'href="/penyusunan/renja/{renja.pk}/#catatan"' in home


def test_proposal_counts_by_status_use_thousands_separators():
    from django.template.loader import render_to_string

    html = render_to_string("home/_status_counts.html", {
        "status_counts": [{"label": "Dalam proses", "count": 19394, "cost": 6_000_000_000}],
        "total": 19394, "total_cost": 6_000_000_000})
    assert html.count("19.394") == 2 and "19394" not in html


def test_no_official_document_repeats_its_code_in_its_label():
    """The page writes 'code · label' and the job 'code label ...': 'RKPD · RKPD: rencana ...' read twice."""
    from selaras.web.documents.catalogue import KINDS

    assert KINDS
    for kind in KINDS.values():
        assert not kind.label.upper().startswith(kind.code.upper()), (kind.code, kind.label)


def test_the_move_link_is_a_button_on_the_editor(pw):
    """'Pindah tahap' is the editor's main action: drawn as a button (it ran into 'Versi (0)' as a
    plain link with no separator)."""
    from pathlib import Path

    import selaras.web

    renja = pw.renja["pupr"]
    editor = client_for(pw.perencana_pupr).get(f"/penyusunan/renja/{renja.pk}/").content.decode()
    assert f'<a class="button" href="/penyusunan/renja/{renja.pk}/tahap/">Pindah tahap</a>' in editor
    css = (Path(selaras.web.__file__).parent / "static" / "selaras" / "selaras.css").read_text(encoding="utf-8")
    assert "a.button {" in css


def test_an_enacted_rkpd_without_priorities_says_so_without_numbering_it(pw):
    """'1. Belum ada prioritas.' read as a priority named so."""
    from tests.planning_world import set_rkpd_stage

    type(pw.rkpd).objects.filter(pk=pw.rkpd.pk).update(priorities=[])
    set_rkpd_stage(pw)
    page = client_for(pw.bappeda).get(f"/penyusunan/rkpd/{pw.rkpd.pk}/").content.decode()
    assert "Belum ada prioritas" in page, page[page.find("Prioritas pembangunan"):][:600]
    assert "<li class=\"muted\">Belum ada prioritas" not in page
    type(pw.rkpd).objects.filter(pk=pw.rkpd.pk).update(priorities=["Infrastruktur jalan", "Stunting"])
    page = client_for(pw.bappeda).get(f"/penyusunan/rkpd/{pw.rkpd.pk}/").content.decode()
    assert "<ol><li>Infrastruktur jalan</li><li>Stunting</li></ol>" in page and "Belum ada prioritas" not in page
