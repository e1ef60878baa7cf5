"""Pages a reviewer read on a phone (360 px wide), in a real Chromium: the monev dashboards and the
public one fit the screen (no sideways scrolling of the page; a chart keeps a readable size and
scrolls inside its own frame), every public chart has a visible title that is also its accessible
name, a Renja's rupiah amounts are shown whole in their inputs, and the tracker's example number
carries the plan year being prepared. Screenshots go to test-artifacts/browser/hp/."""

from __future__ import annotations

import pytest

from tests.browser.pages import shot, sign_in
from tests.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "browser" / "hp"
WIDTH = 360


def _phone(browser, width: int = WIDTH):
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 780}, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(20_000)
    return context


def _fits(page, where: str, width: int = WIDTH) -> None:
    """Nothing wider than the phone. On a mobile viewport Chromium widens the layout viewport
    (innerWidth) to what overflows, so the page is measured against the phone's own width."""
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= width and inner == width, (where, scroll, inner)


def _charts_titled(page, where: str) -> int:
    """Every chart sits in a figure whose caption, shown above it, is the chart's title; the
    figure and the chart (role img) are named by it for a screen reader."""
    charts = page.locator("svg.chart")
    figures = page.locator("figure.chart-block")
    count = charts.count()
    assert count and figures.count() == count, where  # each chart in a figure of its own
    for i in range(count):
        figure = figures.nth(i)
        chart = figure.locator("svg.chart")
        title = (chart.locator("title").first.text_content() or "").strip()
        caption = figure.locator("figcaption")
        assert caption.is_visible(), (where, title)
        assert (caption.text_content() or "").strip() == title != "", (where, title)
        box = caption.bounding_box()
        assert box is not None and box["height"] > 10  # a line of text, not an empty line
        assert page.get_by_role("figure", name=title, exact=True).count() >= 1, (where, title)
        assert chart.get_attribute("role") == "img"
        assert page.get_by_role("img", name=title, exact=True).count() >= 1, (where, title)
    return count


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboards_fit_a_phone_and_public_charts_have_titles(live_server, browser, demo_district):
    from selaras.web.plans.models import Agency

    base = live_server.url
    context = _phone(browser)
    page = context.new_page()
    page.goto(f"{base}/evaluasi/publik/{demo_district.region_code}/?tahun=2025")
    _fits(page, "dasbor publik")
    assert _charts_titled(page, "dasbor publik") >= 3
    assert page.locator("figcaption", has_text="Capaian kinerja per perangkat daerah, tahun 2025").is_visible()
    # a line chart keeps its drawn size (text about 12 px) inside a frame that scrolls, not the page
    frame = page.locator(".chart-scroll").first
    box, svg_box = frame.bounding_box(), frame.locator("svg.chart").bounding_box()
    assert box is not None and svg_box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH and svg_box["width"] >= 540
    shot(page, "01-dasbor-publik", SHOTS)
    context.close()

    context = _phone(browser)
    bappeda = demo_district.username("bappeda")
    page = sign_in(context.new_page(), base, bappeda, demo_district.logins[bappeda])
    page.goto(f"{base}/evaluasi/dasbor/?tahun=2025")
    _fits(page, "dasbor Bappeda")
    _charts_titled(page, "dasbor Bappeda")
    shot(page, "02-dasbor-bappeda", SHOTS)
    pupr = Agency.objects.get(government_id=demo_district.government_id, short_name="Dinas PUPR")
    page.goto(f"{base}/evaluasi/dasbor/pd/{pupr.pk}/?tahun=2025")
    _fits(page, "dasbor perangkat daerah")
    _charts_titled(page, "dasbor perangkat daerah")
    shot(page, "03-dasbor-pd", SHOTS)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_renja_amounts_show_whole_on_a_phone(live_server, browser, demo_district):
    from selaras.web.plans.models import Agency, AgencyAnnualPlan

    base = live_server.url
    pupr = Agency.objects.get(government_id=demo_district.government_id, short_name="Dinas PUPR")
    renja = AgencyAnnualPlan.objects.filter(agency=pupr).order_by("-rkpd__year").first()
    assert renja is not None
    context = _phone(browser)
    planner = demo_district.username("pupr")
    page = sign_in(context.new_page(), base, planner, demo_district.logins[planner])
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    _fits(page, "Renja")
    amounts = page.locator('input.cell[id$="-budget"], input.cell[id$="-forward_estimate"]')
    assert amounts.count() >= 2
    # the widest amount a Renja line can hold is shown whole: nothing scrolls inside the input
    first = amounts.first
    first.fill("999.999.999.999")
    clipped = page.evaluate("""() => [...document.querySelectorAll(
        'input.cell[id$="-budget"], input.cell[id$="-forward_estimate"]')]
        .filter(i => i.scrollWidth > i.clientWidth).map(i => [i.id, i.value, i.clientWidth, i.scrollWidth])""")
    assert clipped == []
    # the direction of every line (naik / turun / rentang) is read whole in its dropdown
    narrow = page.evaluate("""() => [...document.querySelectorAll('select.cell[id$="-direction"]')]
        .filter(s => s.getBoundingClientRect().width < 90).map(s => s.id)""")
    assert narrow == []
    first.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "04-renja-pagu.png"))
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tracker_example_number_has_the_plan_year_being_prepared(live_server, browser, demo_district):
    from selaras.web.plans.models import LocalGovernment
    from selaras.web.proposals.windows import planning_year

    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    year = planning_year(government)
    expected = f"mis. {demo_district.region_code.replace('.', '')}-{year}-MD-000123"
    base = live_server.url
    context = _phone(browser)
    page = context.new_page()
    for path in ("/publik/", f"/publik/daerah/{demo_district.region_code}/", "/publik/?nomor=tidak-ada"):
        page.goto(base + path)
        assert page.get_attribute("#nomor", "placeholder") == expected, path
        _fits(page, path)
    page.goto(f"{base}/publik/daerah/{demo_district.region_code}/")
    shot(page, "05-lacak-usulan", SHOTS)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_closed_quarter_entry_and_nomenclature_fit_a_390_px_phone(live_server, browser, demo_district):
    """A closed quarter's warning badge wraps (it widened the page to 522 px) and the nomenclature
    table scrolls inside its own frame (the page widened to 404 px)."""
    from selaras.web.evaluation.models import QuarterClosure
    from selaras.web.plans.models import Agency

    width = 390
    closure = QuarterClosure.objects.filter(government_id=demo_district.government_id, year=2026).order_by(
        "quarter").first()
    assert closure is not None, "the demo closes a quarter of 2026"
    pupr = Agency.objects.get(government_id=demo_district.government_id, short_name="Dinas PUPR")
    base = live_server.url
    context = _phone(browser, width)
    bappeda = demo_district.username("bappeda")
    page = sign_in(context.new_page(), base, bappeda, demo_district.logins[bappeda])
    page.goto(f"{base}/evaluasi/realisasi/2026/pd/{pupr.pk}/?triwulan={closure.quarter}")
    badge = page.locator(".badge", has_text="Triwulan ini sudah ditutup")
    assert badge.count() == 1
    _fits(page, "realisasi triwulan ditutup", width)
    # the whole sentence is on the screen, not cut off at its right edge
    for box in badge.evaluate("b => [...b.getClientRects()].map(r => [r.left, r.right])"):
        assert box[0] >= 0 and box[1] <= width, box
    shot(page, "06-realisasi-triwulan-ditutup", SHOTS)
    page.goto(f"{base}/referensi/nomenklatur/")
    assert page.locator("table").count() >= 1
    _fits(page, "nomenklatur", width)
    page.goto(f"{base}/referensi/nomenklatur/?q=imunisasi")
    _fits(page, "nomenklatur (cari)", width)
    wrapped = page.evaluate("""() => [...document.querySelectorAll('table')].every(
        t => getComputedStyle(t.parentElement).overflowX === 'auto')""")
    assert wrapped
    shot(page, "07-nomenklatur", SHOTS)
    context.close()
