"""The monev dashboards (Bappeda, TAPD, an agency, the public) in a real Chromium: charts drawn
(SVG), no console error, no request outside the server; a quarter entered in place with htmx. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.pages import new_context, shot, sign_in
from tests.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "browser" / "evaluasi"


class Watched:
    """A page whose console errors and requests are recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = new_context(browser, timeout_ms=20_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                     else self.outside.append(r.url))

    def login(self, username: str, password: str) -> None:
        sign_in(self.page, self.base, username, password)

    def dashboard(self, path: str, name: str, min_charts: int) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        self.page.wait_for_load_state("networkidle")
        charts = self.page.locator("svg.chart")
        assert charts.count() >= min_charts, path
        if min_charts:
            box = charts.first.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 50  # drawn, not collapsed
        shot(self.page, name, SHOTS)

    def check_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.outside, self.outside
        self.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboards_draw_their_charts(live_server, browser, demo_district):
    from selaras.web.evaluation.models import Realisation
    from selaras.web.plans.models import Agency, RenjaLine

    base = live_server.url
    bappeda = Watched(browser, base)
    bappeda.login(demo_district.username("bappeda"), demo_district.logins[demo_district.username("bappeda")])
    bappeda.dashboard("/evaluasi/dasbor/?tahun=2025", "01-dasbor-bappeda-2025", 5)
    bappeda.dashboard("/evaluasi/dasbor/?tahun=2026", "02-dasbor-bappeda-2026", 5)
    bappeda.check_clean()

    # the budget team (TAPD) reads the same district dashboard, reached from its menu
    tapd = Watched(browser, base)
    tapd.login(demo_district.username("tapd"), demo_district.logins[demo_district.username("tapd")])
    tapd.page.locator("header.top nav a", has_text="Evaluasi").first.click()
    tapd.page.wait_for_url(f"{base}/evaluasi/dasbor/")
    tapd.dashboard("/evaluasi/dasbor/?tahun=2025", "07-dasbor-tapd", 5)
    tapd.check_clean()

    pupr = Agency.objects.get(government_id=demo_district.government_id, short_name="Dinas PUPR")
    agency = Watched(browser, base)
    agency.login(demo_district.username("pupr"), demo_district.logins[demo_district.username("pupr")])
    agency.dashboard(f"/evaluasi/dasbor/pd/{pupr.pk}/?tahun=2025", "03-dasbor-pd", 4)
    # a quarter entered in place: the row becomes a form and back, without leaving the page
    line = RenjaLine.objects.filter(renja__agency=pupr, renja__rkpd__year=2026).order_by("code").first()
    assert line is not None
    page = agency.page
    page.goto(f"{base}/evaluasi/realisasi/2026/pd/{pupr.pk}/?triwulan=3")
    row = page.locator(f"#baris-{line.pk}")
    row.get_by_text("Ubah").click()
    page.wait_for_selector(f"#baris-{line.pk} form")
    page.fill(f"#v-{line.pk}", "4,5")
    page.fill(f"#s-{line.pk}", "2.500.000")
    page.fill(f"#k-{line.pk}", "Hujan deras")
    shot(page, "04-isi-triwulan", SHOTS)
    page.locator(f"#baris-{line.pk} button[type=submit]").click()
    page.wait_for_selector(f"#baris-{line.pk}:not(.editing)")
    assert "2.500.000" in page.inner_text(f"#baris-{line.pk}")
    assert page.url.endswith("?triwulan=3")  # still the same page
    assert Realisation.objects.get(line=line, quarter=3).spent == 2_500_000
    agency.dashboard(f"/evaluasi/e81/2025/pd/{pupr.pk}/", "05-e81", 0)  # a table page: no chart
    agency.check_clean()

    public = Watched(browser, base)
    public.page.goto(f"{base}/publik/")  # the public menu leads to the dashboard
    public.page.locator("header.top nav a", has_text="Capaian kinerja").first.click()
    public.page.wait_for_url(f"{base}/evaluasi/publik/{demo_district.region_code}/")
    public.dashboard(f"/evaluasi/publik/{demo_district.region_code}/?tahun=2025", "06-dasbor-publik", 3)
    assert "Hujan deras" not in public.page.content()
    public.check_clean()
