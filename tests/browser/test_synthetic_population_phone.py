"""Demo population figures are synthetic, and the pages that show them say so in view on a phone
(390 x 844), in a real Chromium: a selection run's fairness section and the region page (monev's
dashboard says so too: tests/e2e/test_selection_fairness_population.py, on the demo). Screenshots go to test-artifacts/selection/."""

from __future__ import annotations

import pytest

from tests.browser.pages import new_context, shot, sign_in
from tests.browser.proposal_world import DISTRICT
from tests.browser.tracker_world import tracker_world
from tests.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "selection"
PHONE = 390


def _in_view(page, selector: str, where: str) -> str:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= PHONE, (where, scroll)
    note = page.locator(selector).first
    note.scroll_into_view_if_needed()
    box = note.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (where, box)
    return note.inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_synthetic_population_is_said_in_view_on_a_phone(live_server, browser):
    from selaras.web.reference.models import Region
    from selaras.web.selection import services
    from selaras.web.selection.parameters import RunParameters

    world = tracker_world()
    Region.objects.filter(edition=world.gov.region_edition, code=DISTRICT).update(
        population=120_000, population_synthetic=True)
    run = services.start_run(world.gov, world.year, rule="greedy", params=RunParameters(budget=700_000_000),
                             check=False)
    base = live_server.url
    page = sign_in(new_context(browser, phone=True).new_page(), base, "bappeda")
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{base}/seleksi/{run.pk}/")
    assert "angka contoh (sintetis)" in _in_view(page, "#fairness-synthetic", "hasil seleksi")
    shot(page, "synthetic-population-run-phone", SHOTS)

    page.goto(f"{base}/referensi/wilayah/{DISTRICT}/")
    assert "angka contoh sintetis, bukan data resmi" in page.content()
    _in_view(page, "h1", "wilayah")
    shot(page, "synthetic-population-region-phone", SHOTS)
