"""The fairness table of a selection run compares each kecamatan's money share with its share of
the population. The packaged reference data has no kecamatan population, so the demo gives its
kecamatan synthetic figures (`selaras.demo.population`); a kecamatan whose population is still
unknown is said so in words ("penduduk belum diisi"), never shown as a bare "-"."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from selaras.demo.population import district_population
from selaras.web.plans.models import AnnualPlan, LocalGovernment
from selaras.web.reference.models import Region
from selaras.web.selection import selectors, services
from selaras.web.selection.parameters import RunParameters

BUDGET = 60_000_000_000


def _client(demo, short: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(get_user_model().objects.get(username=demo.username(short)))
    return client


def _run(demo):  # noqa: ANN001, ANN202
    gov = LocalGovernment.objects.get(pk=demo.government_id)
    year = AnnualPlan.objects.filter(government=gov).order_by("-year").values_list("year", flat=True)[0]
    return services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET), check=False)


def _population_cells(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r'data-label="Bagian penduduk">([^<]*)<', html)]


def test_synthetic_figures_add_up_to_the_regency() -> None:
    figures = district_population([("32.15.01", 12), ("32.15.02", 8), ("32.15.03", 0)], 2_500_000)
    assert sum(figures.values()) == 2_500_000 and min(figures.values()) > 0
    assert figures == district_population([("32.15.03", 0), ("32.15.02", 8), ("32.15.01", 12)], 2_500_000)
    unknown = district_population([("32.15.01", 10)], None)
    assert 0.6 * 34_000 <= unknown["32.15.01"] <= 1.4 * 34_000
    assert district_population([], 100) == {}


@pytest.mark.django_db
def test_demo_kecamatan_have_population(demo_district) -> None:  # noqa: ANN001
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    kecamatan = Region.objects.filter(edition=gov.region_edition, level=3, code__startswith=f"{gov.region_code}.")
    regency = Region.objects.get(edition=gov.region_edition, code=gov.region_code).population
    assert kecamatan.exists() and not kecamatan.filter(population__isnull=True).exists()
    assert sum(kecamatan.values_list("population", flat=True)) == regency


@pytest.mark.django_db
def test_fairness_table_shows_population_share_of_every_kecamatan(demo_district) -> None:  # noqa: ANN001
    run = _run(demo_district)
    fairness = selectors.fairness_view(run)
    assert fairness is not None and fairness["has_population"]
    located = [r for r in fairness["rows"] if r["area"]]
    assert located and all(r["population_share"] is not None for r in located)
    html = _client(demo_district, "bappeda").get(f"/seleksi/{run.pk}/").content.decode()
    assert "Data jumlah penduduk kecamatan belum ada" not in html
    cells = _population_cells(html)
    assert cells and "-" not in cells
    assert all(c.endswith("%") for c in cells[:len(located)])
    # the demo's figures are synthetic, and the page says so (they were written unmarked before)
    assert fairness["synthetic_population"] == len(located)
    assert f"Jumlah penduduk {len(located)} kecamatan adalah angka contoh (sintetis)" in html


@pytest.mark.django_db
def test_official_population_is_not_called_synthetic(demo_district) -> None:  # noqa: ANN001
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    Region.objects.filter(edition=gov.region_edition, level=3, code__startswith=f"{gov.region_code}.").update(
        population_synthetic=False)
    run = _run(demo_district)
    assert selectors.fairness_view(run)["synthetic_population"] == 0
    html = _client(demo_district, "bappeda").get(f"/seleksi/{run.pk}/").content.decode()
    assert "fairness-synthetic" not in html


@pytest.mark.django_db
def test_unknown_population_is_said_in_words(demo_district) -> None:  # noqa: ANN001
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    first = _run(demo_district)
    area = next(r["area"] for r in selectors.fairness_view(first)["rows"] if r["area"])
    Region.objects.filter(edition=gov.region_edition, code=area).update(population=None)
    run = _run(demo_district)
    client = _client(demo_district, "bappeda")
    html = client.get(f"/seleksi/{run.pk}/").content.decode()
    cells = _population_cells(html)
    assert "-" not in cells and "penduduk belum diisi" in cells
    assert "1 kecamatan belum diisi jumlah penduduknya" in html
    # the comparison page uses the same table
    html = client.get(f"/seleksi/bandingkan/?a={run.pk}&b={first.pk}").content.decode()
    assert "penduduk belum diisi" in _population_cells(html)
    # hostile ids never give a 500
    for url in ["/seleksi/999999999999/", "/seleksi/bandingkan/?a=x&b=%00", f"/seleksi/bandingkan/?a={run.pk}&b=-1",
                "/seleksi/bandingkan/?a=99999999999999999999999&b=1"]:
        assert client.get(url).status_code in (200, 400, 404), url


@pytest.mark.django_db
def test_region_pages_mark_the_synthetic_population(demo_district) -> None:  # noqa: ANN001
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    kecamatan = Region.objects.filter(edition=gov.region_edition, level=3,
                                      code__startswith=f"{gov.region_code}.").first()
    client = _client(demo_district, "bappeda")
    html = client.get(f"/referensi/wilayah/{kecamatan.code}/").content.decode()
    assert "(angka contoh sintetis, bukan data resmi)" in html
    html = client.get(f"/referensi/wilayah/{gov.region_code}/").content.decode()  # its kecamatan listed
    assert "(contoh)</small>" in html
    regency = client.get(f"/referensi/wilayah/{gov.region_code}/").content.decode().split("<table")[0]
    assert "angka contoh sintetis" not in regency  # the regency's own figure is official


@pytest.mark.django_db
def test_evaluation_dashboard_marks_the_synthetic_population(demo_district) -> None:  # noqa: ANN001
    html = _client(demo_district, "bappeda").get("/evaluasi/dasbor/").content.decode()
    assert "Pemerataan antarkecamatan" in html
    assert re.search(r"Jumlah penduduk \d+ kecamatan adalah angka contoh \(sintetis\)", html)
