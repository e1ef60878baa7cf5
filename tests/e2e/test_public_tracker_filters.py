"""The public tracker's filters, pages and number lookup through the Django client (issue 15)."""

from __future__ import annotations

import re

import pytest

from tests.browser.proposal_world import DISTRICT, VILLAGE
from tests.browser.tracker_world import tracker_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return tracker_world()


def _rows(html: str) -> list[str]:
    return re.findall(r'<td data-label="Nomor" class="number"><a href="/publik/usulan/([^/]+)/">', html)


def test_village_page_counts_filters_and_pages(client, world) -> None:
    html = client.get(f"/publik/desa/{VILLAGE}/").content.decode()
    assert len(_rows(html)) == 25 and "Menampilkan 1–25 dari 32 usulan" in html
    assert 'aria-label="Halaman 2"' in html and 'rel="next"' in html
    assert "Diterima: 6" in html and "Ditolak: 6" in html and "Dalam proses: 5" in html
    page2 = client.get(f"/publik/desa/{VILLAGE}/", {"halaman": "2"}).content.decode()
    assert len(_rows(page2)) == 7 and 'rel="prev"' in page2
    far = client.get(f"/publik/desa/{VILLAGE}/", {"halaman": "999"}).content.decode()
    assert len(_rows(far)) == 7  # past the end: the last page
    only = client.get(f"/publik/desa/{VILLAGE}/", {"jalur": "agency_draft", "status": "accepted"}).content.decode()
    numbers = _rows(only)
    assert numbers and all("-PR-" in n for n in numbers)
    agency = client.get(f"/publik/desa/{VILLAGE}/", {"pd": str(world.pupr.pk)}).content.decode()
    assert "dari 16 usulan yang cocok" in agency
    found = client.get(f"/publik/desa/{VILLAGE}/", {"q": "DRAINASE"}).content.decode()
    assert "dari 11 usulan yang cocok" in found
    by_cost = _rows(client.get(f"/publik/desa/{VILLAGE}/", {"urut": "biaya-tertinggi"}).content.decode())
    assert by_cost[0].endswith("-000032")


def test_kecamatan_and_district_pages_list_the_same_proposals(client, world) -> None:
    district = client.get(f"/publik/kecamatan/{DISTRICT}/").content.decode()
    assert "dari 32 usulan" in district and "Desa Sukamaju" in district
    whole = client.get("/publik/daerah/32.16/", {"tahun": str(world.year)}).content.decode()
    assert "dari 32 usulan" in whole and "Kecamatan Tambun Selatan" in whole
    assert f">{world.year}<" in whole  # the year in the filter, never '2.0xx'


@pytest.mark.parametrize("query", [{"halaman": "0"}, {"halaman": "²"}, {"jalur": "x"}, {"status": "draft"},
                                   {"tahun": "1e30"}, {"pd": "-1"}, {"urut": "acak"}, {"q": "x" * 101},
                                   {"q": "\x00"}])
def test_bad_values_are_400_never_500(client, world, query) -> None:
    assert client.get(f"/publik/desa/{VILLAGE}/", query).status_code == 400


def test_number_lookup_is_case_insensitive_and_partial(client, world) -> None:
    number = f"3216-{world.year}-MD-000002"
    for typed in (number.lower(), f"3216 {world.year} md 2", "md-2", f"{world.year}-md-000002"):
        response = client.get("/publik/", {"nomor": typed})
        assert response.status_code == 302 and response["Location"] == f"/publik/usulan/{number}/", typed
    assert client.get(f"/publik/usulan/{number.lower()}/")["Location"] == f"/publik/usulan/{number}/"
    many = client.get("/publik/", {"nomor": f"{world.year}-md"})
    assert many.status_code == 200 and "Beberapa usulan cocok" in many.content.decode()
    assert client.get("/publik/", {"nomor": "zz-99"}).status_code == 404


def test_favicon_is_answered(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("selaras/favicon.svg")
    assert 'rel="icon"' in client.get("/publik/").content.decode()


def test_admin_headings_are_indonesian(admin_client) -> None:
    html = admin_client.get("/admin/").content.decode()
    for english in (">Alignment<", ">Axes<", ">Proposals<", ">Reference<", ">Selection<"):
        assert english not in html, english
    assert "Usulan" in html and "Sinkronisasi" in html
