"""Background jobs: submit, progress, result file, cancel, refusals, double click, recovery."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from selaras.domain.errors import InvalidInput, TooManyJobs
from selaras.web.jobs import registry, service
from selaras.web.jobs.models import Job, JobState

pytestmark = pytest.mark.django_db


@registry.handler("test.write", label="Tulis berkas uji")
def _write(ctx: registry.JobContext) -> registry.JobOutcome:
    for i in range(3):
        ctx.progress("Menulis", i + 1, 3, force=True)
    path = ctx.output_path("hasil.csv")
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    return registry.JobOutcome(message="Berkas siap.", file=path, download_name="hasil-uji.csv", data={"rows": 1})


@registry.handler("test.refuse", label="Ditolak")
def _refuse(ctx: registry.JobContext) -> None:
    raise InvalidInput("Tahun tidak sah untuk laporan ini.")


@registry.handler("test.crash", label="Rusak")
def _crash(ctx: registry.JobContext) -> None:
    raise RuntimeError("secret internal detail")


@registry.handler("test.cancel_self", label="Batal sendiri")
def _cancel_self(ctx: registry.JobContext) -> None:
    Job.objects.filter(pk=ctx.job.pk).update(cancel_requested=True)
    ctx.progress("Langkah", 1, 2, force=True)


@pytest.fixture
def user(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return get_user_model().objects.create_user("operator", password="x-Selaras-2027!")


def test_a_job_runs_reports_progress_and_offers_its_file(user) -> None:  # type: ignore[no-untyped-def]
    job = service.submit("test.write", user=user, label="Ekspor uji", params={"year": 2027})
    assert job.state == JobState.DONE and job.done == 3 and job.total == 3
    assert job.result == {"rows": 1} and job.message == "Berkas siap."
    client = Client()
    client.force_login(user)
    page = client.get(f"/tugas/{job.token}/")
    assert page.status_code == 200 and "Berkas siap." in page.content.decode()
    download = client.get(f"/tugas/{job.token}/unduh/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"a,b\n1,2\n"  # type: ignore[attr-defined]
    assert "hasil-uji.csv" in download["Content-Disposition"]
    assert "Ekspor uji" in client.get("/tugas/").content.decode()


def test_another_user_cannot_see_or_cancel_a_job(user) -> None:  # type: ignore[no-untyped-def]
    job = service.submit("test.write", user=user, label="Ekspor uji")
    other = get_user_model().objects.create_user("lain", password="x-Selaras-2027!")
    client = Client()
    client.force_login(other)
    assert client.get(f"/tugas/{job.token}/").status_code == 404
    assert client.get(f"/tugas/{job.token}/unduh/").status_code == 404
    assert client.post(f"/tugas/{job.token}/batal/").status_code == 404
    assert client.get("/tugas/%00/").status_code in (400, 404)


def test_refusal_and_crash_become_messages_without_internals(user) -> None:  # type: ignore[no-untyped-def]
    refused = service.submit("test.refuse", user=user, label="x")
    assert refused.state == JobState.FAILED and refused.message == "Tahun tidak sah untuk laporan ini."
    crashed = service.submit("test.crash", user=user, label="x")
    assert crashed.state == JobState.FAILED and "secret" not in crashed.message
    assert "tidak terduga" in crashed.message


def test_cancel_during_progress(user) -> None:  # type: ignore[no-untyped-def]
    job = service.submit("test.cancel_self", user=user, label="x")
    assert job.state == JobState.CANCELLED


def test_unknown_kind_is_refused(user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        service.submit("no.such", user=user, label="x")


def test_double_click_returns_the_same_active_job_and_limit_per_user(user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOBS_PER_USER = 2
    first = Job.objects.create(kind="test.write", label="a", user=user, dedupe_key="k", state=JobState.RUNNING)
    again = service.submit("test.write", user=user, label="a", dedupe_key="k")
    assert again.pk == first.pk
    Job.objects.create(kind="test.write", label="b", user=user, state=JobState.QUEUED)
    with pytest.raises(TooManyJobs):
        service.submit("test.write", user=user, label="c")
    assert Job.objects.count() == 2


def test_recovery_fails_orphans_and_removes_their_uploads(user, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dead = Job.objects.create(kind="test.write", label="a", user=user, state=JobState.RUNNING, pid=2**22 + 12345)
    alive = Job.objects.create(kind="test.write", label="b", user=user, state=JobState.RUNNING, pid=os.getppid())
    queued = Job.objects.create(kind="test.write", label="c", user=user, state=JobState.QUEUED)
    old = timezone.now() - timedelta(seconds=service.SUBMITTING_SECONDS + 5)
    Job.objects.filter(pk=queued.pk).update(created_at=old)
    # queued a moment ago, its upload still being saved: its task is not in the queue yet
    submitting = Job.objects.create(kind="test.write", label="d", user=user, state=JobState.QUEUED)
    folder = service.jobs_root() / dead.token
    folder.mkdir(parents=True)
    (folder / "upload.xlsx").write_bytes(b"x")
    assert service.recover_orphans() == 2
    dead.refresh_from_db()
    alive.refresh_from_db()
    queued.refresh_from_db()
    submitting.refresh_from_db()
    assert dead.state == JobState.FAILED and "dimulai ulang" in dead.message
    assert queued.state == JobState.FAILED
    assert submitting.state == JobState.QUEUED
    assert alive.state == JobState.RUNNING
    assert not (folder / "upload.xlsx").exists()
