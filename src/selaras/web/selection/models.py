"""Persistence of selection runs (seleksi usulan) and their per-proposal outcomes.

Runs are append-only, like decisions: a run records what a rule decided with given parameters at
a given time; a changed parameter is a new run (a what-if run points at its base run).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selaras.domain.errors import AppendOnly
from selaras.domain.selection import COMPLETION_TEXTS, RULE_NAMES, completion_text
from selaras.web.plans.models import LocalGovernment


def _label(text: str) -> str:
    return text[:1].upper() + text[1:]


#: A rule's and a completion's label: the product's one table of each (`domain.selection`, which
#: the command line and the job page's step say too), starting with a capital.
RULE_LABELS: dict[str, str] = {rule: _label(name) for rule, name in RULE_NAMES.items()}
COMPLETION_LABELS: dict[str, str] = {completion: _label(text) for completion, text in COMPLETION_TEXTS.items()}
RULE_CHOICES = list(RULE_LABELS.items())
COMPLETION_CHOICES = [("", "—"), *COMPLETION_LABELS.items()]


class RunKind(models.TextChoices):
    RUN = "run", "Seleksi"
    WHAT_IF = "whatif", "Simulasi pagu"


#: The tree's one append-only error, under the name callers and tests already use.
AppendOnlyError = AppendOnly


class _AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnly(record="selection", action="change")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly(record="selection", action="delete")


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly(record="selection", action="change")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly(record="selection", action="delete")


class SelectionRun(_AppendOnly):
    """One run of a selection rule over a government's proposals for one plan year."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="selection_runs",
                                   verbose_name="pemerintah daerah")
    year = models.PositiveIntegerField("tahun rencana")
    kind = models.CharField("jenis", max_length=8, choices=RunKind.choices, default=RunKind.RUN)
    base_run = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="what_ifs", verbose_name="seleksi dasar")
    rule = models.CharField("aturan", max_length=24, choices=RULE_CHOICES)
    completion = models.CharField("pelengkap", max_length=16, choices=COMPLETION_CHOICES, blank=True)
    budget = models.BigIntegerField("anggaran (Rp)")
    parameters = models.JSONField("parameter", default=dict)
    totals = models.JSONField("rekapitulasi", default=dict)
    note = models.CharField("catatan", max_length=300, blank=True)
    selected_count = models.PositiveIntegerField("jumlah usulan terpilih", default=0)
    selected_cost = models.BigIntegerField("biaya usulan terpilih (Rp)", default=0)
    proposal_count = models.PositiveIntegerField("jumlah usulan dinilai", default=0)
    seconds = models.FloatField("lama (detik)", default=0.0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="dijalankan oleh")  # audit: never nulled
    created_at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "seleksi usulan"
        verbose_name_plural = "seleksi usulan"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["government", "year", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"Seleksi #{self.pk} {self.rule} {self.year}"

    @property
    def rule_label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)

    @property
    def completion_label(self) -> str:
        """What the completion did: a named variant that keeps the leftover (recorded in the run's
        `mes_options`) says so, not the filling every other run does."""
        if not self.completion:
            return ""
        options = (self.parameters or {}).get("mes_options")
        fill = not isinstance(options, dict) or options.get("final_greedy", True) is not False
        try:
            return _label(completion_text(self.completion, fill=fill))
        except ValueError:
            return self.completion

    @property
    def stopped_at_time_limit(self) -> str:
        """A sentence when raising the shares stopped at its time limit (the last result that fits
        the budget is kept: an Equal Shares outcome, less completed), else ''."""
        details = (self.totals or {}).get("details") or {}
        if details.get("add_opt_stopped") != "time_limit":
            return ""
        limit = (details.get("mes_options") or {}).get("max_seconds")
        steps = details.get("add_opt_steps")
        said = f" {int(limit) // 60} menit" if isinstance(limit, int | float) and limit >= 60 else ""
        done = f" setelah {steps:,} langkah".replace(",", ".") if isinstance(steps, int) else ""
        return (f"Kenaikan jatah berhenti pada batas waktu{said}{done}; hasil terakhir yang muat anggaran "
                "dipakai, sehingga sisa anggaran bisa lebih besar daripada bila dibiarkan selesai.")


class OutcomeBlock(_AppendOnly):
    """Up to `storage.BLOCK_ROWS` proposals' outcomes of one run, as compressed columns.

    The proposals of a run are cut into blocks in proposal-id order; a block knows its first and
    last proposal id, so one proposal's outcome is one indexed row away
    (`selaras.web.selection.storage` holds the format). Cost, score, agency and kecamatan are
    copied from the proposal at run time so that a run's figures stay what they were when the
    proposal is later changed.
    """

    run = models.ForeignKey(SelectionRun, on_delete=models.CASCADE, related_name="outcome_blocks", db_index=False)
    first_proposal = models.BigIntegerField("id usulan pertama")
    last_proposal = models.BigIntegerField("id usulan terakhir")
    count = models.PositiveIntegerField("jumlah usulan")
    data = models.BinaryField("hasil (terkompresi)")

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "blok hasil seleksi"
        verbose_name_plural = "blok hasil seleksi"
        ordering = ["run", "first_proposal"]
        constraints = [models.UniqueConstraint(fields=["run", "first_proposal"], name="uniq_run_block")]
        indexes = [models.Index(fields=["last_proposal", "first_proposal"], name="selection_block_range")]

    def __str__(self) -> str:
        return f"#{self.run_id} {self.first_proposal}-{self.last_proposal}"


class UnselectedOutcome(models.TextChoices):
    """What applying a run decides for an eligible proposal the run did not select."""

    POSTPONED = "postponed", "Ditunda ke tahun berikutnya"
    REJECTED = "rejected", "Ditolak"
    NONE = "none", "Tidak diputus (hanya usulan terpilih yang diterima)"


class RunApplication(_AppendOnly):
    """Bappeda applied a run to its proposals: one append-only decision per affected proposal.

    At most one application is in force per government and year: applying the same run again is
    refused; applying another run must name the application it replaces (`replaces`), and then
    only proposals whose outcome differs get a new decision (a correction at the same stage).
    """

    run = models.ForeignKey(SelectionRun, on_delete=models.CASCADE, related_name="applications",
                            verbose_name="seleksi")
    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="pemerintah daerah")
    year = models.PositiveIntegerField("tahun rencana")
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="replaced_by", verbose_name="menggantikan penerapan")
    unselected = models.CharField("keputusan untuk yang tidak terpilih", max_length=12,
                                  choices=UnselectedOutcome.choices, default=UnselectedOutcome.POSTPONED)
    decisions = models.PositiveIntegerField("jumlah keputusan", default=0)
    summary = models.JSONField("ringkasan", default=dict)
    seconds = models.FloatField("lama (detik)", default=0.0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="diterapkan oleh")
    created_at = models.DateTimeField("waktu", auto_now_add=True)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "penerapan seleksi"
        verbose_name_plural = "penerapan seleksi"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["government", "year", "created_at"])]

    def __str__(self) -> str:
        return f"Penerapan seleksi #{self.run_id} ({self.year})"
