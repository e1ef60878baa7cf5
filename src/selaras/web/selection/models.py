"""Persistence of selection runs (seleksi usulan) and their per-proposal outcomes.

Runs are append-only, like decisions: a run records what a rule decided with given parameters at
a given time; a changed parameter is a new run (a what-if run points at its base run).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selaras.domain.errors import AppendOnly
from selaras.domain.selection import Completion, Rule
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.models import Proposal

RULE_LABELS: dict[str, str] = {
    Rule.GREEDY.value: "Greedy: dukungan terbanyak",
    Rule.GREEDY_COST.value: "Greedy: dukungan per rupiah",
    Rule.GREEDY_SCORE.value: "Greedy: skor tertinggi",
    Rule.GREEDY_SCORE_COST.value: "Greedy: skor per rupiah",
    Rule.MES.value: "Metode Bagi Rata (Equal Shares)",
    Rule.PHRAGMEN.value: "Phragmén berurutan",
    Rule.EXACT.value: "Optimal (skor total tertinggi, MILP)",
}
COMPLETION_LABELS: dict[str, str] = {
    Completion.NONE.value: "Tanpa pelengkap",
    Completion.GREEDY.value: "Pelengkap greedy",
    Completion.ADD1.value: "Tambah-satu lalu greedy",
}
RULE_CHOICES = list(RULE_LABELS.items())
COMPLETION_CHOICES = [("", "—"), *COMPLETION_LABELS.items()]


class RunKind(models.TextChoices):
    RUN = "run", "Seleksi"
    WHAT_IF = "whatif", "Simulasi (what-if)"


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
        return COMPLETION_LABELS.get(self.completion, "") if self.completion else ""


class SelectionOutcome(_AppendOnly):
    """The decision of one run on one proposal, with its reason (code + parameters).

    Cost, score, agency and kecamatan are copied from the proposal at run time so that a run's
    totals stay what they were when the proposal is later changed.
    """

    # no single-column indexes: (run, proposal) and (proposal, run) below serve both lookups, and
    # fewer indexes make storing 160,000 outcomes per run faster
    run = models.ForeignKey(SelectionRun, on_delete=models.CASCADE, related_name="outcomes", db_index=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="selection_outcomes",
                                 db_index=False)
    selected = models.BooleanField("terpilih")
    round = models.PositiveIntegerField("urutan terpilih", null=True, blank=True)
    reason_code = models.CharField("kode alasan", max_length=40)
    reason_params = models.JSONField("parameter alasan", default=dict)
    cost = models.BigIntegerField("biaya (Rp)")
    score = models.FloatField("skor", null=True, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="perangkat daerah", db_index=False)
    district_code = models.CharField("kode kecamatan", max_length=13, blank=True)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "hasil seleksi per usulan"
        verbose_name_plural = "hasil seleksi per usulan"
        ordering = ["run", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "proposal"], name="uniq_run_proposal")]
        indexes = [
            models.Index(fields=["run", "selected", "round"]),
            models.Index(fields=["proposal", "run"]),
        ]

    def __str__(self) -> str:
        return f"#{self.run_id} {self.proposal_id} {'terpilih' if self.selected else 'tidak'}"
