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
