"""The proposal import and export jobs say what their counts count: "Menyimpan usulan: 1.200 dari
5.000 usulan", "Memeriksa baris: ... dari ... baris", "Menulis baris: ... dari ... usulan"
(`Job.unit`); reading the file, one step, shows no count.

Before: "1.200 dari 5.000" without a word of what, and "Membaca berkas: 0 dari 1"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.browser.proposal_world import (
    VILLAGE,
    add_village_regions,
    build_world,
    village_proposal,
)

from selaras.formats import proposal_table as pt
from selaras.formats.xlsx_util import stream_workbook
from selaras.web.jobs import registry, service
from selaras.web.jobs.models import Job, JobState
from selaras.web.proposals import exports, import_job
from selaras.web.proposals.models import Proposal

pytestmark = pytest.mark.django_db

CHANNEL = "musrenbang_village"


@pytest.fixture
def calls(monkeypatch, settings, tmp_path) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    seen: list[tuple[str, int, int, str]] = []
    original = registry.JobContext.progress

    def recording(self, phase, done=0, total=0, *, force=False, unit=""):  # type: ignore[no-untyped-def]
        seen.append((phase, done, total, unit))
        return original(self, phase, done, total, force=force, unit=unit)

    monkeypatch.setattr(registry.JobContext, "progress", recording)
    return seen


def _workbook(count: int) -> bytes:
    headers = [c.header for c in pt.columns_for(CHANNEL)]
    rows = []
    for i in range(count):
        values = {"Usulan": f"Jalan lingkungan {i}", "Kode Desa/Kelurahan": VILLAGE, "Volume": "2,5",
                  "Satuan": "m", "Perkiraan Biaya (Rp)": "150.000.000", "Pengusul": "Musrenbang Desa"}
        rows.append([values.get(h, "") for h in headers])
    return stream_workbook("Usulan", headers, rows, [12] * len(headers)).getvalue()


def test_import_job_counts_rows_then_proposals(calls) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    add_village_regions(world)
    job = import_job.submit_import(world.bappeda, government_id=world.gov.pk, channel=CHANNEL, year=world.year,
                                   valid_only=False, filename="usulan.xlsx", upload=_workbook(3))
    assert job.state == JobState.DONE, job.message
    assert Proposal.objects.filter(government=world.gov).count() == 3
    units = {phase: unit for phase, _, total, unit in calls if total}
    assert units == {"Memeriksa baris": "baris", "Menyimpan usulan": "usulan"}, calls
    assert all(total == 0 for phase, _, total, _ in calls if phase == "Membaca berkas"), calls  # no "0 dari 1"
    assert ("Menyimpan usulan", 3, 3, "usulan") in calls


def test_export_job_counts_proposals(calls) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    village_proposal(world)
    village_proposal(world, title="Drainase")
    job = service.submit("proposals.export", user=world.bappeda, label="Ekspor usulan (Excel)",
                         params={"format": "csv", "filters": {}})
    assert job.state == JobState.DONE, job.message
    assert calls and {unit for *_, unit in calls} == {exports.UNIT} == {"usulan"}
    assert calls[-1] == ("Selesai", 2, 2, "usulan")


def _running(user: Any, kind: str, phase: str, unit: str) -> Job:
    return Job.objects.create(kind=kind, label="Impor usulan: usulan.xlsx", user=user, state=JobState.RUNNING,
                              started_at=timezone.now(), phase=phase, done=1200, total=5000, unit=unit,
                              params={"channel": CHANNEL})


def test_job_pages_read_the_unit() -> None:
    world = build_world()
    client = Client()
    client.force_login(world.bappeda)
    job = _running(world.bappeda, import_job.KIND, "Menyimpan usulan", "usulan")
    for url in (f"/usulan/impor/{job.token}/", f"/tugas/{job.token}/"):
        assert "Menyimpan usulan: 1.200 dari 5.000 usulan" in client.get(url).content.decode(), url
    export = _running(world.bappeda, "proposals.export", "Menulis baris", exports.UNIT)
    assert "Menulis baris: 1.200 dari 5.000 usulan" in client.get(f"/tugas/{export.token}/").content.decode()
