"""A selection run's result and the comparison of two runs on a phone (390 x 844), in a real Chromium:
no sideways scrolling of the page, proposals shown as cards with their reason in view, the fairness
chart fitted to the phone's width with its legend and names in view, the what-if ceilings as cards
with their boxes in view, amounts typed the Indonesian way kept as typed. Screenshots go to
test-artifacts/selection/."""

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
    frame = page.locator("figure.chart").first.bounding_box()
    assert svg_box is not None and frame is not None
    # fitted to its frame (it was a fixed 640 px in a 327 px box: legend and names cut off)
    assert 280 <= svg_box["width"] <= frame["width"] <= PHONE and svg_box["x"] >= 0, (svg_box, frame)
    right = svg_box["x"] + svg_box["width"]
    for text in chart.locator("text").all():  # every name, legend entry and percentage drawn whole, in view
        box = text.bounding_box()
        assert box is not None and box["x"] >= svg_box["x"] and box["x"] + box["width"] <= right + 1, (
            text.inner_html(), box, svg_box)
        assert box["height"] >= 9, box  # readable: its letters about 10 px or more
    SHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SHOTS / "hp-bagan-keadilan.png"))
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
    page.fill('input[name="budget"]', "1.000.000.000")  # a text box keeps the thousands points
    page.fill('input[name="ceiling_scale_percent"]', "90,5")
    assert page.input_value('input[name="budget"]') == "1.000.000.000"
    assert page.input_value('input[name="ceiling_scale_percent"]') == "90,5"
    shot(page, "hp-seleksi-baru", SHOTS)

    page.goto(f"{base}/seleksi/{mes.pk}/simulasi/")
    _fits(page, "simulasi pagu")
    assert page.input_value('input[name="budget"]') == "700.000.000"
    page.fill('input[name="budget"]', "4.500.000.000.000")
    assert page.input_value('input[name="budget"]') == "4.500.000.000.000"
    boxes = page.locator("#what-if-ceilings input")
    assert boxes.count() > 0
    for i in range(boxes.count()):  # each agency's ceiling box within the screen, not off to the right
        boxes.nth(i).scroll_into_view_if_needed()
        box = boxes.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE and box["width"] >= 120, box
    amount = page.locator('#what-if-ceilings td[data-label="Terpilih"]').first.bounding_box()
    assert amount is not None and amount["x"] + amount["width"] <= PHONE
    shot(page, "hp-simulasi", SHOTS)
    context.close()
