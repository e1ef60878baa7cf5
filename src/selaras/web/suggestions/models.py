"""What the suggestions remember: a person's "not a duplicate" and a government's trained model."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals.models import Proposal


class NotDuplicate(models.Model):
    """A person judged two proposals different: the pair is never suggested again.
    `first` has the smaller id."""

    first = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+", verbose_name="usulan pertama")
    second = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+", verbose_name="usulan kedua")
    reason = models.TextField("alasan", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="diputuskan oleh")
    created_at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "bukan usulan ganda"
        verbose_name_plural = "bukan usulan ganda"
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="uniq_not_duplicate_pair")]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class TrainedClassifier(models.Model):
    """A government's classification model, retrained by `selaras classify --retrain`."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField("dilatih", auto_now_add=True)
    examples = models.PositiveIntegerField("usulan contoh")
    years = models.JSONField("tahun data latih", default=list)
    model = models.BinaryField("model")

    class Meta:
        verbose_name = "model klasifikasi"
        verbose_name_plural = "model klasifikasi"
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"{self.government_id} {self.trained_at:%Y-%m-%d}"
