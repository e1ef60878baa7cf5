"""RPJPN bands imported (poverty 0.6–1.8 %) and read by the sinkronisasi snapshot as ranges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from selaras.web.alignment import services
from selaras.web.alignment.models import HigherLevelTarget
from selaras.web.alignment.snapshot import build_plan_set
from tests.integration.test_alignment_import import workbook
from tests.unit.alignment.orm_plans import create_clean_government

pytestmark = pytest.mark.django_db

RPJPN = ("RPJPN 2025-2045 (uji rentang)", "rpjpn", "nasional", "", 2025, 2029, "poverty_rate",
         "Tingkat kemiskinan", "%", "turun", "0,6 - 1,8", "0,6 – 1,8", None, "<= 2", 1.5)


def test_bands_are_imported_and_snapshotted(tmp_path) -> None:
    result = services.import_higher_targets(workbook(tmp_path, RPJPN))
    assert result.ok, result.findings
    stored = {t.year: (t.value, t.target_min, t.target_max) for t in HigherLevelTarget.objects.all()}
    assert stored[2025] == (None, Decimal("0.6"), Decimal("1.8"))
    assert stored[2028] == (None, None, Decimal(2)) and stored[2029] == (Decimal("1.5"), None, None)
    government = create_clean_government()["government"]
    plan = build_plan_set(government, 2026)
    bands = {t.year: t.target_range.text() for t in plan.higher_targets if t.local_key == "poverty_rate"}
    assert bands == {2025: "0.6–1.8", 2026: "0.6–1.8", 2028: "<= 2", 2029: "1.5"}
