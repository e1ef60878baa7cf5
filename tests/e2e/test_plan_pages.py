"""Read pages of the plan cascade (/rencana/), on a small plan built here."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selaras.web.accounts.models import Membership
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    MediumTermPlan,
    Mission,
    Objective,
    PolicyDirection,
    PriorityProgram,
    RenjaLine,
    Renstra,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
    Strategy,
)
from selaras.web.plans.templatetags.selaras_format import format_number, format_rupiah

# A code no demo or reference loader uses, so this plan can live beside the demo district.
GOV_CODE = "91.99"
DISTRICT = "91.99.01"
VILLAGE = "91.99.01.2001"


def build_plan() -> SimpleNamespace:
    """A small regency: RPJMD 2025–2029, Dinkes Renstra, RKPD 2026 with two Renja."""
    gov = LocalGovernment.objects.create(region_code=GOV_CODE, name="Kabupaten Uji Selaras", level="regency")
    dinkes = Agency.objects.create(government=gov, code="1.02.0.00.0.00.01.0000", name="Dinas Kesehatan",
                                   short_name="Dinkes", sector_codes=["1.02"])
    pupr = Agency.objects.create(government=gov, code="1.03.0.00.0.00.01.0000",
                                 name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="DPUPR",
                                 sector_codes=["1.03"])
    kecamatan = Agency.objects.create(government=gov, code="7.01.0.00.0.00.01.0001", name="Kecamatan Satu",
                                      district_code=DISTRICT)
    rpjmd = MediumTermPlan.objects.create(government=gov, start_year=2025, end_year=2029,
                                          vision="Terwujudnya Kabupaten Uji yang sehat, maju dan sejahtera")
    mission = Mission.objects.create(rpjmd=rpjmd, number=1, text="Meningkatkan kualitas sumber daya manusia")
    goal = Goal.objects.create(mission=mission, number="1.1", text="Meningkatkan derajat kesehatan masyarakat")
    objective = Objective.objects.create(goal=goal, number="1.1.1", text="Menurunnya prevalensi stunting")
    strategy = Strategy.objects.create(objective=objective, text="Intervensi gizi spesifik di desa lokus")
    PolicyDirection.objects.create(strategy=strategy, text="Penguatan posyandu dan makanan tambahan")
    key = Indicator.objects.create(rpjmd=rpjmd, key="stunting_prevalence", name="Prevalensi stunting", unit="%",
                                   direction="down", baseline=Decimal("21.5"), end_value=Decimal("14.25"))
    for year, value in zip(range(2025, 2030), ["20", "18.5", "17", "15.75", "14.25"], strict=True):
        IndicatorTarget.objects.create(indicator=key, year=year, value=Decimal(value))
    weighed = Indicator.objects.create(objective=objective, name="Cakupan balita ditimbang", unit="%",
                                       direction="up", baseline=Decimal("70"), end_value=Decimal("90"))
    IndicatorTarget.objects.create(indicator=weighed, year=2026, value=Decimal("75"))
    renstra = Renstra.objects.create(agency=dinkes, rpjmd=rpjmd, start_year=2025, end_year=2029)
    r_goal = RenstraGoal.objects.create(renstra=renstra, number="1", text="Meningkatnya layanan kesehatan dasar")
    r_objective = RenstraObjective.objects.create(goal=r_goal, number="1.1", rpjmd_objective=objective,
                                                  text="Meningkatnya cakupan gizi balita")
    Indicator.objects.create(renstra_objective=r_objective, name="Persentase balita gizi baik", unit="%")
    program = RenstraLine.objects.create(
        renstra=renstra, level="program", code="1.02.02",
        name="Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat")
    activity = RenstraLine.objects.create(
        renstra=renstra, parent=program, level="activity", code="1.02.02.2.02",
        name="Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah Kabupaten/Kota")
    sub = RenstraLine.objects.create(
        renstra=renstra, parent=activity, level="sub_activity", code="1.02.02.2.02.0001",
        name="Pengelolaan Pelayanan Kesehatan Ibu Hamil", objective=r_objective,
        indicator="Jumlah ibu hamil yang mendapatkan pelayanan kesehatan", unit="orang")
    RenstraLineYear.objects.create(line=sub, year=2025, target=Decimal("1200"), budget=1_250_000_000)
    RenstraLineYear.objects.create(line=sub, year=2026, target=Decimal("1300.5"), budget=1_500_000_000)
    rkpd = AnnualPlan.objects.create(government=gov, rpjmd=rpjmd, year=2026, stage="rancangan",
                                     ceiling=5_000_000_000, theme="Penguatan SDM yang sehat")
    PriorityProgram.objects.create(rkpd=rkpd, code="1.02.02", name="Program Pemenuhan Upaya Kesehatan")
    renja = AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=dinkes, ceiling=2_000_000_000)
    renja_line = RenjaLine.objects.create(
        renja=renja, renstra_line=sub, code=sub.code, name=sub.name, indicator=sub.indicator, unit="orang",
        target=Decimal("1300"), budget=1_500_000_000, forward_estimate=1_600_000_000)
    renja_pupr = AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=pupr, ceiling=2_500_000_000)
    return SimpleNamespace(**locals())


def member(django_user_model, username: str, plan: SimpleNamespace, role: str, **scope: object):
    user = django_user_model.objects.create_user(username=username, password=None,
                                                 first_name=username.title())
    Membership.objects.create(user=user, government=plan.gov, role=role, **scope)
    return user


@pytest.fixture
def plan(db) -> SimpleNamespace:
    return build_plan()


@pytest.fixture
def planner_client(client, django_user_model, plan):
    client.force_login(member(django_user_model, "uji_bappeda", plan, "planning_agency"))
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_rupiah_and_number_format():
    assert format_rupiah(1_250_000_000) == "Rp 1.250.000.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(-5000) == "-Rp 5.000"
    assert format_rupiah(None) == ""
    assert format_number(Decimal("14.2500")) == "14,25"
    assert format_number(Decimal("1250.5")) == "1.250,5"
    assert format_number(Decimal("100.0000")) == "100"


@pytest.mark.parametrize("url", ["/rencana/", "/rencana/perangkat-daerah/", "/rencana/rkpd/2026/",
                                 "/rencana/rpjmd/"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_overview(planner_client, plan):
    html = page(planner_client, "/rencana/")
    assert "Kabupaten Uji Selaras" in html
    assert "RPJMD 2025–2029" in html
    assert plan.rpjmd.vision in html
    assert "<strong>1</strong> misi" in html
    assert "<strong>1</strong> indikator kinerja utama" in html
    assert "RKPD 2026" in html and "Rp 5.000.000.000" in html
    assert f"/rencana/rpjmd/{plan.rpjmd.pk}/" in html


def test_rpjmd_page(planner_client, plan):
    assert planner_client.get("/rencana/rpjmd/")["Location"] == f"/rencana/rpjmd/{plan.rpjmd.pk}/"
    html = page(planner_client, f"/rencana/rpjmd/{plan.rpjmd.pk}/")
    for text in ["Meningkatkan kualitas sumber daya manusia", "Meningkatkan derajat kesehatan masyarakat",
                 "Menurunnya prevalensi stunting", "Intervensi gizi spesifik di desa lokus",
                 "Penguatan posyandu dan makanan tambahan", "Prevalensi stunting", "Cakupan balita ditimbang",
                 "Semakin rendah semakin baik"]:
        assert text in html, text
    # key indicator row: baseline, five yearly targets, end value, Indonesian decimals
    for value in ["21,5", "18,5", "15,75", "14,25"]:
        assert f'<td class="num">{value}</td>' in html, value
    for year in range(2025, 2030):
        assert f'<th class="num">{year}</th>' in html


def test_agency_list(planner_client, plan):
    html = page(planner_client, "/rencana/perangkat-daerah/")
    assert "Dinas Kesehatan" in html and "Kecamatan Satu" in html
    assert f"/rencana/perangkat-daerah/{plan.dinkes.pk}/renstra/" in html
    assert f"/rencana/rkpd/2026/renja/{plan.dinkes.pk}/" in html
    assert "Rp 2.000.000.000" in html


def test_renstra_page(planner_client, plan):
    html = page(planner_client, f"/rencana/perangkat-daerah/{plan.dinkes.pk}/renstra/")
    assert "Renstra Dinas Kesehatan 2025–2029" in html
    assert "Meningkatnya cakupan gizi balita" in html
    assert "Mendukung sasaran RPJMD: <strong>1.1.1</strong> Menurunnya prevalensi stunting" in html
    assert "Persentase balita gizi baik" in html
    assert html.index("1.02.02</code>") < html.index("1.02.02.2.02</code>") < html.index("1.02.02.2.02.0001</code>")
    assert "Jumlah ibu hamil yang mendapatkan pelayanan kesehatan" in html
    assert "Rp 1.250.000.000" in html and "1.300,5" in html
    assert "Rp 2.750.000.000" in html  # total of the sub-activity over the years, counted once


def test_renstra_missing_and_foreign_agency(planner_client, plan):
    html = page(planner_client, f"/rencana/perangkat-daerah/{plan.pupr.pk}/renstra/")
    assert "belum memiliki Renstra" in html
    other = LocalGovernment.objects.create(region_code="91.98", name="Kota Lain", level="city")
    stranger = Agency.objects.create(government=other, code="1.02.0.00.0.00.01.0000", name="Dinkes Lain")
    assert planner_client.get(f"/rencana/perangkat-daerah/{stranger.pk}/renstra/").status_code == 404


def test_rkpd_page(planner_client, plan):
    assert planner_client.get("/rencana/rkpd/")["Location"] == "/rencana/rkpd/2026/"
    html = page(planner_client, "/rencana/rkpd/2026/")
    assert "RKPD 2026" in html and "Penguatan SDM yang sehat" in html and "Rancangan" in html
    assert "Program Pemenuhan Upaya Kesehatan" in html
    assert "Dinas Kesehatan" in html and "Dinas Pekerjaan Umum dan Penataan Ruang" in html
    assert "Rp 4.500.000.000" in html  # sum of Renja ceilings
    assert "Rp 500.000.000" in html  # not yet allocated
    assert planner_client.get("/rencana/rkpd/2031/").status_code == 404


def test_renja_page(planner_client, plan):
    html = page(planner_client, f"/rencana/rkpd/2026/renja/{plan.dinkes.pk}/")
    assert "Renja Dinas Kesehatan 2026" in html
    assert "1.02.02.2.02.0001" in html and "Pengelolaan Pelayanan Kesehatan Ibu Hamil" in html
    assert "Rp 1.500.000.000" in html and "Rp 1.600.000.000" in html
    assert "Rp 500.000.000" in html  # remaining ceiling
    assert planner_client.get(f"/rencana/rkpd/2026/renja/{plan.kecamatan.pk}/").status_code == 404


def test_user_without_government_sees_notice(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user(username="uji_tanpa_peran", password=None))
    assert "belum terhubung" in page(client, "/rencana/")
    assert client.get("/rencana/perangkat-daerah/").status_code == 404


def test_superuser_chooses_government(client, django_user_model, plan):
    client.force_login(django_user_model.objects.create_superuser("uji_super", "s@example.org", None))
    html = page(client, f"/rencana/?pemda={plan.gov.pk}")
    assert "Kabupaten Uji Selaras" in html
    assert "Dinas Kesehatan" in page(client, "/rencana/perangkat-daerah/")


def _add_lines(plan: SimpleNamespace, count: int) -> None:
    for i in range(count):
        line = RenstraLine.objects.create(renstra=plan.renstra, parent=plan.activity, level="sub_activity",
                                          code=f"1.02.02.2.02.{i + 2:04d}", name=f"Sub kegiatan {i}")
        for year in (2025, 2026, 2027):
            RenstraLineYear.objects.create(line=line, year=year, budget=1_000_000 * (i + 1))
        RenjaLine.objects.create(renja=plan.renja, renstra_line=line, code=line.code, name=line.name,
                                 budget=1_000_000)


def test_pages_cost_a_fixed_number_of_queries(planner_client, plan):
    urls = ["/rencana/", f"/rencana/rpjmd/{plan.rpjmd.pk}/", "/rencana/perangkat-daerah/",
            f"/rencana/perangkat-daerah/{plan.dinkes.pk}/renstra/", "/rencana/rkpd/2026/",
            f"/rencana/rkpd/2026/renja/{plan.dinkes.pk}/"]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                page(planner_client, url)
            result.append(len(queries))
        return result

    before = counts()
    _add_lines(plan, 25)
    assert counts() == before
    assert max(before) <= 15


def test_demo_district_pages(client, django_user_model, demo_district):
    from selaras.web.plans import selectors

    client.force_login(django_user_model.objects.get(username=demo_district.username("bappeda")))
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    rpjmd = selectors.current_rpjmd(gov)
    rkpd = selectors.latest_rkpd(gov)
    assert rpjmd is not None and rkpd is not None
    renstra = Renstra.objects.filter(agency__government=gov).order_by("agency__code").first()
    renja = AgencyAnnualPlan.objects.filter(rkpd=rkpd).order_by("agency__code").first()
    urls = ["/rencana/", f"/rencana/rpjmd/{rpjmd.pk}/", "/rencana/perangkat-daerah/",
            f"/rencana/perangkat-daerah/{renstra.agency_id}/renstra/", f"/rencana/rkpd/{rkpd.year}/",
            f"/rencana/rkpd/{rkpd.year}/renja/{renja.agency_id}/"]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            html = page(client, url)
        assert len(queries) <= 15, (url, len(queries))
        assert gov.name in html or "Renstra" in html or "Renja" in html
    assert rpjmd.vision in page(client, urls[1])
