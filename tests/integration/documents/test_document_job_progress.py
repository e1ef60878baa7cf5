"""A document job says what it counts: the job page read "Menulis PDF: 3 dari 12", which a planner
could not place (pages? rows? kecamatan?). One document counts its two steps ("Langkah 2 dari 2:
Menulis PDF"); a ZIP of every kecamatan or agency counts documents ("Menulis Excel: 3 dari 12
dokumen"). The page is read with what the job itself wrote to its row (Job.unit)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selaras.domain.proposals import Stage
from selaras.web.jobs import registry
from selaras.web.jobs.models import STEP_UNIT, Job, JobState
from selaras.web.proposals.models import Decision

pytestmark = pytest.mark.django_db

Row = tuple[str, int, int, str]


@pytest.fixture
def written(monkeypatch, settings, tmp_path) -> list[Row]:  # noqa: ANN001
    """Every progress the job wrote, as its row read it back (phase, done, total, unit)."""
    settings.MEDIA_ROOT = tmp_path
    rows: list[Row] = []
    original = registry.JobContext.progress

    def recording(self, phase, done=0, total=0, *, force=False, unit=""):  # noqa: ANN001, ANN202
        original(self, phase, done, total, force=force, unit=unit)
        job = Job.objects.get(pk=self.job.pk)
        rows.append((job.phase, job.done, job.total, job.unit))

    monkeypatch.setattr(registry.JobContext, "progress", recording)
    return rows


def _bappeda(demo_district) -> tuple[Client, Any]:  # noqa: ANN001
    user = get_user_model().objects.get(username=demo_district.username("bappeda"))
    client = Client()
    client.force_login(user)
    return client, user


def _page_of(client: Client, user: Any, row: Row) -> str:
    """The text of the job page of a document job caught at this progress."""
    phase, done, total, unit = row
    now = timezone.now()
    job = Job.objects.create(kind="documents.produce", label="Dokumen resmi", user=user, state=JobState.RUNNING, started_at=now - timedelta(seconds=5),
                             phase_started_at=now - timedelta(seconds=2), phase=phase, done=done, total=total,
                             unit=unit)
    html = client.get(f"/tugas/{job.token}/").content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_one_document_counts_its_steps(demo_district, written) -> None:  # noqa: ANN001
    client, user = _bappeda(demo_district)
    d = Decision.objects.filter(proposal__government_id=demo_district.government_id, stage=Stage.DISTRICT.value,
                                outcome="forwarded").select_related("proposal").first()
    client.post(reverse("documents:produce"), {"jenis": "td4", "format": "pdf", "lingkup": d.proposal.district_code,
                                               "tahun": str(d.proposal.year)})
    job = Job.objects.get(kind="documents.produce")
    assert job.state == JobState.DONE, job.message
    assert [r[1:] for r in written] == [(0, 2, STEP_UNIT), (1, 2, STEP_UNIT)]
    pages = [_page_of(client, user, row) for row in written]
    assert "Langkah 1 dari 2: Membaca data" in pages[0]
    assert "Langkah 2 dari 2: Menulis PDF" in pages[1]
    assert ": 0 dari 2" not in pages[0] and ": 1 dari 2" not in pages[1]  # the bare count of before


def test_a_zip_of_every_kecamatan_counts_documents(demo_district, written) -> None:  # noqa: ANN001
    client, user = _bappeda(demo_district)
    client.post(reverse("documents:produce"), {"jenis": "ba_musrenbang_kecamatan", "format": "xlsx",
                                               "lingkup": "semua"})
    job = Job.objects.get(kind="documents.produce")
    assert job.state == JobState.DONE, job.message
    assert written and all(unit == "dokumen" for _, _, _, unit in written)
    writing = [r for r in written if r[0] == "Menulis Excel" and r[1] > 0]
    assert writing
    _, done, total, _ = writing[-1]
    page = _page_of(client, user, writing[-1])
    assert f"Menulis Excel: {done} dari {total} dokumen" in page
    reading = _page_of(client, user, written[1])
    assert re.search(rf"Membaca data [^:]+: 1 dari {written[1][2]} dokumen", reading), reading
