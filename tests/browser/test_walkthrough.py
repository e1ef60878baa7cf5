"""What users hit first (issue 15), in a real Chromium: the menu by role, the public tracker's filters
and pages, the phone layout (390 x 844) without sideways scrolling, and accessibility checked by
axe-core (vendored in tests/data/axe-core, MPL-2.0, injected by the test). Screenshots go to
test-artifacts/walkthrough/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.pages import follow, new_context, shot, sign_in
from tests.browser.proposal_world import DISTRICT, VILLAGE, build_world
from tests.browser.tracker_world import tracker_world as _tracker_world
from tests.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "walkthrough"
AXE = Path(__file__).resolve().parent.parent / "data" / "axe-core" / "axe.min.js"
#: A year printed with a thousands separator ('2.027'), not part of a larger grouped number.
GROUPED_YEAR = re.compile(r"(?<![\d.,])2\.0\d\d(?![\d.,])")

# Menu items each role must see, and must not see (the menu shows only what the role can use).
EXPECTED_MENU: dict[str | None, tuple[set[str], set[str]]] = {
    None: ({"Lacak usulan"}, {"Beranda", "Usulan", "Rencana", "Seleksi", "Sinkronisasi", "Referensi"}),
    "desa": ({"Beranda", "Usulan", "Lacak usulan"},
             {"Musrenbang Kecamatan", "Penugasan", "Seleksi", "Sinkronisasi", "Verifikasi", "Rencana"}),
    "camat": ({"Beranda", "Usulan", "Musrenbang Kecamatan", "Lacak usulan"},
              {"Penugasan", "Seleksi", "Sinkronisasi", "Verifikasi"}),
    "perencana_pupr": ({"Beranda", "Usulan", "Verifikasi", "Usulan masuk Renja", "Rencana"},
                       {"Musrenbang Kecamatan", "Penugasan", "Seleksi", "Sinkronisasi"}),
    "bappeda": ({"Beranda", "Usulan", "Penugasan", "Sinkronisasi", "Rencana", "Seleksi"}, set()),
    "dprd": ({"Beranda", "Usulan", "Rencana"}, {"Musrenbang Kecamatan", "Penugasan", "Seleksi", "Sinkronisasi"}),
    "tapd": ({"Beranda", "Seleksi", "Usulan masuk Renja", "Rencana"},
             {"Musrenbang Kecamatan", "Penugasan", "Sinkronisasi", "Verifikasi"}),
}


def _menu(page) -> list[str]:
    return [t.strip() for t in page.locator("header.top nav a").all_inner_texts()]


def _no_grouped_year(page, where: str) -> None:
    text = page.inner_text("body")
    found = GROUPED_YEAR.search(text)
    assert found is None, f"{where}: a year printed as {found.group(0)!r}"


def _axe(page, where: str) -> None:
    """Serious or critical accessibility violations of the page (axe-core), none allowed."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through the DevTools protocol: the CSP stays on
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"{where}: {bad}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_menu_shows_each_role_what_it_can_use(live_server, browser):
    build_world()
    base = live_server.url
    for username, (must, must_not) in EXPECTED_MENU.items():
        context = new_context(browser)
        if username is None:
            page = context.new_page()
            page.goto(f"{base}/publik/")
        else:
            page = sign_in(context.new_page(), base, username)
        items = _menu(page)
        assert must <= set(items), (username, items)
        assert not must_not & set(items), (username, items)
        # every item opens for this role: no bounce to the login, no refusal
        for href in page.locator("header.top nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            response = context.request.get(f"{base}{href}")
            # (a page may still say "no data yet" with a 404 in this small world; never a refusal)
            assert response.status in (200, 404) and "/masuk/" not in response.url, (
                username, href, response.status, response.url)
        shot(page, f"menu-{username or 'anonim'}", SHOTS)
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_village_page_filters_searches_and_pages(live_server, browser):
    world = _tracker_world()
    base = live_server.url
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{base}/publik/desa/{VILLAGE}/")
    assert "Usulan Desa Sukamaju" in page.inner_text("h1")
    assert "Menampilkan 1–25 dari 32 usulan" in page.inner_text(".tracker")
    # page numbers both ways
    follow(page, "nav.pager >> text=2")
    assert "Menampilkan 26–32 dari 32" in page.inner_text(".tracker")
    follow(page, "nav.pager >> text=« Sebelumnya")
    assert "Menampilkan 1–25 dari 32" in page.inner_text(".tracker")
    # Diterima and Ditolak look different
    accepted = page.locator(".tracker tbody .badge.status-accepted").first
    rejected = page.locator(".tracker tbody .badge.status-rejected").first
    style = "e => getComputedStyle(e).backgroundColor + ' ' + getComputedStyle(e).color"
    assert accepted.evaluate(style) != rejected.evaluate(style)
    # a number never wraps
    number = page.locator(".tracker tbody td.number").first
    assert number.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    # filter by channel, then by status through its count
    page.select_option("#f-jalur", "musrenbang_village")
    follow(page, ".tracker form button[type=submit]")
    assert "dari 24 usulan yang cocok" in page.inner_text(".tracker")
    channels = set(page.locator(".tracker tbody td[data-label=Jalur]").all_inner_texts())
    assert channels == {"Musrenbang Desa/Kelurahan"}
    follow(page, "ul.tallies >> text=Ditolak")
    statuses = set(page.locator(".tracker tbody td[data-label=Status] .badge").all_inner_texts())
    assert statuses == {"Ditolak"}
    shot(page, "desa-ditolak", SHOTS)
    # keyword search, combined with nothing else
    page.goto(f"{base}/publik/desa/{VILLAGE}/?q=drainase")
    titles = page.locator(".tracker tbody td.title").all_inner_texts()
    assert titles and all("drainase" in t.lower() for t in titles)
    # a partial number typed in lower case finds its proposal
    page.goto(f"{base}/publik/?nomor=md-2")
    assert page.url.endswith(f"/publik/usulan/3216-{world.year}-MD-000002/")
    # the kecamatan and the district trackers show the same proposals
    page.goto(f"{base}/publik/kecamatan/{DISTRICT}/?status=accepted")
    assert "Diterima: 6" in page.inner_text("ul.tallies[aria-label='Jumlah usulan per status']")
    page.goto(f"{base}/publik/daerah/32.16/?urut=biaya-tertinggi")
    first = page.locator(".tracker tbody td[data-label='Perkiraan biaya']").first.inner_text()
    assert first == "Rp 131.000.000"
    _no_grouped_year(page, "daerah")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_layout_has_no_sideways_scrolling(live_server, browser):
    world = _tracker_world()
    base = live_server.url
    number = f"3216-{world.year}-MD-000002"
    pages = {"lacak": "/publik/", "daerah": "/publik/daerah/32.16/", "kecamatan": f"/publik/kecamatan/{DISTRICT}/",
             "desa": f"/publik/desa/{VILLAGE}/", "usulan": f"/publik/usulan/{number}/"}
    context = new_context(browser, phone=True)
    page = context.new_page()
    for name, path in pages.items():
        page.goto(f"{base}{path}")
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
        shot(page, f"hp-{name}", SHOTS)
    # the menu collapses behind its button and opens on a tap
    assert page.locator("header.top nav").is_hidden()
    page.click("button.menu-toggle")
    assert page.locator("header.top nav").is_visible()
    shot(page, "hp-menu-terbuka", SHOTS)
    context.close()
    # the village operator's proposal form, with the user's name not clipped
    context = new_context(browser, phone=True)
    page = sign_in(context.new_page(), base, "desa")
    page.goto(f"{base}/usulan/baru/")
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], ("/usulan/baru/", width)
    page.click("button.menu-toggle")
    name = page.locator("header.top .user-name")
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    box = name.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(page, "hp-usulan-baru", SHOTS)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_serious_accessibility_violation(live_server, browser):
    world = _tracker_world()
    base = live_server.url
    number = f"3216-{world.year}-MD-000002"
    context = new_context(browser)
    page = context.new_page()
    for path in ("/publik/", "/publik/daerah/32.16/", f"/publik/kecamatan/{DISTRICT}/", f"/publik/desa/{VILLAGE}/",
                 f"/publik/usulan/{number}/", "/masuk/"):
        page.goto(f"{base}{path}")
        _axe(page, path)
        _no_grouped_year(page, path)
    context.close()
    for username in ("desa", "camat", "perencana_pupr", "bappeda", "dprd", "tapd"):
        context = new_context(browser)
        page = sign_in(context.new_page(), base, username)
        _axe(page, f"beranda {username}")
        _no_grouped_year(page, f"beranda {username}")
        if username == "desa":
            page.goto(f"{base}/usulan/baru/")
            _axe(page, "/usulan/baru/")
            shot(page, "usulan-baru", SHOTS)
        context.close()
