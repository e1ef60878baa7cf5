"""The internal proposal page says what changed the way people read it: amounts and volumes the
Indonesian way, a Renja line by its code and name, a submitter once, a long reason that wraps, and
the decision form's errors naming the box the user typed in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import selaras.web
from selaras.web.proposals import services
from selaras.web.proposals.models import Proposal
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _history(page: str) -> str:
    found = re.search(r'<table id="history".*?</table>', page, re.S)
    assert found is not None
    return found.group(0)


def _accepted_with_changes(world, client) -> Proposal:
    p = village_proposal(world, volume="160", estimated_cost=218_879_000)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    client.force_login(world.perencana_pupr)
    response = client.post(f"/usulan/{p.number}/keputusan/", {
        "stage": "agency_forum", "outcome": "accepted_with_changes", "reason": "Disesuaikan pagu.",
        "new_volume": "2,5", "new_cost": "250.000.000"})
    assert response.status_code == 302
    p.refresh_from_db()
    return p


def test_change_history_reads_amounts_volumes_and_renja_line_the_indonesian_way(world, client):
    p = _accepted_with_changes(world, client)
    assert p.renja_line is not None
    history = _history(client.get(f"/usulan/{p.number}/").content.decode())
    assert "perkiraan biaya: Rp 218.879.000 → Rp 250.000.000" in history
    assert "volume: 160 → 2,5" in history
    assert f"baris Renja: — → {p.renja_line.name} ({p.renja_line.code})" in history
    assert "218879000" not in history and "160.00" not in history and "2.50" not in history
    assert f"→ {p.renja_line_id}<" not in history and f"→ {p.renja_line_id}\n" not in history
    assert "(Rp):" not in history  # the amount carries its Rp; the label does not repeat it


def test_change_history_of_a_removed_renja_line_says_so_not_its_id(world, client):
    from selaras.web.proposals.selectors import change_history

    p = _accepted_with_changes(world, client)
    line_id = p.renja_line_id
    Proposal.objects.filter(pk=p.pk).update(renja_line=None)  # detach without a history row, then remove
    p.renja_line.__class__.objects.filter(pk=line_id).delete()
    fields = [f for change in change_history(p) for f in change.fields if f[0] == "baris Renja"]
    assert fields and fields[-1][2] == "(sudah dihapus)"


def test_long_reason_wraps_in_both_decision_trails(world, client):
    url = "https://example.org/" + "a" * 1980
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason=url)
    client.force_login(world.camat)
    page = client.get(f"/usulan/{p.number}/").content.decode()
    assert '<table id="trail" class="trail cards">' in page
    assert f'<td data-label="Alasan" class="reason">{url}' in page
    public_page = client.get(reverse("public:proposal", args=[p.number])).content.decode()
    assert '<table class="trail cards">' in public_page
    assert f'<td data-label="Alasan" class="reason">{url}</td>' in public_page
    css = (Path(selaras.web.__file__).parent / "static" / "selaras" / "selaras.css").read_text()
    rule = re.search(r"table\.trail td\.reason \{([^}]*)\}", css)
    assert rule is not None and "overflow-wrap:anywhere" in rule.group(1)


@pytest.mark.parametrize(("field", "typed", "said", "not_said"), [
    ("new_volume", "1e99999999", "Volume baru: angka terlalu besar (1e99999999).", "Volume: angka"),
    ("new_cost", "1e99999999", "Biaya baru: angka terlalu besar (1e99999999).", "Perkiraan biaya: angka"),
    ("new_volume", "2,555", "Volume baru: paling banyak 2 angka desimal (2,555).", "Volume: paling"),
    ("new_cost", "abc", "Biaya baru: &#x27;abc&#x27; bukan angka.", "Perkiraan biaya:"),
])
def test_decision_form_errors_name_the_box_typed_in(world, client, field, typed, said, not_said):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    client.force_login(world.perencana_pupr)
    response = client.post(f"/usulan/{p.number}/keputusan/", {
        "stage": "agency_forum", "outcome": "accepted_with_changes", "reason": "x", field: typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert said in page and not_said not in page


@pytest.mark.parametrize(("name", "role", "shown"), [
    ("Operator Desa/Kelurahan", "Operator Desa/Kelurahan", "Operator Desa/Kelurahan<"),
    ("Siti Aminah", "Operator Desa/Kelurahan", "Siti Aminah (Operator Desa/Kelurahan)<"),
    ("Siti Aminah", "", "Siti Aminah<"),
])
def test_submitter_is_said_once_when_name_equals_role(world, client, name, role, shown):
    p = village_proposal(world)
    Proposal.objects.filter(pk=p.pk).update(proposer_name=name, proposer_role=role)
    client.force_login(world.camat)
    page = client.get(f"/usulan/{p.number}/").content.decode()
    cell = re.search(r'<td id="proposer">(.*?)</td>', page, re.S)
    assert cell is not None
    assert (cell.group(1).split(" · ")[0] + "<") == shown
