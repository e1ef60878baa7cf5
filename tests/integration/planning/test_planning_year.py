"""The plan year being prepared comes from the government's data (its open cycle), not the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from selaras.domain.proposals import Stage
from selaras.web.plans.models import AnnualPlan, LocalGovernment
from selaras.web.proposals.models import StageWindow
from selaras.web.proposals.windows import planning_year

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, tzinfo=UTC)


def window(gov: LocalGovernment, year: int, opens: int, closes: int, stage: Stage = Stage.VILLAGE) -> None:
    StageWindow.objects.create(government=gov, year=year, stage=stage.value, opens_at=NOW + timedelta(days=opens),
                               closes_at=NOW + timedelta(days=closes))


def test_year_from_the_data_in_order():
    gov = LocalGovernment.objects.create(region_code="32.16", name="Kabupaten Bekasi", level="regency")
    assert planning_year(gov, NOW) == 2031  # nothing at all: the calendar
    AnnualPlan.objects.create(government=gov, year=2026, stage="penetapan")
    assert planning_year(gov, NOW) == 2027  # after the last enacted RKPD
    AnnualPlan.objects.create(government=gov, year=2027)
    assert planning_year(gov, NOW) == 2027  # the RKPD still being drafted
    window(gov, 2026, -400, -300)
    assert planning_year(gov, NOW) == 2026  # the last scheduled cycle, even closed
    window(gov, 2028, 10, 40)
    assert planning_year(gov, NOW) == 2028  # the next scheduled cycle
    window(gov, 2027, -5, 5)
    assert planning_year(gov, NOW) == 2027  # a cycle open now wins
    assert planning_year(gov.pk, NOW) == 2027
    assert planning_year(None, NOW) == 2031
