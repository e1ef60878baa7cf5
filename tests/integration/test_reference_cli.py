"""`selaras reference load` and `selaras reference show` through typer's CliRunner."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from selaras.cli import _django, app
from selaras.web.reference.services import load_reference

runner = CliRunner()


@pytest.fixture(scope="session")
def _reference_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def loaded(_reference_once, db, monkeypatch):
    # pytest-django has migrated the test database; the command's own migrate step is skipped
    # so that it never runs schema changes inside the test transaction.
    monkeypatch.setattr(_django, "migrate", lambda verbosity=0: None)
    load_reference()


def test_load_is_idempotent_and_prints_counts(loaded):
    result = runner.invoke(app, ["reference", "load"])
    assert result.exit_code == 0, result.output
    assert "83.762" in result.output and "5.348" in result.output
    assert "Sudah mutakhir" in result.output


@pytest.mark.parametrize(("code", "expected"), [
    ("32.04", "Kabupaten Bandung"),
    ("91.03.01.3007", "diperlakukan sebagai desa"),
    ("1.02.02.2.01.0001", "Sub Kegiatan"),
    ("?.01", "kekhususan Aceh"),
    ("X.XX.01", "program penunjang"),
    ("1.01.2.22.0.00.01.0000", "BIDANG KEBUDAYAAN"),
])
def test_show_known_codes(loaded, code, expected):
    result = runner.invoke(app, ["reference", "show", code])
    assert result.exit_code == 0, result.output
    assert expected in " ".join(result.output.split())


def test_show_invalid_code_explains(loaded):
    result = runner.invoke(app, ["reference", "show", "1.01.02.2.01.01"])
    assert result.exit_code == 1
    assert "sub kegiatan harus 4 angka" in " ".join(result.output.split())


def test_show_valid_but_unknown_code(loaded):
    result = runner.invoke(app, ["reference", "show", "99.99"])
    assert result.exit_code == 1
    assert "tidak ada pada edisi" in result.output
