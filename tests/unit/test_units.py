"""The controlled unit list and its normaliser."""

from __future__ import annotations

import pytest

from selaras.domain.units import UNITS, is_unit, normalise_unit


@pytest.mark.parametrize(("raw", "unit"), [
    ("m2", "m²"), ("Meter2", "m²"), ("M²", "m²"), ("meter persegi", "m²"), ("mtr. persegi", "m²"),
    ("m3", "m³"), ("meter kubik", "m³"), ("meter", "m"), ("Mtr", "m"), ("KM", "km"),
    ("kilo meter", "km"), ("Hektar", "ha"), ("bh", "buah"), ("Unit", "unit"), ("pkt.", "paket"),
    ("org", "orang"), ("  Titik ", "titik"), ("Dok", "dokumen"), ("lokal", "ruang"),
])
def test_messy_spellings_normalise(raw: str, unit: str):
    assert normalise_unit(raw) == unit


@pytest.mark.parametrize("raw", ["m?", "", "   ", "furlong", "meter?"])
def test_unknown_or_ambiguous_is_none(raw: str):
    assert normalise_unit(raw) is None


def test_every_controlled_unit_normalises_to_itself():
    for unit in UNITS:
        assert is_unit(unit)
        assert normalise_unit(unit) == unit
