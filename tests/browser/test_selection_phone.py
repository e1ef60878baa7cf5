"""A selection run's result and the comparison of two runs on a phone (390 x 844), in a real Chromium:
no sideways scrolling of the page, proposals shown as cards with their reason in view, the fairness
chart at a readable size inside its own frame. Screenshots go to test-artifacts/selection/."""

from __future__ import annotations

import pytest

from tests.browser.pages import new_context, shot, sign_in
from tests.browser.tracker_world import tracker_world
from tests.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "selection"


PHONE = 390


def _fits(page, where: str) -> None:
    """Nothing wider than the phone, measured against its own width: on a mobile viewport Chromium
    widens innerWidth to whatever overflows, so comparing with innerWidth alone would always pass."""
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= PHONE and inner == PHONE, (where, scroll, inner)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_run_and_comparison_read_well_on_a_phone(live_server, browser):
    from selaras.web.selection import services
    from selaras.web.selection.parameters import RunParameters

    world = tracker_world()
    params = RunParameters(budget=700_000_000)
    mes = services.start_run(world.gov, world.year, rule="mes", params=params, check=False, note="MES uji")
    greedy = services.start_run(world.gov, world.year, rule="greedy", params=params, check=False)
    base = live_server.url
    context = new_context(browser, phone=True)
    page = sign_in(context.new_page(), base, "bappeda")

    page.goto(f"{base}/seleksi/{mes.pk}/?tampil=semua")
    _fits(page, "hasil seleksi")
    reason = page.locator('td[data-label="Hasil dan alasan"]').first
    box = reason.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE  # in view, not off to the right
    assert "Terpilih" in reason.inner_text() or "Tidak terpilih" in reason.inner_text()
    chart = page.locator("figure.chart svg").first
    svg_box = chart.bounding_box()
    assert svg_box is not None and svg_box["width"] >= 640  # natural size: its text stays readable
    shot(page, "hp-hasil-seleksi", SHOTS)

    page.goto(f"{base}/seleksi/bandingkan/?a={mes.pk}&b={greedy.pk}")
    _fits(page, "perbandingan")
    assert page.locator("text=Tabel dan pemeriksaan di bagian ini untuk seleksi A").count() == 1
    # the two runs side by side are a card each: B's figures on screen, not past the right edge
    spent_b = page.locator('#compare-runs tbody tr').nth(1).locator('td[data-label="Biaya terpilih"]')
    box = spent_b.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    wide, shown = page.locator("#compare-runs").evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert wide <= shown <= PHONE, (wide, shown)
    shot(page, "hp-perbandingan", SHOTS)

    page.goto(f"{base}/seleksi/baru/")
    _fits(page, "formulir seleksi")
    box = page.locator('input[name="require_agency"]').bounding_box()
    assert box is not None and box["width"] < 40  # a checkbox, not a bar across the form
    shot(page, "hp-seleksi-baru", SHOTS)
    context.close()
