"""The clean hand-built plan of `plans.clean()`, written to the database (for integration and e2e tests).

Not collected as tests; unit tests never call it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.unit.alignment.plans import NOMENCLATURE, YEAR, YEARS

D = Decimal


def create_clean_government(region_code: str = "32.16") -> dict[str, Any]:
    """A regency with three agencies whose plans for 2026 break no alignment rule; returns its objects."""
    from selaras.web.alignment.models import (
        HigherLevelIndicator,
        HigherLevelPlan,
        HigherLevelTarget,
    )
    from selaras.web.plans import models as m
    from selaras.web.proposals.models import Decision, Proposal
    from selaras.web.reference.models import NomenclatureItem

    for code, level, gov, active in NOMENCLATURE:
        NomenclatureItem.objects.get_or_create(edition="ed-test", code=code, government_level=gov,
                                               defaults={"name": code, "level": level, "active": active})
    gov = m.LocalGovernment.objects.create(region_code=region_code, name="Kabupaten Contoh", level="regency",
                                           nomenclature_edition="ed-test")
    rpjmd = m.MediumTermPlan.objects.create(government=gov, start_year=2025, end_year=2029, vision="Maju")
    mission = m.Mission.objects.create(rpjmd=rpjmd, number=1, text="Misi")
    goal = m.Goal.objects.create(mission=mission, number="1.1", text="Tujuan")
    objectives = [m.Objective.objects.create(goal=goal, number=n, text=t)
                  for n, t in (("1.1", "Kesehatan"), ("1.2", "Infrastruktur"))]

    def indicator(targets: tuple[str, ...], **fields: Any) -> Any:
        item = m.Indicator.objects.create(**fields)
        for year, value in zip(YEARS, targets, strict=True):
            m.IndicatorTarget.objects.create(indicator=item, year=year, value=D(value))
        return item

    stunting = indicator(("18", "16", "14", "12", "10"), objective=objectives[0], key="stunting_prevalence",
                         name="Prevalensi stunting", unit="%", direction="down", baseline=D("20"),
                         end_value=D("10"))
    schooling = indicator(("8.6", "8.7", "8.8", "8.9", "9.0"), rpjmd=rpjmd, key="mean_years_schooling",
                          name="Rata-rata lama sekolah", unit="tahun", direction="up", baseline=D("8.5"),
                          end_value=D("9.0"))
    specs = [("DINKES", ("1.02",), "", "1.02.02", 1, 400), ("DPUPR", ("1.03",), "", "1.03.03", 2, 500),
             ("KEC-A", ("7.01",), "32.16.01", "7.01.02", 2, 100)]
    rkpd = m.AnnualPlan.objects.create(government=gov, rpjmd=rpjmd, year=YEAR, ceiling=2000)
    m.PriorityProgram.objects.create(rkpd=rkpd, code="1.02.02", name="Pemenuhan Upaya Kesehatan")
    made: dict[str, Any] = {"government": gov, "rpjmd": rpjmd, "objectives": objectives, "rkpd": rkpd,
                            "indicators": [stunting, schooling], "agencies": {}, "renja_lines": {},
                            "renstra_lines": {}, "renstra_objectives": {}}
    for code, sectors, district, program, objective_no, budget in specs:
        agency = m.Agency.objects.create(government=gov, code=code, name=code, short_name=code,
                                         sector_codes=list(sectors), district_code=district)
        renstra = m.Renstra.objects.create(agency=agency, rpjmd=rpjmd, start_year=2025, end_year=2029)
        rgoal = m.RenstraGoal.objects.create(renstra=renstra, number="1", text="Tujuan")
        robjective = m.RenstraObjective.objects.create(goal=rgoal, number="1", text="Sasaran",
                                                       rpjmd_objective=objectives[objective_no - 1])
        if code == "DPUPR":
            indicator(("64", "68", "72", "76", "80"), renstra_objective=robjective, name="Jalan mantap",
                      unit="%", direction="up", baseline=D("60"), end_value=D("80"))
        parent = None
        for level, line_code in (("program", program), ("activity", program + ".2.01"),
                                 ("sub_activity", program + ".2.01.0001")):
            parent = m.RenstraLine.objects.create(renstra=renstra, parent=parent, level=level, code=line_code,
                                                  name=line_code, objective=robjective if level == "program" else None,
                                                  nomenclature_edition="ed-test")
            for year, target in zip(YEARS, (10, 20, 30, 40, 50), strict=True):
                m.RenstraLineYear.objects.create(line=parent, year=year, target=D(target), budget=budget)
        renja = m.AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=agency, ceiling=500 if budget > 100 else 100)
        line = m.RenjaLine.objects.create(renja=renja, renstra_line=parent, code=parent.code, name=parent.code,
                                          target=D(20), budget=budget, nomenclature_edition="ed-test")
        made["agencies"][code] = agency
        made["renja_lines"][code] = line
        made["renstra_lines"][code] = parent
        made["renstra_objectives"][code] = robjective
    common = {"government": gov, "year": YEAR, "channel": "musrenbang_village", "stage": "agency_forum",
              "status": "accepted", "title": "Usulan", "volume": D(1), "unit": "unit", "proposer_name": "Warga"}
    made["proposals"] = [
        Proposal.objects.create(number=f"{region_code}-U-1", agency=made["agencies"]["DPUPR"], sub_activity_code="1.03.03.2.01.0001",
                                renja_line=made["renja_lines"]["DPUPR"], estimated_cost=900, **common),
        Proposal.objects.create(number=f"{region_code}-U-2", agency=made["agencies"]["KEC-A"], sub_activity_code="7.01.02.2.01.0001",
                                renja_line=made["renja_lines"]["KEC-A"], estimated_cost=100, **common),
        Proposal.objects.create(number=f"{region_code}-U-3", agency=made["agencies"]["DINKES"], sub_activity_code="",
                                estimated_cost=100, **{**common, "status": "rejected"}),
    ]
    # U-1 asked Rp 900 but was accepted with changes at Rp 300: the decided cost counts.
    for cost in (700, 300):
        Decision.objects.create(proposal=made["proposals"][0], stage="agency_forum",
                                outcome="accepted_with_changes", reason="disesuaikan", actor_role="agency",
                                new_cost=cost)
    national, _ = HigherLevelPlan.objects.get_or_create(name="RPJMN 2025-2029", kind="rpjmn", level="national",
                                                       start_year=2025, end_year=2029)
    hi, _ = HigherLevelIndicator.objects.get_or_create(plan=national, key="stunting_prevalence",
                                                       name="Prevalensi stunting", unit="%", direction="down")
    HigherLevelTarget.objects.get_or_create(indicator=hi, year=2026, value=D("16.5"))
    province = HigherLevelPlan.objects.create(name=f"RPJMD Provinsi {region_code} 2025-2029", kind="rpjmd_provinsi",
                                              level="province", region_code=region_code.split(".")[0],
                                              start_year=2025, end_year=2029)
    hp = HigherLevelIndicator.objects.create(plan=province, key="rls", name="Rata-rata lama sekolah", unit="tahun")
    HigherLevelTarget.objects.create(indicator=hp, year=2026, value=D("8.7"))
    made["higher"] = {"national": hi, "province": hp}
    return made
