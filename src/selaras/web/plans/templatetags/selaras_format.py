"""Number formatting the Indonesian way: "Rp 1.250.000.000", "4,13".

Usage: `{% load selaras_format %}` then `{{ amount|rupiah }}` or `{{ value|angka }}`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

__all__ = ["format_rupiah", "format_number", "rupiah", "angka", "isian"]


def _group(digits: str) -> str:
    """'1250000' -> '1.250.000'."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def _finite(value: object) -> Decimal | None:
    """The value as a finite Decimal; None where it is not one."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: object) -> str:
    """Thousands with '.', decimals with ',' and no trailing zeros; '' for None or non-numbers."""
    if value is None or value == "":
        return ""
    number = _finite(value)
    if number is None:
        return str(value)
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    result = sign + _group(whole)
    return f"{result},{fraction}" if fraction else result


def format_rupiah(value: object) -> str:
    """Whole rupiah as 'Rp 1.250.000.000' (negative: '-Rp 5.000'); '' for None."""
    if value is None or value == "":
        return ""
    try:
        amount = int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {_group(str(abs(amount)))}"


@register.filter(name="rupiah", is_safe=True)
def rupiah(value: object) -> str:
    return format_rupiah(value)


@register.filter(name="angka", is_safe=True)
def angka(value: object) -> str:
    return format_number(value)


@register.filter(name="isian", is_safe=True)
def isian(value: object) -> str:
    """A number as the value of an input to type over: decimal comma, no thousands points and no
    trailing zeros ('0,71', '1250,5', '-1,25'), so it reads back as itself ('0.7100' looked English)."""
    if value is None or value == "":
        return ""
    number = _finite(value)
    if number is None:
        return str(value)
    text = format(number.normalize(), "f") if number != 0 else "0"
    return text.replace(".", ",")
