"""Persistence of monitoring and evaluation (monev): quarterly realisation of Renja lines, the
closing of a quarter by Bappeda, and the yearly realisation of plan indicators (outcomes).

`Realisation` holds the current figures of one Renja line in one quarter; every write (entry,
import, correction) also appends a `RealisationRevision`, which is never changed or deleted
(the history a correction after closing keeps, with its reason). The formulas live in
`selaras.engines.evaluation`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selaras.domain.errors import AppendOnly
from selaras.web.plans.models import Indicator, LocalGovernment, RenjaLine

QUARTER_CHOICES = [(1, "Triwulan I"), (2, "Triwulan II"), (3, "Triwulan III"), (4, "Triwulan IV")]
QUARTER_LABELS = dict(QUARTER_CHOICES)

SOURCE_WEB, SOURCE_IMPORT, SOURCE_DEMO = "web", "import", "demo"
SOURCE_CHOICES = [(SOURCE_WEB, "Isian web"), (SOURCE_IMPORT, "Impor Excel"), (SOURCE_DEMO, "Data demo")]


class Realisation(models.Model):
    """Realisasi of a Renja line in one quarter: volume in the line's unit (K) and Rp spent."""

    line = models.ForeignKey(RenjaLine, on_delete=models.CASCADE, related_name="realisations",
                             verbose_name="baris Renja")
    quarter = models.PositiveSmallIntegerField("triwulan", choices=QUARTER_CHOICES)
    volume = models.DecimalField("realisasi kinerja (K)", max_digits=18, decimal_places=4, null=True, blank=True)
    spent = models.BigIntegerField("realisasi keuangan (Rp)", null=True, blank=True)
    helped = models.TextField("faktor pendorong", blank=True)
    hindered = models.TextField("faktor penghambat", blank=True)
    follow_up = models.TextField("tindak lanjut", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="diisi oleh")
    updated_at = models.DateTimeField("diperbarui", auto_now=True)

    class Meta:
        verbose_name = "realisasi"
        verbose_name_plural = "realisasi"
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="uniq_realisation_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="realisation_quarter_1_4"),
        ]
        ordering = ["line", "quarter"]

    def __str__(self) -> str:
        return f"{self.line.code} TW{self.quarter}"


class RevisionQuerySet(models.QuerySet["RealisationRevision"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnly("Riwayat realisasi tidak dapat diubah.", record="realisation", action="change")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Riwayat realisasi tidak dapat dihapus.", record="realisation", action="delete")


class RealisationRevision(models.Model):
    """One write of a quarter's realisation, kept for ever (append-only).

    `reason` is required for a correction after the quarter was closed; `after_closing` says so.
    """

    line = models.ForeignKey(RenjaLine, on_delete=models.CASCADE, related_name="realisation_revisions")
    quarter = models.PositiveSmallIntegerField("triwulan", choices=QUARTER_CHOICES)
    volume = models.DecimalField("realisasi kinerja (K)", max_digits=18, decimal_places=4, null=True, blank=True)
    spent = models.BigIntegerField("realisasi keuangan (Rp)", null=True, blank=True)
    helped = models.TextField("faktor pendorong", blank=True)
    hindered = models.TextField("faktor penghambat", blank=True)
    follow_up = models.TextField("tindak lanjut", blank=True)
    reason = models.TextField("alasan koreksi", blank=True)
    after_closing = models.BooleanField("koreksi setelah triwulan ditutup", default=False)
    source = models.CharField("sumber", max_length=10, choices=SOURCE_CHOICES, default=SOURCE_WEB)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="oleh")
    created_at = models.DateTimeField("waktu", auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat realisasi"
        verbose_name_plural = "riwayat realisasi"
        indexes = [models.Index(fields=["line", "quarter"])]
        ordering = ["line", "quarter", "id"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("Riwayat realisasi tidak dapat diubah.", record="realisation", action="change")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Riwayat realisasi tidak dapat dihapus.", record="realisation", action="delete")


class QuarterClosure(models.Model):
    """Bappeda closed a quarter of a year: later changes are corrections that need a reason."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="closed_quarters")
    year = models.PositiveIntegerField("tahun")
    quarter = models.PositiveSmallIntegerField("triwulan", choices=QUARTER_CHOICES)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="ditutup oleh")
    closed_at = models.DateTimeField("ditutup", auto_now_add=True)

    class Meta:
        verbose_name = "penutupan triwulan"
        verbose_name_plural = "penutupan triwulan"
        constraints = [models.UniqueConstraint(fields=["government", "year", "quarter"], name="uniq_closed_quarter")]
        ordering = ["year", "quarter"]

    def __str__(self) -> str:
        return f"{self.year} TW{self.quarter}"


class IndicatorRealisation(models.Model):
    """The realised value of a plan indicator (RPJMD / Renstra objective) in a year, e.g. the
    stunting prevalence measured in 2025. Feeds E.78, E.80 and the trajectory charts."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="realisations")
    year = models.PositiveIntegerField("tahun")
    value = models.DecimalField("realisasi", max_digits=18, decimal_places=4)
    source = models.CharField("sumber data", max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField("diperbarui", auto_now=True)

    class Meta:
        verbose_name = "realisasi indikator"
        verbose_name_plural = "realisasi indikator"
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="uniq_indicator_realisation")]
        ordering = ["indicator", "year"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"
