"""One government per region code, whichever command or API asks (two region editions loaded)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from selaras.cli import app
from selaras.domain.errors import NotFound
from selaras.reference.editions import REGION_EDITION
from selaras.web.plans.models import LocalGovernment
from selaras.web.plans.selectors import government_by_code

pytestmark = pytest.mark.django_db

OLD_EDITION = "kepmendagri-uji-lama"  # not shipped with this version: counts as older


class Picked(Exception):
    """Raised by the stand-ins below to tell which government a command passed on."""


def _pick(*args: Any, **kwargs: Any) -> Any:
    raise Picked(kwargs["government"] if "government" in kwargs else args[0])


@pytest.fixture
def two_editions() -> dict[str, LocalGovernment]:
    # The newest edition's government is created first, so "the latest row" would pick the other.
    new = LocalGovernment.objects.create(region_code="32.16", region_edition=REGION_EDITION.key,
                                         name="Kabupaten Bekasi", level="regency")
    old = LocalGovernment.objects.create(region_code="32.16", region_edition=OLD_EDITION,
                                         name="Kabupaten Bekasi (edisi lama)", level="regency")
    return {"new": new, "old": old}


def test_the_newest_edition_unless_one_is_named(two_editions: dict[str, LocalGovernment]) -> None:
    assert government_by_code("32.16") == two_editions["new"]
    assert government_by_code(" 32.16 ") == two_editions["new"]
    assert government_by_code("32.16", OLD_EDITION) == two_editions["old"]
    assert government_by_code("32.16", REGION_EDITION.key) == two_editions["new"]


def test_among_editions_not_shipped_the_latest_created() -> None:
    LocalGovernment.objects.create(region_code="32.17", region_edition="uji-a", name="A", level="regency")
    later = LocalGovernment.objects.create(region_code="32.17", region_edition="uji-b", name="B", level="regency")
    assert government_by_code("32.17") == later


def test_not_found_says_so_in_bahasa(two_editions: dict[str, LocalGovernment]) -> None:
    with pytest.raises(NotFound) as missing:
        government_by_code("99.99")
    assert missing.value.message == "Pemerintah daerah dengan kode 99.99 tidak ditemukan."
    with pytest.raises(NotFound) as wrong_edition:
        government_by_code("32.16", "edisi-lain")
    assert "pada edisi kode wilayah edisi-lain" in wrong_edition.value.message


def test_import_select_and_align_pick_the_same_government(two_editions: dict[str, LocalGovernment],
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from selaras.web.alignment import selectors as alignment_selectors
    from selaras.web.proposals import import_service
    from selaras.web.selection import services

    monkeypatch.setattr(import_service, "import_file", _pick)
    monkeypatch.setattr(services, "start_run", _pick)
    monkeypatch.setattr(alignment_selectors, "run_report", _pick)
    upload = tmp_path / "usulan.csv"
    upload.write_text("judul\n", encoding="utf-8")
    commands = {
        "import": ["import", "proposals", str(upload), "-g", "32.16", "-c", "musrenbang_village", "-y", "2026"],
        "select": ["select", "run", "-g", "32.16", "-y", "2026", "-r", "greedy"],
        "align": ["align", "-g", "32.16", "-y", "2026"],
    }
    for name, args in commands.items():
        result = CliRunner().invoke(app, args)
        assert isinstance(result.exception, Picked), (name, result.output)
        assert result.exception.args[0] == two_editions["new"], name
        older = CliRunner().invoke(app, [*args, "--region-edition", OLD_EDITION])
        assert isinstance(older.exception, Picked) and older.exception.args[0] == two_editions["old"], name


def test_cli_unknown_government_keeps_its_exit_code(db: None) -> None:
    result = CliRunner().invoke(app, ["select", "run", "-g", "99.99", "-y", "2026"])
    assert result.exit_code == 2 and "Pemerintah daerah dengan kode 99.99 tidak ditemukan." in result.output


def test_api_run_picks_the_same_government(two_editions: dict[str, LocalGovernment], client: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from selaras.web.selection import services

    monkeypatch.setattr(services, "start_run", _pick)
    client.force_login(User.objects.create_superuser("uji_api", password="x"))
    for edition, expected in ((None, "new"), (OLD_EDITION, "old")):
        with pytest.raises(Picked) as picked:
            client.post("/api/seleksi/runs", {"government": "32.16", "year": 2026, "region_edition": edition},
                        content_type="application/json")
        assert picked.value.args[0] == two_editions[expected]


def test_api_unknown_government_is_404(client: Any) -> None:
    client.force_login(User.objects.create_superuser("uji_api", password="x"))
    response = client.post("/api/seleksi/runs", {"government": "99.99", "year": 2026},
                           content_type="application/json")
    assert response.status_code == 404
    assert response.json()["detail"] == "Pemerintah daerah dengan kode 99.99 tidak ditemukan."
