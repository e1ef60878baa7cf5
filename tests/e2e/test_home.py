"""The home page shows each role what matters to it."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from selaras.web.proposals.models import Proposal, StageWindow
from tests.e2e.test_plan_pages import DISTRICT, VILLAGE, build_plan, member

OTHER_VILLAGE = "91.99.01.2002"
YEAR = 2026


def proposal(plan: SimpleNamespace, number: str, title: str, **fields: object) -> Proposal:
    values: dict[str, object] = {
        "government": plan.gov, "year": YEAR, "channel": "musrenbang_village", "stage": "village",
        "status": "in_review", "village_code": VILLAGE, "district_code": DISTRICT, "volume": 1,
        "unit": "unit", "estimated_cost": 100_000_000, "proposer_name": "Warga",
    }
    values.update(fields)
    return Proposal.objects.create(number=number, title=title, **values)


@pytest.fixture
def world(db) -> SimpleNamespace:
    plan = build_plan()
    proposal(plan, "UJI-001", "Rehabilitasi jalan desa Sukamaju", estimated_cost=250_000_000)
    proposal(plan, "UJI-002", "Pembangunan posyandu Sukamaju", status="accepted", stage="district")
    proposal(plan, "UJI-003", "Drainase dusun Cibening", stage="district", village_code=OTHER_VILLAGE,
             district_rank=1)
    proposal(plan, "UJI-004", "Sumur bor Sukamaju", stage="district")
    proposal(plan, "UJI-005", "Pelatihan kader posyandu", stage="agency_verification", agency=plan.dinkes,
             estimated_cost=75_000_000)
    proposal(plan, "UJI-006", "Ambulans desa", channel="pokir", stage="pokir_submission",
             councillor_name="H. Ahmad Fauzi", village_code="", estimated_cost=400_000_000)
    proposal(plan, "UJI-007", "Jembatan gantung", channel="pokir", stage="pokir_submission",
             councillor_name="Dra. Siti Aminah", village_code="")
    now = timezone.now()
    StageWindow.objects.create(government=plan.gov, year=YEAR, stage="village",
                               opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10))
    return plan


def home(client, django_user_model, plan, username: str, role: str, **scope: object) -> str:
    client.force_login(member(django_user_model, username, plan, role, **scope))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_redirected_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_village_operator(client, django_user_model, world):
    html = home(client, django_user_model, world, "uji_desa", "village_operator", region_code=VILLAGE)
    assert "Operator Desa/Kelurahan" in html
    assert "Rehabilitasi jalan desa Sukamaju" in html and "Sumur bor Sukamaju" in html
    assert "Drainase dusun Cibening" not in html  # another village
    assert "Ambulans desa" not in html
    assert "Dalam proses" in html and "Diterima" in html
    assert "Rp 250.000.000" in html
    assert "Tahap Anda, <strong>Musrenbang Desa/Kelurahan</strong>" in html
    assert "window-open" in html


def test_district_operator(client, django_user_model, world):
    html = home(client, django_user_model, world, "uji_camat", "district_operator", region_code=DISTRICT)
    assert "Menunggu peringkat dan penerusan" in html
    assert "<strong>2</strong> usulan desa/kelurahan menunggu" in html  # UJI-003 and UJI-004
    assert "Drainase dusun Cibening" in html and "Sumur bor Sukamaju" in html
    assert "Rehabilitasi jalan desa Sukamaju" not in html  # still at the village stage
    assert f"/usulan/kecamatan/?tahun={YEAR}&amp;kecamatan={DISTRICT}" in html


def test_agency_planner(client, django_user_model, world):
    html = home(client, django_user_model, world, "uji_dinkes", "agency_planner", agency=world.dinkes)
    assert "Renstra 2025–2029" in html and f"/rencana/perangkat-daerah/{world.dinkes.pk}/renstra/" in html
    assert f"/rencana/rkpd/{YEAR}/renja/{world.dinkes.pk}/" in html
    assert "Rp 2.000.000.000" in html  # Renja ceiling
    assert "<strong>1</strong> usulan menunggu verifikasi" in html
    assert "Pelatihan kader posyandu" in html
    assert "Rehabilitasi jalan desa Sukamaju" not in html


def test_councillor_sees_own_pokir(client, django_user_model, world):
    html = home(client, django_user_model, world, "uji_dprd", "councillor", councillor_name="H. Ahmad Fauzi")
    assert "Pokok-pokok pikiran H. Ahmad Fauzi" in html
    assert "Ambulans desa" in html and "Rp 400.000.000" in html
    assert "Jembatan gantung" not in html


def test_budget_team_sees_ceilings(client, django_user_model, world):
    html = home(client, django_user_model, world, "uji_tapd", "budget_team")
    assert f"Pagu RKPD {YEAR}" in html
    assert "Rp 5.000.000.000" in html and "Rp 4.500.000.000" in html and "Rp 500.000.000" in html
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in html


def test_planning_agency_sees_counts_per_channel(client, django_user_model, world):
    html = home(client, django_user_model, world, "uji_bappeda", "planning_agency")
    assert "Musrenbang Desa/Kelurahan" in html and "Pokok-pokok Pikiran DPRD" in html
    assert '<td class="num"><strong>5</strong></td>' in html  # village channel: five proposals
    assert '<th class="num">7</th>' in html  # all proposals
    assert "<strong>3</strong> perangkat daerah, 1 dengan Renstra" in html
    assert "/sinkronisasi/" in html and "/referensi/wilayah/" in html and "/usulan/" in html


def test_superuser_without_role(client, django_user_model, world):
    client.force_login(django_user_model.objects.create_superuser("uji_root", "r@example.org", None))
    html = client.get(f"/rencana/?pemda={world.gov.pk}") and client.get("/").content.decode()
    assert "Administrator sistem" in html and "Kabupaten Uji Selaras" in html
    assert "/admin/" in html


def test_user_without_role(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("uji_kosong", password=None))
    html = client.get("/").content.decode()
    assert "belum terhubung" in html


def test_home_costs_a_few_queries(client, django_user_model, world):
    client.force_login(member(django_user_model, "uji_bappeda2", world, "planning_agency"))
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for i in range(40):
        proposal(world, f"UJI-1{i:03d}", f"Usulan tambahan {i}", channel=["pokir", "aspiration"][i % 2])
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before) <= 20


@pytest.mark.parametrize(("short", "expected"), [
    ("admin", "per jalur dan status"), ("bappeda", "per jalur dan status"), ("tapd", "Pagu RKPD"),
    ("dprd", "Pokok-pokok pikiran"), ("pupr", "Menunggu verifikasi perangkat daerah"),
    ("kecamatan", "Menunggu peringkat dan penerusan"), ("desa", "Usulan desa/kelurahan"),
])
def test_demo_users_home(client, django_user_model, demo_district, short, expected):
    client.force_login(django_user_model.objects.get(username=demo_district.username(short)))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert len(queries) <= 25


def test_places_are_named_with_their_code_as_secondary_text(client, django_user_model, world):
    from selaras.web.reference.models import Region

    edition = world.gov.region_edition
    Region.objects.create(edition=edition, code=VILLAGE, name="Sukamaju", level=4, parent_code=DISTRICT, kind="desa")
    Region.objects.create(edition=edition, code=DISTRICT, name="Cibarusah", level=3,
                          parent_code=DISTRICT.rsplit(".", 1)[0], kind="kecamatan")
    html = home(client, django_user_model, world, "uji_desa", "village_operator", region_code=VILLAGE)
    assert f'Usulan desa/kelurahan Sukamaju <small class="muted code">({VILLAGE})</small>' in html
    client.logout()
    html = home(client, django_user_model, world, "uji_camat", "district_operator", region_code=DISTRICT)
    assert f'Kecamatan Cibarusah <small class="muted code">({DISTRICT})</small>' in html


def test_village_operator_sees_own_musrenbang_desa_proposals_not_pokir_or_pra_renja(client, django_user_model,
                                                                                   world):
    # proposals of other channels located in the village (no forum rank: they would sort first)
    proposal(world, "UJI-PK1", "Pokir lampu jalan Sukamaju", channel="pokir", stage="pokir_submission",
             councillor_name="H. Ahmad Fauzi")
    proposal(world, "UJI-PR1", "Pra-Renja gedung olahraga", channel="agency_draft", stage="agency_verification",
             agency=world.dinkes)
    Proposal.objects.filter(number="UJI-001").update(priority_rank=2)
    Proposal.objects.filter(number="UJI-004").update(priority_rank=1)
    html = home(client, django_user_model, world, "uji_desa", "village_operator", region_code=VILLAGE)
    section = html[html.index("Usulan desa/kelurahan"):]
    assert "Musrenbang Desa/Kelurahan" in section[:400]
    assert "Pokir lampu jalan Sukamaju" not in section and "Pra-Renja gedung olahraga" not in section
    # the forum's own order: rank 1 first
    assert section.index("Sumur bor Sukamaju") < section.index("Rehabilitasi jalan desa Sukamaju")
    # the full lists: the village's Musrenbang Desa proposals, and everything located in the village
    assert f"/usulan/?year={YEAR}&amp;channel=musrenbang_village&amp;village={VILLAGE}" in section
    assert "2 usulan jalur lain" in section and f"/usulan/?year={YEAR}&amp;channel=semua&amp;village={VILLAGE}" in section


def test_budget_team_stats_name_the_agencies_ceilings_apart_from_the_renja_total(client, django_user_model, world):
    """The sum of the agencies' indicative ceilings is labelled as such; "Pagu Renja" is the Renja
    lines' total, the figure the RKPD table prints as its JUMLAH."""
    from django.db.models import Sum

    from selaras.formats.documents.model import Format
    from selaras.formats.documents.numbers import format_value
    from selaras.web.plans.models import AgencyAnnualPlan, RenjaLine

    html = home(client, django_user_model, world, "uji_tapd", "budget_team")
    stats = {label.strip(): value for label, value in
             re.findall(r"<li>([^<]+)<strong[^>]*>([^<]+)</strong></li>", html.split('class="stats"')[1].split("</ul>")[0])}
    ceilings = AgencyAnnualPlan.objects.filter(rkpd__year=YEAR).aggregate(total=Sum("ceiling"))["total"]
    lines = RenjaLine.objects.filter(renja__rkpd__year=YEAR).aggregate(total=Sum("budget"))["total"] or 0
    assert stats["Jumlah pagu indikatif perangkat daerah"] == f"Rp {format_value(ceilings, Format.MONEY)}"
    renja = [value for label, value in stats.items() if label.startswith("Pagu Renja")]
    assert renja == [f"Rp {format_value(lines, Format.MONEY)}"]
