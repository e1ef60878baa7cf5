"""The proposal list on a phone (390 px), in a real Chromium: each proposal is a card that fits the
screen, every value named by its column (the wide table once scrolled sideways inside the page, the
status ten columns away from the number). Screenshot in test-artifacts/browser/hp/."""

from __future__ import annotations

import pytest

from tests.browser.pages import new_context, shot, sign_in
from tests.browser.proposal_world import build_world, village_proposal
from tests.conftest import ARTIFACTS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_proposal_list_is_cards_on_a_phone(live_server, browser):
    world = build_world()
    proposal = village_proposal(world, title="Rehabilitasi jalan desa Sukamaju ruas Dusun II sampai balai desa")
    base = live_server.url
    context = new_context(browser, phone=True)
    page = sign_in(context.new_page(), base, "desa")
    page.goto(f"{base}/usulan/")
    table = page.locator("table.proposal-list")
    wide, shown = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert wide <= shown <= 390, (wide, shown)  # nothing to scroll sideways
    row = table.locator("tbody tr").first
    assert proposal.number in row.inner_text() and "Musrenbang Kecamatan" in row.inner_text()
    status = row.locator("td[data-label=Status]")
    box, number_box = status.bounding_box(), row.locator("td[data-label=Nomor]").bounding_box()
    assert box is not None and number_box is not None
    assert box["x"] + box["width"] <= 390 and box["y"] > number_box["y"]  # below the number, on screen
    shot(page, "daftar-usulan", ARTIFACTS / "browser" / "hp")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kecamatan_ranking_shows_what_is_ranked_on_a_phone(live_server, browser):
    """The camat ranks on a phone: each proposal's title is on screen beside its rank box (the wide
    table once left the title 230 px past the right edge)."""
    world = build_world()
    proposal = village_proposal(world, title="Pembangunan drainase lingkungan RT 04")
    context = new_context(browser, phone=True)
    page = sign_in(context.new_page(), live_server.url, "camat")
    page.goto(f"{live_server.url}/usulan/kecamatan/")
    row = page.locator("#district-queue tbody tr").first
    title = row.locator("td[data-label=Usulan]")
    assert proposal.title in title.inner_text()
    box = title.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    wide, shown = page.locator("#district-queue").evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert wide <= shown <= 390, (wide, shown)
    row.locator("input[type=text]").fill("1")
    shot(page, "musrenbang-kecamatan", ARTIFACTS / "browser" / "hp")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_decision_trail_reason_is_on_screen_on_a_phone(live_server, browser):
    """A proposal's decision trail on a phone: the reason of each decision is read without
    scrolling sideways (it was the fourth of six columns, past the right edge)."""
    from selaras.web.proposals import services

    world = build_world()
    proposal = village_proposal(world)
    services.decide(world.camat, proposal, stage="district", outcome="returned",
                    reason="Lengkapi foto lokasi dan ukuran jalan yang rusak.")
    context = new_context(browser, phone=True)
    page = sign_in(context.new_page(), live_server.url, "desa")
    page.goto(f"{live_server.url}/usulan/{proposal.number}/")
    reason = page.locator("#trail td[data-label=Alasan]", has_text="Lengkapi foto lokasi")
    box = reason.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    for table in ("#trail", "#history"):
        wide, shown = page.locator(table).evaluate("t => [t.scrollWidth, t.clientWidth]")
        assert wide <= shown <= 390, (table, wide, shown)
    shot(page, "jejak-keputusan", ARTIFACTS / "browser" / "hp")
    context.close()
