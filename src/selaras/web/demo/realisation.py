"""Write the demo district's realisation (`selaras.demo.realisation`): the Renja of the realised
years the district's RKPD does not hold (enacted, from the Renstra), quarterly realisation with
its revision rows, closed quarters (2025 I–IV, 2026 I) and the plan indicators' yearly values."""

from __future__ import annotations

from typing import Any

from selaras.demo.model import DemoDistrict
from selaras.demo.realisation import REALISED, make_realisation
from selaras.web.evaluation.models import (
    SOURCE_DEMO,
    IndicatorRealisation,
    QuarterClosure,
    Realisation,
    RealisationRevision,
)
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    AnnualPlan,
    Indicator,
    LocalGovernment,
    MediumTermPlan,
    RenjaLine,
    RenstraLine,
)

__all__ = ["write_realisation"]


def _plans_of_other_years(government: LocalGovernment, district: DemoDistrict, lines: Any) -> None:
    rpjmd = MediumTermPlan.objects.filter(government=government).order_by("-start_year").first()
    agencies = {a.code: a for a in government.agencies.all()}
    renstra_lines = {(code, line_code): pk for pk, code, line_code in RenstraLine.objects.filter(
        renstra__agency__government=government, level="sub_activity").values_list("pk", "renstra__agency__code", "code")}
    for year in sorted({line.year for line in lines}):
        if AnnualPlan.objects.filter(government=government, year=year).exists():
            continue
        year_lines = [line for line in lines if line.year == year]
        totals: dict[str, int] = {}
        for line in year_lines:
            totals[line.agency_code] = totals.get(line.agency_code, 0) + line.budget
        rkpd = AnnualPlan.objects.create(government=government, rpjmd=rpjmd, year=year, stage="penetapan",
                                         ceiling=sum(-(-t // 1_000_000) * 1_000_000 for t in totals.values()),
                                         theme=district.rkpd.theme)
        renjas = {code: AgencyAnnualPlan.objects.create(rkpd=rkpd, agency=agencies[code], stage="penetapan",
                                                        ceiling=-(-total // 1_000_000) * 1_000_000)
                  for code, total in totals.items() if code in agencies}
        RenjaLine.objects.bulk_create([
            RenjaLine(renja=renjas[line.agency_code], renstra_line_id=renstra_lines.get((line.agency_code, line.code)),
                      code=line.code, nomenclature_edition=district.nomenclature_edition, name=line.name[:400],
                      indicator=line.indicator[:300], unit=line.unit, direction="up", target=line.target,
                      budget=line.budget)
            for line in year_lines if line.agency_code in renjas
        ], batch_size=2_000)


def write_realisation(government: LocalGovernment, district: DemoDistrict, report: Any) -> int:
    """Write everything; returns the number of quarterly realisation rows."""
    report("realisasi", 0, 3)
    demo = make_realisation(district)
    _plans_of_other_years(government, district, demo.plan_lines)
    report("realisasi", 1, 3)
    line_ids = {(code, line_code, year): pk for pk, code, line_code, year in RenjaLine.objects.filter(
        renja__rkpd__government=government).values_list("pk", "renja__agency__code", "code", "renja__rkpd__year")}
    rows, revisions = [], []
    for q in demo.quarters:
        pk = line_ids.get((q.agency_code, q.code, q.year))
        if pk is None:
            continue
        fields = dict(line_id=pk, quarter=q.quarter, volume=q.volume, spent=q.spent, helped=q.helped,
                      hindered=q.hindered, follow_up=q.follow_up)
        rows.append(Realisation(**fields))
        revisions.append(RealisationRevision(**fields, source=SOURCE_DEMO))
    Realisation.objects.bulk_create(rows, batch_size=2_000)
    RealisationRevision.objects.bulk_create(revisions, batch_size=2_000)
    last_year, last_quarters = REALISED[-1]
    QuarterClosure.objects.bulk_create(
        [QuarterClosure(government=government, year=year, quarter=q) for year, quarters in REALISED
         for q in quarters if (year, q) != (last_year, last_quarters[-1])])
    report("realisasi", 2, 3)
    indicators: dict[tuple[str, str], list[int]] = {}
    for pk, key in Indicator.objects.filter(rpjmd__government=government).values_list("pk", "key"):
        indicators.setdefault(("rpjmd", key), []).append(pk)
    for pk, key in Indicator.objects.filter(objective__goal__mission__rpjmd__government=government).values_list(
            "pk", "key"):
        indicators.setdefault(("rpjmd", key), []).append(pk)
    for pk, key, agency in Indicator.objects.filter(
            renstra_objective__goal__renstra__agency__government=government).values_list(
            "pk", "key", "renstra_objective__goal__renstra__agency__code"):
        indicators.setdefault((agency, key), []).append(pk)
    IndicatorRealisation.objects.bulk_create([
        IndicatorRealisation(indicator_id=pk, year=v.year, value=v.value,
                             source="Data demo" if v.year < last_year else "Data demo (angka sementara)")
        for v in demo.indicators for pk in indicators.get((v.owner, v.key), [])
    ], batch_size=2_000)
    report("realisasi", 3, 3)
    return len(rows)
