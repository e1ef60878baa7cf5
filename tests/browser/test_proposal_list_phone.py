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
