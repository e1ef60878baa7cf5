"""Units of measure (satuan) for proposals: one controlled list and a normaliser for messy input.

Proposal data from the field spells the same unit many ways ("m2", "meter2", "M²", "mtr
persegi"). `normalise_unit()` maps a spelling to the controlled unit, or returns None when the
spelling is unknown or ambiguous (e.g. "m?", a square or cubic metre that lost its exponent).
"""

from __future__ import annotations

import re

__all__ = ["UNITS", "UNIT_LABELS", "normalise_unit", "is_unit"]

#: Controlled units: code (stored) and label (shown).
UNIT_LABELS: dict[str, str] = {
    "unit": "unit",
    "paket": "paket",
    "buah": "buah",
    "titik": "titik",
    "lokasi": "lokasi",
    "m": "meter (m)",
    "m²": "meter persegi (m²)",
    "m³": "meter kubik (m³)",
    "km": "kilometer (km)",
    "ha": "hektare (ha)",
    "orang": "orang",
    "jiwa": "jiwa",
    "kk": "kepala keluarga (KK)",
    "rumah": "rumah",
    "ruang": "ruang",
    "kelompok": "kelompok",
    "kegiatan": "kegiatan",
    "dokumen": "dokumen",
    "set": "set",
    "ekor": "ekor",
    "ton": "ton",
    "liter": "liter",
    "bulan": "bulan",
    "kali": "kali",
    "laporan": "laporan",
    "orang/bulan": "orang/bulan",
    "sekolah": "sekolah",
    "desa": "desa",
    "kegiatan/tahun": "kegiatan/tahun",
}
UNITS: tuple[str, ...] = tuple(UNIT_LABELS)

# Spellings seen in the field, after lower-casing and squeezing spaces, dots and stray marks.
_ALIASES: dict[str, str] = {
    "meter": "m", "mtr": "m", "me": "m", "m1": "m", "m'": "m", "meter lari": "m", "ml": "m",
    "m2": "m²", "m^2": "m²", "meter2": "m²", "meter persegi": "m²", "mtr persegi": "m²",
    "mtr2": "m²", "meterpersegi": "m²", "sqm": "m²", "m persegi": "m²",
    "m3": "m³", "m^3": "m³", "meter3": "m³", "meter kubik": "m³", "mtr kubik": "m³", "kubik": "m³",
    "kilometer": "km", "kilo meter": "km", "kms": "km",
    "hektar": "ha", "hektare": "ha", "hektar are": "ha", "hekto are": "ha",
    "unt": "unit", "units": "unit", "bh": "buah", "buah": "buah", "pcs": "buah",
    "pkt": "paket", "pket": "paket", "ttk": "titik", "lok": "lokasi", "lks": "lokasi",
    "org": "orang", "orng": "orang", "jiw": "jiwa", "kepala keluarga": "kk",
    "rmh": "rumah", "unit rumah": "rumah", "rg": "ruang", "ruangan": "ruang", "lokal": "ruang",
    "klp": "kelompok", "kel": "kelompok", "keg": "kegiatan", "kgt": "kegiatan",
    "dok": "dokumen", "dokumen": "dokumen", "stel": "set", "ltr": "liter", "lt": "liter",
    "bln": "bulan", "x": "kali",
    "lap": "laporan", "lpr": "laporan", "rkb": "ruang", "ruang kelas baru": "ruang",
    "orang bulan": "orang/bulan", "ob": "orang/bulan", "o/b": "orang/bulan", "org/bln": "orang/bulan",
    "sekolahan": "sekolah", "sek": "sekolah", "kel/desa": "desa",
}
_AMBIGUOUS = frozenset({"m?", "m ?", "meter?"})


def _squeeze(raw: str) -> str:
    text = raw.strip().lower().replace("\u00b2", "2").replace("\u00b3", "3")
    text = re.sub(r"[.,;:]+", " ", text)
    return " ".join(text.split())


def normalise_unit(raw: str) -> str | None:
    """The controlled unit for a spelling, or None when it is unknown or ambiguous."""
    text = _squeeze(raw)
    if not text or text in _AMBIGUOUS:
        return None
    if text in UNIT_LABELS:
        return text
    if text in _ALIASES:
        return _ALIASES[text]
    compact = text.replace(" ", "")
    if compact in UNIT_LABELS:
        return compact
    return _ALIASES.get(compact)


def is_unit(code: str) -> bool:
    """True when `code` is a controlled unit code."""
    return code in UNIT_LABELS
