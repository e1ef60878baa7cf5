"""Values written the Indonesian way for print: 1.234.567 (thousands), 12,5 (decimals), dates."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from selaras.formats.documents.model import Align, Format, RowKind, Table, Value

__all__ = ["MONTHS", "format_value", "long_date", "number_texts"]

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


def format_value(value: Value, fmt: Format, *, all_places: bool = False) -> str:
    """The printed text of `value` in a column of format `fmt` (None prints empty). Decimals lose
    their trailing zeros (12,5), unless `all_places`: as a spreadsheet's fixed format shows them (12,50)."""
    if value is None:
        return ""
    if isinstance(value, str) or fmt in (Format.TEXT, Format.CODE):
        return str(value)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if fmt in (Format.MONEY, Format.INTEGER):
        return _grouped(number, 0)
    return _grouped(number, 2, all_places=all_places)


def number_texts(table: Table, *, all_places: bool = False) -> dict[int, list[str]]:
    """The printed values of each column of numbers (by leaf index; right-aligned columns), for
    sizing the column to its longest value: numbers and bands, not a label such as "JUMLAH" nor a
    group heading. `all_places` as in `format_value`."""
    leaves = table.leaves()
    texts: dict[int, list[str]] = {i: [] for i, leaf in enumerate(leaves) if leaf.align is Align.RIGHT}
    for row in table.rows:
        if row.kind is RowKind.GROUP:
            continue
        for i, found in texts.items():
            text = format_value(row.values[i], leaves[i].format, all_places=all_places) if i < len(row.values) else ""
            if any(ch.isdigit() for ch in text):
                found.append(text)
    return texts


def long_date(day: dt.date) -> str:
    """12 Februari 2025."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
