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

    def progress(self, phase: str, done: int = 0, total: int = 0, *, force: bool = False) -> None:
        """Record progress (throttled) and stop with JobCancelled if the user asked to cancel."""
        from selaras.web.jobs.models import Job

        _test_delay()
        now = time.monotonic()
        if not force and now - self._last < self.PROGRESS_EVERY and (total == 0 or done < total):
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(phase=phase[:200], done=done, total=total)
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled


def _test_delay() -> None:
    """Test hook: SELARAS_JOB_TEST_DELAY seconds of sleep per progress call (never set in production)."""
    import os

    delay = float(os.environ.get("SELARAS_JOB_TEST_DELAY", "0") or 0)
    if delay > 0:
        time.sleep(delay)
