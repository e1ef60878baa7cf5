"""The one way to write proposals and decisions by the thousand: the bulk import and the demo loader.

It writes what the service path (`services.create_proposal`, `services.decide`) writes, only in
batches: the proposal row with its number from `numbering` and its creator, one change-history
row per proposal (django-simple-history, type "+", attributed to the acting user with a reason),
and decisions that carry the actor and the actor's role. Decisions are only ever inserted.

Rows go through `executemany` on plain INSERTs: building 160,000 model instances costs several
times more than the database work. So values must already be what the database takes (str, int,
Decimal, None, ids for foreign keys); datetimes are adapted here, each distinct one once.
Callers hold the transaction: the number series' counters stay locked until it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

from selaras.web.columns import column_names
from selaras.web.http import AnyUser
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.proposals.numbering import Numbering

__all__ = ["CHUNK", "BulkWriter", "EntryDecision", "Report", "sqlite_cache"]

CHUNK = 5_000
HISTORY_CREATED = "+"

Report = Callable[[int, int], None]
"""report(done, total)."""


@contextmanager
def sqlite_cache(kib: int) -> Iterator[None]:
    """A larger SQLite page cache for a big write (2 MB by default; 160,000 rows into a dozen
    indexes spill pages mid-way otherwise). Nothing happens on other databases, or for `kib` 0."""
    if connection.vendor != "sqlite" or kib <= 0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


class _Table:
    """An INSERT into `model` of the given columns followed by the `fixed` ones (same for every row)."""

    def __init__(self, model: type[models.Model], given: Sequence[str], fixed: dict[str, Any]) -> None:
        names = [*given, *fixed]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in column_names(model, names))
        self.sql = (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                    f"VALUES ({', '.join(['%s'] * len(names))})")
        self.fixed = tuple(fixed.values())

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)


def _datetimes(model: type[models.Model], fields: Sequence[str]) -> list[int]:
    """Positions of the datetime fields among `fields`."""
    return [i for i, name in enumerate(fields) if model._meta.get_field(name).get_internal_type() == "DateTimeField"]


def _defaults(model: type[models.Model], given: Sequence[str], filled: dict[str, Any]) -> dict[str, Any]:
    """Values of the concrete fields nobody gave: this writer's, else the model default (so that
    fields added later by other areas need no change here)."""
    out = {}
    for field in model._meta.local_concrete_fields:
        if field.primary_key or field.name in given:
            continue
        out[field.name] = filled[field.name] if field.name in filled else field.get_default()
    return out


def _ranges(numbers: list[str]) -> list[tuple[str, str]]:
    """(first, last) number of each series among `numbers`, which count up within a series. Between
    two numbers of one series lie only numbers of that series (they share the prefix), and a writer
    holding the series wrote all of them: so each range selects exactly the rows just written, on
    the unique number index."""
    series: dict[str, tuple[str, str]] = {}
    for number in numbers:
        prefix = number.rsplit("-", 1)[0]
        first = series.get(prefix, (number, number))[0]
        series[prefix] = (first, number)
    return list(series.values())


def _ids(ranges: list[tuple[str, str]]) -> dict[str, int]:
    """Ids of the proposals just written. (A filter on the government would make SQLite scan.)"""
    found: dict[str, int] = {}
    for first, last in ranges:
        found.update(Proposal.objects.filter(number__gte=first, number__lte=last).values_list("number", "id"))
    return found


class _FromProposals:
    """Rows derived one per proposal just written, made inside the database (INSERT ... SELECT over
    the number ranges): binding thirty values per row again in Python would cost as much as the
    proposal insert itself. `copied` maps target columns to proposal fields; `stamp` gives the
    same value to every row."""

    def __init__(self, model: type[models.Model], copied: dict[str, str], stamp: dict[str, Any]) -> None:
        quote = connection.ops.quote_name
        targets = [quote(column) for column in column_names(model, [*copied, *stamp])]
        picked = [quote(column) for column in column_names(Proposal, copied.values())]
        number, pk = (quote(column) for column in column_names(Proposal, ["number", "id"]))
        self.sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(targets)}) "
                    f"SELECT {', '.join([*picked, *(['%s'] * len(stamp))])} FROM {quote(Proposal._meta.db_table)} "
                    f"WHERE {number} BETWEEN %s AND %s ORDER BY {pk}")
        self.stamp = tuple(stamp.values())

    def copy(self, ranges: list[tuple[str, str]]) -> None:
        with connection.cursor() as cursor:
            for first, last in ranges:
                cursor.execute(self.sql, (*self.stamp, first, last))


@dataclass(frozen=True)
class EntryDecision:
    """The decision every proposal written gets on entry, as `services.create_proposal` records it
    (stage, outcome "submitted", reason), by the writer's actor."""

    stage: str
    outcome: str
    reason: str


class BulkWriter:
    """Writes proposals of one government, their history rows and decisions, in batches.

    `actor` is the acting user (None for a system load: the CLI without --user, the demo loader);
    `actor_role` is what decisions record when a row does not give its own; `history_reason` is
    the change-history reason of every proposal written.
    """

    def __init__(self, government: Any, *, actor: AnyUser | None = None, actor_role: str, history_reason: str,
                 now: Any = None) -> None:
        self.government = government
        self.actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
        self.actor_role = actor_role
        self.history_reason = history_reason[:100]
        self.now = now or timezone.now()
        self.numbering = Numbering(government)
        self.first_number = self.last_number = ""  # of the proposals written so far
        self._adapt = lru_cache(maxsize=None)(connection.ops.adapt_datetimefield_value)

    def _adapted(self, positions: list[int], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """`rows` with the datetimes at `positions` adapted for the database."""
        if not positions:
            return rows
        out = []
        for row in rows:
            values = list(row)
            for i in positions:
                values[i] = self._adapt(values[i])
            out.append(tuple(values))
        return out

    def add_proposals(self, rows: Iterable[tuple[Any, ...]], fields: Sequence[str], *,
                      entry_decision: EntryDecision | None = None, report: Report | None = None,
                      total: int = 0) -> list[int]:
        """Insert proposals given as tuples of `fields` (which must name `year` and `channel`);
        number them, write their history and, with `entry_decision`, each one's entry decision.
        Returns the new ids in the order of `rows`."""
        year_at, channel_at = fields.index("year"), fields.index("channel")
        fixed = _defaults(Proposal, ["government", "number", *fields], {
            "created_by": self.actor_id, "created_at": self.now,
            "region_edition": self.government.region_edition})
        fixed = {k: self._adapt(v) if k == "created_at" else v for k, v in fixed.items()}
        table = _Table(Proposal, ["government", "number", *fields], fixed)
        every_field = {f.name: f.name for f in Proposal._meta.local_concrete_fields}
        history = _FromProposals(Proposal.history.model, every_field, {
            "history_date": self._adapt(self.now), "history_change_reason": self.history_reason,
            "history_type": HISTORY_CREATED, "history_user": self.actor_id})
        entry = None if entry_decision is None else _FromProposals(Decision, {"proposal": "id"}, _defaults(
            Decision, ["proposal"], {"stage": entry_decision.stage, "outcome": entry_decision.outcome,
                                     "reason": entry_decision.reason, "actor": self.actor_id,
                                     "actor_role": self.actor_role, "created_at": self._adapt(self.now)}))
        dated = _datetimes(Proposal, fields)
        gov_id, take = self.government.pk, self.numbering.take
        ids: list[int] = []
        iterator = iter(rows)
        while batch := list(islice(iterator, CHUNK)):
            numbers = take([(row[year_at], row[channel_at]) for row in batch])
            batch = self._adapted(dated, batch)
            values = [(gov_id, number, *row, *table.fixed) for number, row in zip(numbers, batch, strict=True)]
            table.insert(values)
            ranges = _ranges(numbers)
            history.copy(ranges)
            if entry is not None:
                entry.copy(ranges)
            pk_of = _ids(ranges)
            ids.extend(pk_of[number] for number in numbers)
            self.first_number = self.first_number or numbers[0]
            self.last_number = numbers[-1]
            if report is not None:
                report(len(ids), total or len(ids))
        return ids

    def add_decisions(self, rows: Iterable[tuple[Any, ...]], fields: Sequence[str],
                      report: Report | None = None, total: int = 0) -> int:
        """Insert decisions given as tuples of `fields` (which must name `proposal`, an id).
        The actor, the actor's role (unless given), the time (unless given) come from the writer."""
        fixed = _defaults(Decision, fields, {"actor": self.actor_id, "actor_role": self.actor_role,
                                             "created_at": self._adapt(self.now)})
        table = _Table(Decision, fields, fixed)
        dated = _datetimes(Decision, fields)
        done = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, CHUNK)):
            batch = self._adapted(dated, batch)
            table.insert([(*row, *table.fixed) for row in batch])
            done += len(batch)
            if report is not None:
                report(done, total or done)
        return done
