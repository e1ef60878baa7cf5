"""A number quoted in a proposal finding (`proposal_entry.shown`) is exact, short and never raises,
and the message reads it the Indonesian way ('2,5', '1.500.000'), by the product's one rule
(`selaras_format.format_number`).

Before: shown() called Decimal.normalize() under the default context: '1e99999999' raised
decimal.Overflow (the web form and the import each caught it with a guard of their own), fifty
nines were rounded to 1E+50, '1e-99999999' was quoted as '0'; and messages read 'volume harus
lebih dari 0 (-2.5)' with an English decimal point."""

from __future__ import annotations

from decimal import Decimal

import pytest

from selaras.domain import proposal_entry as pe
from selaras.domain.findings import Location
from selaras.web.proposals.messages import describe, sentence


@pytest.mark.parametrize(("number", "text"), [
    ("-4.0", "-4"), ("1E+2", "100"), ("2.50", "2.5"), ("0.0001", "0.0001"), ("-0", "0"), ("0E+99999", "0"),
    ("1e99999999", "1e99999999"), ("-1e99999999", "-1e99999999"), ("1e-99999999", "1e-99999999"),
    ("9" * 50, "9" * 50), ("1e24", "1" + "0" * 24), ("1e25", "1e25"), ("123.456e30", "1.23456e32"),
    ("2.5e-40", "2.5e-40"), ("1e999999999999999", "1e999999999999999"),
])
def test_shown_is_exact_short_and_never_raises(number, text):
    assert pe.shown(Decimal(number)) == text
    assert Decimal(pe.shown(Decimal(number))) == Decimal(number)


HOSTILE = ["1e99999999", "-1e99999999", "1e-99999999", "1E+999999999999999", "-1e-99999999", "9" * 5000,
           "0e99999999", 1e308, -1e308, 5e-324]


@pytest.mark.parametrize("typed", HOSTILE)
def test_entry_checks_never_raise_on_hostile_numbers(typed):
    where = Location(column="volume")
    for check in (pe.check_volume, pe.check_cost):
        check(typed, where)
    pe.check_rank(typed, where)
    for axis in ("lat", "lon"):
        pe.check_coordinate(typed, axis, pe.INDONESIA, where)
    entry = pe.check_entry("musrenbang_village", {"title": "Jalan", "volume": typed, "unit": "m",
                                                 "estimated_cost": typed, "priority_rank": typed,
                                                 "latitude": typed, "longitude": typed},
                           region_code="32.16", bounds=pe.INDONESIA)
    assert all(len(sentence(f)) < 200 for f in entry.findings)


def _said(check, typed, column):
    _, found = check(typed, Location(column=column))
    return sentence(found[0])


def test_quoted_numbers_read_the_indonesian_way():
    assert _said(pe.check_volume, "-2,5", "volume") == "Volume harus lebih dari 0 (-2,5)."
    assert _said(pe.check_volume, "1,234", "volume") == "Volume: paling banyak 2 angka desimal (1,234)."
    assert _said(pe.check_volume, "1.000.000.000.000", "volume") == (
        "Volume: angka terlalu besar (1.000.000.000.000).")
    assert _said(pe.check_volume, "1e99999999", "volume") == "Volume: angka terlalu besar (1e99999999)."
    assert _said(pe.check_cost, "1.500.000,5", "estimated_cost") == (
        "Biaya harus rupiah bulat tanpa desimal (1.500.000,5).")
    assert _said(pe.check_cost, "-2500", "estimated_cost") == "Biaya tidak boleh negatif (-2.500)."
    assert _said(pe.check_rank, "2,5", "priority_rank") == "Peringkat harus bilangan bulat 1 sampai 1.000.000 (2,5)."
    _, found = pe.check_coordinate("-6,25", "lon", pe.INDONESIA, Location(column="longitude"))
    assert sentence(found[0]) == "Koordinat -6,25 di luar wilayah Indonesia (95 s.d. 141)."
    # a row of a file reads the same
    _, found = pe.check_volume("0,5e-40", Location(row=7, column="Volume"))
    assert describe(found[0]) == "Baris 7, kolom 'Volume': paling banyak 2 angka desimal (5e-41)."


def test_a_text_value_is_quoted_as_typed_not_as_a_number():
    _, found = pe.check_volume("1.5.5", Location(column="volume"))
    assert sentence(found[0]) == "Volume: '1.5.5' bukan angka."
    _, found = pe.check_unit("1.500")
    assert "'1.500'" in sentence(found[0])
