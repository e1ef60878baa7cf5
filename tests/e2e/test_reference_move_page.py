"""Referensi › Pindah edisi: preview a government's move to the 2027 nomenclature, apply it with a
choice for a code that needs a person (staff only), and the move is recorded with who and when."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from selaras.reference import editions as E
from selaras.web.plans.models import LocalGovernment
from selaras.web.reference.models import EditionMove
from selaras.web.reference.moves import preview_move

NEW = E.NOMENCLATURE_EDITION_2027.key


@pytest.fixture
def staff(demo_district, client):
    client.force_login(get_user_model().objects.create_user("pindah_admin", password="x", is_staff=True))
    return client


def test_preview_then_apply_with_a_choice(staff, demo_district):
    gid = demo_district.government_id
    page = staff.get("/referensi/pindah-edisi/", {"pemda": gid, "jenis": "nomenklatur", "ke": NEW})
    text = page.content.decode()
    assert page.status_code == 200 and "Pratinjau" in text and "Perlu keputusan" in text
    assert LocalGovernment.objects.get(pk=gid).nomenclature_edition == E.NOMENCLATURE_EDITION.key
    waiting = next(c for c in preview_move(gid, "nomenclature", NEW)["changes"]
                   if c["state"] == "needs_person" and c["to_codes"])
    assert f'name="pilih:{waiting["code"]}"' in text
    done = staff.post("/referensi/pindah-edisi/terapkan/", {"pemda": gid, "jenis": "nomenklatur", "ke": NEW,
                                                            f"pilih:{waiting['code']}": waiting["to_codes"][0]})
    assert done.status_code == 302
    move = EditionMove.objects.get(government_id=gid)
    assert move.user.get_username() == "pindah_admin" and move.to_edition == NEW
    assert any(c["old"] == waiting["code"] and c["new"] == waiting["to_codes"][0] for c in move.changes)
    after = staff.get(done.url).content.decode()
    assert "Pemindahan sebelumnya" in after and "dipindahkan ke edisi" in after


def test_only_staff_apply_and_bad_values_are_refused(demo_district, client, staff):
    gid = demo_district.government_id
    client.force_login(get_user_model().objects.create_user("pembaca", password="x"))
    page = client.get("/referensi/pindah-edisi/", {"pemda": gid, "ke": NEW})
    assert page.status_code == 200 and "Terapkan pemindahan" not in page.content.decode()
    refused = client.post("/referensi/pindah-edisi/terapkan/", {"pemda": gid, "jenis": "nomenklatur", "ke": NEW})
    assert refused.status_code == 403 and not EditionMove.objects.exists()
    assert client.get("/referensi/pindah-edisi/", {"pemda": "x1"}).status_code == 400
    assert client.get("/referensi/pindah-edisi/", {"pemda": 999_999}).status_code == 404
    assert client.get("/referensi/pindah-edisi/", {"pemda": gid, "ke": "tidak-ada"}).status_code == 400
    assert client.get("/referensi/pindah-edisi/", {"pemda": gid, "jenis": "x"}).status_code == 400
    assert client.get("/referensi/pindah-edisi/", {"pemda": "\x00", "ke": "a\x00"}).status_code == 400
    assert client.get("/referensi/pindah-edisi/", {"pemda": "1" * 40}).status_code == 400
    staff.force_login(get_user_model().objects.get(username="pindah_admin"))  # the same client, staff again
    assert staff.post("/referensi/pindah-edisi/terapkan/", {"pemda": "١٢"}).status_code == 400
    assert staff.post("/referensi/pindah-edisi/terapkan/", {"pemda": gid, "ke": NEW,
                                                            "pilih:1.01": "9.99.99.9.99.9999"}).status_code == 302
    assert not EditionMove.objects.exists()  # an unknown chosen code is refused, nothing moves
