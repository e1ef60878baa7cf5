"""What an official document needs that the plans and proposals do not hold: the forum meeting
(place, date, who chaired it), its attendance, and who signs a government's or agency's documents."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models

from selaras.web.plans.models import Agency, LocalGovernment

FORUM_DISTRICT = "musrenbang_district"
FORUM_AGENCY = "agency_forum"
FORUM_CHOICES = [(FORUM_DISTRICT, "Musrenbang Kecamatan"), (FORUM_AGENCY, "Forum Perangkat Daerah")]
ATTENDEE_ROLE_CHOICES = [
    ("chair", "Pimpinan sidang"),
    ("speaker", "Narasumber"),
    ("participant", "Peserta"),
    ("secretary", "Notulis"),
]

#: The longest text a berita acara prints in each field (the columns hold 200): longer values are
#: refused by the form, the service (`meetings.save_meeting`) and the admin (`clean`), so that
#: nothing typed at length runs off the printed page.
MEETING_LIMITS: dict[str, int] = {"place": 150, "chair_name": 100, "chair_position": 150, "chair_nip": 24}
ATTENDEE_LIMITS: dict[str, int] = {"name": 100, "position": 150, "institution": 150}
FIELD_LABELS: dict[str, str] = {"place": "Tempat", "chair_name": "Nama pimpinan sidang",
                                "chair_position": "Jabatan pimpinan sidang", "chair_nip": "NIP pimpinan sidang",
                                "name": "Nama", "position": "Jabatan", "institution": "Instansi/unsur"}


def too_long(values: Mapping[str, object], limits: Mapping[str, int]) -> dict[str, str]:
    """{field: Bahasa message} for each text in `values` longer than its limit."""
    found = {}
    for name, limit in limits.items():
        text = values.get(name)
        if isinstance(text, str) and len(text) > limit:
            found[name] = f"{FIELD_LABELS[name]} paling banyak {limit} karakter (sekarang {len(text)} karakter)."
    return found


class Meeting(models.Model):
    """One forum held for a plan year: a Musrenbang Kecamatan (district_code) or a Forum Perangkat
    Daerah (agency). The berita acara is produced from it and the decisions taken at its stage."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="pemerintah daerah")
    forum = models.CharField("forum", max_length=24, choices=FORUM_CHOICES)
    year = models.PositiveIntegerField("tahun rencana")
    district_code = models.CharField("kode kecamatan", max_length=13, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name="perangkat daerah")
    place = models.CharField("tempat", max_length=200, blank=True)
    held_on = models.DateField("tanggal", null=True, blank=True)
    chair_name = models.CharField("nama pimpinan sidang", max_length=200, blank=True)
    chair_position = models.CharField("jabatan pimpinan sidang", max_length=200, blank=True)
    chair_nip = models.CharField("NIP pimpinan sidang", max_length=24, blank=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        verbose_name = "forum (berita acara)"
        verbose_name_plural = "forum (berita acara)"
        constraints = [models.UniqueConstraint(fields=["government", "forum", "year", "district_code", "agency"],
                                               name="uniq_meeting_scope")]

    def __str__(self) -> str:
        return f"{self.get_forum_display()} {self.year}"

    def clean(self) -> None:
        problems = too_long({name: getattr(self, name) for name in MEETING_LIMITS}, MEETING_LIMITS)
        if problems:
            raise ValidationError(problems)


class Attendee(models.Model):
    """One person on the attendance list (daftar hadir) of a meeting; signs on paper."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    order = models.PositiveIntegerField("urutan", default=0)
    name = models.CharField("nama", max_length=200)
    position = models.CharField("jabatan", max_length=200, blank=True)
    institution = models.CharField("instansi/unsur", max_length=200, blank=True)
    role = models.CharField("peran", max_length=16, choices=ATTENDEE_ROLE_CHOICES, default="participant")

    class Meta:
        verbose_name = "peserta hadir"
        verbose_name_plural = "daftar hadir"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = too_long({name: getattr(self, name) for name in ATTENDEE_LIMITS}, ATTENDEE_LIMITS)
        if problems:
            raise ValidationError(problems)


class Signatory(models.Model):
    """Who signs the documents of a government (agency empty: the head of Bappeda) or of an agency."""

    government = models.ForeignKey(LocalGovernment, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="pemerintah daerah")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name="perangkat daerah")
    position = models.CharField("jabatan", max_length=200)
    name = models.CharField("nama", max_length=200)
    nip = models.CharField("NIP", max_length=24, blank=True)
    place = models.CharField("tempat penandatanganan", max_length=100, blank=True)

    class Meta:
        verbose_name = "penanda tangan"
        verbose_name_plural = "penanda tangan"
        constraints = [models.UniqueConstraint(fields=["government", "agency"], name="uniq_signatory")]

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"
