"""Background jobs of the proposals app (django-tasks): the bulk import.

The view saves the upload under MEDIA_ROOT/impor/<job>/ with a status.json and enqueues
`run_import(job)`; a worker process (`selaras worker`, started by `selaras serve`) runs it.
Progress, cancel requests and the result live in status.json, which the status page polls.
The import writes in one transaction, so a cancel or a failure leaves no proposal behind.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django_tasks import task

MEMORY_MESSAGE = ("Impor dihentikan: berkas ini memerlukan memori lebih dari batas per impor ({limit} MB). "
                  "Bagi berkas menjadi beberapa bagian lalu unggah lagi. Tidak ada usulan yang tersimpan.")
CANCELLED_MESSAGE = "Impor dibatalkan atas permintaan pengguna. Tidak ada usulan yang tersimpan."
RESTART_MESSAGE = "Impor dihentikan karena server dimulai ulang; unggah ulang berkas."


class ImportCancelled(Exception):
    """Raised from the progress callback when the user asked to cancel (rolls the write back)."""


def _in_worker() -> bool:
    return os.environ.get("SELARAS_WORKER") == "1"


@contextlib.contextmanager
def memory_limit(limit_mb: int) -> Iterator[None]:
    """Cap this process's address space at its current size + `limit_mb` while the block runs
    (only in the worker: the web process and tests are left alone); restored afterwards."""
    if not _in_worker() or limit_mb <= 0:
        yield
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * resource.getpagesize()
        wanted = current + limit_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (OSError, ValueError):  # no /proc or no permission: run without a cap
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _slow_down() -> None:
    """Test hook: SELARAS_IMPORT_TEST_DELAY seconds of sleep per progress step (never set in production)."""
    delay = float(os.environ.get("SELARAS_IMPORT_TEST_DELAY", "0") or 0)
    if delay > 0:
        time.sleep(delay)


@task()
def run_import(job: str) -> None:
    """Run the import of job `job` (its directory holds the upload and status.json)."""
    from selaras.web.proposals import import_views

    path = Path(settings.MEDIA_ROOT) / "impor" / job
    if not job.isalnum() or not path.is_dir():
        return
    status = import_views._read_status(path)
    if status.get("state") != "queued":  # failed on a restart, or cancelled before it started
        import_views._remove_upload(path)
        return
    status.update(state="running", pid=os.getpid())
    import_views._write_status(path, status)
    try:
        with memory_limit(int(getattr(settings, "IMPORT_MAX_MEMORY_MB", 0))):
            _run(path, status)
    finally:
        if _in_worker():
            connection.close()


def _run(path: Path, status: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from selaras.web.plans.models import LocalGovernment
    from selaras.web.proposals import import_service, import_views

    last_write = [0.0]

    def progress(phase: str, done: int, total: int) -> None:
        _slow_down()
        if import_views._read_status(path).get("cancel_requested"):
            raise ImportCancelled
        now = time.monotonic()
        if now - last_write[0] < 0.3 and done < total:
            return
        last_write[0] = now
        status.update(state="running", phase=phase, done=done, total=total)
        import_views._write_status(path, status)

    try:
        user = get_user_model().objects.get(pk=status["user_id"])
        government = LocalGovernment.objects.get(pk=status["government"])
        source = next(p for p in path.iterdir() if p.name.startswith("upload"))
        outcome = import_service.import_file(source, status["filename"], government=government,
                                             channel=status["channel"], year=status["year"], user=user,
                                             valid_only=status["valid_only"], want_rejects=True, progress=progress)
        if outcome.rejects_xlsx is not None:
            (path / "ditolak.xlsx").write_bytes(outcome.rejects_xlsx)
        status.update(state="done", result={
            "total_rows": outcome.total_rows, "imported": outcome.imported, "rejected": outcome.rejected,
            "first_number": outcome.first_number, "last_number": outcome.last_number,
            "messages": outcome.messages(import_views.MAX_MESSAGES),
            "more": max(0, len(outcome.findings) - import_views.MAX_MESSAGES),
            "has_rejects": outcome.rejects_xlsx is not None, "seconds": outcome.seconds,
        })
    except ImportCancelled:
        status.update(state="failed", cancelled=True, error=CANCELLED_MESSAGE)
    except MemoryError:
        limit = int(getattr(settings, "IMPORT_MAX_MEMORY_MB", 0))
        status.update(state="failed", error=MEMORY_MESSAGE.format(limit=limit))
    except Exception as exc:  # noqa: BLE001 - the page must say the job failed
        status.update(state="failed", error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        import_views._write_status(path, status)
        import_views._remove_upload(path)


def _waiting_in_queue() -> set[str]:
    """Jobs whose task still waits in the database queue (a worker will run them)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: nothing waits in the database
        return set()
    waiting = set()
    for args_kwargs in DBTaskResult.objects.filter(status="READY", task_path=run_import.module_path).values_list(
            "args_kwargs", flat=True):
        args = args_kwargs.get("args") if isinstance(args_kwargs, dict) else None
        if args and isinstance(args[0], str):
            waiting.add(args[0])
    return waiting


def recover_orphans() -> int:
    """At worker start: jobs left running by a worker that is gone, or queued without a task left in
    the queue, are marked failed and their uploads removed. Returns how many."""
    from selaras.web.proposals import import_views

    waiting = _waiting_in_queue()
    count = 0
    for status_file in import_views._jobs_dir().glob("*/status.json"):
        path = status_file.parent
        status = import_views._read_status(path)
        state, pid = status.get("state"), status.get("pid")
        if state == "queued" and path.name in waiting:
            continue
        if state == "running" and isinstance(pid, int) and pid != os.getpid() and import_views._process_alive(pid):
            continue  # another worker's job
        if state in import_views.ACTIVE_STATES:
            status.update(state="failed", error=RESTART_MESSAGE)
            import_views._write_status(path, status)
            import_views._remove_upload(path)
            count += 1
    return count
