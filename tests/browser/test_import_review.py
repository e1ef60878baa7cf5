"""The bulk import's result page on a phone, in a real Chromium: the classification suggestions for
imported rows lacking an agency or a sub-activity load (htmx) and fit the screen."""

from __future__ import annotations

import pytest

from tests.browser.pages import new_context, shot, sign_in
from tests.browser.proposal_world import build_world
from tests.integration.test_suggestions_import import imported


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_review_suggestions_on_a_phone(live_server, browser):
    from selaras.web.suggestions import services

    services._indexes.clear()
    services._classifiers.clear()
    world = build_world()
    _, rows, job = imported(world)
    base = live_server.url
    context = new_context(browser, phone=True)
    page = context.new_page()
    sign_in(page, base, "desa")
    page.goto(f"{base}/usulan/impor/{job.token}/")
    page.wait_for_selector("text=3 dari 4 usulan yang diimpor")
    text = page.inner_text("body")
    assert rows[0].number in text and world.pupr.name in text and "tidak ada saran" in text
    assert rows[1].number not in text  # complete rows are not listed
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"
    # each row a card: the sub-activity suggestion is on screen, not behind a sideways scroll
    cell = page.locator("table.import-suggestions td[data-label='Saran sub kegiatan']").first
    assert cell.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth")
    shot(page, "impor-saran-ponsel")
    context.close()
