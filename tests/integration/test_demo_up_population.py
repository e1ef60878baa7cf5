"""`selaras demo up` on a demo database loaded before the kecamatan had synthetic population
(commit 75c5494): the existing demo is reused, not reloaded, so `demo up` itself fills the
kecamatan still without a population. Figures already there (real ones) are never overwritten,
the kecamatan add up to the regency, and a second run writes nothing."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from selaras.cli import _django
from selaras.cli import app as cli_app
from selaras.cli import demo as demo_cli
from selaras.web.plans.models import LocalGovernment
from selaras.web.reference.models import Region


@pytest.fixture
def no_migrate(monkeypatch):  # noqa: ANN001, ANN201
    """The test database is migrated already; CLI commands must not migrate it again."""
    monkeypatch.setattr(_django, "migrate", lambda verbosity=0: None)


def _kecamatan(gov: LocalGovernment):  # noqa: ANN202
    return Region.objects.filter(edition=gov.region_edition, level=3, code__startswith=f"{gov.region_code}.")


def test_demo_up_fills_missing_kecamatan_population_of_an_existing_demo(demo_district, no_migrate, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(demo_cli, "DEMO_REGION", demo_district.region_code)
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    regency = Region.objects.get(edition=gov.region_edition, code=gov.region_code).population
    assert regency
    # an old demo database: no kecamatan population, except one real figure entered by hand
    kecamatan = _kecamatan(gov)
    _kecamatan(gov).update(population=None)
    real = kecamatan.order_by("code").first()
    assert real is not None
    Region.objects.filter(pk=real.pk).update(population=123_456)

    runner = CliRunner()
    result = runner.invoke(cli_app, ["demo", "up", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "sudah dimuat" in result.output
    assert not _kecamatan(gov).filter(population__isnull=True).exists()
    assert Region.objects.get(pk=real.pk).population == 123_456
    figures = dict(_kecamatan(gov).values_list("code", "population"))
    assert sum(figures.values()) == regency
    assert f"diisi untuk {len(figures) - 1} kecamatan" in result.output

    # idempotent: nothing missing, nothing written, nothing said
    again = runner.invoke(cli_app, ["demo", "up", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert dict(_kecamatan(gov).values_list("code", "population")) == figures
    assert "Jumlah penduduk contoh" not in again.output
