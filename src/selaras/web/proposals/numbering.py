"""Proposal numbers: one format for the web form, the bulk import and the demo loader.

A number reads `{region digits}-{plan year}-{channel prefix}-{6-digit sequence}`, e.g.
`3216-2027-MD-000012`: one series per government, plan year and channel, counted on from the
highest number already stored, never reused. Within one government and year the numbers sort by
channel prefix, then in the order the proposals were entered; selection ballots break ties by
number, so that order is part of the behaviour.
"""

from __future__ import annotations

from typing import Any

from selaras.domain.proposals import Channel
from selaras.web.proposals.models import Proposal

__all__ = ["SEQUENCE_DIGITS", "Numbering", "format_number", "next_number", "number_prefix"]

SEQUENCE_DIGITS = 6


def number_prefix(region_code: str, year: int, channel: Channel | str) -> str:
    """The part before the sequence, e.g. '3216-2027-MD-'."""
    from selaras.web.proposals.services import CHANNEL_PREFIX  # services imports this module

    return f"{region_code.replace('.', '')}-{year}-{CHANNEL_PREFIX[Channel(channel)]}-"


def format_number(prefix: str, sequence: int) -> str:
    return f"{prefix}{sequence:0{SEQUENCE_DIGITS}d}"


def _next_sequence(prefix: str) -> int:
    """One past the highest sequence stored under `prefix` (1 for a new series)."""
    last = (Proposal.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    tail = last.rsplit("-", 1)[1] if last else ""
    return int(tail) + 1 if tail.isdigit() else 1


def next_number(government: Any, year: int, channel: Channel | str) -> str:
    """A new proposal number for one proposal (unique; callers retry on a clash)."""
    prefix = number_prefix(government.region_code, year, channel)
    return format_number(prefix, _next_sequence(prefix))


class Numbering:
    """Numbers for many proposals of one government in one transaction: each series is read from
    the database once, then counted on in memory (the bulk writer holds the transaction)."""

    def __init__(self, region_code: str) -> None:
        self.region_code = region_code
        self._series: dict[tuple[int, str], tuple[str, int]] = {}  # (year, channel) -> (prefix, next)

    def take(self, year: int, channel: str) -> str:
        """The next number of the (year, channel) series."""
        key = (year, channel)
        series = self._series.get(key)
        if series is None:
            prefix = number_prefix(self.region_code, year, channel)
            series = (prefix, _next_sequence(prefix))
        prefix, sequence = series
        self._series[key] = (prefix, sequence + 1)
        return format_number(prefix, sequence)
