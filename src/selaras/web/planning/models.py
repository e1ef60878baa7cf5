"""Drafting records: stage moves, immutable document versions, Bappeda's review notes and verification.

A plan document is named by (kind, document_id) — kind one of `DocumentKind` (rpjpd, rpjmd,
renstra, rkpd, renja) and document_id the primary key of its row in `web/plans` — so one table
serves all five documents without generic foreign keys.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selaras.domain.errors import AppendOnly
from selaras.domain.plan_documents import DOCUMENT_KIND_LABELS
from selaras.web.plans.models import STAGE_CHOICES, Agency, LocalGovernment

KIND_CHOICES = [(k.value, label) for k, label in DOCUMENT_KIND_LABELS.items()]


class _DocumentRef(models.Model):
    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="pemerintah daerah")
    kind = models.CharField("jenis dokumen", max_length=16, choices=KIND_CHOICES)
    document_id = models.PositiveBigIntegerField("nomor dokumen")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name="perangkat daerah")

    class Meta:
        abstract = True


class DocumentVersion(_DocumentRef):
    """The immutable state of a plan document at a stage move (snapshot)."""

    number = models.PositiveIntegerField("versi ke")
    stage = models.CharField("tahap", max_length=20, choices=STAGE_CHOICES)
    label = models.CharField("keterangan", max_length=200, blank=True)
    payload = models.JSONField("isi dokumen")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "versi dokumen"
        verbose_name_plural = "versi dokumen"
        ordering = ["kind", "document_id", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "document_id", "number"], name="uniq_doc_version")]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("Versi dokumen tidak dapat diubah.", record="document_version", action="change")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Versi dokumen tidak dapat dihapus.", record="document_version", action="delete")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.document_id} versi {self.number}"


class StageMove(_DocumentRef):
    """One move of a document to another stage, with the override reason when errors were passed."""

    from_stage = models.CharField("dari tahap", max_length=20, choices=STAGE_CHOICES)
    to_stage = models.CharField("ke tahap", max_length=20, choices=STAGE_CHOICES)
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="+")
    blocking_findings = models.JSONField("galat sinkronisasi saat pindah", default=list)
    override_reason = models.TextField("alasan melewati galat sinkronisasi", blank=True)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    moved_at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "perpindahan tahap"
        verbose_name_plural = "perpindahan tahap"
        ordering = ["moved_at", "id"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("Riwayat tahap tidak dapat diubah.", record="stage_move", action="change")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class NoteVerdict(models.TextChoices):
    NEEDS_CORRECTION = "needs_correction", "Perlu perbaikan"
    AGREED = "agreed", "Disetujui"


class NoteStatus(models.TextChoices):
    OPEN = "open", "Terbuka"
    ANSWERED = "answered", "Dijawab"
    RESOLVED = "resolved", "Selesai"


class ReviewNote(_DocumentRef):
    """Bappeda's verification note on a line or a whole document, answered by the agency."""

    line_kind = models.CharField("jenis baris", max_length=24, blank=True)
    line_id = models.PositiveBigIntegerField("nomor baris", null=True, blank=True)
    line_code = models.CharField("kode baris", max_length=24, blank=True)
    verdict = models.CharField("penilaian", max_length=20, choices=NoteVerdict.choices,
                               default=NoteVerdict.NEEDS_CORRECTION)
    text = models.TextField("catatan")
    status = models.CharField("status", max_length=12, choices=NoteStatus.choices, default=NoteStatus.OPEN,
                              db_index=True)
    answer = models.TextField("jawaban", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField("dijawab", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField("diselesaikan", null=True, blank=True)

    class Meta:
        verbose_name = "catatan verifikasi"
        verbose_name_plural = "catatan verifikasi"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["kind", "document_id"]), models.Index(fields=["government", "status"])]

    def __str__(self) -> str:
        return self.text[:80]


class VerificationStatus(models.TextChoices):
    NOT_VERIFIED = "not_verified", "Belum diverifikasi"
    NEEDS_CORRECTION = "needs_correction", "Perlu perbaikan"
    VERIFIED = "verified", "Terverifikasi"


class Verification(_DocumentRef):
    """Bappeda's verification status of one document."""

    status = models.CharField("status verifikasi", max_length=20, choices=VerificationStatus.choices,
                              default=VerificationStatus.NOT_VERIFIED)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField("diperbarui", auto_now=True)

    class Meta:
        verbose_name = "verifikasi dokumen"
        verbose_name_plural = "verifikasi dokumen"
        constraints = [models.UniqueConstraint(fields=["kind", "document_id"], name="uniq_doc_verification")]
