"""Values written the Indonesian way for print: 1.234.567 (thousands), 12,5 (decimals), dates."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from selaras.formats.documents.model import Align, Format, Quantity, RowKind, Table, Value

__all__ = ["MONTHS", "format_value", "long_date", "number_texts", "with_unit"]

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def _grouped(number: Decimal, places: int, *, all_places: bool = False) -> str:
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
        fraction = fraction if all_places else fraction.rstrip("0")
        if fraction:
            text += "," + fraction
    return sign + text


def with_unit(text: str, unit: str) -> str:
    """The one rule for a value in its unit, in the PDF and in Excel (`xlsx` writes it as the cell's
    number format): the unit after the value, one space between ("8 unit", "14,5 %", "0,6 – 1,8 %")."""
    return f"{text} {unit}" if text and unit else text


def format_value(value: Value, fmt: Format, *, all_places: bool = False) -> str:
    """The printed text of `value` in a column of format `fmt` (None prints empty). Decimals lose
    their trailing zeros (12,5), unless `all_places`: as a spreadsheet's fixed format shows them (12,50).
    A `Quantity` prints with its unit after it (`with_unit`)."""
    if value is None:
        return ""
    if isinstance(value, Quantity):
        return with_unit(format_value(value.value, fmt, all_places=all_places), value.unit)
    if isinstance(value, str) or fmt in (Format.TEXT, Format.CODE):
        return str(value)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if fmt in (Format.MONEY, Format.INTEGER):
        return _grouped(number, 0)
    return _grouped(number, 2, all_places=all_places)


def number_texts(table: Table, *, all_places: bool = False, wrapping: bool = False) -> dict[int, list[str]]:
    """The printed values of each column of numbers (by leaf index; right-aligned columns), for
    sizing the column to its longest value: numbers and bands, not a label such as "JUMLAH" nor a
    group heading; a value with its unit ("8 unit"). `all_places` as in `format_value`. `wrapping`
    (a PDF table too wide for its values on one line, where a unit may go under its number): a value
    in its unit gives its number and the words of its unit, each of which must fit on a line."""
    leaves = table.leaves()
    texts: dict[int, list[str]] = {i: [] for i, leaf in enumerate(leaves) if leaf.align is Align.RIGHT}
    for row in table.rows:
        if row.kind is RowKind.GROUP:
            continue
        for i, found in texts.items():
            value = row.values[i] if i < len(row.values) else None
            if wrapping and isinstance(value, Quantity):
                number = format_value(value.value, leaves[i].format, all_places=all_places)
                if any(ch.isdigit() for ch in number):
                    found += [number, *value.unit.split()]
                continue
            text = format_value(value, leaves[i].format, all_places=all_places)
            if any(ch.isdigit() for ch in text):
                found.append(text)
    return texts


def long_date(day: dt.date) -> str:
    """12 Februari 2025."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
