"""Two tabs (or two people) editing the same plan: a cell saved from a stale page does not
overwrite the newer value (409, the stored value shown again with a message in Bahasa Indonesia);
saves of different cells, of the same line or of other lines, all succeed.

The editor sends the text each cell showed as `sebelum` (static/selaras/selaras.js); the tests post
it as the script does."""

from __future__ import annotations

from decimal import Decimal

import pytest

from selaras.web.plans.models import RenjaLine, RenstraLine, RenstraLineYear
from tests.planning_world import client_for

pytestmark = pytest.mark.django_db


def _save(client, line, column, value, seen, year=None):
    url = f"/penyusunan/sel/{line}/{column}/" + (f"?tahun={year}" if year else "")
    data = {"nilai": value} if seen is None else {"nilai": value, "sebelum": seen}
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_a_stale_tab_does_not_overwrite_a_newer_value(pw):
    line = pw.renja["pupr"].lines.get()
    first, second = client_for(pw.perencana_pupr), client_for(pw.perencana_pupr)
    shown = "1.000.000.000"  # what both tabs showed
    assert _save(first, f"renja_line/{line.pk}", "budget", "1.200.000.000", shown).status_code == 200
    answer = _save(second, f"renja_line/{line.pk}", "budget", "900.000.000", shown)
    html = answer.content.decode()
    assert answer.status_code == 409 and answer["X-Selaras-Fragment"] == "1"
    assert "sudah diubah oleh pengguna lain" in html and "1.200.000.000" in html
    assert f'id="c-renja_line-{line.pk}-budget"' in html and 'value="1.200.000.000"' in html  # reloaded
    assert 'aria-invalid="true"' in html and "ringkasan-renja" not in html
    assert RenjaLine.objects.get(pk=line.pk).budget == 1_200_000_000
    # the second tab now shows the stored value: its next save is taken
    assert _save(second, f"renja_line/{line.pk}", "budget", "900.000.000", "1.200.000.000").status_code == 200
    assert RenjaLine.objects.get(pk=line.pk).budget == 900_000_000


def test_different_cells_of_one_line_and_other_lines_both_save(pw):
    line = pw.renja["pupr"].lines.get()
    renstra_line = pw.renstra["pupr"].lines.get(level="sub_activity")
    first, second = client_for(pw.perencana_pupr), client_for(pw.bappeda)
    assert _save(first, f"renja_line/{line.pk}", "budget", "1.300.000.000", "1.000.000.000").status_code == 200
    assert _save(second, f"renja_line/{line.pk}", "name", "Jalan desa", line.name).status_code == 200
    assert _save(second, f"renja_line/{line.pk}", "target", "4", "3").status_code == 200
    assert _save(first, f"renstra_line/{renstra_line.pk}", "name", "Sub kegiatan jalan",
                 renstra_line.name).status_code == 200
    saved = RenjaLine.objects.get(pk=line.pk)
    assert (saved.budget, saved.name, saved.target) == (1_300_000_000, "Jalan desa", Decimal(4))
    assert RenstraLine.objects.get(pk=renstra_line.pk).name == "Sub kegiatan jalan"


def test_the_same_value_typed_twice_is_no_conflict(pw):
    line = pw.renja["pupr"].lines.get()
    first, second = client_for(pw.perencana_pupr), client_for(pw.perencana_pupr)
    assert _save(first, f"renja_line/{line.pk}", "target", "5", "3").status_code == 200
    assert _save(second, f"renja_line/{line.pk}", "target", "5,0", "3").status_code == 200


def test_yearly_cells_choices_and_text_are_compared_too(pw):
    renstra = pw.renstra["pupr"]
    line = renstra.lines.get(level="sub_activity")
    year = renstra.start_year
    client = client_for(pw.perencana_pupr)
    row = f"renstra_year/{line.pk}"
    assert _save(client, row, "target", "7", "2", year).status_code == 200
    stale = _save(client, row, "target", "8", "2", year)
    assert stale.status_code == 409 and "nilai sekarang: 7" in stale.content.decode()
    assert RenstraLineYear.objects.get(line=line, year=year).target == Decimal(7)
    # a direction (a choice) and a text
    assert _save(client, f"renstra_line/{line.pk}", "direction", "down", "up").status_code == 200
    stale = _save(client, f"renstra_line/{line.pk}", "direction", "band", "up")
    assert stale.status_code == 409 and "nilai sekarang: turun" in stale.content.decode()
    assert _save(client, f"renstra_line/{line.pk}", "location", "Desa A", "").status_code == 200
    assert _save(client, f"renstra_line/{line.pk}", "location", "Desa B", "").status_code == 409
    assert RenstraLine.objects.get(pk=line.pk).location == "Desa A"


def test_a_refused_value_keeps_the_stored_value_for_the_next_save(pw):
    """After a refusal the cell shows what was typed; it carries the stored value (data-sebelum),
    so correcting it is not taken for someone else's change."""
    line = pw.renja["pupr"].lines.get()
    client = client_for(pw.perencana_pupr)
    refused = _save(client, f"renja_line/{line.pk}", "budget", "-5", "1.000.000.000")
    html = refused.content.decode()
    assert refused.status_code == 422 and 'value="-5"' in html and 'data-sebelum="1.000.000.000"' in html
    assert _save(client, f"renja_line/{line.pk}", "budget", "2.000.000.000", "1.000.000.000").status_code == 200
    saved = _save(client, f"renja_line/{line.pk}", "name", "Jalan", line.name).content.decode()
    assert "data-sebelum" not in saved


def test_a_save_without_the_shown_value_is_not_compared(pw):
    """Callers that do not say what they saw (the API, older pages) save as before."""
    line = pw.renja["pupr"].lines.get()
    client = client_for(pw.perencana_pupr)
    assert _save(client, f"renja_line/{line.pk}", "budget", "5", None).status_code == 200
    assert _save(client, f"renja_line/{line.pk}", "budget", "6", None).status_code == 200
    assert RenjaLine.objects.get(pk=line.pk).budget == 6
