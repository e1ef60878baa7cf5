"""Numbers typed and shown in monev's forms the Indonesian way (found by a user walkthrough): a
stored 0,71 was offered back as '0.7100' and Rp 31.117.000 as '31117000'; a typed '1.500' (people)
was stored as 1,5 in realisation and indicator values while the plan editor reads it as 1500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from selaras.web.evaluation.models import IndicatorRealisation, Realisation
from selaras.web.plans.models import Indicator
from tests.integration.evaluation.test_realisation import YEAR, _agencies, _client, _line

pytestmark = pytest.mark.django_db


def test_the_line_form_offers_stored_values_as_people_write_them(demo_district) -> None:
    own, _ = _agencies(demo_district)
    line = _line(own)
    client = _client(demo_district, "pupr")
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=3"
    client.post(url, {"volume": "0,71", "spent": "31.117.000"}, HTTP_HX_REQUEST="true")
    form = client.get(url + "&ubah=1", HTTP_HX_REQUEST="true").content.decode()
    assert 'value="0,71"' in form and 'value="31.117.000"' in form
    assert "0.7100" not in form and "31117000" not in form
    # sent back unchanged, the form stores the same values
    client.post(url, {"volume": "0,71", "spent": "31.117.000"}, HTTP_HX_REQUEST="true")
    stored = Realisation.objects.get(line=line, quarter=3)
    assert (stored.volume, stored.spent) == (Decimal("0.71"), 31_117_000)


def test_a_typed_thousand_is_a_thousand_in_the_line_form(demo_district) -> None:
    own, _ = _agencies(demo_district)
    line = _line(own)
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=3"
    _client(demo_district, "pupr").post(url, {"volume": "1.500", "spent": ""}, HTTP_HX_REQUEST="true")
    assert Realisation.objects.get(line=line, quarter=3).volume == Decimal(1500)


def test_indicator_values_typed_and_shown_the_indonesian_way(demo_district) -> None:
    indicator = Indicator.objects.filter(rpjmd__government_id=demo_district.government_id).order_by("id").first()
    assert indicator is not None
    bappeda = _client(demo_district, "bappeda")
    url = reverse("evaluation:indicators") + f"?tahun={YEAR}"
    assert bappeda.post(url, {f"nilai_{indicator.pk}": "83,95", f"sumber_{indicator.pk}": "BPS"}).status_code == 302
    page = bappeda.get(url).content.decode()
    assert f'name="nilai_{indicator.pk}" inputmode="decimal" value="83,95"' in page and "83.9500" not in page
    assert bappeda.post(url, {f"nilai_{indicator.pk}": "1.500", f"sumber_{indicator.pk}": "BPS"}).status_code == 302
    assert IndicatorRealisation.objects.get(indicator=indicator, year=YEAR).value == Decimal(1500)
    assert bappeda.post(url, {f"nilai_{indicator.pk}": "-1,25"}).status_code == 302  # a growth rate may fall
    assert 'value="-1,25"' in bappeda.get(url).content.decode()


def test_one_agency_entering_the_next_quarter_early_does_not_move_the_district(demo_district) -> None:
    """2026 has quarters I-II from every agency. Dinas PUPR saves one line of quarter III: its own
    dashboard now reads "s.d. Triwulan III", but the district's and the public dashboards stay at
    Triwulan II (every other agency was rated against three quarters and read "sangat rendah")."""
    from selaras.engines.evaluation import Rating
    from selaras.web.evaluation import dashboards
    from selaras.web.plans.models import LocalGovernment

    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    own, other = _agencies(demo_district)
    before = dashboards.bappeda_dashboard(government, YEAR)
    url = reverse("evaluation:line_quarter", args=[_line(own).pk]) + "?triwulan=3"
    assert _client(demo_district, "pupr").post(url, {"volume": "1", "spent": "1.000"},
                                               HTTP_HX_REQUEST="true").status_code == 200
    assert dashboards.reported_through(government, YEAR) == 2
    after = dashboards.bappeda_dashboard(government, YEAR)
    assert after["through"] == 2
    ratings = [s.k.rating for s in after["summaries"] if s.k.rating is not None]
    assert ratings.count(Rating.VERY_LOW) * 2 < len(ratings), ratings
    unchanged = {s.agency_id: s.k.percent for s in before["summaries"] if s.agency_id != own.pk}
    assert unchanged == {s.agency_id: s.k.percent for s in after["summaries"] if s.agency_id != own.pk}
    assert dashboards.public_dashboard(government, YEAR)["through"] == 2
    mine = dashboards.agency_dashboard(government, YEAR, own.pk)
    theirs = dashboards.agency_dashboard(government, YEAR, other.pk)
    assert mine is not None and mine["through"] == 3
    assert theirs is not None and theirs["through"] == 2
