"""The /sinkronisasi/ page and its Excel export, over a small government with known breaks."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from tests.unit.alignment.orm_plans import create_clean_government

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken():
    made = create_clean_government()
    line = made["renja_lines"]["DINKES"]
    line.budget = 450  # over the Renstra budget of 400 for 2026, still within the ceiling of 500
    line.save()
    proposal = made["proposals"][1]
    proposal.renja_line = None
    proposal.save()
    made["broken"] = {"renja_line": line, "proposal": proposal}
    return made


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("bappeda", "b@example.org", "rahasia-123")
    client.force_login(user)
    return client


def test_page_requires_login(client) -> None:
    response = client.get("/sinkronisasi/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_page_groups_findings_by_rule_and_agency_with_links(staff, broken) -> None:
    gov = broken["government"]
    response = staff.get(f"/sinkronisasi/?pemda={gov.pk}&tahun=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="count-total">2<' in html and 'id="count-error">1<' in html and 'id="count-warning">1<' in html
    assert 'id="money.renja_over_renstra_budget"' in html and 'id="proposals.accepted_unlinked"' in html
    assert "Pagu Renja melebihi pagu indikatif Renstra" in html
    assert "Rp 450 melebihi pagu Renstra tahun 2026 Rp 400" in html
    line = broken["broken"]["renja_line"]
    assert f'href="/penyusunan/renja/{line.renja_id}/?cari={line.code}"' in html
    assert "/admin/plans/" not in html and "/admin/proposals/" not in html
    assert 'data-agency="DINKES"' in html and 'data-agency="KEC-A"' in html
    assert "Sasaran RPJMD yang didukung program Renstra" in html  # coverage summary
    assert "Usulan diterima yang terkait baris Renja" in html and "<td>50,0</td>" in html


def test_page_filters_by_agency(staff, broken) -> None:
    gov = broken["government"]
    html = staff.get(f"/sinkronisasi/?pemda={gov.pk}&tahun=2026&pd=KEC-A").content.decode()
    assert 'id="proposals.accepted_unlinked"' in html
    assert 'id="money.renja_over_renstra_budget"' not in html


def test_clean_plan_page_says_aligned(staff) -> None:
    gov = create_clean_government()["government"]
    html = staff.get(f"/sinkronisasi/?pemda={gov.pk}").content.decode()  # year: latest RKPD
    assert "Tidak ada temuan: rencana selaras." in html and 'id="count-total">0<' in html


def test_excel_export_reads_back(staff, broken) -> None:
    gov = broken["government"]
    response = staff.get(f"/sinkronisasi/ekspor.xlsx?pemda={gov.pk}&tahun=2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "sinkronisasi-32.16-2026.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Temuan", "Ringkasan", "Cakupan"]
    rows = list(book["Temuan"].iter_rows(values_only=True))
    assert rows[0][:5] == ("No", "Kode aturan", "Tingkat", "Aturan", "Perangkat daerah")
    body = [(r[1], r[2], r[4], r[6], r[8]) for r in rows[1:]]
    line, proposal = broken["broken"]["renja_line"], broken["broken"]["proposal"]
    assert body == [
        ("money.renja_over_renstra_budget", "Peringatan", "DINKES", f"renja_line:{line.pk}", 2026),
        ("proposals.accepted_unlinked", "Galat", "KEC-A", f"proposal:{proposal.pk}", 2026),
    ]
    assert "belum dikaitkan dengan baris Renja" in rows[2][9]
    summary = [r[:4] for r in book["Ringkasan"].iter_rows(values_only=True)]
    assert ("money.renja_over_renstra_budget", "Pagu Renja melebihi pagu indikatif Renstra", "Peringatan", 1) in summary
    cover = {r[0]: r[1:] for r in book["Cakupan"].iter_rows(values_only=True) if r and r[0]}
    assert cover["Usulan diterima yang terkait baris Renja"] == (1, 2, 50.0)


def test_member_sees_own_government(client, broken) -> None:
    from selaras.web.accounts.models import Membership

    user = User.objects.create_user("perencana", password="rahasia-123")
    Membership.objects.create(user=user, government=broken["government"], role="planning_agency")
    client.force_login(user)
    html = client.get("/sinkronisasi/").content.decode()
    assert "Kabupaten Contoh, tahun 2026" in html


def test_admin_imports_higher_targets_from_excel(staff, tmp_path) -> None:
    from openpyxl import Workbook

    from selaras.web.alignment.models import HigherLevelTarget
    from selaras.web.alignment.services import IMPORT_COLUMNS

    book = Workbook()
    book.active.append([*IMPORT_COLUMNS, 2025, 2026])
    book.active.append(["RPJMN 2025-2029 (admin)", "rpjmn", "nasional", "", 2025, 2029, "poverty_rate",
                        "Tingkat kemiskinan", "%", "turun", 8.5, 8.0])
    path = tmp_path / "rpjmn.xlsx"
    book.save(path)
    assert staff.get("/admin/alignment/higherlevelplan/impor/").status_code == 200
    with path.open("rb") as handle:
        response = staff.post("/admin/alignment/higherlevelplan/impor/", {"workbook": handle}, follow=True)
    assert "Diimpor: 1 rencana, 1 indikator, 2 target tahunan." in response.content.decode()
    assert HigherLevelTarget.objects.filter(indicator__plan__name="RPJMN 2025-2029 (admin)").count() == 2
    assert "Impor dari Excel" in staff.get("/admin/alignment/higherlevelplan/").content.decode()


def test_demo_district_page_shows_findings_only(client, demo_district) -> None:
    """The planted flaws are demo data: the product page shows the findings, never the plant list
    (tests/integration/test_alignment_demo.py checks that the findings are exactly the planted flaws)."""
    from selaras.web.demo.flaws import planted_flaws

    user = User.objects.create_superuser("bappeda-demo", "d@example.org", "rahasia-123")
    client.force_login(user)
    html = client.get(f"/sinkronisasi/?pemda={demo_district.government_id}&tahun=2026").content.decode()
    assert "ditanam" not in html and 'class="planted"' not in html
    planted = planted_flaws(demo_district.government_id)
    assert len(planted) >= 20
    assert all(str(item["code"]) in html for item in planted)


def test_bappeda_reads_findings_in_words_and_follows_links_to_the_editor(client, broken) -> None:
    """Links open the plan editor (Bappeda cannot use the admin); documents and agencies by name,
    rules and indicators by their Bahasa labels, decimals the Indonesian way."""
    from decimal import Decimal

    from selaras.web.accounts.models import Membership
    from selaras.web.plans.models import Agency

    Agency.objects.filter(code="DINKES").update(name="Dinas Kesehatan", short_name="")
    line = broken["broken"]["renja_line"]
    line.target = Decimal("12.5")  # the Renstra's target for 2026 is 20
    line.save()
    stunting = broken["indicators"][0]
    stunting.unit = ""
    stunting.save()
    user = User.objects.create_user("bappeda-kab", password="rahasia-123")
    Membership.objects.create(user=user, government=broken["government"], role="planning_agency")
    client.force_login(user)
    html = client.get("/sinkronisasi/?tahun=2026").content.decode()

    assert "/admin/" not in html
    hrefs = re.findall(r'class="line-link" href="([^"]+)"', html)
    assert hrefs and all(h.startswith(("/penyusunan/", "/usulan/")) for h in hrefs), hrefs
    editor = f"/penyusunan/renja/{line.renja_id}/?cari={line.code}"
    assert editor in hrefs
    page = client.get(editor)
    assert page.status_code == 200 and f'data-code="{line.code}"' in page.content.decode()
    indicator_link = f"/penyusunan/rpjmd/{broken['rpjmd'].pk}/"
    assert indicator_link in hrefs and client.get(indicator_link).status_code == 200
    proposal = broken["broken"]["proposal"]
    assert f"/usulan/{proposal.number}/" in hrefs

    assert "<td>Renja Dinas Kesehatan 2026</td>" in html and "<td>Dinas Kesehatan</td>" in html
    assert "Renja DINKES 2026" not in html
    assert "stunting_prevalence" not in html and ">Prevalensi stunting</a>" in html
    assert "cascade.renja_line_not_in_renstra" not in html and ">Indikator dan target</small>" in html
    assert "target Renja 12,5, target Renstra tahun 2026 20." in html
    assert "12.5" not in html


def test_link_to_a_proposal_only_when_the_user_may_see_it(client, broken) -> None:
    from selaras.web.accounts.models import Membership

    user = User.objects.create_user("perencana-pd", password="rahasia-123")
    Membership.objects.create(user=user, government=broken["government"], role="agency_planner",
                              agency=broken["agencies"]["DINKES"])
    client.force_login(user)
    html = client.get("/sinkronisasi/?tahun=2026").content.decode()
    proposal = broken["broken"]["proposal"]  # of KEC-A: outside a Dinkes planner's scope
    assert f"/usulan/{proposal.number}/" not in html and "/admin/" not in html
    assert f"/penyusunan/renja/{broken['broken']['renja_line'].renja_id}/" in html
