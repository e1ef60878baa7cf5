"""Proposal numbers as people type them: one canonical format, read leniently.

The one format (written by `web/proposals/numbering.py`) is
`{region digits}-{plan year}-{channel prefix}-{6-digit sequence}`, e.g. `3216-2027-MD-000012`.
People copy it from a letter, a screenshot or a phone message: lower case, spaces or dots instead
of hyphens, the leading zeros of the sequence dropped, or only a part of it ("MD-000012",
"000012"). `read_number_query` turns such a text into what to look for: the canonical number when
the text holds all four parts, else an upper-case fragment to match anywhere in a number.
Pure (stdlib only); the lookups themselves are the web layer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selaras.domain.channels import CHANNELS

__all__ = ["SEQUENCE_DIGITS", "NumberQuery", "canonical_number", "format_number", "read_number_query",
           "MIN_FRAGMENT"]

SEQUENCE_DIGITS = 6
#: The shortest fragment looked up as part of a number (shorter ones match too much).
MIN_FRAGMENT = 3

_PREFIXES = frozenset(spec.prefix for spec in CHANNELS.values())
_SEPARATORS = re.compile(r"[\s./_\-–—]+")
_FULL = re.compile(r"^(\d{2,6})-(\d{4})-([A-Z]{2})-(\d{1,9})$")
_ALLOWED = re.compile(r"^[0-9A-Z-]+$")
_PREFIX_TAIL = re.compile(r"^(.*?)([A-Z]{2})-(\d+)$")


def format_number(region_digits: str, year: int, prefix: str, sequence: int) -> str:
    """The canonical number of its parts: ('3216', 2027, 'MD', 12) -> '3216-2027-MD-000012'."""
    return f"{region_digits}-{year}-{prefix}-{sequence:0{SEQUENCE_DIGITS}d}"


def _tidy(text: str) -> str:
    """Upper case, any run of separators as one hyphen, no hyphen at either end."""
    return _SEPARATORS.sub("-", text.strip().upper()).strip("-")


def canonical_number(text: str) -> str | None:
    """The canonical number written in `text`, or None when `text` does not hold all four parts.

    Accepts lower case, spaces, dots or slashes between the parts and a short sequence
    ('3216 2027 md 12' -> '3216-2027-MD-000012'); the region may be written with its dot
    ('32.16-2027-MD-12').
    """
    tidy = _tidy(text)
    # a region written with its dot ('32.16') became '32-16': join the region's two parts again
    joined = re.sub(r"^(\d{2})-(\d{2})-(\d{4})-", r"\1\2-\3-", tidy)
    match = _FULL.match(joined)
    if match is None:
        return None
    region, year, prefix, sequence = match.groups()
    if prefix not in _PREFIXES or not 2000 <= int(year) <= 2100:
        return None
    return format_number(region, int(year), prefix, int(sequence))


@dataclass(frozen=True, slots=True)
class NumberQuery:
    """What to look for: `exact` (a canonical number) and/or `fragment` (a part of numbers).

    `fragment` is empty when the text is too short or holds characters no number has.
    """

    exact: str | None
    fragment: str

    @property
    def empty(self) -> bool:
        return self.exact is None and not self.fragment


def read_number_query(text: str) -> NumberQuery:
    """A typed number or part of one, as a lookup (never raises)."""
    exact = canonical_number(text)
    tidy = _tidy(text)
    if exact is not None:
        return NumberQuery(exact, exact)
    if len(tidy.replace("-", "")) < MIN_FRAGMENT or not _ALLOWED.match(tidy):
        return NumberQuery(None, "")
    # '...MD-12': the sequence after a channel prefix is written in full in every number
    padded = _PREFIX_TAIL.match(tidy)
    if padded is not None and padded.group(2) in _PREFIXES and len(padded.group(3)) <= SEQUENCE_DIGITS:
        tidy = f"{padded.group(1)}{padded.group(2)}-{int(padded.group(3)):0{SEQUENCE_DIGITS}d}"
    return NumberQuery(None, tidy)
