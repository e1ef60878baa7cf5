"""add-opt on the engine by parts, walked in one piece or in pieces on two cores (ees_parts.py).

add-opt visits endowments in rising order and stops at the first whose EES run overspends. The
run at an endowment depends on that endowment alone, and each step goes no further than the
next point where the run can change, so a walk can start anywhere: EES at any endowment s is the
run of every point from the last change before s. So add-opt is cut into walks, each from its
start to its end (`_walk`): this process walks from the starting endowment to `split`, a forked
one runs EES at `split` and walks on. Whichever is done first takes over the second half of what
the other has left (the other's end comes nearer, `_work`), and so on. The outcome is read along
the walks in endowment order, each starting where the one before reached its end, up to the first
that overspent, found no change left or ran out of time (`_chained`); the endowment that reached
it is that walk's last change, or its start if its run there differs from the one before, or
else the one before's (`_joined`). This is the outcome of one walk; only the number of steps may
differ (the points a walk visits below a change depend on where it started).

`split` is where the money is expected to run out, b0 * money / spent(b0) (spending grows about
in proportion to the endowment), times `SPLIT_AT`.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Utility
from selaras.engines.selection.ees_kernel import INF
from selaras.engines.selection.ees_parts import (
    PartsResult,
    _Local,
    _local,
    _Parts,
    _Saved,
    _Unsettled,
    scale_for,
)
from selaras.engines.selection.ledger import Ledger, Support

__all__ = ["ees_by_parts"]

IntArray = npt.NDArray[np.int64]

SPLIT_FROM = 10_000  # candidates from which add-opt walks in two processes (fork costs ~10 ms)
SPLIT_AT = (45, 100)  # of the way from the start to where the money is expected to run out
STEAL_LEAST = (1, 32)  # a walk takes over half of another's rest if that is this much of the first's


@dataclass
class _Walk:
    """A walk of add-opt from `start` (scaled endowment): its last run and how it stopped."""

    start: int
    start_x: IntArray  # the run at `start` (events, local projects) and its payers' weights
    start_w: IntArray
    over_at_start: bool = False
    x: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    w: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    moved_at: int | None = None  # the endowment of the walk's last change of run
    end: int = 0  # the end it stopped at (see _Slot)
    # none, time_limit, no_change, overspend, split (reached its end), abandoned (began after a
    # walk that stopped for good: of no use)
    stop: str = "none"
    steps: list[float] = field(default_factory=list)
    reruns: int = 0
    kept: int = 0
    refused: int = 0


def _start(local: _Local, ledger: Ledger, utility: Utility, scale: int, b: int, add_opt: bool) -> _Parts:
    """EES at scaled endowment b, every part run and settled."""
    parts = _Parts(local, ledger, np.arange(len(local.costs), dtype=np.int64), utility, scale)
    for p in range(parts.n_parts):
        parts.run(p, b, add_opt)
    parts.settle(set(range(parts.n_g)), b, add_opt, {})
    parts.checked()
    return parts


class _End:
    """Where a walk stops: at the endowment `end` or beyond."""

    def __init__(self, end: int) -> None:
        self.end = end

    def reached(self, e_next: int, spent: int) -> bool:
        return e_next >= self.end


class _Slot(_End):
    """The end of a walk in one of the two processes (see `_in_two`): the other process may bring
    it nearer, and a walk that starts at or after a walk that already stopped for good is of no
    use. Under the same lock, the walk says where it is (its next endowment and its spending)."""

    def __init__(self, shared: Any, worker: int, start: int) -> None:
        super().__init__(int(INF))
        self.shared, self.at, self.start = shared, 4 * worker, start
        self.abandoned = False

    def reached(self, e_next: int, spent: int) -> bool:
        sh, at = self.shared, self.at
        with sh.get_lock():
            self.end = int(sh[at])
            self.abandoned = self.start >= sh[_FINAL]
            if e_next >= self.end or self.abandoned:
                return True
            sh[at + 1], sh[at + 2] = e_next, spent
            return False


_FINAL = 8  # in the shared array: the start of the first walk known to have stopped for good
_LEAST = 9  # and the least half of another walk's rest worth taking over (see STEAL_LEAST)
_STOPS = ("overspend", "no_change")


def _walk(parts: _Parts, b: int, money: int, add_opt: bool, deadline: float | None, end: _End) -> _Walk:
    """add-opt from the run at b (settled) until it overspends, no change is left, the deadline
    passes, or `end` is reached."""
    walk = _Walk(b, parts.ev_x, parts.ev_w, over_at_start=int(parts.spent.sum()) > money)
    while add_opt and not walk.over_at_start:
        if deadline is not None and time.perf_counter() > deadline:
            walk.stop = "time_limit"
            break
        e_next = int(parts.e.min()) if parts.n_parts else int(INF)
        if e_next >= INF:
            walk.stop = "no_change"
            break
        if end.reached(e_next, int(parts.spent.sum())):
            walk.stop = "split"
            break
        t0 = time.perf_counter()
        before = parts.ev_x, parts.ev_w
        parts.moved = False
        saved: dict[int, _Saved] = {}
        changed: set[int] = set()
        first = (int(INF), int(INF))  # the earliest purchase changed by the parts run so far
        for p in np.flatnonzero(parts.e == e_next).tolist():
            saved[p] = parts.save(p)
            r0 = min(parts.resume_from(p, e_next), parts.rounds_before(p, first))
            changed |= parts.run(p, e_next, True, r0)
            first = min(first, parts.last_change)
        parts.settle(changed, e_next, True, saved)
        parts.checked()
        walk.steps.append(time.perf_counter() - t0)
        if int(parts.spent.sum()) > money:
            parts.restore(saved)
            walk.stop = "overspend"
            break
        # a change endowment that was only a lower bound leaves the run as it was
        if parts.moved and not _same(before, (parts.ev_x, parts.ev_w)):
            walk.moved_at = e_next
    walk.x, walk.w = parts.ev_x, parts.ev_w
    walk.reruns, walk.kept, walk.refused = parts.reruns, parts.kept, parts.refused
    return walk


def _same(a: tuple[IntArray, IntArray], b: tuple[IntArray, IntArray]) -> bool:
    return bool(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]))


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _ahead(b: int, spent: int, money: int, share: tuple[int, int]) -> int | None:
    """The endowment `share` of the way from b to where the money is expected to run out
    (spending grows about in proportion to the endowment); None if that is not beyond b."""
    if spent <= 0 or spent > money:
        return None
    point = b + (b * money // spent - b) * share[0] // share[1]
    return point if point > b else None


def _work(
    worker: int, parts: _Parts, start: int, shared: Any, report: Callable[[_Walk], None], local: _Local,
    ledger: Ledger, utility: Utility, scale: int, money: int, deadline: float | None,
) -> None:
    """Walks from `start` to the end in `shared`; then, while the other process has a walk that
    is still of use, takes the second half of what that walk has left and walks it."""
    sh, me, other = shared, 4 * worker, 4 * (1 - worker)
    while True:
        slot = _Slot(sh, worker, start)
        walk = _walk(parts, start, money, True, deadline, slot)
        walk.end = slot.end
        if slot.abandoned and walk.stop == "split":
            walk.stop = "abandoned"
        report(walk)
        with sh.get_lock():
            if walk.over_at_start or walk.stop in _STOPS:  # a property of EES there (not the time)
                sh[_FINAL] = min(int(sh[_FINAL]), start)
            at = None
            # the other walks and has said where it is; the money did not run out where this began
            if sh[other + 3] and sh[other + 2] > 0 and not walk.over_at_start and walk.stop != "time_limit":
                # half of what the other has left, and no less than _LEAST (near the end the
                # money left says little: the last steps spend little); a walk that begins past
                # where the money runs out overspends at once, and the other goes on
                pos = int(sh[other + 1])
                at = max(_ahead(pos, int(sh[other + 2]), money, (1, 2)) or pos, pos + int(sh[_LEAST]))
            if at is None or at >= sh[_FINAL] or at >= sh[other]:
                sh[me + 3] = 0
                return
            sh[me], sh[other] = sh[other], at
            sh[me + 1], sh[me + 2] = at, 0
        start = at
        parts = _start(local, ledger, utility, scale, start, True)


def _child(
    conn: Connection, shared: Any, local: _Local, ledger: Ledger, utility: Utility, scale: int, split: int,
    money: int, deadline: float | None,
) -> None:
    """The second process: EES at `split`, add-opt from there, then what it takes over."""
    try:
        parts = _start(local, ledger, utility, scale, split, True)
        walks: list[_Walk] = []
        _work(1, parts, split, shared, walks.append, local, ledger, utility, scale, money, deadline)
        for walk in walks:  # at the end: a send blocks until the first process reads
            conn.send(walk)
        conn.send("done")
    except BaseException as exc:  # noqa: BLE001 - the first process then walks alone
        conn.send(repr(exc))
    finally:
        conn.close()


def _in_two(
    parts: _Parts, local: _Local, ledger: Ledger, utility: Utility, scale: int, b0: int, money: int,
    deadline: float | None, split: int,
) -> list[_Walk]:
    """The walks that make up add-opt from b0, in endowment order. This process walks from b0 to
    `split`, a forked one from `split` on; whichever is done first takes the second half of what
    the other has left (the other now stops there), and so on. None of a failed second process's
    walks is used: this process then walks from b0 alone."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    # per process: its walk's end, where it is, its spending, whether it walks; then _FINAL, _LEAST
    least = max((split - b0) * STEAL_LEAST[0] // STEAL_LEAST[1], 1)
    shared = ctx.Array("q", [split, b0, 0, 1, int(INF), split, 0, 1, int(INF), least])
    child = ctx.Process(
        target=_child, args=(send, shared, local, ledger, utility, scale, split, money, deadline), daemon=True
    )
    try:
        child.start()
    except OSError:
        return [_walk(parts, b0, money, True, deadline, _End(int(INF)))]
    finally:
        send.close()
    walks: list[_Walk] = []
    failed = False
    try:
        _work(0, parts, b0, shared, walks.append, local, ledger, utility, scale, money, deadline)
        while True:
            got = _receive(recv)
            if not isinstance(got, _Walk):
                failed = got != "done"
                break
            walks.append(got)
    finally:
        recv.close()
        if child.is_alive():
            child.terminate()
        child.join()
    chain = None if failed else _chained(walks, b0)
    if chain is None:
        return [_walk(_start(local, ledger, utility, scale, b0, True), b0, money, True, deadline, _End(int(INF)))]
    return chain


def _chained(walks: list[_Walk], b0: int) -> list[_Walk] | None:
    """The walks from b0 on, each starting where the one before reached its end, up to the first
    that stopped for good (or whose successor overspends at its start); None if one is missing."""
    by_start = {walk.start: walk for walk in walks}
    chain = []
    walk = by_start.get(b0)
    while walk is not None and walk.stop != "abandoned":  # (never: it began after the outcome)
        chain.append(walk)
        if walk.stop != "split":
            return chain
        nxt = by_start.get(walk.end)
        if nxt is not None and nxt.over_at_start:  # the next change is there, and overspends
            walk.stop = "overspend"
            return chain
        walk = nxt
    return None


def _receive(conn: Connection) -> _Walk | str:
    try:
        got = conn.recv()
    except (EOFError, OSError) as exc:  # the second process died
        return repr(exc)
    return got if isinstance(got, _Walk) else str(got)


def ees_by_parts(
    support: Support, ledger: Ledger, cand: IntArray, utility: Utility, add_opt: bool,
    max_seconds: float | None, cores: int | None = None,
) -> PartsResult | None:
    """EES (with add-opt if asked) on the money left in `ledger`; None where this engine does not
    apply (the caller runs the general one). `cand`: the projects in the running (supported,
    fitting under their ceilings now). add-opt walks in two processes where there are two cores
    (`cores`, default: those this process may use) and at least `SPLIT_FROM` candidates."""
    money = ledger.remaining
    total_w = support.total_weight
    scale = scale_for(support, cand, money)
    if scale is None or total_w == 0:
        return None
    started = time.perf_counter()
    deadline = None if max_seconds is None else started + max_seconds
    local, orig = _local(support, cand, scale)
    b0 = scale * money // total_w
    try:
        parts = _start(local, ledger, utility, scale, b0, add_opt)
        split = _ahead(b0, int(parts.spent.sum()), money, SPLIT_AT) if add_opt and len(cand) >= SPLIT_FROM else None
        # a daemonic process (a multiprocessing pool's worker) may not start one
        alone = multiprocessing.current_process().daemon
        if split is not None and not alone and (cores if cores is not None else _cores()) >= 2:
            walks = _in_two(parts, local, ledger, utility, scale, b0, money, deadline, split)
        else:
            walks = [_walk(parts, b0, money, add_opt, deadline, _End(int(INF)))]
    except _Unsettled:
        return None
    return _joined(walks, orig, Fraction(money, total_w), scale, parts.n_parts)


def _joined(walks: list[_Walk], orig: IntArray, base: Fraction, scale: int, n_parts: int) -> PartsResult:
    """The outcome of the last of the walks (in endowment order, see `_chained`): the endowment
    that reached its run is the last change of run along them, a walk's start counting as one
    where its run there differs from the run the walk before it left."""
    endowment = base
    prev: _Walk | None = None
    for walk in walks:
        if prev is not None and not _same((prev.x, prev.w), (walk.start_x, walk.start_w)):
            endowment = Fraction(walk.start, scale)
        if walk.moved_at is not None:
            endowment = Fraction(walk.moved_at, scale)
        prev = walk
    last = walks[-1]
    result = PartsResult(list(zip(orig[last.x].tolist(), last.w.tolist(), strict=True)), endowment, n_parts)
    result.stop, result.walks = last.stop, len(walks)
    for walk in walks:
        result.steps += walk.steps
        result.reruns += walk.reruns
        result.kept += walk.kept
        result.refused += walk.refused
    return result
