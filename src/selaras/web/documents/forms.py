"""The form of a forum meeting for its berita acara: place, date, chair and the attendance list."""

from __future__ import annotations

from django import forms

from selaras.web.documents.models import (
    ATTENDEE_LIMITS,
    ATTENDEE_ROLE_CHOICES,
    MEETING_LIMITS,
    too_long,
)

ROLE_WORDS = {label.lower(): value for value, label in ATTENDEE_ROLE_CHOICES} | {
    value: value for value, _ in ATTENDEE_ROLE_CHOICES}
MAX_ATTENDEES = 500


class MeetingForm(forms.Form):
    place = forms.CharField(label="Tempat", max_length=MEETING_LIMITS["place"], required=False)
    held_on = forms.DateField(label="Tanggal (TTTT-BB-HH)", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    chair_name = forms.CharField(label="Nama pimpinan sidang", max_length=MEETING_LIMITS["chair_name"],
                                 required=False)
    chair_position = forms.CharField(label="Jabatan pimpinan sidang", max_length=MEETING_LIMITS["chair_position"],
                                     required=False)
    chair_nip = forms.RegexField(label="NIP pimpinan sidang", regex=r"^[0-9 ]{0,24}$", max_length=24, required=False,
                                 error_messages={"invalid": "NIP hanya berisi angka (18 digit)."})
    attendees = forms.CharField(
        label="Daftar hadir", required=False, max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Satu orang per baris: Nama; Jabatan; Instansi/unsur; Peran (Pimpinan sidang, Narasumber, "
                  "Peserta atau Notulis).")

    def clean_attendees(self) -> list[dict[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data.get("attendees", "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) > 4 or not parts[0]:
                raise forms.ValidationError(f"Baris {number}: tulis Nama; Jabatan; Instansi; Peran (nama wajib).")
            parts += [""] * (4 - len(parts))
            for message in too_long(dict(zip(ATTENDEE_LIMITS, parts, strict=False)), ATTENDEE_LIMITS).values():
                raise forms.ValidationError(f"Baris {number}: {message}")
            role = ROLE_WORDS.get(parts[3].lower(), "participant") if parts[3] else "participant"
            if parts[3] and parts[3].lower() not in ROLE_WORDS:
                raise forms.ValidationError(f"Baris {number}: peran '{parts[3][:40]}' tidak dikenal.")
            rows.append({"name": parts[0], "position": parts[1], "institution": parts[2], "role": role})
        if len(rows) > MAX_ATTENDEES:
            raise forms.ValidationError(f"Paling banyak {MAX_ATTENDEES} orang.")
        return rows
