"""`selaras align --government CODE --year Y [--json] [--xlsx FILE]`."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from selaras.cli import app
from tests.unit.alignment.orm_plans import create_clean_government

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def broken():
    made = create_clean_government()
    renja = made["renja_lines"]["DPUPR"].renja
    renja.ceiling = 450  # the line costs 500
    renja.save()
    return made


def test_align_json_prints_findings(broken) -> None:
    result = CliRunner().invoke(app, ["align", "--government", "32.16", "--year", "2026", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["government"], data["year"], data["counts"]["error"]) == ("32.16", 2026, 1)
    (finding,) = data["findings"]
    assert finding["code"] == "money.renja_over_ceiling" and finding["agency"] == "DPUPR"
    assert finding["location"] == {"document": "Renja DPUPR 2026", "line": f"renja:{broken['renja_lines']['DPUPR'].renja_id}",
                                   "code": "", "year": 2026}
    assert finding["params"]["excess"] == 50
    assert finding["message"] == "Total Renja DPUPR Rp 500 melebihi pagu indikatif Rp 450 (selisih Rp 50)."
    assert data["coverage"]["proposals_linked"] == {"done": 2, "total": 2, "percent": 100.0}


def test_align_text_exits_with_error_and_writes_excel(broken, tmp_path) -> None:
    target = tmp_path / "laporan.xlsx"
    result = CliRunner().invoke(app, ["align", "-g", "32.16", "-y", "2026", "--xlsx", str(target)])
    assert result.exit_code == 1
    assert "money.renja_over_ceiling" in result.stdout and "1 temuan (1 galat, 0 peringatan)" in result.stdout
    rows = list(load_workbook(target)["Temuan"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["money.renja_over_ceiling"]


def test_align_min_district_share_option(broken) -> None:
    result = CliRunner().invoke(app, ["align", "-g", "32.16", "-y", "2026", "--json", "--min-district-share", "0.2"])
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes == ["money.district_share_below_minimum", "money.renja_over_ceiling"]


def test_align_unknown_government(db) -> None:
    result = CliRunner().invoke(app, ["align", "--government", "99.99", "--year", "2026"])
    assert result.exit_code == 1 and "tidak ditemukan" in result.output


def test_align_without_options_shows_help() -> None:
    result = CliRunner().invoke(app, ["align"])
    assert result.exit_code == 2 and "--government" in result.output
