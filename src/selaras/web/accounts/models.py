"""Who a user is in the cycle: a role, and the scope it works in."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from selaras.domain.roles import ROLE_LABELS
from selaras.web.plans.models import Agency, LocalGovernment

ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]


class Membership(models.Model):
    """A user's role in one government, scoped to a village, kecamatan or agency where relevant."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="members",
                                   verbose_name="pemerintah daerah")
    role = models.CharField("peran", max_length=24, choices=ROLE_CHOICES)
    region_code = models.CharField("kode desa/kecamatan (lingkup)", max_length=13, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL,
                               verbose_name="perangkat daerah (lingkup)")
    councillor_name = models.CharField("nama anggota DPRD", max_length=200, blank=True)

    class Meta:
        verbose_name = "keanggotaan"
        verbose_name_plural = "keanggotaan"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
