"""The bulk import of proposals as a background job (kind "proposals.import", `selaras.web.jobs`).

The upload view calls `submit_import`: the file is saved in the job's folder and the worker runs
`run_import`, which calls `import_service.import_file` with a progress callback (the phases
baca/periksa/simpan/akhir become the job's phase in Bahasa; a cancel request stops it at the
next step and the write, one transaction, rolls back). The rejects workbook becomes the job's
file; the summary shown at /usulan/impor/<token>/ is the job's result data.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.urls import reverse

from selaras.domain.errors import InvalidInput
from selaras.web.jobs import service as jobs
from selaras.web.jobs.models import Job
from selaras.web.jobs.registry import JobCancelled, JobContext, JobOutcome, handler

KIND = "proposals.import"
MAX_MESSAGES = 500
PHASE_LABELS = {"baca": "Membaca berkas", "periksa": "Memeriksa baris", "simpan": "Menyimpan usulan",
                "akhir": "Memperbarui statistik basis data"}
#: What the count of a phase counts, said after it ("Menyimpan usulan: 1.200 dari 5.000 usulan",
#: `Job.unit`). Reading the file is one step: no count ("0 dari 1" said nothing); the statistics
#: after the write keep the count of the proposals saved.
PHASE_UNITS = {"periksa": "baris", "simpan": "usulan"}
STALE_SECONDS = 3600  # an import that has not ended an hour after it was queued or started is an orphan
ORPHAN_MESSAGE = ("Impor terhenti sebelum selesai (server dimulai ulang atau proses dihentikan). Tidak ada "
                  "usulan dari impor ini yang tersimpan; unggah berkas sekali lagi.")
MEMORY_MESSAGE = ("Impor dihentikan: berkas ini memerlukan memori lebih dari batas per impor ({limit} MB). "
                  "Bagi berkas menjadi beberapa bagian lalu unggah lagi. Tidak ada usulan yang tersimpan.")


def memory_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_MEMORY_MB", 0))


def active_imports(user: Any) -> list[Job]:
    """The user's imports still queued or running; orphans found on the way (a dead worker, an hour
    without an end) are marked failed and do not count."""
    found = []
    for job in Job.objects.filter(user=user, kind=KIND, state__in=("queued", "running")).order_by("created_at"):
        if not jobs.fail_if_orphaned(job, message=ORPHAN_MESSAGE, stale_seconds=STALE_SECONDS):
            found.append(job)
    return found


def submit_import(user: Any, *, government_id: int, channel: str, year: int, valid_only: bool, filename: str,
                  upload: Any) -> Job:
    """Queue the import of `upload` (bytes or an uploaded file). Raises jobs.KindBusy when the user
    already runs IMPORT_MAX_JOBS_PER_USER imports, TooManyJobs at the general limit of jobs."""
    active_imports(user)  # fail the orphans first: they must not block the new upload
    params = {"government": government_id, "channel": channel, "year": year, "valid_only": valid_only,
              "filename": filename}
    url = reverse("proposals:import_status", kwargs={"job": "TOKEN"}).replace("TOKEN", "{token}")
    return jobs.submit(KIND, user=user, label=f"Impor usulan: {filename}"[:200], params=params,
                       government_id=government_id, upload=(filename, upload), result_url=url,
                       back_url=reverse("proposals:import"),
                       kind_limit=max(1, int(getattr(settings, "IMPORT_MAX_JOBS_PER_USER", 1))))


@handler(KIND, label="Impor usulan", memory_mb=memory_mb())
def run_import(ctx: JobContext) -> JobOutcome:
    from selaras.web.plans.models import LocalGovernment
    from selaras.web.proposals import import_service

    params = ctx.params
    source = ctx.upload_path()
    if source is None:
        raise InvalidInput("Berkas unggahan impor ini tidak ditemukan lagi; unggah berkas sekali lagi.")
    government = LocalGovernment.objects.get(pk=params["government"])

    counted: tuple[int, int, str] = (0, 0, "")  # the last count (done, total) with its unit

    def progress(phase: str, done: int, total: int) -> None:
        nonlocal counted
        if phase in PHASE_UNITS:
            counted = (done, total, PHASE_UNITS[phase])
        elif phase == "baca":
            counted = (0, 0, "")
        label, (shown_done, shown_total, unit) = PHASE_LABELS.get(phase, phase), counted
        if phase == "akhir":  # the proposals are committed: a late cancel request changes nothing now
            with contextlib.suppress(JobCancelled):
                ctx.progress(label, shown_done, shown_total, unit=unit)
            return
        ctx.progress(label, shown_done, shown_total, unit=unit)

    ctx.progress(PHASE_LABELS["baca"], 0, 0, force=True)
    try:  # the write is one transaction: a cancel (JobCancelled from progress) rolls all of it back
        outcome = import_service.import_file(
            source, params["filename"], government=government, channel=params["channel"], year=params["year"],
            user=ctx.user, valid_only=params["valid_only"], want_rejects=True, progress=progress)
    except MemoryError:
        raise InvalidInput(MEMORY_MESSAGE.format(limit=memory_mb())) from None
    rejects = None
    if outcome.rejects_xlsx is not None:
        rejects = ctx.output_path("ditolak.xlsx")
        rejects.write_bytes(outcome.rejects_xlsx)
    data = {"total_rows": outcome.total_rows, "imported": outcome.imported, "rejected": outcome.rejected,
            "first_number": outcome.first_number, "last_number": outcome.last_number,
            "messages": outcome.messages(MAX_MESSAGES), "more": max(0, len(outcome.findings) - MAX_MESSAGES),
            "has_rejects": rejects is not None, "seconds": outcome.seconds}
    if outcome.imported:
        message = f"{outcome.imported:,} usulan diimpor".replace(",", ".")
        if outcome.rejected:
            message += f"; {outcome.rejected:,} baris ditolak".replace(",", ".")
    else:
        message = "Tidak ada usulan yang diimpor; lihat masalah yang ditemukan"
    return JobOutcome(message=message + ".", file=rejects,
                      download_name=f"usulan-ditolak-{ctx.job.token[:8]}.xlsx" if rejects else "", data=data)
