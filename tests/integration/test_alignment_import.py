"""Higher-level targets imported from Excel (calamine), mapped, and used by the check."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from selaras.engines.alignment import run_alignment
from selaras.web.alignment import services
from selaras.web.alignment.models import HigherLevelIndicator, HigherLevelPlan, HigherLevelTarget
from selaras.web.alignment.snapshot import build_plan_set
from tests.unit.alignment.orm_plans import create_clean_government

pytestmark = pytest.mark.django_db

HEADER = ["Dokumen", "Jenis", "Tingkat", "Kode_Provinsi", "Tahun_Awal", "Tahun_Akhir", "Kunci", "Indikator",
          "Satuan", "Arah", 2025, 2026, 2027, 2028, 2029]


def workbook(tmp_path, *rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "target.xlsx"
    book.save(path)
    return path


NATIONAL = ("RPJMN 2025-2029 (uji impor)", "rpjmn", "nasional", "", 2025, 2029, "poverty_rate",
            "Tingkat kemiskinan", "%", "turun", 8.5, 8.0, 7.5, 7.0, 6.5)
PROVINCE = ("RPJMD Provinsi Uji 2025-2029", "rpjmd_provinsi", "provinsi", "32", 2025, 2029, "mean_years_schooling",
            "Rata-rata lama sekolah", "tahun", "naik", "8,6", "8,8", None, None, None)


def test_import_writes_plans_indicators_and_targets(tmp_path) -> None:
    result = services.import_higher_targets(workbook(tmp_path, NATIONAL, PROVINCE))
    assert result.ok and (result.plans, result.indicators, result.targets) == (2, 2, 7)
    national = HigherLevelPlan.objects.get(name="RPJMN 2025-2029 (uji impor)")
    assert (national.level, national.region_code, national.kind) == ("national", "", "rpjmn")
    indicator = HigherLevelIndicator.objects.get(plan=national)
    assert (indicator.key, indicator.direction, indicator.unit) == ("poverty_rate", "down", "%")
    assert list(indicator.targets.values_list("year", "value")) == [
        (2025, Decimal("8.5")), (2026, Decimal("8")), (2027, Decimal("7.5")), (2028, Decimal("7")),
        (2029, Decimal("6.5"))]
    province = HigherLevelTarget.objects.filter(indicator__plan__name="RPJMD Provinsi Uji 2025-2029").values_list("year", "value")
    assert sorted(province) == [(2025, Decimal("8.6")), (2026, Decimal("8.8"))]  # decimal comma accepted


def test_reimport_updates_in_place(tmp_path) -> None:
    services.import_higher_targets(workbook(tmp_path, NATIONAL))
    changed = (*NATIONAL[:10], 9.0, 8.0, 7.5, 7.0, 6.5)
    services.import_higher_targets(workbook(tmp_path, changed))
    assert HigherLevelTarget.objects.filter(indicator__key="poverty_rate").count() == 5
    assert HigherLevelTarget.objects.get(indicator__key="poverty_rate", year=2025).value == Decimal("9")


def test_bad_rows_come_back_with_their_row_number(tmp_path) -> None:
    bad_level = (*NATIONAL[:2], "kabupaten", *NATIONAL[3:])
    no_key = (*NATIONAL[:6], "", *NATIONAL[7:])
    bad_number = (*PROVINCE[:10], "banyak", None, None, None, None)
    no_province = ("RPJMD Provinsi Tanpa Kode", "rpjmd_provinsi", "provinsi", "", 2025, 2029, "x", "X", "%", "naik")
    result = services.import_higher_targets(workbook(tmp_path, bad_level, no_key, bad_number, no_province))
    assert not result.ok
    got = [(f.code, f.location.row, f.location.column) for f in result.findings]
    assert got == [("import.bad_choice", 2, "tingkat"), ("import.required", 3, "kunci"),
                   ("import.bad_number", 4, "2025"), ("import.required", 5, "kode_provinsi")]
    assert services.import_message(result.findings[0]) == 'Baris 2: nilai "kabupaten" pada kolom tingkat tidak dikenali.'


def test_missing_columns_are_reported(tmp_path) -> None:
    book = Workbook()
    book.active.append(["Dokumen", "Kunci"])
    path = tmp_path / "kurang.xlsx"
    book.save(path)
    result = services.import_higher_targets(path)
    assert [f.code for f in result.findings] == ["import.missing_columns"]
    assert "tingkat" in services.import_message(result.findings[0])


def test_imported_targets_feed_the_check_through_a_mapping(tmp_path) -> None:
    made = create_clean_government()
    # The province expects 9.0 years of schooling in 2026; the regency plans 8.7 (higher is better).
    row = ("RPJMD Provinsi Uji 2025-2029", "rpjmd_provinsi", "provinsi", "32", 2025, 2029, "rls_provinsi",
           "Rata-rata lama sekolah", "tahun", "naik", None, 9.0, None, None, None)
    services.import_higher_targets(workbook(tmp_path, row))
    assert run_alignment(build_plan_set(made["government"], 2026)) == []  # different key: not compared yet
    services.map_indicator(made["government"], HigherLevelIndicator.objects.get(key="rls_provinsi"),
                           "mean_years_schooling")
    findings = run_alignment(build_plan_set(made["government"], 2026))
    assert [(f.code, f.location.line, f.params["local"], f.params["higher"]) for f in findings] == [
        ("targets.less_ambitious_than_higher", f"indicator:{made['indicators'][1].pk}", "8.7", "9")]


def test_reader_plan_kinds_match_the_stored_choices() -> None:
    from selaras.formats.alignment_targets import LEVEL_NATIONAL, LEVEL_PROVINCE, PLAN_KINDS

    assert tuple(k for k, _ in HigherLevelPlan.KIND_CHOICES) == PLAN_KINDS
    assert (LEVEL_NATIONAL, LEVEL_PROVINCE) == (HigherLevelPlan.LEVEL_NATIONAL, HigherLevelPlan.LEVEL_PROVINCE)


def test_import_accepts_bytes(tmp_path) -> None:
    result = services.import_higher_targets(workbook(tmp_path, NATIONAL).read_bytes())
    assert result.ok and result.targets == 5
