"""Submit, run, cancel and recover background jobs. The queue is django-tasks (database backend in
production, immediate under pytest); the Job row is the user's view of the work."""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks import task

from selaras.domain.errors import InvalidInput, SelarasError, TooManyJobs
from selaras.web.jobs import registry
from selaras.web.jobs.limits import in_worker, memory_limit, process_alive
from selaras.web.jobs.models import ACTIVE_STATES, Job, JobState

log = logging.getLogger(__name__)

CANCELLED_MESSAGE = "Tugas dibatalkan atas permintaan pengguna. Tidak ada perubahan yang tersimpan."
RESTART_MESSAGE = "Tugas dihentikan karena proses latar dimulai ulang; jalankan lagi."
# a queued job this young may still be saving its upload: its task is queued right after (submit)
SUBMITTING_SECONDS = 60
MEMORY_MESSAGE = ("Tugas dihentikan: memerlukan memori lebih dari batas per tugas ({limit} MB). "
                  "Perkecil cakupannya lalu jalankan lagi. Tidak ada perubahan yang tersimpan.")
UNEXPECTED_MESSAGE = "Tugas gagal karena kesalahan yang tidak terduga (sudah dicatat di log server). Coba lagi atau hubungi admin."


def jobs_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "tugas"


class KindBusy(Exception):
    """`submit(kind_limit=...)`: the user already runs that many jobs of the kind; `job` is one of them."""

    def __init__(self, job: Job) -> None:
        super().__init__(job.token)
        self.job = job


def submit(kind: str, *, user: Any, label: str, params: dict[str, Any] | None = None,
           government_id: int | None = None, dedupe_key: str = "", back_url: str = "",
           upload: tuple[str, Any] | None = None, result_url: str = "", kind_limit: int = 0) -> Job:
    """Queue a job of `kind` for `user`. With a `dedupe_key`, an active job of the same user, kind and
    key is returned instead of a second one (a double click starts the work once). Refuses with
    Conflict when the user already has JOBS_PER_USER active jobs, and with KindBusy when `kind_limit`
    > 0 and the user already has that many active jobs of `kind`. `upload` = (filename, file-like or
    bytes) is saved in the job's folder and removed when the job ends. `result_url` (may contain
    "{token}") is the page that shows the job's result, set at once so links work while it runs."""
    if registry.get(kind) is None:
        raise InvalidInput(f"Jenis tugas tidak dikenal: {kind}.", kind=kind)
    with transaction.atomic():
        active = Job.objects.select_for_update().filter(user=user, state__in=ACTIVE_STATES)
        if dedupe_key:
            same = active.filter(kind=kind, dedupe_key=dedupe_key).first()
            if same is not None:
                return same
        if kind_limit > 0:
            same_kind = list(active.filter(kind=kind).order_by("created_at", "id"))
            if len(same_kind) >= kind_limit:
                raise KindBusy(same_kind[0])
        limit = int(getattr(settings, "JOBS_PER_USER", 3))
        if active.count() >= limit:
            raise TooManyJobs(limit=limit)
        job = Job.objects.create(kind=kind, label=label[:200], user=user, government_id=government_id,
                                 params=params or {}, dedupe_key=dedupe_key[:200], back_url=back_url[:500])
        if result_url:
            job.result_url = result_url.replace("{token}", job.token)[:500]
            job.save(update_fields=["result_url"])
    if upload is not None:
        try:
            _save_upload(job, *upload)
        except BaseException:  # a full disk, a broken upload: the job must not wait for ever
            Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, finished_at=timezone.now(),
                                                 message="Berkas unggahan tidak dapat disimpan; coba lagi.")
            _remove_upload(job.token)
            raise
    run_job.enqueue(job.token)
    job.refresh_from_db()
    return job


def _save_upload(job: Job, filename: str, content: Any) -> None:
    directory = jobs_root() / job.token
    directory.mkdir(parents=True, exist_ok=True)
    suffix = "".join(c for c in Path(filename).suffix.lower() if c.isalnum() or c == ".")[:10]
    target = directory / f"upload{suffix}"
    if isinstance(content, bytes | bytearray):
        target.write_bytes(content)
        return
    with open(target, "wb") as handle:
        if hasattr(content, "chunks"):
            for chunk in content.chunks():
                handle.write(chunk)
        else:
            shutil.copyfileobj(content, handle)


def cancel_marker(token: str) -> Path:
    """The file that asks a running job to stop. On SQLite a job writing its rows holds the only
    write lock of the database, so the request could not be written to the job's row until the
    write ended; the job looks for this file at every progress call as well."""
    return jobs_root() / token / "batal"


def request_cancel(job: Job) -> None:
    """Ask the job to stop: a queued job is cancelled at once, a running one at its next progress call."""
    if job.state == JobState.RUNNING:
        marker = cancel_marker(job.token)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    try:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
                state=JobState.CANCELLED, message=CANCELLED_MESSAGE, finished_at=timezone.now(),
                cancel_requested=True)
            if not updated:
                Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(cancel_requested=True)
    except OperationalError:
        if job.state != JobState.RUNNING:
            raise  # "database is locked" for a queued job: the page answers 503 "coba lagi"
        return  # the running job's own write holds the lock: the marker asks it to stop
    if updated:
        _remove_upload(job.token)


def fail_if_orphaned(job: Job, *, message: str = RESTART_MESSAGE, stale_seconds: int = 0) -> bool:
    """For pages of the web process: an active job whose worker process is gone (a kill, a restart;
    the pid is checked on this machine), or that has not finished `stale_seconds` after it was
    queued or started, is marked failed with `message` and its upload removed. Returns whether."""
    if job.state not in ACTIVE_STATES:
        return False
    orphan = job.state == JobState.RUNNING and bool(job.pid) and not process_alive(int(job.pid or 0))
    if not orphan and stale_seconds > 0:
        since = job.started_at or job.created_at
        orphan = since is not None and (timezone.now() - since).total_seconds() > stale_seconds
    if not orphan:
        return False
    updated = Job.objects.filter(pk=job.pk, state=job.state, pid=job.pid).update(
        state=JobState.FAILED, message=message, finished_at=timezone.now())
    if updated:
        _remove_upload(job.token)
    job.refresh_from_db()
    return bool(updated)


def _remove_upload(token: str) -> None:
    for path in (jobs_root() / token).glob("upload*"):
        path.unlink(missing_ok=True)
    cancel_marker(token).unlink(missing_ok=True)


def _wait_for(token: str) -> Job | None:
    """The worker may see the task before the job's row is visible: look for a few seconds."""
    for _ in range(50):
        job = Job.objects.select_related("user").filter(token=token).first()
        if job is not None:
            return job
        if not in_worker():
            return None
        time.sleep(0.1)
    return None


@task()
def run_job(token: str) -> None:
    """Run the job `token` (django-tasks task; the worker calls it)."""
    try:
        _run(token)
    finally:
        if in_worker():
            connection.close()


def _run(token: str) -> None:
    job = _wait_for(token) if isinstance(token, str) and token.isalnum() else None
    if job is None:
        return
    started = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING, pid=os.getpid(), started_at=timezone.now())
    if not started:  # cancelled before it started, or failed by a recovery
        _remove_upload(token)
        return
    job.refresh_from_db()
    found = registry.get(job.kind)
    state, message = JobState.FAILED, ""
    fields: dict[str, Any] = {}
    limit = (found.memory_mb if found and found.memory_mb else int(getattr(settings, "JOB_MAX_MEMORY_MB", 3072)))
    try:
        if found is None:
            raise InvalidInput(f"Jenis tugas tidak dikenal: {job.kind}.", kind=job.kind)
        context = registry.JobContext(job)
        try:
            with memory_limit(limit):
                outcome = found.function(context) or registry.JobOutcome()
        finally:
            context.close()
        state, message = JobState.DONE, outcome.message
        fields = {"result": outcome.data}
        if outcome.result_url:
            fields["result_url"] = outcome.result_url[:500]
        if outcome.file is not None:
            fields["result_file"] = str(Path(outcome.file).relative_to(jobs_root()))
            fields["download_name"] = (outcome.download_name or Path(outcome.file).name)[:200]
    except registry.JobCancelled:
        state, message = JobState.CANCELLED, CANCELLED_MESSAGE
    except MemoryError:
        message = MEMORY_MESSAGE.format(limit=limit)
    except SelarasError as error:
        from selaras.web.errors.messages import error_text

        message = error_text(error)
    except Exception:  # noqa: BLE001 - the page must say the job failed; the log keeps the traceback
        log.exception("job %s (%s) failed", job.token, job.kind)
        message = UNEXPECTED_MESSAGE
    finally:
        _remove_upload(token)
    Job.objects.filter(pk=job.pk).update(state=state, message=message, finished_at=timezone.now(), **fields)


def recover_orphans() -> int:
    """At worker start: jobs left running by a worker that is gone, or queued with no task left in the
    queue, are marked failed with a message and their uploads removed; queue rows a killed worker
    left RUNNING are closed too. A job queued less than SUBMITTING_SECONDS ago is left alone: its
    row is written before its upload is saved and its task queued (`submit`), and a worker that
    starts in between must not fail it. Returns how many jobs were failed."""
    submitting = timezone.now() - timedelta(seconds=SUBMITTING_SECONDS)
    waiting = _waiting_tokens()
    count = 0
    for job in Job.objects.filter(state__in=ACTIVE_STATES):
        if job.state == JobState.QUEUED and (job.token in waiting or job.created_at > submitting):
            continue
        if job.state == JobState.RUNNING and job.pid and job.pid != os.getpid() and process_alive(job.pid):
            continue
        Job.objects.filter(pk=job.pk, state=job.state).update(state=JobState.FAILED, message=RESTART_MESSAGE,
                                                              finished_at=timezone.now())
        _remove_upload(job.token)
        count += 1
    _close_dead_queue_rows()
    return count


def _waiting_tokens() -> set[str]:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return set()
    tokens = set()
    for args_kwargs in DBTaskResult.objects.filter(status="READY", task_path=run_job.module_path).values_list(
            "args_kwargs", flat=True):
        args = args_kwargs.get("args") if isinstance(args_kwargs, dict) else None
        if args and isinstance(args[0], str):
            tokens.add(args[0])
    return tokens


def _close_dead_queue_rows() -> None:
    """django-tasks-db rows marked RUNNING when no worker runs them any more (called at worker start,
    before this worker takes any task) become FAILED, so the queue table tells the truth."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return
    DBTaskResult.objects.filter(status="RUNNING").update(status="FAILED", finished_at=timezone.now())
