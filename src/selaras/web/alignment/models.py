"""Persistence of higher-level targets (RPJPN/RPJMN, provincial RPJMD) and their mapping.

National and provincial plans are not run in this system: only their indicators and yearly
targets are kept, as data, so that a regency's targets can be compared with them.
"""

from __future__ import annotations

from django.db import models

from selaras.domain.plans import Direction
from selaras.web.plans.models import DIRECTION_CHOICES, LocalGovernment


class HigherLevelPlan(models.Model):
    """A national or provincial plan whose targets local plans align with."""

    LEVEL_NATIONAL = "national"
    LEVEL_PROVINCE = "province"
    LEVEL_CHOICES = [(LEVEL_NATIONAL, "Nasional"), (LEVEL_PROVINCE, "Provinsi")]
    KIND_CHOICES = [("rpjpn", "RPJPN"), ("rpjmn", "RPJMN"), ("rkp", "RKP"),
                    ("rpjpd_provinsi", "RPJPD Provinsi"), ("rpjmd_provinsi", "RPJMD Provinsi")]

    name = models.CharField("nama dokumen", max_length=200, unique=True)
    kind = models.CharField("jenis", max_length=20, choices=KIND_CHOICES)
    level = models.CharField("tingkat", max_length=12, choices=LEVEL_CHOICES)
    region_code = models.CharField("kode provinsi", max_length=13, blank=True,
                                   help_text="Kosong untuk rencana nasional.")
    start_year = models.PositiveIntegerField("tahun awal")
    end_year = models.PositiveIntegerField("tahun akhir")

    class Meta:
        verbose_name = "rencana tingkat atas"
        verbose_name_plural = "rencana tingkat atas"
        ordering = ["level", "region_code", "start_year", "name"]

    def __str__(self) -> str:
        return self.name


class HigherLevelIndicator(models.Model):
    """An indicator of a higher-level plan; `key` is the local indicator key it matches by default."""

    plan = models.ForeignKey(HigherLevelPlan, on_delete=models.CASCADE, related_name="indicators",
                             verbose_name="rencana")
    key = models.SlugField("kunci indikator", max_length=80)
    name = models.CharField("nama indikator", max_length=300)
    unit = models.CharField("satuan", max_length=60, blank=True)
    direction = models.CharField("arah", max_length=8, choices=DIRECTION_CHOICES, default=Direction.UNKNOWN.value)

    class Meta:
        verbose_name = "indikator rencana tingkat atas"
        verbose_name_plural = "indikator rencana tingkat atas"
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="uniq_higher_indicator_key")]
        ordering = ["plan", "key"]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan})"


class HigherLevelTarget(models.Model):
    indicator = models.ForeignKey(HigherLevelIndicator, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name="indikator")
    year = models.PositiveIntegerField("tahun")
    #: A single target value; a band (e.g. poverty 0.6–1.8 %) is stored in target_min/target_max.
    value = models.DecimalField("target", max_digits=18, decimal_places=4, null=True, blank=True)
    target_min = models.DecimalField("target minimum", max_digits=18, decimal_places=4, null=True, blank=True)
    target_max = models.DecimalField("target maksimum", max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = "target rencana tingkat atas"
        verbose_name_plural = "target rencana tingkat atas"
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="uniq_higher_target_year")]
        ordering = ["indicator", "year"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class IndicatorMapping(models.Model):
    """Maps a higher-level indicator to a local indicator key of one government.

    Without a mapping a higher-level indicator matches local indicators with the same key.
    """

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="pemerintah daerah")
    higher_indicator = models.ForeignKey(HigherLevelIndicator, on_delete=models.CASCADE, related_name="mappings",
                                         verbose_name="indikator tingkat atas")
    local_key = models.SlugField("kunci indikator daerah", max_length=80)

    class Meta:
        verbose_name = "pemetaan indikator"
        verbose_name_plural = "pemetaan indikator"
        constraints = [models.UniqueConstraint(fields=["government", "higher_indicator"],
                                               name="uniq_indicator_mapping")]

    def __str__(self) -> str:
        return f"{self.higher_indicator} → {self.local_key}"

