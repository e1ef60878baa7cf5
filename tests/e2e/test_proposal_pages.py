"""The proposal pages through the Django test client: forms work without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from selaras.web.proposals.models import Decision, Proposal, StageWindow
from tests.browser.proposal_world import (
    ROAD,
    VILLAGE,
    add_health_sub_activity,
    build_world,
    village_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def login(client, user):
    client.force_login(user)
    return client


def test_village_operator_enters_a_proposal(world, client):
    login(client, world.desa)
    page = client.get("/usulan/baru/").content.decode()
    assert "Ajukan usulan" in page and VILLAGE in page and 'name="channel"' in page
    response = client.post("/usulan/baru/", {
        "channel": "musrenbang_village", "year": world.year, "title": "Pembangunan jalan lingkungan",
        "description": "Jalan tanah becek.", "village_code": "32.16.06.2003",  # ignored: the field is fixed
        "address": "Dusun II", "latitude": "-6.25", "longitude": "107.15", "volume": "350", "unit": "m",
        "estimated_cost": "175000000", "priority_rank": "2", "agency": world.pupr.pk, "sub_activity_code": ROAD})
    p = Proposal.objects.get(government=world.gov)
    assert response.status_code == 302 and response["Location"] == f"/usulan/{p.number}/"
    assert p.village_code == VILLAGE and p.stage == "district" and p.created_by == world.desa
    detail = client.get(response["Location"]).content.decode()
    assert "Pembangunan jalan lingkungan" in detail and "Diajukan" in detail and "Riwayat perubahan" in detail


def test_the_same_form_sent_twice_stores_one_proposal(world, client):
    login(client, world.desa)
    key = re.search(r'name="entry_key" value="([0-9a-f]{32})"', client.get("/usulan/baru/").content.decode())[1]
    assert key != re.search(r'name="entry_key" value="([0-9a-f]{32})"',
                            client.get("/usulan/baru/").content.decode())[1]  # one key per form shown
    form = {"channel": "musrenbang_village", "year": world.year, "title": "Drainase lingkungan", "volume": "100",
            "unit": "m", "estimated_cost": "90000000", "agency": world.pupr.pk, "sub_activity_code": ROAD,
            "entry_key": key}
    first, second = client.post("/usulan/baru/", form), client.post("/usulan/baru/", form)
    stored = Proposal.objects.get(government=world.gov)
    assert first["Location"] == second["Location"] == f"/usulan/{stored.number}/"
    assert "sudah terkirim sebelumnya" in client.get(second["Location"]).content.decode()
    third = client.post("/usulan/baru/", {**form, "entry_key": ""})  # an old page without a key: a new entry
    assert third.status_code == 302 and Proposal.objects.filter(government=world.gov).count() == 2
    bad = client.post("/usulan/baru/", {**form, "entry_key": "<script>"})
    assert bad.status_code == 400 and Proposal.objects.filter(government=world.gov).count() == 2


def test_entry_errors_are_shown_in_bahasa(world, client):
    login(client, world.desa)
    response = client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year, "title": "X",
                                             "volume": "1", "unit": "m", "estimated_cost": "1000",
                                             "latitude": "52.1", "longitude": "4.3"})
    assert response.status_code == 400 and "di luar wilayah Indonesia" in response.content.decode()
    StageWindow.objects.filter(government=world.gov, stage="village").update(closed_manually=True)
    response = client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year, "title": "X",
                                             "volume": "1", "unit": "m", "estimated_cost": "1000"})
    assert response.status_code == 409 and "sudah ditutup oleh Bappeda" in response.content.decode()  # locked stage
    assert not Proposal.objects.filter(government=world.gov).exists()


@pytest.mark.parametrize(("field", "value", "said"), [
    ("priority_rank", "99999999999999999999", "Peringkat paling besar 1.000.000."),  # once a 500 (integer overflow at save)
    ("description", "Panjang sekali." * 400, "Terlalu panjang: 6.000 karakter, paling banyak 5.000."),
])
def test_entry_refuses_out_of_range_rank_and_endless_reason(world, client, field, value, said):
    login(client, world.desa)
    response = client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year,
                                             "title": "Drainase lingkungan", "volume": "100", "unit": "m",
                                             "estimated_cost": "90000000", field: value})
    assert response.status_code == 400 and said in response.content.decode()
    assert not Proposal.objects.filter(government=world.gov).exists()
    assert "Paling banyak 5.000 karakter." in client.get("/usulan/baru/").content.decode()


@pytest.mark.parametrize(("value", "status"), [("abc", 400), ("", 400), ("1e5", 400), ("-1", 400),
                                                ("99999999999999999999999", 400), ("987654", 404)])
def test_assignment_with_a_tampered_proposal_id_is_refused_not_a_500(world, client, value, status):
    village_proposal(world, agency=None, sub_activity_code="")
    login(client, world.bappeda)
    response = client.post("/usulan/penugasan/", {"proposal": value, "agency": world.pupr.pk,
                                                  "sub_activity_code": ""})
    assert response.status_code == status
    assert not Proposal.objects.filter(government=world.gov).exclude(agency=None).exists()


@pytest.mark.parametrize(("typed", "stored"), [("150.000.000", 150_000_000), ("150000000", 150_000_000),
                                              (" 75.500.000 ", 75_500_000)])
def test_cost_typed_with_indonesian_thousands_separators_is_read(world, client, typed, stored):
    """A village operator types rupiah as written everywhere: '150.000.000' (refused before: the
    number box of the browser emptied it and the server said 'Masukkan keseluruhan angka bilangan')."""
    login(client, world.desa)
    page = client.get("/usulan/baru/").content.decode()
    assert 'inputmode="numeric"' in page and 'type="number" name="estimated_cost"' not in page
    response = client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year,
                                             "title": "Drainase lingkungan", "volume": "100", "unit": "m",
                                             "estimated_cost": typed})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Proposal.objects.get(government=world.gov).estimated_cost == stored


@pytest.mark.parametrize(("typed", "said"), [("-5.000", "tidak boleh negatif"), ("1,5", "rupiah bulat"),
                                             ("seratus", "angka"), ("", "tidak boleh kosong")])
def test_cost_that_is_not_rupiah_is_refused_on_its_field(world, client, typed, said):
    login(client, world.desa)
    response = client.post("/usulan/baru/", {"channel": "musrenbang_village", "year": world.year,
                                             "title": "Drainase lingkungan", "volume": "100", "unit": "m",
                                             "estimated_cost": typed})
    assert response.status_code == 400 and said in response.content.decode()
    assert not Proposal.objects.filter(government=world.gov).exists()


def test_camat_ranks_and_forwards(world, client):
    a = village_proposal(world)
    b = village_proposal(world, title="Drainase")
    login(client, world.camat)
    page = client.get("/usulan/kecamatan/").content.decode()
    assert a.number in page and b.number in page
    response = client.post("/usulan/kecamatan/", {"tahun": world.year, "kecamatan": "32.16.05",
                                                  f"rank_{a.pk}": "2", f"rank_{b.pk}": "1", f"forward_{b.pk}": "1",
                                                  "reason": "Berita acara Musrenbang Kecamatan.", "forward": "1"})
    assert response.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.district_rank, a.stage) == (2, "district")
    assert (b.district_rank, b.stage) == (1, "agency_forum")


def test_foreign_camat_cannot_see_or_decide(world, client):
    p = village_proposal(world)
    login(client, world.camat_lain)
    assert client.get(f"/usulan/{p.number}/").status_code == 404
    assert client.post(f"/usulan/{p.number}/keputusan/", {"stage": "district", "outcome": "forwarded",
                                                           "reason": "x"}).status_code == 404
    assert p.number not in client.get("/usulan/kecamatan/").content.decode()
    assert Decision.objects.filter(proposal__government=world.gov).count() == 1


def test_agency_accepts_with_changes_and_sees_renja(world, client):
    from selaras.web.proposals import services

    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    login(client, world.perencana_pupr)
    assert p.number in client.get("/usulan/verifikasi/").content.decode()
    page = client.get(f"/usulan/{p.number}/").content.decode()
    assert "Beri keputusan" in page
    response = client.post(f"/usulan/{p.number}/keputusan/", {
        "stage": "agency_forum", "outcome": "accepted_with_changes", "reason": "Disesuaikan pagu.",
        "new_volume": "500", "new_cost": "280000000"})
    assert response.status_code == 302
    renja = client.get("/usulan/renja/").content.decode()
    assert p.number in renja and ROAD in renja and "280.000.000" in renja
    # the camat may no longer decide, and sees no decision form
    login(client, world.camat)
    assert "Beri keputusan" not in client.get(f"/usulan/{p.number}/").content.decode()
    assert client.post(f"/usulan/{p.number}/keputusan/", {"stage": "district", "outcome": "rejected",
                                                           "reason": "x"}).status_code == 403


def test_decision_errors_rendered(world, client):
    from selaras.web.proposals import services

    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    login(client, world.perencana_pupr)
    response = client.post(f"/usulan/{p.number}/keputusan/", {"stage": "agency_forum",
                                                               "outcome": "accepted_with_changes", "reason": "x"})
    assert response.status_code == 400 and "volume atau biaya baru" in response.content.decode()


def test_bappeda_schedule_and_assignment_pages(world, client):
    p = village_proposal(world, agency=None, sub_activity_code="")
    add_health_sub_activity(world)
    login(client, world.bappeda)
    assert "Jadwal tahapan" in client.get("/usulan/jadwal/").content.decode()
    response = client.post(f"/usulan/jadwal/?tahun={world.year + 1}", {
        "tahun": world.year + 1, "stage": "village", "opens_at": "2027-01-05T08:00",
        "closes_at": "2027-01-31T16:00"})
    assert response.status_code == 302
    window = StageWindow.objects.get(government=world.gov, year=world.year + 1, stage="village")
    assert client.post(f"/usulan/jadwal/{window.pk}/tutup/").status_code == 302
    window.refresh_from_db()
    assert window.closed_manually and window.updated_by == world.bappeda
    assert p.number in client.get("/usulan/penugasan/").content.decode()
    response = client.post("/usulan/penugasan/", {"proposal": p.pk, "agency": world.dinkes.pk,
                                                  "sub_activity_code": "1.02.02.2.01.0001"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.agency == world.dinkes and p.sub_activity_code == "1.02.02.2.01.0001"


def test_extend_window_page_says_what_happened(world, client):
    login(client, world.bappeda)
    window = StageWindow.objects.filter(government=world.gov).order_by("pk").first()
    closes_at = window.closes_at
    response = client.post(f"/usulan/jadwal/{window.pk}/perpanjang/", {"closes_at": "bukan waktu"}, follow=True)
    assert "Waktu perpanjangan tidak sah." in response.content.decode()
    later = timezone.localtime(closes_at + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/usulan/jadwal/{window.pk}/perpanjang/", {"closes_at": later})
    assert response.status_code == 302 and response["Location"].endswith(f"?tahun={window.year}")
    window.refresh_from_db()
    assert window.closes_at > closes_at
    assert f"Jadwal {window} diperpanjang." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["desa", "camat", "perencana_pupr", "dprd", "tapd"])
def test_schedule_and_assignment_refused_to_others(world, client, who):
    login(client, world.users[who])
    before = list(StageWindow.objects.filter(government=world.gov).values_list())
    assert client.post("/usulan/jadwal/", {"stage": "village", "opens_at": "2027-01-05T08:00",
                                           "closes_at": "2027-01-31T16:00"}).status_code == 403
    window = StageWindow.objects.filter(government=world.gov).first()
    client.post(f"/usulan/jadwal/{window.pk}/tutup/")
    assert list(StageWindow.objects.filter(government=world.gov).values_list()) == before
    assert client.get("/usulan/penugasan/").status_code == 403


def test_pages_need_login(client):
    for url in ("/usulan/", "/usulan/ringkasan/", "/usulan/baru/", "/usulan/kecamatan/", "/usulan/jadwal/", "/usulan/renja/"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_returned_proposal_corrected_and_resubmitted(world, client):
    from selaras.web.proposals import services

    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="returned", reason="Lengkapi alamat.")
    login(client, world.desa)
    assert "Ajukan ulang" in client.get(f"/usulan/{p.number}/").content.decode()
    form = {"title": p.title, "description": p.description, "address": "Dusun III", "volume": "800",
            "unit": "m", "estimated_cost": "450000000", "priority_rank": "1"}
    assert client.post(f"/usulan/{p.number}/perbaiki/", form).status_code == 302
    assert client.post(f"/usulan/{p.number}/ajukan-ulang/", {"reason": "Alamat dilengkapi."}).status_code == 302
    p.refresh_from_db()
    assert (p.address, p.status, p.stage) == ("Dusun III", "in_review", "district")
    login(client, world.desa_lain)
    assert client.post(f"/usulan/{p.number}/perbaiki/", form).status_code == 404


def test_councillor_enters_pokir_in_own_name(world, client):
    login(client, world.dprd)
    page = client.get("/usulan/baru/").content.decode()
    assert "Hj. Siti Aminah" in page
    response = client.post("/usulan/baru/", {
        "channel": "pokir", "year": world.year, "title": "Lampu penerangan jalan", "village_code": VILLAGE,
        "volume": "20", "unit": "titik", "estimated_cost": "120000000", "councillor_name": "Orang lain"})
    assert response.status_code == 302
    p = Proposal.objects.get(government=world.gov)
    assert (p.channel, p.councillor_name, p.stage) == ("pokir", "Hj. Siti Aminah", "agency_verification")
