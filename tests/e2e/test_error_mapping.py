"""One error path: a SelarasError becomes 400/403/404/409 on pages (friendly Bahasa page) and in
the API (JSON code, detail, params), through real views and through one test page per family."""

from __future__ import annotations

import pytest
from django.test import override_settings

from selaras.web.proposals.models import StageWindow
from tests.browser.proposal_world import build_world

pytestmark = pytest.mark.django_db

TEST_URLS = "tests.e2e.error_urls"


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize(("key", "status", "text"), [
    ("400", 400, "Isian uji tidak sah."), ("403", 403, "Peran uji tidak berwenang."),
    ("404", 404, "Data uji tidak ditemukan."), ("409", 409, "Tahap uji sudah ditutup."),
    ("409c", 409, "Permintaan tidak dapat dijalankan pada keadaan data saat ini."),
])
@override_settings(ROOT_URLCONF=TEST_URLS)
def test_pages_map_each_family(client, key, status, text) -> None:
    response = client.get(f"/uji-galat/{key}/")
    html = response.content.decode()
    assert response.status_code == status and text in html
    assert "<!doctype html>" in html.lower() and "Selaras" in html  # a whole page in the site's frame


@pytest.mark.parametrize(("key", "status", "code", "params"), [
    ("400", 400, "invalid_input", {"field": "judul"}), ("403", 403, "not_permitted", {"action": "uji"}),
    ("404", 404, "not_found", {}), ("409", 409, "stage_closed", {"stage": "village", "year": 2027}),
])
@override_settings(ROOT_URLCONF=TEST_URLS)
def test_api_handler_answers_json(client, key, status, code, params) -> None:
    response = client.get(f"/uji-api/galat/{key}")
    assert response.status_code == status
    from tests.e2e.error_urls import RAISED

    assert response.json() == {"code": code, "detail": RAISED[key].message, "params": params}


def test_real_pages_use_the_family_status(world, client) -> None:
    client.force_login(world.desa)
    bad = client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year, "title": "X",
                                        "volume": "1", "unit": "m", "estimated_cost": "1000",
                                        "latitude": "52.1", "longitude": "4.3"})
    assert bad.status_code == 400 and "di luar wilayah Indonesia" in bad.content.decode()
    StageWindow.objects.filter(government=world.gov, stage="village").update(closed_manually=True)
    closed = client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year, "title": "X",
                                           "volume": "1", "unit": "m", "estimated_cost": "1000"})
    assert closed.status_code == 409 and "sudah ditutup oleh Bappeda" in closed.content.decode()
    missing = client.get("/usulan/2027-9999-X-000001/")
    assert missing.status_code == 404 and "Usulan tidak ditemukan atau di luar lingkup Anda." in missing.content.decode()
    client.force_login(world.users["tanpa_peran"])
    refused = client.get("/usulan/baru/")
    assert refused.status_code == 403 and "belum memiliki peran" in refused.content.decode()


def test_real_api_answers_json(world, client) -> None:
    client.force_login(world.desa)
    refused = client.post("/api/seleksi/runs", {"government": "32.16", "year": world.year},
                          content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_permitted" and refused.json()["params"] == {"action": "select"}
    assert refused.json()["detail"].startswith("Hanya Bappeda, administrator, atau Tim Anggaran (TAPD)")
    client.force_login(world.users["bappeda"])
    bad = client.post("/api/seleksi/runs", {"government": "32.16", "year": world.year, "rule": "undian"},
                      content_type="application/json")
    assert bad.status_code == 400
    assert bad.json() == {"code": "invalid_input", "detail": "aturan seleksi tidak dikenal: undian", "params": {}}
    missing = client.post("/api/seleksi/runs", {"government": "99.99", "year": world.year},
                          content_type="application/json")
    assert missing.status_code == 404 and "tidak ditemukan" in missing.json()["detail"]



def test_api_validation_errors_are_bahasa(world, client) -> None:
    client.force_login(world.users["bappeda"])
    wrong_type = client.get("/api/seleksi/runs/1/outcomes", {"offset": "abc"})
    assert wrong_type.status_code == 422
    body = wrong_type.json()
    assert body["code"] == "api_invalid_request" and "offset harus bilangan bulat" in body["detail"]
    assert body["params"]["fields"] == [{"field": "offset", "type": "int_parsing",
                                         "detail": "offset harus bilangan bulat"}]
    negative = client.get("/api/seleksi/runs/1/outcomes", {"offset": "-1"}).json()
    assert negative["detail"] == "Permintaan API tidak sah: offset paling kecil 0."
    missing = client.post("/api/seleksi/runs", {"year": world.year}, content_type="application/json").json()
    assert "government wajib diisi" in missing["detail"]
    garbage = client.post("/api/seleksi/runs", "{bukan json", content_type="application/json")
    assert garbage.status_code == 400 and garbage.json()["code"] == "api_unreadable_body"
    typed = client.post("/api/seleksi/runs", {"government": "32.16", "year": "x", "budget": 1e40},
                        content_type="application/json").json()
    assert typed["detail"] == "Permintaan API tidak sah: year harus bilangan bulat; budget terlalu besar."

@override_settings(DEBUG=False)
def test_404_page_is_friendly_and_lists_no_url_patterns(world, client) -> None:
    client.force_login(world.desa)
    response = client.get("/tidak-ada-halaman-ini/")
    html = response.content.decode()
    assert response.status_code == 404 and "Halaman tidak ditemukan" in html
    assert "usulan/" not in html.replace('href="/usulan/"', "") and "URLconf" not in html and "^" not in html


@override_settings(DEBUG=True)
def test_not_found_page_is_friendly_even_with_debug_on(world, client) -> None:
    client.force_login(world.desa)
    html = client.get("/usulan/2027-9999-X-000001/").content.decode()
    assert "Halaman tidak ditemukan" in html and "URLconf" not in html and "Using the URLconf" not in html


@override_settings(DEBUG=True)
def test_unmatched_address_and_http404_with_debug_on_list_no_url_patterns(world, client) -> None:
    """The demo runs with DEBUG on: Django's technical 404 (every URL pattern) is never shown."""
    assert "URLconf" not in client.get("/tidak-ada/").content.decode()  # anonymous too
    client.force_login(world.desa)
    for path in ("/tidak-ada-halaman-ini/", "/referensi/wilayah/99.99/"):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 404 and "Halaman tidak ditemukan" in html
        assert "URLconf" not in html and "sehat/" not in html and "DEBUG = True" not in html
    assert "Wilayah dengan kode 99.99 tidak ada pada edisi ini." in client.get("/referensi/wilayah/99.99/").content.decode()
    assert client.get("/usulan").status_code == 301  # a missing slash is still added


def test_500_page_is_standalone_bahasa() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Terjadi kesalahan pada server" in html and "{%" not in html


def test_export_without_a_government_is_a_friendly_404(client, django_user_model) -> None:
    client.force_login(django_user_model.objects.create_user("tanpa_pemda", password="rahasia-123"))
    response = client.get("/sinkronisasi/ekspor.xlsx")
    assert response.status_code == 404 and "Pilih pemerintah daerah dan tahun." in response.content.decode()


@override_settings(DEBUG=False)
def test_http404_text_is_shown_on_the_friendly_page(world, client) -> None:
    client.force_login(world.desa)
    html = client.get("/referensi/wilayah/99.99/").content.decode()
    assert "Halaman tidak ditemukan" in html and "Wilayah dengan kode 99.99 tidak ada pada edisi ini." in html
    html = client.get("/tidak-ada/").content.decode()
    assert "Resolver404" not in html and "Halaman atau data yang Anda cari tidak ada" in html


@override_settings(DEBUG=False)
def test_django_english_not_found_text_is_not_shown(world, client) -> None:
    client.force_login(world.desa)
    response = client.get("/seleksi/99999/")
    html = response.content.decode()
    assert response.status_code == 404 and "matches the given query" not in html
    assert "Halaman atau data yang Anda cari tidak ada" in html
