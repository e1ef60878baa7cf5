"""Proposal numbers: one format for the web form, the bulk import and the demo loader.

A number reads `{region digits}-{plan year}-{channel prefix}-{6-digit sequence}`, e.g.
`3216-2027-MD-000012`: one series per government, plan year and channel. Within one government
and year the numbers sort by channel prefix, then in the order the proposals were entered;
selection ballots break ties by number, so that order is part of the behaviour.

The sequence comes from a counter row per series (`ProposalCounter`), counted on with one UPDATE
that locks the row: a parallel entry of the same series waits for it and then counts on, so
numbers never collide and nobody is refused. A series met for the first time starts after the
highest number already stored under its prefix (the migration seeds every series in use the same
way).

Every entry of a series passes through that lock one at a time, so the form path holds it for one
statement only: `take_number` counts on in its own transaction (autocommit) before the proposal is
stored, and the proposal and its history rows are inserted with their number. When storing then
fails (a double click caught by the form's key, a database error), `give_back` returns the number
if no later one was taken in between; otherwise the series skips it (a gap, never a collision).
The bulk writer reserves a whole range per series and batch (`Numbering`) inside its own
transaction: a rolled-back batch gives its numbers back with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from selaras.domain.channels import spec
from selaras.domain.proposals import Channel
from selaras.web.proposals.models import Proposal, ProposalCounter

__all__ = ["SEQUENCE_DIGITS", "Numbering", "format_number", "give_back", "next_number", "number_prefix",
           "reserve", "take_number"]

SEQUENCE_DIGITS = 6


def number_prefix(region_code: str, year: int, channel: Channel | str) -> str:
    """The part before the sequence, e.g. '3216-2027-MD-'."""
    return f"{region_code.replace('.', '')}-{year}-{spec(channel).prefix}-"


def format_number(prefix: str, sequence: int) -> str:
    return f"{prefix}{sequence:0{SEQUENCE_DIGITS}d}"


def _highest_stored(prefix: str) -> int:
    """The highest sequence stored under `prefix` (0 for a new series)."""
    last = (Proposal.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    tail = last.rsplit("-", 1)[1] if last else ""
    return int(tail) if tail.isdigit() else 0


def reserve(government_id: int, prefix: str, count: int = 1) -> int:
    """Take `count` consecutive sequences of `prefix`'s series; returns the first of them.

    Must run inside the transaction that stores the numbered proposals: the counter row stays
    locked until it commits (numbers taken) or rolls back (numbers given back)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if not connection.in_atomic_block:
        raise RuntimeError("proposal numbers are taken inside the transaction that stores them")
    last = _count_on(prefix, count)
    if last is None:  # a new series
        _create_counter(government_id, prefix)
        last = _count_on(prefix, count)
        if last is None:  # pragma: no cover - the row exists now
            raise RuntimeError(f"no counter for {prefix}")
    return last - count + 1


def _count_on(prefix: str, count: int) -> int | None:
    """last += count on the series' row (locking it); the new last, None when there is no row.
    One statement with RETURNING where the database has it (PostgreSQL, SQLite 3.35+)."""
    if not connection.features.can_return_columns_from_insert:  # pragma: no cover - old SQLite
        counter = ProposalCounter.objects.filter(prefix=prefix)
        if not counter.update(last=F("last") + count):
            return None
        return int(counter.values_list("last", flat=True).get())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(ProposalCounter._meta.db_table)} SET {quote('last')} = {quote('last')} + %s "
                       f"WHERE {quote('prefix')} = %s RETURNING {quote('last')}", [count, prefix])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_number(government: Any, year: int, channel: Channel | str) -> str:
    """The number of one new proposal (inside the transaction that saves it)."""
    prefix = number_prefix(government.region_code, year, channel)
    return format_number(prefix, reserve(government.pk, prefix, 1))


def take_number(government: Any, year: int, channel: Channel | str) -> str:
    """The number of one new proposal, taken before the transaction that stores it: outside any
    transaction the counter statement commits by itself, so the series' row is locked for that one
    statement; inside a caller's transaction (a script, a test) it is counted there."""
    if connection.in_atomic_block:
        return next_number(government, year, channel)
    prefix = number_prefix(government.region_code, year, channel)
    last = _count_on(prefix, 1)
    if last is None:  # a new series
        with transaction.atomic():
            _create_counter(government.pk, prefix)
            last = _count_on(prefix, 1)
        if last is None:  # pragma: no cover - the row exists now
            raise RuntimeError(f"no counter for {prefix}")
    return format_number(prefix, last)


def give_back(number: str) -> bool:
    """Return a number taken by `take_number` whose proposal was not stored, when it is still the
    series' last (nobody counted on since); True when given back."""
    prefix, _, tail = number.rpartition("-")
    if not tail.isdigit():
        return False
    return bool(ProposalCounter.objects.filter(prefix=f"{prefix}-", last=int(tail)).update(last=int(tail) - 1))


def _create_counter(government_id: int, prefix: str) -> None:
    """The counter row of a new series, after the highest number stored under its prefix.
    INSERT ... ON CONFLICT DO NOTHING: when a parallel entry creates the row first, this waits for
    it (PostgreSQL) and then leaves it be."""
    ProposalCounter.objects.bulk_create(
        [ProposalCounter(government_id=government_id, prefix=prefix, last=_highest_stored(prefix))],
        ignore_conflicts=True)


class Numbering:
    """Numbers for many proposals of one government, inside the transaction that writes them
    (the bulk writer's): each call reserves one range per series with one locked UPDATE."""

    def __init__(self, government: Any) -> None:
        self.government_id: int = government.pk
        self.region_code: str = government.region_code

    def take(self, series: Sequence[tuple[int, str]]) -> list[str]:
        """Numbers for proposals of the given (year, channel) each, in that order; within a
        series they count up in the order given."""
        wanted = Counter(series)
        start: dict[tuple[int, str], tuple[str, int]] = {}
        for year, channel in sorted(wanted):  # one lock order for every writer: no deadlock
            prefix = number_prefix(self.region_code, year, channel)
            start[(year, channel)] = (prefix, reserve(self.government_id, prefix, wanted[(year, channel)]))
        numbers = []
        for key in series:
            prefix, sequence = start[key]
            numbers.append(format_number(prefix, sequence))
            start[key] = (prefix, sequence + 1)
        return numbers
