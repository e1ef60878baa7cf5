"""Reference read pages through the Django test client, on the real packaged data."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from selaras.web.reference.services import load_reference


@pytest.fixture(scope="session")
def _reference_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def user_client(_reference_once, db, client):
    load_reference()  # quick no-op unless another test flushed the tables
    user = get_user_model().objects.create(username="perencana")
    client.force_login(user)
    return client


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_pages_require_login(client):
    for name in ("regions", "nomenclature"):
        response = client.get(reverse(f"reference:{name}"))
        assert response.status_code == 302 and "/masuk/" in response["Location"]
    response = client.get(reverse("reference:region", args=["32"]))
    assert response.status_code == 302


def test_region_tree_top_lists_provinces_with_counts(user_client):
    html = page(user_client, reverse("reference:regions"))
    assert "Kode wilayah" in html
    assert "Jawa Barat" in html and "Papua" in html
    assert "<strong>38</strong> provinsi" in html
    assert "<strong>83.762</strong> desa/kelurahan" in html
    assert "Kepmendagri 300.2.2-2430/2025" in html


def test_region_drill_down_with_breadcrumbs(user_client):
    html = page(user_client, reverse("reference:region", args=["32"]))
    assert "Jawa Barat" in html and "Kabupaten Bandung" in html
    assert reverse("reference:region", args=["32.04"]) in html
    html = page(user_client, reverse("reference:region", args=["32.04"]))
    assert "Kecamatan" in html and "Indonesia</a> › <a href=\"/referensi/wilayah/32/\">Jawa Barat</a>" in html
    assert "penduduk" in html and "km²" in html
    district = user_client.get(reverse("reference:region", args=["32.04"])).context["rows"][0]["region"]
    html = page(user_client, reverse("reference:region", args=[district.code]))
    assert "Desa/Kelurahan" in html and "Kabupaten Bandung" in html


def test_region_children_are_paged(user_client):
    # Kecamatan 95.06.03 has the most villages of the edition: 108, three pages of 50.
    url = reverse("reference:region", args=["95.06.03"])
    response = user_client.get(url)
    assert response.context["page"].paginator.count == 108
    assert response.context["page"].paginator.num_pages == 3
    assert "halaman=2" in response.content.decode()
    last = user_client.get(url, {"halaman": "3"}).context["page"]
    assert len(last.object_list) == 8


def test_region_search_by_name_and_code(user_client):
    html = page(user_client, reverse("reference:regions"), q="bandung barat")
    assert "Kabupaten Bandung Barat" in html
    html = page(user_client, reverse("reference:regions"), q="32.04", tingkat="3")
    assert "Kecamatan" in html or "32.04." in html
    assert "Tidak ada wilayah yang cocok" in page(user_client, reverse("reference:regions"), q="zzzzqqq")


def test_region_search_within_region(user_client):
    response = user_client.get(reverse("reference:regions"), {"q": "a", "dalam": "32.04", "tingkat": "3"})
    codes = [r.code for r in response.context["page"]]
    assert codes and all(c.startswith("32.04.") for c in codes)


def test_unknown_or_invalid_region_is_404(user_client):
    assert user_client.get(reverse("reference:region", args=["99.99"])).status_code == 404
    assert user_client.get(reverse("reference:region", args=["3x"])).status_code == 404


def test_nomenclature_top_level_and_drill_down(user_client):
    html = page(user_client, reverse("reference:nomenclature"))
    assert "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR" in html
    assert "KEKHUSUSAN ACEH" in html  # the sector without its affair row is reachable
    html = page(user_client, reverse("reference:nomenclature_item", args=["1.02"]), pemda="kab/kota")
    assert "KESEHATAN" in html.upper() and "1.02.02" in html
    html = page(user_client, reverse("reference:nomenclature_item", args=["1.02.02.2.01"]))
    assert "1.02.02.2.01.0001" in html
    assert reverse("reference:nomenclature_item", args=["1.02"]) in html  # breadcrumb


def test_nomenclature_search_and_filters(user_client):
    response = user_client.get(reverse("reference:nomenclature"),
                               {"q": "1.02", "tingkat": "sub_activity", "pemda": "kab/kota", "aktif": "1"})
    items = list(response.context["page"])
    assert items and all(i.code.startswith("1.02") and i.level == "sub_activity" for i in items)
    assert all(i.government_level == "kab/kota" and i.active for i in items)
    response = user_client.get(reverse("reference:nomenclature"), {"q": "imunisasi"})
    assert any("imunisasi" in i.name.lower() for i in response.context["page"])
    response = user_client.get(reverse("reference:nomenclature"), {"aktif": "0"})
    assert response.context["page"].paginator.count == 348


def test_nomenclature_paging(user_client):
    response = user_client.get(reverse("reference:nomenclature"), {"tingkat": "sub_activity", "halaman": "3"})
    assert response.context["page"].number == 3
    assert response.context["page"].paginator.count == 5348
    assert "halaman=4" in response.content.decode()


def test_nomenclature_unknown_affair_and_invalid(user_client):
    html = page(user_client, reverse("reference:nomenclature_item", args=["?.01"]))
    assert "KEKHUSUSAN ACEH" in html
    assert user_client.get(reverse("reference:nomenclature_item", args=["1.01.02.2.01.01"])).status_code == 404
    assert user_client.get(reverse("reference:nomenclature_item", args=["9.99.99"])).status_code == 404


@pytest.fixture
def admin_client_loaded(_reference_once, db, client):
    load_reference()
    admin = get_user_model().objects.create(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_is_searchable_and_read_only(admin_client_loaded):
    client = admin_client_loaded
    response = client.get("/admin/reference/region/", {"q": "Bandung Barat"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kabupaten Bandung Barat" in html and "wilayah" in html
    assert client.get("/admin/reference/region/add/").status_code == 403
    response = client.get("/admin/reference/nomenclatureitem/", {"q": "1.02.02", "level__exact": "program"})
    assert response.status_code == 200 and "1.02.02" in response.content.decode()
    assert client.get("/admin/reference/edition/").status_code == 200
    assert client.get("/admin/reference/codemapping/add/").status_code == 200
    assert "kode asal" in client.get("/admin/reference/codemapping/add/").content.decode().lower()


def test_nomenclature_tree_unfolds_in_place(user_client):
    top = page(user_client, reverse("reference:nomenclature"))
    assert 'hx-get="/referensi/nomenklatur/1/?sebagian=1' in top
    rows = page(user_client, reverse("reference:nomenclature_item", args=["1.02"]),
                sebagian="1", kedalaman="2", pemda="kab/kota")
    assert "<html" not in rows and rows.count("<tr") >= 2
    assert "1.02.02" in rows and '<td class="depth-2">' in rows
    assert "provinsi" not in rows
    leaves = page(user_client, reverse("reference:nomenclature_item", args=["1.02.02.2.01"]), sebagian="1")
    assert "1.02.02.2.01.0001" in leaves and "hx-get" not in leaves  # sub-activities have no children
