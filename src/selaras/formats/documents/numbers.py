"""Values written the Indonesian way for print: 1.234.567 (thousands), 12,5 (decimals), dates."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from selaras.formats.documents.model import Format, Value

__all__ = ["MONTHS", "format_value", "long_date"]

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def _grouped(number: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if places and fraction:
        fraction = fraction.rstrip("0") if places == 2 else fraction
        if fraction:
            text += "," + fraction
    return sign + text


def format_value(value: Value, fmt: Format) -> str:
    """The printed text of `value` in a column of format `fmt` (None prints empty)."""
    if value is None:
        return ""
    if isinstance(value, str) or fmt in (Format.TEXT, Format.CODE):
        return str(value)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if fmt in (Format.MONEY, Format.INTEGER):
        return _grouped(number, 0)
    return _grouped(number, 2)


def long_date(day: dt.date) -> str:
    """12 Februari 2025."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
