"""Reference pages with editions: choosing the edition, the sub-activity JSON for plan editors,
the review list of derived mappings (confirm with who and when), bad input never a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from selaras.reference.editions import NOMENCLATURE_EDITION, NOMENCLATURE_EDITION_2027
from selaras.web.reference.models import CodeMapping
from selaras.web.reference.services import load_reference


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def staff_client(loaded, db, client):
    user = get_user_model().objects.create_user("ref_admin", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_sub_activity_json_for_the_plan_editor(staff_client):
    url = "/referensi/sub-kegiatan/1.01.02.1.01.0001.json"
    data = staff_client.get(url, {"tahun": 2027, "pemda": "provinsi"}).json()
    assert data["edition"] == NOMENCLATURE_EDITION_2027.key
    assert data["indicator"] == "Jumlah Sekolah Baru yang Telah Dibangun" and data["unit"] == "Unit"
    older = staff_client.get("/referensi/sub-kegiatan/1.01.02.2.01.0001.json", {"tahun": 2026}).json()
    assert older["edition"] == NOMENCLATURE_EDITION.key
    assert staff_client.get("/referensi/sub-kegiatan/9.99.99.2.99.9999.json").status_code == 404
    assert staff_client.get("/referensi/sub-kegiatan/1.01.json", {"tahun": "20x7"}).status_code in (400, 404)
    assert staff_client.get(url, {"edisi": "tidak-ada"}).status_code == 400


def test_pages_choose_the_edition(staff_client):
    page = staff_client.get("/referensi/nomenklatur/", {"q": "Sekolah Baru", "edisi": NOMENCLATURE_EDITION_2027.key})
    assert page.status_code == 200 and "pemutakhiran 2027" in page.content.decode()
    assert staff_client.get("/referensi/nomenklatur/1.01.02.3.03/", {"edisi": NOMENCLATURE_EDITION_2027.key}).status_code == 200
    assert staff_client.get("/referensi/nomenklatur/1.01.02.3.03/").status_code == 404  # not in 2020
    assert staff_client.get("/referensi/wilayah/", {"edisi": "x" * 500}).status_code == 400


def test_review_list_confirm_keeps_who_and_when(staff_client):
    row = CodeMapping.objects.filter(from_edition=NOMENCLATURE_EDITION.key, status="review").order_by("pk").first()
    assert row is not None
    assert row.from_code in staff_client.get("/referensi/pemetaan/").content.decode()
    response = staff_client.post(f"/referensi/pemetaan/{row.pk}/", {"aksi": "konfirmasi", "kode": row.to_code})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "confirmed" and row.reviewed_by.username == "ref_admin" and row.reviewed_at is not None
    assert staff_client.post(f"/referensi/pemetaan/{row.pk}/", {"aksi": "hapus"}).status_code == 400
