"""`selaras reference editions / diff / move` through typer's CliRunner, on the demo district."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from selaras.cli import _django, app
from selaras.reference import editions as E
from selaras.web.plans.models import LocalGovernment
from selaras.web.reference.models import EditionMove
from selaras.web.reference.moves import preview_move

runner = CliRunner()
OLD, NEW = E.NOMENCLATURE_EDITION.key, E.NOMENCLATURE_EDITION_2027.key


@pytest.fixture
def loaded(demo_district, monkeypatch):
    # the test database is migrated by pytest-django: the command's own migrate step is skipped
    monkeypatch.setattr(_django, "migrate", lambda verbosity=0: None)
    return demo_district


def test_editions_json_lists_the_packaged_editions(loaded):
    result = runner.invoke(app, ["reference", "editions", "--json"])
    assert result.exit_code == 0, result.output
    listed = {e["key"]: e for e in json.loads(result.output)}
    assert {OLD, NEW, E.REGION_EDITION.key} <= set(listed)
    assert listed[NEW]["valid_from"] == 2027 and listed[NEW]["replaces"] == OLD


def test_diff_json_maps_every_old_code(loaded, tmp_path: Path):
    xlsx = tmp_path / "pemetaan.xlsx"
    result = runner.invoke(app, ["reference", "diff", OLD, NEW, "--json", "--xlsx", str(xlsx)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    counts = data["counts"]
    assert counts["unchanged"] == 3_247 and counts["removed"] == 1_157 and counts["review"] == 1_190
    by_code = {m["from_code"]: m for m in data["mapping"]}
    assert len(by_code) == sum(counts[k] for k in ("unchanged", "renamed", "moved", "split", "merged", "removed"))
    official = by_code["1.02.02.1.02.0013"]  # SUBKEGIATAN SEBELUMNYA of 1.02.02.1.02.0035
    assert official["to_codes"] == ["1.02.02.1.02.0035"] and official["status"] == "official"
    assert official["confidence"] == 1.0
    wording = by_code["4.01.03.2.01"]  # Evaluasi Pelaksanaan Kebijakan Perekonomian -> Pelaksanaan ...
    assert (wording["kind"], wording["status"]) == ("renamed", "review")
    sheet = load_workbook(xlsx, read_only=True)["Pemetaan"]
    assert next(sheet.iter_rows(values_only=True))[0] == "kode lama"


def test_move_preview_then_apply_with_a_choice(loaded):
    government = loaded.government_id
    preview = runner.invoke(app, ["reference", "move", str(government), NEW, "--json"])
    assert preview.exit_code == 0, preview.output
    rows = json.loads(preview.output)["rows"]
    assert rows["maps"] > 0 and LocalGovernment.objects.get(pk=government).nomenclature_edition == OLD
    waiting = next(c for c in preview_move(government, "nomenclature", NEW)["changes"]
                   if c["state"] == "needs_person" and c["to_codes"])
    bad = runner.invoke(app, ["reference", "move", str(government), NEW, "--apply", "--pilih", "tanpa-sama-dengan"])
    assert bad.exit_code == 2 and not EditionMove.objects.exists()
    choice = f"{waiting['code']}={waiting['to_codes'][0]}"
    done = runner.invoke(app, ["reference", "move", str(government), NEW, "--apply", "--pilih", choice, "--json"])
    assert done.exit_code == 0, done.output
    move = EditionMove.objects.get(pk=json.loads(done.output)["applied"])
    assert any(c["old"] == waiting["code"] and c["new"] == waiting["to_codes"][0] for c in move.changes)
    assert LocalGovernment.objects.get(pk=government).nomenclature_edition == NEW
