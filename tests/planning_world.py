"""Plans on top of the proposal world: an RPJMD, a Renstra and a Renja per agency, an RKPD.

Used by the drafting tests (integration, e2e, browser). Small on purpose: three Renstra lines
(programme, activity, sub-activity) per agency and one Renja line, all within the ceilings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.test import Client

from selaras.web.plans.models import (
    AgencyAnnualPlan,
    AnnualPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    MediumTermPlan,
    Mission,
    Objective,
    RenjaLine,
    Renstra,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
)
from selaras.web.reference.models import NomenclatureItem
from tests.browser.proposal_world import World, build_world

ROAD_PROGRAM = "1.03.10"
ROAD_ACTIVITY = "1.03.10.2.01"
ROAD = "1.03.10.2.01.0009"
ROAD_NEW = "1.03.10.2.01.0001"
HEALTH_PROGRAM = "1.02.02"
HEALTH_ACTIVITY = "1.02.02.2.01"
HEALTH = "1.02.02.2.01.0001"


@dataclass
class PlanWorld:
    world: World
    rpjmd: MediumTermPlan
    rkpd: AnnualPlan
    renstra: dict[str, Renstra]
    renja: dict[str, AgencyAnnualPlan]
    indicator: Indicator

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["world"], name)


def _nomenclature(edition: str) -> None:
    for code, name, level, parent in [
        (ROAD_PROGRAM, "Program Penyelenggaraan Jalan", "program", "1.03"),
        (ROAD_ACTIVITY, "Penyelenggaraan Jalan Kabupaten/Kota", "activity", ROAD_PROGRAM),
        (ROAD_NEW, "Pembangunan Jalan", "sub_activity", ROAD_ACTIVITY),
        (HEALTH_PROGRAM, "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
         "program", "1.02"),
        (HEALTH_ACTIVITY, "Penyediaan Fasilitas Pelayanan Kesehatan", "activity", HEALTH_PROGRAM),
        (HEALTH, "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya", "sub_activity",
         HEALTH_ACTIVITY),
    ]:
        NomenclatureItem.objects.get_or_create(edition=edition, code=code, government_level="kab/kota" if level !=
                                               "program" else "", defaults={"name": name, "level": level,
                                                                            "parent_code": parent})


def build_plan_world() -> PlanWorld:
    world = build_world()
    gov, year = world.gov, world.year
    _nomenclature(gov.nomenclature_edition)
    start = year - 1
    rpjmd = MediumTermPlan.objects.create(government=gov, start_year=start, end_year=start + 4,
                                          vision="Bekasi maju dan sejahtera")
    mission = Mission.objects.create(rpjmd=rpjmd, number=1, text="Infrastruktur merata")
    goal = Goal.objects.create(mission=mission, number="1", text="Konektivitas wilayah")
    objective = Objective.objects.create(goal=goal, number="1.1", text="Jalan mantap meningkat")
    indicator = Indicator.objects.create(objective=objective, key="road_condition", name="Persentase jalan mantap",
                                         unit="%", direction="up", baseline=Decimal("70"), end_value=Decimal("90"))
    for n, y in enumerate(rpjmd.years):
        IndicatorTarget.objects.create(indicator=indicator, year=y, value=Decimal(72 + 4 * n))
    rkpd = AnnualPlan.objects.create(government=gov, rpjmd=rpjmd, year=year, ceiling=50_000_000_000,
                                     theme="Pemulihan ekonomi")
    renstras, renjas = {}, {}
    for key, agency, program, activity, sub in (("pupr", world.pupr, ROAD_PROGRAM, ROAD_ACTIVITY, ROAD),
                                                 ("dinkes", world.dinkes, HEALTH_PROGRAM, HEALTH_ACTIVITY, HEALTH)):
        renstra = Renstra.objects.create(agency=agency, rpjmd=rpjmd, start_year=start, end_year=start + 4)
        r_goal = RenstraGoal.objects.create(renstra=renstra, number="1", text=f"Tujuan {agency.short_name}")
        r_objective = RenstraObjective.objects.create(goal=r_goal, number="1.1", text=f"Sasaran {agency.short_name}",
                                                      rpjmd_objective=objective)
        parent = None
        for level, code, name in (("program", program, "Program"), ("activity", activity, "Kegiatan"),
                                  ("sub_activity", sub, "Sub kegiatan")):
            parent = RenstraLine.objects.create(renstra=renstra, parent=parent, objective=r_objective, level=level,
                                                code=code, name=f"{name} {agency.short_name}",
                                                indicator=f"Indikator {code}", unit="unit", direction="up",
                                                baseline=Decimal(1))
            for n, y in enumerate(renstra.years if hasattr(renstra, "years") else range(start, start + 5)):
                RenstraLineYear.objects.create(line=parent, year=y, target=Decimal(2 + n), budget=1_000_000_000)
        renja = AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=agency, ceiling=5_000_000_000)
        RenjaLine.objects.create(renja=renja, renstra_line=parent, code=sub, name=f"Sub kegiatan {agency.short_name}",
                                 indicator=f"Indikator {sub}", unit="unit", direction="up",
                                 target=Decimal(3), budget=1_000_000_000, forward_estimate=1_100_000_000)
        renstras[key], renjas[key] = renstra, renja
    return PlanWorld(world, rpjmd, rkpd, renstras, renjas, indicator)


def set_rkpd_stage(pw: PlanWorld, stage: str = "penetapan") -> None:
    """Put the RKPD at `stage` directly (its own move is tested elsewhere): a Renja's final draft
    and penetapan wait for the enacted RKPD, its perubahan for the RKPD's."""
    AnnualPlan.objects.filter(pk=pw.rkpd.pk).update(stage=stage)


def client_for(user: Any) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client
