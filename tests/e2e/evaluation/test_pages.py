"""Monev pages on the demo district: every page renders (SVG charts, tables), the public dashboard
carries no internal note, and bad query values give 400, never 500."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from selaras.web.evaluation import services
from selaras.web.evaluation.access import viewer_for
from selaras.web.evaluation.models import (
    IndicatorRealisation,
    QuarterClosure,
    Realisation,
    RealisationRevision,
)
from selaras.web.plans.models import Agency, LocalGovernment, RenjaLine

pytestmark = pytest.mark.django_db


def _login(client: Client, demo_district, short: str) -> None:
    client.force_login(get_user_model().objects.get(username=demo_district.username(short)))


def test_demo_district_has_realisation(demo_district) -> None:
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    years = set(Realisation.objects.filter(line__renja__rkpd__government=government)
                .values_list("line__renja__rkpd__year", "quarter"))
    assert years == {(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)}
    assert IndicatorRealisation.objects.filter(indicator__rpjmd__government=government).exists()


def test_bappeda_pages_render(demo_district) -> None:
    client = Client()
    _login(client, demo_district, "bappeda")
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    agency = Agency.objects.filter(government=government).order_by("code").first()
    assert agency is not None
    for url in [
        reverse("evaluation:dashboard"), reverse("evaluation:dashboard") + "?tahun=2025",
        reverse("evaluation:agency_dashboard", args=[agency.pk]) + "?tahun=2025",
        reverse("evaluation:renja_list") + "?tahun=2025",
        reverse("evaluation:entry", args=[2025, agency.pk]) + "?triwulan=3",
        reverse("evaluation:quarters") + "?tahun=2026",
        reverse("evaluation:e81", args=[2025, agency.pk]), reverse("evaluation:e79", args=[2025]),
        reverse("evaluation:e80", args=[agency.pk]), reverse("evaluation:e78"),
        reverse("evaluation:public", args=[demo_district.region_code]),
        # a year without RKPD or realisation: empty charts, no error
        reverse("evaluation:dashboard") + "?tahun=2031", reverse("evaluation:renja_list") + "?tahun=2031",
        reverse("evaluation:public", args=[demo_district.region_code]) + "?tahun=2031",
        reverse("evaluation:indicators") + "?tahun=2031", reverse("evaluation:e79", args=[2025]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    dashboard = client.get(reverse("evaluation:dashboard") + "?tahun=2025").content.decode()
    assert dashboard.count("<svg") >= 6  # achievement, quarters, ceilings, trajectories, funnel, kecamatan
    assert "Pemerataan antarkecamatan" in dashboard
    assert "<table" in dashboard


def test_public_dashboard_shows_no_internal_note(demo_district) -> None:
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    # a correction after closing (its reason is internal) and a planner's note on a Renja line
    line = RenjaLine.objects.filter(renja__rkpd__government=government, renja__rkpd__year=2025).order_by("id").first()
    assert line is not None and QuarterClosure.objects.filter(government=government, year=2025, quarter=4).exists()
    bappeda = viewer_for(get_user_model().objects.get(username=demo_district.username("bappeda")))
    services.record(bappeda, line, 4, services.Entry(volume=Decimal(3), spent=1_234_567,
                                                     hindered="Rahasia: rekanan wanprestasi"),
                    reason="Koreksi internal: salah ketik SP2D nomor 77")
    assert RealisationRevision.objects.filter(reason__startswith="Koreksi internal", after_closing=True).exists()
    RenjaLine.objects.filter(pk=line.pk).update(note="Catatan internal perencana: tunda lelang")
    notes = {"Koreksi internal: salah ketik SP2D nomor 77", "Catatan internal perencana: tunda lelang"}
    for r in Realisation.objects.filter(line__renja__rkpd__government=government):
        notes.update(t for t in (r.helped, r.hindered, r.follow_up) if t)
    assert "Rahasia: rekanan wanprestasi" in notes, "the demo writes notes"
    for year in (2025, 2026):
        page = Client().get(reverse("evaluation:public", args=[demo_district.region_code]) + f"?tahun={year}")
        assert page.status_code == 200
        text = html.unescape(page.content.decode())
        assert "<svg" in text
        leaked = [n for n in notes if n in text]
        assert not leaked
        assert 'href="/evaluasi/publik/"' in text  # the menu leads anyone to this page
    # the menu item opens the district's dashboard (one government here)
    assert Client().get("/evaluasi/publik/").status_code == 302


@pytest.mark.parametrize("query", ["?tahun=abc", "?tahun=99999", "?tahun=%00", "?tahun=²"])
def test_bad_year_is_400(demo_district, query: str) -> None:
    client = Client()
    _login(client, demo_district, "bappeda")
    assert client.get(reverse("evaluation:dashboard") + query).status_code == 400
    assert Client().get(reverse("evaluation:public", args=[demo_district.region_code]) + query).status_code == 400


def test_village_operator_and_anonymous_are_kept_out(demo_district) -> None:
    client = Client()
    _login(client, demo_district, "desa")
    assert client.get(reverse("evaluation:dashboard")).status_code == 403
    anonymous = Client().get(reverse("evaluation:dashboard"))
    assert anonymous.status_code == 302 and "/masuk/" in anonymous["Location"]


def test_agency_sees_only_its_own(demo_district) -> None:
    client = Client()
    _login(client, demo_district, "pupr")
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    own = Agency.objects.get(government=government, short_name="Dinas PUPR")
    other = Agency.objects.filter(government=government).exclude(pk=own.pk).first()
    assert other is not None
    assert client.get(reverse("evaluation:dashboard")).status_code == 302
    assert client.get(reverse("evaluation:agency_dashboard", args=[own.pk])).status_code == 200
    for url in [reverse("evaluation:agency_dashboard", args=[other.pk]), reverse("evaluation:e81", args=[2025, other.pk]),
                reverse("evaluation:entry", args=[2025, other.pk]), reverse("evaluation:e80", args=[other.pk]),
                reverse("evaluation:e79", args=[2025])]:
        assert client.get(url).status_code == 403, url
    listing = client.get(reverse("evaluation:renja_list") + "?tahun=2025").content.decode()
    assert set(re.findall(r"/evaluasi/e81/2025/pd/(\d+)/", listing)) == {str(own.pk)}


def test_dashboards_of_an_unfinished_year_rate_what_was_due_so_far(demo_district) -> None:
    """2026 has realisation of quarters I-II only: the dashboards say "s.d. Triwulan II" and measure
    the achievement against what was due by then (additive K and Rp: a quarter of the year's target
    and pagu per quarter), so agencies keeping pace are not all "sangat rendah"; the official E.81
    keeps its annual definition (col 13 = 12 / 7 of the whole year)."""
    from selaras.engines.evaluation import Aggregation, Rating
    from selaras.web.evaluation import dashboards, selectors

    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    assert dashboards.reported_through(government, 2026) == 2
    assert dashboards.reported_through(government, 2025) == 4
    data = dashboards.bappeda_dashboard(government, 2026)
    ratings = [s.k.rating for s in data["summaries"] if s.k.rating is not None]
    assert ratings and ratings.count(Rating.VERY_LOW) * 2 < len(ratings), ratings
    assert data["through"] == 2 and data["through_label"] == "Triwulan II"
    # a line of an additive indicator: its due target is half the year's; E.81 keeps the year's
    pupr = Agency.objects.get(government=government, short_name="Dinas PUPR")
    official = selectors.e81_for_agency(government, 2026, pupr.pk)
    assert official is not None
    first = next(i for i in official.inputs if i.aggregation is Aggregation.SUM and i.year_target.value)
    row = next(r for r in official.rows if r.code == first.code and r.level is first.level)
    assert row.k_year_target == first.year_target.value
    agency = dashboards.agency_dashboard(government, 2026, pupr.pk)
    assert agency is not None and agency["through"] == 2
    summary, pagu = agency["summary"], sum(i.year_budget or 0 for i in official.inputs)
    assert summary.budget == pagu and abs(summary.due_budget * 2 - pagu) <= len(official.inputs)
    assert summary.rp.percent == (Decimal(summary.spent) * 100 / summary.due_budget).quantize(Decimal("0.01"))

    client = Client()
    _login(client, demo_district, "bappeda")
    for url in (reverse("evaluation:dashboard") + "?tahun=2026",
                reverse("evaluation:agency_dashboard", args=[pupr.pk]) + "?tahun=2026",
                reverse("evaluation:public", args=[demo_district.region_code]) + "?tahun=2026"):
        page = html.unescape((client if "publik" not in url else Client()).get(url).content.decode())
        assert "s.d. Triwulan II" in page, url
        assert "sementara" in page, url
    full = html.unescape(client.get(reverse("evaluation:dashboard") + "?tahun=2025").content.decode())
    assert "s.d. Triwulan IV" in full and "sementara" not in full
