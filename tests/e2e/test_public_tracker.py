"""Public tracker: the whole trail is visible, nothing private leaks (HTML and JSON)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from selaras.web.plans.models import LocalGovernment, RenjaLine
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.reference.models import Region

SECRETS = ("Pak Rahasia Pengusul", "Hj. Rahasia Dewan", "operator_rahasia", "pemutus_rahasia",
           "CATATAN-INTERNAL-RAHASIA", "rahasia@example.org", "-6.123456")


@pytest.fixture
def tracked(demo_district):
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    users = get_user_model().objects
    operator = users.create(username="operator_rahasia", email="rahasia@example.org")
    decider = users.create(username="pemutus_rahasia", first_name="Rahasia")
    village = Region.objects.filter(edition=government.region_edition, level=4,
                                    code__startswith=government.region_code + ".").order_by("code").first()
    line = RenjaLine.objects.filter(renja__agency__government=government).select_related("renja__agency").first()
    assert line is not None

    def proposal(number: str, status: str, **extra: object) -> Proposal:
        return Proposal.objects.create(
            government=government, year=2031, number=number, channel="pokir", stage="regency", status=status,
            title=f"Pembangunan jembatan {number}", description="Jembatan putus saat banjir",
            village_code=village.code, district_code=village.parent_code, address="Dusun Krajan",
            latitude=Decimal("-6.123456"), longitude=Decimal("107.123456"), volume=Decimal("12.5"),
            unit="m", estimated_cost=750_000_000, proposer_name="Pak Rahasia Pengusul",
            councillor_name="Hj. Rahasia Dewan", created_by=operator, **extra)

    funded = proposal("TRK-2031-PK-000001", "accepted", renja_line=line, agency=line.renja.agency)
    refused = proposal("TRK-2031-PK-000002", "rejected")
    draft = proposal("TRK-2031-PK-000003", "draft")
    trail = [
        (funded, "pokir_submission", "submitted", "Hasil reses masa sidang I", "Anggota DPRD"),
        (funded, "agency_verification", "accepted_with_changes", "Disesuaikan dengan standar harga",
         "agency_planner"),
        (funded, "regency", "accepted", "Prioritas konektivitas desa", "Perencana Bappeda"),
        (refused, "pokir_submission", "submitted", "Hasil reses masa sidang II", "Anggota DPRD"),
        (refused, "agency_verification", "rejected", "Lahan belum tersedia / status tanah belum jelas",
         "Perencana Perangkat Daerah"),
        (draft, "pokir_submission", "submitted", "Belum diajukan", "Anggota DPRD"),
    ]
    for p, stage, outcome, reason, role in trail:
        Decision.objects.create(proposal=p, stage=stage, outcome=outcome, reason=reason, actor=decider,
                                actor_role=role, internal_note="CATATAN-INTERNAL-RAHASIA",
                                new_cost=700_000_000 if outcome == "accepted_with_changes" else None)
    return {"funded": funded, "refused": refused, "draft": draft, "line": line, "village": village}


def _no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def test_whole_trail_and_plan_line_visible_without_login(client, tracked):
    html = client.get("/publik/usulan/TRK-2031-PK-000001/").content.decode()
    for text in ("Hasil reses masa sidang I", "Disesuaikan dengan standar harga", "Prioritas konektivitas desa",
                 "Diajukan", "Diterima dengan perubahan", "Diterima", "Perencana Perangkat Daerah",
                 "Perencana Bappeda", "Anggota DPRD", "700.000.000", "Masuk rencana kerja (Renja)",
                 tracked["line"].code, tracked["line"].name, tracked["line"].renja.agency.name,
                 tracked["village"].name):
        assert text in html, text
    _no_secrets(html)


def test_not_funded_reason_is_shown(client, tracked):
    html = client.get("/publik/usulan/TRK-2031-PK-000002/").content.decode()
    assert "Mengapa usulan ini tidak didanai" in html
    assert "Ditolak:</strong> Lahan belum tersedia / status tanah belum jelas" in html
    _no_secrets(html)


def test_json_api_has_the_trail_and_nothing_private(client, tracked):
    response = client.get("/api/publik/usulan/TRK-2031-PK-000001")
    assert response.status_code == 200
    data = response.json()
    assert [d["outcome"] for d in data["trail"]] == ["submitted", "accepted_with_changes", "accepted"]
    assert [d["role"] for d in data["trail"]] == ["Anggota DPRD", "Perencana Perangkat Daerah", "Perencana Bappeda"]
    assert data["plan_line"]["code"] == tracked["line"].code
    assert data["status"] == "accepted" and data["estimated_cost"] == 750_000_000
    for key in ("proposer_name", "councillor_name", "created_by", "latitude", "longitude", "internal_note",
                "actor"):
        assert key not in data and all(key not in d for d in data["trail"])
    _no_secrets(response.content.decode())
    refused = client.get("/api/publik/usulan/TRK-2031-PK-000002").json()
    assert refused["not_funded_reason"] == "Lahan belum tersedia / status tanah belum jelas"


def test_search_box_and_unknown_number(client, tracked):
    found = client.get("/publik/", {"nomor": " TRK-2031-PK-000001 "})
    assert found.status_code == 302 and found["Location"] == "/publik/usulan/TRK-2031-PK-000001/"
    missing = client.get("/publik/", {"nomor": "TIDAK-ADA"})
    assert missing.status_code == 404 and "tidak ditemukan" in missing.content.decode()
    assert client.get("/api/publik/usulan/TIDAK-ADA").status_code == 404


def test_drafts_are_not_public(client, tracked):
    assert client.get("/publik/usulan/TRK-2031-PK-000003/").status_code == 404
    assert client.get("/api/publik/usulan/TRK-2031-PK-000003").status_code == 404


def test_browse_kecamatan_then_village(client, tracked, demo_district):
    village = tracked["village"]
    home = client.get("/publik/").content.decode()
    assert f'href="/publik/daerah/{demo_district.region_code}/"' in home
    government = client.get(f"/publik/daerah/{demo_district.region_code}/").content.decode()
    assert f'href="/publik/kecamatan/{village.parent_code}/"' in government
    district = client.get(f"/publik/kecamatan/{village.parent_code}/").content.decode()
    assert f'href="/publik/desa/{village.code}/"' in district
    page = client.get(f"/publik/desa/{village.code}/").content.decode()
    assert "TRK-2031-PK-000001" in page and "TRK-2031-PK-000002" in page
    assert "TRK-2031-PK-000003" not in page
    _no_secrets(page)
    api = client.get(f"/api/publik/desa/{village.code}/usulan", {"year": 2031}).json()
    assert [p["number"] for p in api["proposals"]] == ["TRK-2031-PK-000002", "TRK-2031-PK-000001"]
