"""Persistence of proposals (usulan) and their append-only decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from selaras.domain.errors import AppendOnly
from selaras.domain.proposals import (
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    ProposalStatus,
)
from selaras.web.plans.models import REGION_EDITION_DEFAULT, Agency, LocalGovernment, RenjaLine

CHANNEL_CHOICES = [(c.value, label) for c, label in CHANNEL_LABELS.items()]
STAGE_CHOICES = [(s.value, label) for s, label in STAGE_LABELS.items()]
OUTCOME_CHOICES = [(o.value, label) for o, label in OUTCOME_LABELS.items()]
STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS.items()]


class Proposal(models.Model):
    """Usulan: an activity asked for at a location, with volume, unit and estimated cost."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="proposals")
    year = models.PositiveIntegerField("tahun rencana")
    number = models.CharField("nomor usulan", max_length=32, unique=True)
    channel = models.CharField("jalur", max_length=24, choices=CHANNEL_CHOICES)
    stage = models.CharField("tahap saat ini", max_length=24, choices=STAGE_CHOICES)
    status = models.CharField("status", max_length=16, choices=STATUS_CHOICES,
                              default=ProposalStatus.IN_REVIEW.value)
    title = models.CharField("usulan", max_length=300)
    description = models.TextField("alasan / permasalahan", blank=True)
    village_code = models.CharField("kode desa/kelurahan", max_length=13, blank=True)
    district_code = models.CharField("kode kecamatan", max_length=13, blank=True)
    region_edition = models.CharField("edisi kode wilayah", max_length=64, default=REGION_EDITION_DEFAULT)
    address = models.CharField("alamat/lokasi", max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    volume = models.DecimalField("volume", max_digits=14, decimal_places=2)
    unit = models.CharField("satuan", max_length=40)
    estimated_cost = models.BigIntegerField("perkiraan biaya (Rp)")
    priority_rank = models.PositiveIntegerField("peringkat prioritas", null=True, blank=True)
    district_rank = models.PositiveIntegerField("peringkat di Musrenbang Kecamatan", null=True, blank=True)
    proposer_name = models.CharField("pengusul", max_length=200)
    proposer_role = models.CharField("peran pengusul", max_length=60, blank=True)
    councillor_name = models.CharField("anggota DPRD (Pokir)", max_length=200, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="proposals", verbose_name="perangkat daerah")
    sub_activity_code = models.CharField("kode sub kegiatan", max_length=24, blank=True)
    renja_line = models.ForeignKey(RenjaLine, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="proposals", verbose_name="baris Renja")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    # The entry form's one-time key: the same form sent twice (a double click, a resend on a slow
    # line) gives back the proposal the first one stored instead of a second one.
    entry_key = models.CharField("kunci formulir", max_length=32, blank=True, default="", editable=False)
    #: The postponed proposal of an earlier cycle this one continues (web/proposals/carry.py).
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="carried_into", verbose_name="lanjutan dari usulan")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "usulan"
        verbose_name_plural = "usulan"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["government", "year", "channel"]),
            models.Index(fields=["government", "year", "status"]),
            models.Index(fields=["government", "year", "district_code"]),
            models.Index(fields=["village_code"]),
            models.Index(fields=["agency", "year"]),
            models.Index(fields=["sub_activity_code"]),
            models.Index(fields=["estimated_cost"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "entry_key"], condition=~models.Q(entry_key=""),
                                    name="proposal_entry_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ProposalCounter(models.Model):
    """The last sequence given out in one proposal number series (`numbering`): one row per number
    prefix (region digits, plan year, channel). Whoever takes numbers locks the row until its
    transaction ends, so two entries never get the same number and a rolled-back entry leaves no
    gap. The row goes with its government (replacing a demo district starts its series anew)."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField("awalan nomor", max_length=32, unique=True)
    last = models.PositiveIntegerField("nomor urut terakhir", default=0)

    class Meta:
        verbose_name = "penghitung nomor usulan"
        verbose_name_plural = "penghitung nomor usulan"

    def __str__(self) -> str:
        return f"{self.prefix}{self.last:06d}"


#: The tree's one append-only error, under the name callers and tests already use.
AppendOnlyError = AppendOnly


class DecisionQuerySet(models.QuerySet["Decision"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnly(record="decision", action="change")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly(record="decision", action="delete")

    def purge_government(self, government: LocalGovernment) -> int:
        """Remove the whole decision log of `government`'s proposals; returns the rows removed.

        For replacing a demo district only (`selaras.web.demo.loader.delete_district`), where the
        government and every proposal go too. This is the one named way past the append-only guard;
        product code never calls it (a test keeps it that way).
        """
        # `proposal_id IN (the government's proposals)`, not a join: Django turns a filter across
        # the join into `id IN (a self-join of the log)`, which PostgreSQL ran as nested loops for
        # minutes on a freshly loaded demo district (statistics not yet gathered)
        proposals = Proposal.objects.using(self.db).filter(government=government).values("pk")
        log: models.QuerySet[Decision] = models.QuerySet(self.model, using=self.db).filter(
            proposal_id__in=proposals)
        return int(log._raw_delete(log.db))


class Decision(models.Model):
    """A per-stage decision on a proposal. Append-only: a correction is a new decision."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    stage = models.CharField("tahap", max_length=24, choices=STAGE_CHOICES)
    outcome = models.CharField("keputusan", max_length=24, choices=OUTCOME_CHOICES)
    reason = models.TextField("alasan")
    # PROTECT: the audit keeps its actor; users are deactivated, never deleted (accounts admin).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_role = models.CharField("peran pemutus", max_length=60)
    new_volume = models.DecimalField("volume baru", max_digits=14, decimal_places=2, null=True, blank=True)
    new_cost = models.BigIntegerField("biaya baru (Rp)", null=True, blank=True)
    merged_into = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_from", verbose_name="digabung ke")
    postponed_to_year = models.PositiveIntegerField("ditunda ke tahun", null=True, blank=True)
    internal_note = models.TextField("catatan internal (tidak publik)", blank=True)
    created_at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "keputusan"
        verbose_name_plural = "keputusan"
        ordering = ["created_at", "id"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly(record="decision", action="change")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly(record="decision", action="delete")

    def __str__(self) -> str:
        return f"{self.proposal.number} {self.stage} {self.outcome}"


class StageWindow(models.Model):
    """Jadwal tahapan: when a stage of one government's cycle for one plan year accepts input."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="stage_windows",
                                   verbose_name="pemerintah daerah")
    year = models.PositiveIntegerField("tahun rencana")
    stage = models.CharField("tahap", max_length=24, choices=STAGE_CHOICES)
    opens_at = models.DateTimeField("dibuka")
    closes_at = models.DateTimeField("ditutup")
    closed_manually = models.BooleanField("ditutup lebih awal oleh Bappeda", default=False)
    closed_at = models.DateTimeField("waktu ditutup manual", null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="diubah oleh")
    updated_at = models.DateTimeField("diubah", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jadwal tahapan"
        verbose_name_plural = "jadwal tahapan"
        ordering = ["government", "year", "opens_at", "stage"]
        constraints = [models.UniqueConstraint(fields=["government", "year", "stage"], name="uniq_stage_window")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.year}"
