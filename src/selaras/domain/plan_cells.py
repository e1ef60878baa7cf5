"""One cell of a plan table as typed by a planner: parsed, or refused with a stable code.

Used by the in-place editor (one cell at a time) and by the Excel import (every cell of a file),
so both accept and refuse exactly the same values. Each parser returns `(value, None)` or
`(None, (code, params))`; texts are in `web/planning/messages.py`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from selaras.domain.plans import Direction
from selaras.domain.proposal_entry import parse_number
from selaras.domain.units import normalise_unit
from selaras.domain.values import as_text

__all__ = ["Problem", "parse_decimal", "parse_rupiah", "money_problem", "parse_direction", "parse_text", "parse_unit",
           "MAX_DECIMAL", "MAX_RUPIAH", "INDICATOR_UNITS", "DIRECTION_WORDS", "parse_target", "target_text",
           "Target"]

Problem = tuple[str, dict[str, Any]]

#: The stored columns hold 18 digits with 4 decimals; rupiah fit a signed 64-bit integer.
MAX_DECIMAL = Decimal("99999999999999")
MAX_RUPIAH = 10**17
#: Units of performance indicators besides the controlled units of outputs (domain.units).
INDICATOR_UNITS: dict[str, str] = {
    "%": "%", "persen": "%", "persentase": "%", "tahun": "tahun", "indeks": "indeks", "poin": "poin",
    "rasio": "rasio", "nilai": "nilai", "predikat": "predikat", "peringkat": "peringkat",
    "rupiah": "rupiah", "rp": "rupiah", "juta rupiah": "juta rupiah", "jiwa": "jiwa", "kk": "KK",
}
DIRECTION_WORDS: dict[str, Direction] = {
    "naik": Direction.HIGHER_IS_BETTER, "up": Direction.HIGHER_IS_BETTER, "positif": Direction.HIGHER_IS_BETTER,
    "semakin tinggi semakin baik": Direction.HIGHER_IS_BETTER,
    "turun": Direction.LOWER_IS_BETTER, "down": Direction.LOWER_IS_BETTER, "negatif": Direction.LOWER_IS_BETTER,
    "semakin rendah semakin baik": Direction.LOWER_IS_BETTER,
    "rentang": Direction.WITHIN_BAND, "band": Direction.WITHIN_BAND, "berada dalam rentang": Direction.WITHIN_BAND,
}


def parse_decimal(raw: Any, *, required: bool = False) -> tuple[Decimal | None, Problem | None]:
    """A target or baseline: a number (Indonesian decimal comma accepted), empty for none."""
    if as_text(raw) == "":
        return None, (("cell.required", {}) if required else None)
    number = parse_number(raw)
    if number is None:
        return None, ("cell.number", {})
    if abs(number) > MAX_DECIMAL:
        return None, ("cell.too_large", {})
    if number != number.quantize(Decimal("0.0001")):
        return None, ("cell.decimals", {})
    return _plain(number), None


def _plain(number: Decimal) -> Decimal:
    """Without trailing zeros and without an exponent (12.5000 -> 12.5, 1E+3 -> 1000)."""
    return Decimal(format(number.normalize(), "f")) if number != 0 else Decimal(0)


def parse_rupiah(raw: Any) -> tuple[int | None, Problem | None]:
    """Money: whole rupiah, zero or more; empty is zero."""
    if as_text(raw) == "":
        return 0, None
    number = parse_number(raw)
    if number is None or number != number.to_integral_value():
        return None, ("cell.rupiah", {})
    code = money_problem(number)
    if code is not None:
        return None, (code, {})
    return int(number), None


def money_problem(amount: Decimal | int | None) -> str | None:
    """Why an amount of money (a pagu, a forward estimate, a ceiling) may not be stored: below zero
    (`cell.negative`) or beyond the stored column (`cell.too_large`); None when it may."""
    if amount is None:
        return None
    if amount < 0:
        return "cell.negative"
    if amount > MAX_RUPIAH:
        return "cell.too_large"
    return None


def parse_direction(raw: Any) -> tuple[Direction | None, Problem | None]:
    text = " ".join(as_text(raw).lower().split())
    if text in ("", "none", "-", "tidak ditentukan"):
        return Direction.UNKNOWN, None
    found = DIRECTION_WORDS.get(text)
    if found is None:
        try:
            return Direction(text), None
        except ValueError:
            return None, ("cell.direction", {})
    return found, None


def parse_text(raw: Any, *, max_length: int, required: bool = False) -> tuple[str | None, Problem | None]:
    text = " ".join(as_text(raw).split())
    if required and not text:
        return None, ("cell.required", {})
    if len(text) > max_length:
        return None, ("cell.too_long", {"max": max_length})
    return text, None


def parse_unit(raw: Any) -> tuple[str | None, Problem | None]:
    """A unit: a controlled output unit, an indicator unit, or a rate ('per 1.000 penduduk')."""
    text = " ".join(as_text(raw).split())
    if not text:
        return "", None
    controlled = normalise_unit(text)
    if controlled is not None:
        return controlled, None
    lowered = text.lower()
    if lowered in INDICATOR_UNITS:
        return INDICATOR_UNITS[lowered], None
    if lowered.startswith("per ") and len(text) <= 60:
        return text, None
    return None, ("cell.unit", {"unit": text[:60]})


_RANGE = re.compile(r"^\s*(-?[\d.,]+)\s*(?:–|—|-|s/d|s\.d\.?|sampai)\s*(-?[\d.,]+)\s*$", re.IGNORECASE)
_AT_LEAST = re.compile(r"^\s*(?:>=|≥|min(?:imal)?\.?)\s*(-?[\d.,]+)\s*$", re.IGNORECASE)
_AT_MOST = re.compile(r"^\s*(?:<=|≤|maks(?:imal)?\.?)\s*(-?[\d.,]+)\s*$", re.IGNORECASE)

Target = tuple[Decimal | None, Decimal | None, Decimal | None]


def parse_target(raw: Any) -> tuple[Target | None, Problem | None]:
    """A target cell as written in a table: '8,5' (single), '0,6–1,8' or '0,6 - 1,8' (range),
    '>= 90' / '<= 2' (open range); empty for no target. Returns (value, min, max)."""
    text = as_text(raw)
    if text == "":
        return (None, None, None), None
    single, problem = parse_decimal(raw)
    if problem is None:
        return (single, None, None), None
    first = problem
    for pattern, ends in ((_RANGE, "both"), (_AT_LEAST, "low"), (_AT_MOST, "high")):
        match = pattern.match(text)
        if match is None:
            continue
        numbers = []
        for group in match.groups():
            number, problem = parse_decimal(group)
            if problem is not None or number is None:
                return None, ("cell.number", {})
            numbers.append(number)
        low, high = (numbers[0], numbers[1]) if ends == "both" else (
            (numbers[0], None) if ends == "low" else (None, numbers[0]))
        if low is not None and high is not None and low > high:
            return None, ("target.range_inverted", {})
        return (None, low, high), None
    return None, first


def target_text(value: Decimal | None, low: Decimal | None, high: Decimal | None) -> str:
    """The cell text of a stored target (the inverse of `parse_target`), Indonesian decimal comma."""
    def show(number: Decimal) -> str:
        return (format(number.normalize(), "f") if number != 0 else "0").replace(".", ",")
    if value is not None:
        return show(value)
    if low is not None and high is not None:
        return f"{show(low)} – {show(high)}"
    if low is not None:
        return f">= {show(low)}"
    if high is not None:
        return f"<= {show(high)}"
    return ""
