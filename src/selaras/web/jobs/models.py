"""One row per long action: who asked, what, its progress and its result (file or summary)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobState(models.TextChoices):
    QUEUED = "queued", "Menunggu"
    RUNNING = "running", "Berjalan"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"
    CANCELLED = "cancelled", "Dibatalkan"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


def new_token() -> str:
    return secrets.token_hex(16)


class Job(models.Model):
    """A background job (tugas latar). `kind` names a registered handler (`selaras.web.jobs.registry`);
    `params` is its JSON input; the worker fills state, progress, message and result."""

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    kind = models.CharField("jenis", max_length=64)
    label = models.CharField("tugas", max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs",
                             verbose_name="pengguna")
    government_id = models.IntegerField("pemerintah daerah", null=True, blank=True)
    params = models.JSONField("masukan", default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    state = models.CharField("status", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    phase = models.CharField("tahap", max_length=200, blank=True, default="")
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    # what done/total count, in the planner's words ("langkah", "usulan", "baris"); empty: unsaid
    unit = models.CharField("satuan hitungan", max_length=40, blank=True, default="")
    phase_started_at = models.DateTimeField("tahap dimulai", null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    message = models.TextField("pesan", blank=True, default="")
    result = models.JSONField("hasil", default=dict, blank=True)
    result_file = models.CharField(max_length=300, blank=True, default="")
    download_name = models.CharField(max_length=200, blank=True, default="")
    back_url = models.CharField(max_length=500, blank=True, default="")
    result_url = models.CharField(max_length=500, blank=True, default="")
    pid = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    started_at = models.DateTimeField("mulai", null=True, blank=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)

    class Meta:
        verbose_name = "tugas latar"
        verbose_name_plural = "tugas latar"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "state"]), models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if self.total <= 0:
            return 0
        return max(0, min(100, int(self.done * 100 / self.total)))

    @property
    def counts_steps(self) -> bool:
        """done/total count the steps of the work (not the proposals or rows it handles)."""
        return self.unit == STEP_UNIT and self.total > 0

    @property
    def current_step(self) -> int:
        """The step in progress (done counts the steps finished), 1-based."""
        return max(1, min(int(self.total), int(self.done) + 1))

    @property
    def elapsed_text(self) -> str:
        """How long the job has been running, in words ("1 menit 5 detik"); empty before it starts."""
        return duration_text(_seconds_since(self.started_at))

    @property
    def phase_elapsed_text(self) -> str:
        """How long the current phase has been running, in words; empty when unknown."""
        return duration_text(_seconds_since(self.phase_started_at))


STEP_UNIT = "langkah"


def _seconds_since(moment: object) -> int | None:
    if moment is None:
        return None
    assert hasattr(moment, "timestamp")
    return max(0, int(timezone.now().timestamp() - moment.timestamp()))


def duration_text(seconds: float | None) -> str:
    """Seconds in Bahasa Indonesia words: "45 detik", "2 menit", "1 jam 3 menit"; "" for None."""
    if seconds is None:
        return ""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} jam {minutes} menit" if minutes else f"{hours} jam"
    if minutes:
        return f"{minutes} menit {secs} detik" if secs else f"{minutes} menit"
    return f"{secs} detik"
