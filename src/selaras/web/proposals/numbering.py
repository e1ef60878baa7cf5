"""Proposal numbers: one format for the web form, the bulk import and the demo loader.

A number reads `{region digits}-{plan year}-{channel prefix}-{6-digit sequence}`, e.g.
`3216-2027-MD-000012`: one series per government, plan year and channel. Within one government
and year the numbers sort by channel prefix, then in the order the proposals were entered;
selection ballots break ties by number, so that order is part of the behaviour.

The sequence comes from a counter row per series (`ProposalCounter`), taken with one UPDATE
inside the transaction that stores the proposal. The UPDATE locks the row until that
transaction ends: a parallel entry of the same series waits for it and then counts on, so
numbers never collide and nobody is refused; a rolled-back entry gives its number back, so the
series has no gaps. A series met for the first time starts after the highest number already
stored under its prefix (the migration seeds every series in use the same way).

Every entry of a series passes through that lock one at a time, so the form path holds it as
briefly as it can: the proposal, its decision and its history rows are written under a
provisional number (`provisional_number`, never seen outside the transaction), and
`assign_number` takes the real one as the last writes before the commit. The bulk writer
reserves a whole range per series and batch (`Numbering`) and holds the lock for its transaction.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import F

from selaras.domain.channels import spec
from selaras.domain.proposals import Channel
from selaras.web.proposals.models import Proposal, ProposalCounter

__all__ = ["SEQUENCE_DIGITS", "Numbering", "assign_number", "format_number", "next_number", "number_prefix",
           "provisional_number", "reserve"]

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


def provisional_number() -> str:
    """A unique stand-in for a proposal saved before `assign_number` gives it its number, in the
    same transaction (so no one else ever sees it). Starts with "~": no real number does."""
    return "~" + uuid.uuid4().hex[:31]


def assign_number(proposal: Proposal, government: Any, year: int, channel: Channel | str) -> str:
    """Give `proposal`, saved in this transaction under a provisional number, its real number, on
    the row and on the change-history rows written so far. These are the transaction's last
    writes: the series' counter stays locked from here to the commit only."""
    provisional = proposal.number
    if not provisional.startswith("~"):
        raise ValueError("the proposal already has its number")
    if not connection.in_atomic_block:
        raise RuntimeError("proposal numbers are taken inside the transaction that stores them")
    prefix = number_prefix(government.region_code, year, channel)
    if connection.vendor == "postgresql":
        # One statement (counter, proposal, history): the lock is held for it and the COMMIT only.
        number = _assign_in_one_statement(proposal.pk, prefix, provisional)
        if number is None:  # a new series: create its counter, then again
            _create_counter(government.pk, prefix)
            number = _assign_in_one_statement(proposal.pk, prefix, provisional)
        if number is None:  # pragma: no cover - the row exists now
            raise RuntimeError(f"no counter for {prefix}")
    else:
        number = format_number(prefix, reserve(government.pk, prefix, 1))
        Proposal.objects.filter(pk=proposal.pk).update(number=number)
        Proposal.history.filter(id=proposal.pk, number=provisional).update(number=number)
    proposal.number = number
    return number


def _assign_in_one_statement(proposal_id: int, prefix: str, provisional: str) -> str | None:
    """PostgreSQL: count the series on, number the proposal and its history rows, in one statement
    (data-modifying CTEs); the number, or None when the series has no counter row yet."""
    quote = connection.ops.quote_name
    counter, proposals = quote(ProposalCounter._meta.db_table), quote(Proposal._meta.db_table)
    history = quote(Proposal.history.model._meta.db_table)
    sql = (
        f'WITH c AS (UPDATE {counter} SET "last" = "last" + 1 WHERE prefix = %(prefix)s RETURNING "last" AS seq), '
        f"n AS (SELECT %(prefix)s || lpad(c.seq::text, greatest({SEQUENCE_DIGITS}, length(c.seq::text)), '0') "
        f"AS number FROM c), "
        f"p AS (UPDATE {proposals} SET number = n.number FROM n WHERE {proposals}.id = %(id)s "
        f"RETURNING {proposals}.number), "
        f"h AS (UPDATE {history} SET number = p.number FROM p "
        f"WHERE {history}.id = %(id)s AND {history}.number = %(provisional)s RETURNING 1) "
        f"SELECT p.number, (SELECT count(*) FROM h) FROM p")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"prefix": prefix, "id": proposal_id, "provisional": provisional})
        row = cursor.fetchone()
    return None if row is None else str(row[0])


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
