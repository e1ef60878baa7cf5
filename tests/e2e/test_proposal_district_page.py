"""Pages of the proposal cycle as the demo walkthrough used them: the kecamatan's bulk ranking and
forwarding (tick boxes, typed ranks kept on error), codes refused on decisions and assignment,
and a bad year in the query string."""

from __future__ import annotations

import re

import pytest

from selaras.web.plans.models import RenjaLine
from selaras.web.proposals import services
from selaras.web.proposals.models import Decision, Proposal
from tests.browser.proposal_world import ROAD, build_world, village_proposal

pytestmark = pytest.mark.django_db

URL = "/usulan/kecamatan/"


@pytest.fixture
def world():
    return build_world()


def _form(world, **fields):
    return {"tahun": world.year, "kecamatan": "32.16.05", "reason": "Berita acara.", **fields}


def _messages(page: str) -> str:
    found = re.search(r'<ul class="messages">(.*?)</ul>', page, re.S)
    return found[1] if found else ""


def _rank_value(page: str, pk: int) -> str:
    found = re.search(rf'<input[^>]*name="rank_{pk}"[^>]*>', page)
    assert found, pk
    value = re.search(r'value="([^"]*)"', found[0])
    return value[1] if value else ""


def test_decided_rows_have_no_tick_box_and_a_crafted_post_cannot_reopen_them(world, client):
    original, merged, rejected, waiting = (village_proposal(world, title=f"Usulan {i}") for i in range(4))
    services.decide(world.camat, merged, stage="district", outcome="merged", reason="Ganda.", merged_into=original)
    services.decide(world.camat, rejected, stage="district", outcome="rejected", reason="Bukan kewenangan.")
    client.force_login(world.camat)
    page = client.get(URL).content.decode()
    for p in (merged, rejected):
        assert p.number in page and f'name="forward_{p.pk}"' not in page
    for p in (original, waiting):
        assert f'name="forward_{p.pk}"' in page
    before = Decision.objects.count()
    response = client.post(URL, _form(world, forward="1", **{f"forward_{p.pk}": "1" for p in (merged, rejected,
                                                                                            waiting)}))
    text = response.content.decode()
    said = _messages(text)
    assert response.status_code == 400 and merged.number in said and rejected.number in said
    assert waiting.number not in said
    assert Decision.objects.count() == before
    assert [Proposal.objects.get(pk=p.pk).status for p in (merged, rejected)] == ["merged", "rejected"]
    assert Proposal.objects.get(pk=waiting.pk).stage == "district"
    assert re.search(rf'name="forward_{waiting.pk}"[^>]*checked', text)  # the ticks given are kept


@pytest.mark.parametrize(("bad", "words"), [
    ("-1", "Peringkat dimulai dari 1."), ("0", "Peringkat dimulai dari 1."),
    ("x", "harus berupa angka"), ("2", "berbeda"),
])
def test_typed_ranks_are_kept_and_the_row_at_fault_named(world, client, bad, words):
    a, b, c = (village_proposal(world, title=f"Usulan {i}") for i in range(3))
    client.force_login(world.camat)
    response = client.post(URL, _form(world, save="1", **{f"rank_{a.pk}": "1", f"rank_{b.pk}": "2",
                                                           f"rank_{c.pk}": bad}))
    page = response.content.decode()
    said = _messages(page)
    assert response.status_code == 400 and words in said and c.number in said
    assert (a.number in said, b.number in said) == (False, bad == "2")  # a duplicate names both holders
    assert (_rank_value(page, a.pk), _rank_value(page, b.pk), _rank_value(page, c.pk)) == ("1", "2", bad)
    assert "Berita acara." in page
    assert not Proposal.objects.filter(government=world.gov, district_rank__isnull=False).exists()


def test_a_decision_with_an_unknown_code_is_refused(world, client):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    client.force_login(world.perencana_pupr)
    response = client.post(f"/usulan/{p.number}/keputusan/", {
        "stage": "agency_forum", "outcome": "accepted", "reason": "Sesuai.", "sub_activity_code": "9.99.99.9.99.9999"})
    page = response.content.decode()
    assert response.status_code == 400 and "tidak ada dalam nomenklatur" in page and "Keputusan tercatat" not in page
    p.refresh_from_db()
    assert p.sub_activity_code == ROAD and p.status == "in_review" and not RenjaLine.objects.exists()


def test_an_assignment_with_an_unknown_code_is_refused(world, client):
    p = village_proposal(world, agency=None, sub_activity_code="")
    client.force_login(world.bappeda)
    response = client.post("/usulan/penugasan/", {"proposal": p.pk, "agency": world.pupr.pk,
                                                  "sub_activity_code": "1.01.99.2.99.9999"})
    assert response.status_code == 400 and "tidak ada dalam nomenklatur" in response.content.decode()
    p.refresh_from_db()
    assert (p.agency_id, p.sub_activity_code) == (None, "")


@pytest.mark.parametrize("path", ["/usulan/jadwal/", "/usulan/kecamatan/", "/usulan/verifikasi/",
                                  "/usulan/ringkasan/", "/usulan/penugasan/", "/usulan/renja/"])
@pytest.mark.parametrize("value", ["abc", "1999", "²"])
def test_an_invalid_year_falls_back_to_the_planning_year(world, client, path, value):
    client.force_login(world.bappeda)
    plain = client.get(path)
    response = client.get(path, {"tahun": value})
    assert plain.status_code == response.status_code == 200
    assert str(world.year) in response.content.decode()


def test_the_entry_form_refuses_an_unknown_code_and_takes_an_empty_one(world, client):
    client.force_login(world.desa)
    form = {"channel": "musrenbang_village", "year": world.year, "title": "Drainase lingkungan", "volume": "100",
            "unit": "m", "estimated_cost": "90000000", "agency": world.pupr.pk, "sub_activity_code": "9.99.99.9.99.9999"}
    response = client.post("/usulan/baru/", form)
    assert response.status_code == 400 and "tidak ada dalam nomenklatur" in response.content.decode()
    assert not Proposal.objects.filter(government=world.gov).exists()
    assert client.post("/usulan/baru/", {**form, "sub_activity_code": ""}).status_code == 302
