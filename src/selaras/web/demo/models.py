"""The record of what the demo loader planted, so that tests and benchmarks can compare it with
what the sinkronisasi check finds. A real government has no rows here."""

from __future__ import annotations

from django.db import models

from selaras.web.plans.models import LocalGovernment


class PlantedFlaw(models.Model):
    """An inconsistency planted on purpose in a demo district (see `selaras.web.demo.flaws`)."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="pemerintah daerah")
    code = models.CharField("kode aturan", max_length=80)
    line = models.CharField("rujukan baris", max_length=60)
    year = models.PositiveIntegerField("tahun", null=True, blank=True)
    agency = models.CharField("perangkat daerah", max_length=40, blank=True)
    what = models.TextField("keterangan")

    class Meta:
        verbose_name = "cacat contoh yang ditanam"
        verbose_name_plural = "cacat contoh yang ditanam"
        ordering = ["government", "code", "line"]

    def __str__(self) -> str:
        return f"{self.code} {self.line}"
