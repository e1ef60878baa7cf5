"""RPJPD long-term targets of the region (the Kabupaten Blitar kind: stunting, poverty as a band,
mean years of schooling) drafted by Bappeda and checked against the RPJPN by sinkronisasi."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from selaras.domain.errors import NotPermitted
from selaras.engines.alignment import run_alignment
from selaras.web.alignment.models import HigherLevelIndicator, HigherLevelPlan, HigherLevelTarget
from selaras.web.alignment.snapshot import build_plan_set
from selaras.web.planning import cells, documents, lines, versions
from selaras.web.plans.models import IndicatorTarget, LongTermPlan
from tests.planning_world import PlanWorld, build_plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw() -> PlanWorld:
    world = build_plan_world()
    rpjpn = HigherLevelPlan.objects.create(name="RPJPN 2025-2045", kind="rpjpn", level="national", start_year=2025,
                                           end_year=2045)
    poverty = HigherLevelIndicator.objects.create(plan=rpjpn, key="poverty_rate", name="Tingkat kemiskinan", unit="%",
                                                  direction="down")
    HigherLevelTarget.objects.create(indicator=poverty, year=2045, target_min=Decimal("0.5"),
                                     target_max=Decimal("0.8"))
    return world


def test_bappeda_drafts_rpjpd_targets_checked_against_rpjpn(pw):
    plan = LongTermPlan.objects.create(government=pw.gov, start_year=2025, end_year=2045, vision="Maju 2045",
                                       missions=["Sejahtera"])
    doc = documents.load("rpjpd", plan.pk)
    with pytest.raises(NotPermitted):
        lines.add_indicator(pw.perencana_pupr, doc, "Tingkat kemiskinan", key="poverty_rate", unit="%",
                            direction="turun")
    indicator = lines.add_indicator(pw.bappeda, doc, "Tingkat kemiskinan", key="poverty_rate", unit="persen",
                                    direction="turun")
    assert (indicator.unit, indicator.direction) == ("%", "down")
    assert cells.save_cell(pw.bappeda, "indicator", indicator.pk, "baseline", "2,5").ok
    assert cells.save_cell(pw.bappeda, "indicator_target", indicator.pk, "target_min", "0,6", 2045).ok
    assert cells.save_cell(pw.bappeda, "indicator_target", indicator.pk, "target_max", "1,8", 2045).ok
    from selaras.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        cells.save_cell(pw.bappeda, "indicator_target", indicator.pk, "value", "1", 2050)  # outside the period
    target = IndicatorTarget.objects.get(indicator=indicator, year=2045)
    assert (target.value, target.target_min, target.target_max) == (None, Decimal("0.6"), Decimal("1.8"))
    # the band allows 1.8 % where the RPJPN allows 0.8 % at most: less ambitious (lower is better)
    findings = [f for f in run_alignment(build_plan_set(pw.gov, pw.world.year)) if f.location.document == "RPJPD"]
    assert [(f.code, f.location.year) for f in findings] == [("targets.less_ambitious_than_higher", 2045)]
    cells.save_cell(pw.bappeda, "indicator_target", indicator.pk, "target_max", "0,8", 2045)
    assert [f for f in run_alignment(build_plan_set(pw.gov, pw.world.year)) if f.location.document == "RPJPD"] == []
    payload = versions.payload_of(doc)
    assert [line["targets"].get("2045") for line in payload["lines"] if line["key"].startswith("indicator")] == [
        "0,6 – 0,8"]
    page = Client()
    page.force_login(pw.bappeda)
    html = page.get(f"/penyusunan/rpjpd/{plan.pk}/").content.decode()
    assert "Target 2045" in html and "Target 2029" in html and "Tingkat kemiskinan" in html
