"""Handlers of background jobs, registered by the apps that own the work.

An app declares a handler in its own module and imports that module from its AppConfig.ready():

    from selaras.web.jobs.registry import JobContext, JobOutcome, handler

    @handler("proposals.export", label="Ekspor usulan")
    def export_proposals(ctx: JobContext) -> JobOutcome:
        rows = ...
        for i, chunk in enumerate(chunks):
            ctx.progress("Menulis baris", i, n)      # raises JobCancelled when the user cancelled
        path = ctx.output_path("usulan.xlsx")        # a file there becomes the job's download
        ...
        return JobOutcome(message="162.930 usulan diekspor.", file=path, download_name="usulan-2027.xlsx")

Handlers run in the worker process (`selaras worker`), or inline under pytest (immediate backend).
Raise a `selaras.domain.errors.SelarasError` for a refusal the user should read; its Bahasa
message becomes the job's message. Anything else fails the job with a generic message (logged).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings


class JobCancelled(Exception):
    """Raised by JobContext.progress once the user asked to cancel; the handler's transaction rolls back."""


@dataclass
class JobOutcome:
    """What a finished job shows: a message, an optional file to download, a link to the result, data."""

    message: str = ""
    file: Path | None = None
    download_name: str = ""
    result_url: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Handler:
    kind: str
    label: str
    function: Callable[[JobContext], JobOutcome | None]
    memory_mb: int


_HANDLERS: dict[str, Handler] = {}


def handler(kind: str, *, label: str, memory_mb: int = 0) -> Callable[[Callable[[JobContext], JobOutcome | None]],
                                                                      Callable[[JobContext], JobOutcome | None]]:
    """Register `function` as the handler of jobs of `kind` (memory_mb: address-space cap in the
    worker, 0 = settings.JOB_MAX_MEMORY_MB)."""

    def register(function: Callable[[JobContext], JobOutcome | None]) -> Callable[[JobContext], JobOutcome | None]:
        _HANDLERS[kind] = Handler(kind, label, function, memory_mb)
        return function

    return register


def get(kind: str) -> Handler | None:
    return _HANDLERS.get(kind)


def kinds() -> list[str]:
    return sorted(_HANDLERS)


class JobContext:
    """What a handler sees of its job: params, user, government, a progress reporter, an output folder."""

    PROGRESS_EVERY = 0.3  # seconds between progress writes

    def __init__(self, job: Any) -> None:
        self.job = job
        self._last = 0.0
        self._phase: str | None = None
        self._side: Any = None

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job.params)

    @property
    def user(self) -> Any:
        return self.job.user

    @property
    def government_id(self) -> int | None:
        return self.job.government_id

    def directory(self) -> Path:
        path = Path(settings.MEDIA_ROOT) / "tugas" / self.job.token
        path.mkdir(parents=True, exist_ok=True)
        return path

    def output_path(self, filename: str) -> Path:
        """A path in the job's own folder (the name is reduced to a safe basename)."""
        safe = "".join(c for c in Path(filename).name if c.isalnum() or c in "._-") or "hasil"
        return self.directory() / safe

    def upload_path(self) -> Path | None:
        """The file uploaded with the job (saved by `submit(upload=...)`), if any."""
        for candidate in sorted(self.directory().glob("upload*")):
            return candidate
        return None

    def progress(self, phase: str, done: int = 0, total: int = 0, *, force: bool = False, unit: str = "") -> None:
        """Record progress (throttled) and stop with JobCancelled if the user asked to cancel.

        `unit` says what done/total count in the planner's words ("langkah" for the steps of the
        work, "usulan", "baris"), so the page does not leave the user guessing. A new phase is always
        written (never throttled) with the time it started: a long step then shows its own name and
        how long it has run, not the previous step's."""
        from django.utils import timezone

        from selaras.web.jobs.models import Job

        _test_delay()
        now = time.monotonic()
        new_phase = phase != self._phase
        if not force and not new_phase and now - self._last < self.PROGRESS_EVERY and (total == 0 or done < total):
            return
        self._last = now
        fields: dict[str, Any] = {"phase": phase[:200], "done": done, "total": total, "unit": unit[:40]}
        if new_phase:
            self._phase = phase
            fields["phase_started_at"] = timezone.now()
        side = self._side_connection()
        if side is None:
            Job.objects.filter(pk=self.job.pk).update(**fields)
            cancelled = Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()
        else:
            table = side.ops.quote_name(Job._meta.db_table)
            columns = ", ".join(f"{side.ops.quote_name(name)} = %s" for name in fields)
            with side.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608
                               [*fields.values(), self.job.pk])
                cursor.execute(f"SELECT cancel_requested FROM {table} WHERE id = %s", [self.job.pk])  # noqa: S608
                row = cursor.fetchone()
            cancelled = bool(row and row[0])
        from selaras.web.jobs.service import cancel_marker

        if cancelled or cancel_marker(self.job.token).exists():
            raise JobCancelled

    def _side_connection(self) -> Any:
        """Inside the handler's own transaction (in the worker, on PostgreSQL) progress goes through a
        second connection in autocommit: the page sees it at once, and the job's row is not locked
        by the handler's transaction, so the user's cancel request is written (and seen) at once.
        SQLite has one writer for the whole file: there the handler's connection is used."""
        from django.db import DEFAULT_DB_ALIAS, connection, connections

        from selaras.web.jobs.limits import in_worker

        if self._side is None and (not connection.in_atomic_block or connection.vendor == "sqlite"
                                   or not in_worker()):
            return None
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        return self._side if connection.in_atomic_block else None

    def close(self) -> None:
        """Close the second connection, if one was opened."""
        if self._side is not None:
            self._side.close()
            self._side = None


def _test_delay() -> None:
    """Test hook: SELARAS_JOB_TEST_DELAY seconds of sleep per progress call (never set in production)."""
    import os

    delay = float(os.environ.get("SELARAS_JOB_TEST_DELAY", "0") or 0)
    if delay > 0:
        time.sleep(delay)
