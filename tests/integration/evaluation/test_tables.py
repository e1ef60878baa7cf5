"""E.81 and E.78 built from stored plans and realisation, checked against hand-computed numbers."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from selaras.domain.plans import LineLevel
from selaras.engines.evaluation import AchievementState
from selaras.web.evaluation import selectors
from selaras.web.evaluation.models import IndicatorRealisation, Realisation
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    MediumTermPlan,
    RenjaLine,
    Renstra,
    RenstraLine,
    RenstraLineYear,
)

pytestmark = pytest.mark.django_db
ROAD = "1.03.10.2.01.0001"


@pytest.fixture
def plans():
    gov = LocalGovernment.objects.create(region_code="99.01", name="Kabupaten Uji", level="regency")
    agency = Agency.objects.create(government=gov, code="1.03.0.00.0.00.01.0000", name="Dinas PUPR",
                                   short_name="PUPR")
    rpjmd = MediumTermPlan.objects.create(government=gov, start_year=2025, end_year=2029, vision="Uji")
    renstra = Renstra.objects.create(agency=agency, rpjmd=rpjmd, start_year=2025, end_year=2029)
    program = RenstraLine.objects.create(renstra=renstra, level="program", code="1.03.10", name="Program Jalan")
    activity = RenstraLine.objects.create(renstra=renstra, parent=program, level="activity", code="1.03.10.2.01",
                                          name="Penyelenggaraan Jalan")
    road = RenstraLine.objects.create(renstra=renstra, parent=activity, level="sub_activity", code=ROAD,
                                      name="Pembangunan Jalan", indicator="Panjang jalan dibangun", unit="km",
                                      direction="up", responsible_unit="Bidang Bina Marga")
    for year in range(2025, 2030):  # 20 km and Rp 10 bn a year: 100 km and Rp 50 bn at the end
        RenstraLineYear.objects.create(line=road, year=year, target=D(20), budget=10_000_000_000)
    lines = {}
    for year in (2025, 2026):
        rkpd = AnnualPlan.objects.create(government=gov, rpjmd=rpjmd, year=year)
        renja = AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=agency, ceiling=12_000_000_000)
        lines[year] = RenjaLine.objects.create(renja=renja, renstra_line=road, code=ROAD, name="Pembangunan Jalan",
                                               indicator="Panjang jalan dibangun", unit="km", target=D(20),
                                               budget=10_000_000_000)
    for quarter, (km, rp) in enumerate([(3, 1_000_000_000), (5, 2_000_000_000), (6, 3_000_000_000),
                                        (4, 3_000_000_000)], start=1):
        Realisation.objects.create(line=lines[2025], quarter=quarter, volume=D(km), spent=rp)
    for quarter, (km, rp) in enumerate([(2, 1_000_000_000), (5, 2_500_000_000), (6, 3_000_000_000),
                                        (4, 2_300_000_000)], start=1):
        Realisation.objects.create(line=lines[2026], quarter=quarter, volume=D(km), spent=rp,
                                   hindered="Hujan" if quarter == 4 else "")
    return gov, agency, rpjmd


def test_e81_from_the_database(plans) -> None:
    gov, agency, _ = plans
    table = selectors.e81_for_agency(gov, 2026, agency.pk)
    assert table is not None and table.total is not None
    assert [(r.level, r.code, r.name) for r in table.rows] == [
        (LineLevel.PROGRAM, "1.03.10", "Program Jalan"), (LineLevel.ACTIVITY, "1.03.10.2.01", "Penyelenggaraan Jalan"),
        (LineLevel.SUB_ACTIVITY, ROAD, "Pembangunan Jalan")]
    row = table.rows[-1]
    assert (row.k_renstra_target, row.rp_renstra_target) == (D(100), 50_000_000_000)  # col 5
    assert (row.k_previous, row.rp_previous) == (D(18), 9_000_000_000)  # col 6: 2025 = 3+5+6+4
    assert (row.k_year_target, row.rp_year_target) == (D(20), 10_000_000_000)  # col 7
    assert (row.k_year, row.rp_year) == (D(17), 8_800_000_000)  # col 12
    assert row.k_year_achievement.percent == D("85.00") and row.rp_year_achievement.percent == D("88.00")  # 13
    assert (row.k_cumulative, row.rp_cumulative) == (D(35), 17_800_000_000)  # col 14
    assert row.k_renstra_achievement.percent == D("35.00") and row.rp_renstra_achievement.percent == D("35.60")
    assert row.responsible_unit == "Bidang Bina Marga" and row.notes == "Hujan"
    assert table.rows[0].rp_year == 8_800_000_000 and table.total.rp_year == 8_800_000_000
    e79 = selectors.e79(gov, 2026)
    assert e79 is not None and e79[0][0].rp_year == 8_800_000_000 and e79[0][0].responsible_unit == "PUPR"


def test_e80_from_the_database(plans) -> None:
    _, agency, _ = plans
    found = selectors.e80(agency)
    assert found is not None
    _, lines, _ = found
    road = next(r for r in lines if r.code == ROAD)
    assert road.realisation[:2] == (D(18), D(17)) and road.spent[:2] == (9_000_000_000, 8_800_000_000)
    assert [a.percent for a in road.achievements[:2]] == [D("90.00"), D("85.00")]
    assert road.end_target == D(100) and road.end_realisation == D(35)
    program = next(r for r in lines if r.code == "1.03.10")
    assert program.spent[:2] == (9_000_000_000, 8_800_000_000)


def test_e78_with_a_band_and_a_lower_is_better_indicator(plans) -> None:
    gov, _, rpjmd = plans
    poverty = Indicator.objects.create(rpjmd=rpjmd, key="poverty_rate", name="Persentase penduduk miskin", unit="%",
                                       direction="down", baseline=D("2.5"))
    stunting = Indicator.objects.create(rpjmd=rpjmd, key="stunting_prevalence", name="Prevalensi stunting", unit="%",
                                        direction="down", baseline=D(21))
    for year in range(2025, 2030):
        IndicatorTarget.objects.create(indicator=poverty, year=year, target_min=D("0.6"), target_max=D("1.8"))
        IndicatorTarget.objects.create(indicator=stunting, year=year, value=D(21 - 2 * (year - 2024)))
    IndicatorRealisation.objects.create(indicator=poverty, year=2025, value=D("2.4"))
    IndicatorRealisation.objects.create(indicator=poverty, year=2026, value=D("1.5"))
    IndicatorRealisation.objects.create(indicator=stunting, year=2025, value=D(19))
    IndicatorRealisation.objects.create(indicator=stunting, year=2026, value=D(20))
    found = selectors.e78(gov)
    assert found is not None
    rows = {r.code: r for r in found[1]}
    p = rows["poverty_rate"]
    assert p.achievements[0].percent == D("75.00")  # 1.8 / 2.4: above the band
    assert p.achievements[1].state is AchievementState.IN_BAND and p.achievements[1].percent == D(100)
    assert p.end_achievement.percent == D(100) and not p.worsening
    s = rows["stunting_prevalence"]
    assert [a.percent for a in s.achievements[:2]] == [D("100.00"), D("85.00")]  # 19/19, 17/20
    assert s.end_target == D(11) and s.end_achievement.percent == D("55.00") and s.worsening
