"""Proposal numbers hold under concurrency: many operators entering at once all succeed, each with
their own number, and the series has no gaps (`numbering`: a counter row locked per series).

The threads go through the real service (`services.create_proposal`) as real users, each on its
own database connection. On PostgreSQL they truly run in parallel; on SQLite writes serialize
(WAL, immediate transactions and the busy timeout of the settings), so a smaller crowd suffices.
"""

from __future__ import annotations

import contextlib
import importlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, connections, transaction

from selaras.web.accounts.models import Membership
from selaras.web.proposals import services
from selaras.web.proposals.bulk import BulkWriter
from selaras.web.proposals.models import Decision, Proposal, ProposalCounter
from selaras.web.proposals.numbering import Numbering, next_number, number_prefix
from tests.browser.proposal_world import ROAD, VILLAGE, World, build_world

CHANNEL = "musrenbang_village"
POSTGRES = connection.vendor == "postgresql"


def _operators(world: World, n: int) -> list[User]:
    """`n` village operators of the same village: all of them number in one series."""
    users = []
    for i in range(n):
        user = User.objects.create(username=f"operator{i:03d}", first_name=f"Operator {i}",
                                   password=world.desa.password)
        Membership.objects.create(user=user, government=world.gov, role="village_operator", region_code=VILLAGE)
        users.append(user)
    return users


@contextlib.contextmanager
def _shared_database(tmp_path: Path) -> Iterator[None]:
    """What the test has written, where parallel threads can write as the server's would.

    PostgreSQL: the test database as it is. SQLite: the test database lives in memory in shared-cache
    mode, where a second writer fails at once ("database table is locked") instead of waiting;
    the product runs on a file (WAL, immediate transactions, busy timeout). So it is copied to a
    file, and connections opened inside this block (the threads') use that file with the
    product's settings. Check what they wrote inside the block, from a thread (`_in_thread`).
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "selaras.sqlite3"
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # The product's file is in WAL mode from its first connection on; the copy is not. Left to
        # the threads, each connection's init_command would race to convert it (an exclusive lock
        # that does not wait like a writer does: 'database is locked' in one CI run).
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
    settings = connections.settings["default"]  # shared by every connection of this alias
    in_memory = settings["NAME"]
    settings["NAME"] = str(path)
    try:
        yield
    finally:
        settings["NAME"] = in_memory


def _in_thread(act: Callable[[], Any]) -> Any:
    """act() on a connection of its own (inside `_shared_database`: the file)."""
    return _in_parallel([None], lambda _user, _i: act())[0][0]


def _in_parallel(users: list[Any], act: Callable[[Any, int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run act(user, i) in one thread per user, all released at once; (results, errors)."""
    start = threading.Barrier(len(users))
    results: list[Any] = [None] * len(users)
    errors: list[BaseException] = []

    def run(i: int, user: User) -> None:
        try:
            start.wait(timeout=30)
            results[i] = act(user, i)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i, user)) for i, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def _enter(world: World) -> Callable[[User, int], str]:
    def enter(user: User, i: int) -> str:
        # A fresh instance per thread: the membership is cached on the user object.
        operator = User.objects.select_related("membership").get(pk=user.pk)
        proposal = services.create_proposal(
            operator, government=world.gov, year=world.year, channel=CHANNEL, title=f"Rehabilitasi jalan {i}",
            village_code=VILLAGE, volume="100", unit="meter", estimated_cost=100_000_000 + i,
            agency=world.pupr, sub_activity_code=ROAD)
        return proposal.number
    return enter


def _check_crowd(n: int, tmp_path: Path) -> None:
    world = build_world()
    users = _operators(world, n)
    prefix = number_prefix(world.gov.region_code, world.year, CHANNEL)
    with _shared_database(tmp_path):
        numbers, errors = _in_parallel(users, _enter(world))
        assert errors == []
        assert sorted(numbers) == [f"{prefix}{i:06d}" for i in range(1, n + 1)]  # distinct, no gap

        def stored() -> tuple[Any, ...]:
            rows = Proposal.objects.filter(government=world.gov)
            return (sorted(rows.values_list("number", flat=True)),
                    Decision.objects.filter(proposal__government=world.gov).count(),
                    set(rows.values_list("created_by__username", flat=True)),
                    ProposalCounter.objects.get(prefix=prefix).last,
                    # the change history carries the same numbers
                    set(Proposal.history.filter(government=world.gov).values_list("number", flat=True)))

        assert _in_thread(stored) == (sorted(numbers), n, {u.username for u in users}, n, set(numbers))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not POSTGRES, reason="truly parallel writers need PostgreSQL (SQLite runs the small crowd)")
def test_a_crowd_of_operators_on_postgresql_all_succeed_with_distinct_gap_free_numbers(tmp_path):
    _check_crowd(24, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_a_small_crowd_succeeds_on_any_database(tmp_path):
    """On SQLite the writers queue for the write lock (busy timeout) instead of failing."""
    _check_crowd(8, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_an_import_and_form_entries_at_once_share_one_series(tmp_path):
    """A bulk write (import) reserves a range in one locked update; form entries made meanwhile
    wait for it and count on after it: no clash, no gap."""
    world = build_world()
    users = _operators(world, 4)
    bulk_rows = 50
    fields = ["year", "channel", "stage", "status", "title", "village_code", "district_code", "volume", "unit",
              "estimated_cost", "proposer_name", "agency"]

    def act(user: User, i: int) -> Any:
        if i > 0:
            return _enter(world)(user, i)
        with transaction.atomic():
            writer = BulkWriter(world.gov, actor=user, actor_role="Operator Desa/Kelurahan",
                                history_reason="impor uji")
            rows = [(world.year, CHANNEL, "district_forum", "in_review", f"Impor {k}", VILLAGE, "32.16.05",
                     "10", "meter", 1_000_000, "Operator", world.pupr.pk) for k in range(bulk_rows)]
            return writer.add_proposals(rows, fields)

    with _shared_database(tmp_path):
        results, errors = _in_parallel(users, act)
        assert errors == []
        numbers, imported = _in_thread(lambda: (
            sorted(Proposal.objects.filter(government=world.gov).values_list("number", flat=True)),
            list(Proposal.objects.filter(pk__in=results[0]).order_by("id").values_list("number", flat=True))))
    prefix = number_prefix(world.gov.region_code, world.year, CHANNEL)
    total = bulk_rows + len(users) - 1
    assert numbers == [f"{prefix}{i:06d}" for i in range(1, total + 1)]
    sequences = [int(n.rsplit("-", 1)[1]) for n in imported]
    assert sequences == list(range(sequences[0], sequences[0] + bulk_rows))  # one contiguous range


@pytest.mark.django_db
def test_a_rolled_back_entry_gives_its_number_back():
    world = build_world()
    prefix = number_prefix(world.gov.region_code, world.year, CHANNEL)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(world.gov, world.year, CHANNEL) == f"{prefix}000001"
        raise RuntimeError("entry abandoned")
    with transaction.atomic():
        assert next_number(world.gov, world.year, CHANNEL) == f"{prefix}000001"


@pytest.mark.django_db
def test_a_new_series_continues_after_the_numbers_already_stored():
    """Numbers stored before the counter existed (an older database, a fixture) are never reused."""
    world = build_world()
    prefix = number_prefix(world.gov.region_code, world.year, CHANNEL)
    Proposal.objects.create(government=world.gov, year=world.year, number=f"{prefix}000041", channel=CHANNEL,
                            stage="district_forum", title="Lama", volume="1", unit="meter", estimated_cost=1,
                            proposer_name="Lama")
    with transaction.atomic():
        assert Numbering(world.gov).take([(world.year, CHANNEL)] * 3) == [
            f"{prefix}{i:06d}" for i in (42, 43, 44)]
    assert ProposalCounter.objects.get(prefix=prefix).last == 44


@pytest.mark.django_db
def test_the_migration_seeds_each_series_at_its_highest_stored_number():
    world = build_world()
    first = services.create_proposal(
        world.desa, government=world.gov, year=world.year, channel=CHANNEL, title="Jalan", village_code=VILLAGE,
        volume="1", unit="meter", estimated_cost=1_000_000, agency=world.pupr, sub_activity_code=ROAD)
    prefix = first.number[: -6]
    Proposal.objects.create(government=world.gov, year=world.year, number=f"{prefix}000007", channel=CHANNEL,
                            stage="district_forum", title="Lama", volume="1", unit="meter", estimated_cost=1,
                            proposer_name="Lama")
    ProposalCounter.objects.all().delete()
    migration = importlib.import_module("selaras.web.proposals.migrations.0004_proposal_counter")
    migration.seed_counters(apps, type("Editor", (), {"connection": connection})())
    counter = ProposalCounter.objects.get()
    assert (counter.prefix, counter.last, counter.government_id) == (prefix, 7, world.gov.pk)


@pytest.mark.django_db
def test_replacing_a_government_starts_its_series_anew():
    """The counter goes with its government (a demo district replaced gets the same numbers)."""
    world = build_world()
    with transaction.atomic():
        next_number(world.gov, world.year, CHANNEL)
    assert ProposalCounter.objects.filter(government=world.gov).count() == 1
    world.gov.delete()
    assert not ProposalCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_several_times_at_once_stores_one_proposal(tmp_path):
    """A double click (or a resend on a slow line) posts one form's key several times at once: every
    sending answers with the same proposal, one row and one decision are stored, no error."""
    world = build_world()
    operator = _operators(world, 1)[0]
    key = "a" * 32

    def enter(user: User, i: int) -> tuple[str, bool]:
        fresh = User.objects.select_related("membership").get(pk=user.pk)
        proposal = services.create_proposal(
            fresh, government=world.gov, year=world.year, channel=CHANNEL, title="Rehabilitasi jalan dusun",
            village_code=VILLAGE, volume="100", unit="meter", estimated_cost=100_000_000, agency=world.pupr,
            sub_activity_code=ROAD, entry_key=key)
        return proposal.number, bool(getattr(proposal, "entry_repeated", False))

    with _shared_database(tmp_path):
        results, errors = _in_parallel([operator] * 4, enter)
        assert errors == []
        assert len({number for number, _ in results}) == 1
        assert sorted(repeated for _, repeated in results) == [False, True, True, True]
        assert _in_thread(lambda: (Proposal.objects.filter(government=world.gov).count(),
                                   Decision.objects.filter(proposal__government=world.gov).count())) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_resent_form_gives_its_number_back_so_the_series_has_no_gap():
    """The number is taken before the proposal is stored; a form sent again (stored nothing) gives
    it back, so the next entry gets the next number."""
    world = build_world()
    operator = _operators(world, 1)[0]
    prefix = number_prefix(world.gov.region_code, world.year, CHANNEL)

    def enter(key: str) -> Proposal:
        return services.create_proposal(
            operator, government=world.gov, year=world.year, channel=CHANNEL, title="Rehabilitasi jalan dusun",
            village_code=VILLAGE, volume="100", unit="meter", estimated_cost=100_000_000, agency=world.pupr,
            sub_activity_code=ROAD, entry_key=key)

    first, again = enter("b" * 32), enter("b" * 32)
    assert again.pk == first.pk and getattr(again, "entry_repeated", False)
    assert ProposalCounter.objects.get(prefix=prefix).last == 1
    assert enter("c" * 32).number == f"{prefix}000002"
