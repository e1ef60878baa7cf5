"""add-opt on the engine by parts, walked in one piece or in two at once (ees_parts.py).

add-opt visits endowments in rising order and stops at the first whose EES run overspends. The
run at an endowment depends on that endowment alone, and each step goes no further than the
next point where the run can change, so the walk can start anywhere: EES at any endowment s is
the run of every point from the last change before s. The walk is therefore cut in two at a
point `split`: this process walks from the starting endowment up to `split`, a second process
(forked, on the second core) runs EES at `split` and walks on from there. If the first walk stops
before `split` (an overspend, no change left, the time limit), that is the outcome and the second
is stopped; otherwise the second's outcome is, and the endowment that reached it is the second's
last change, or `split` if its run at `split` differs from the first's last run, or else the
first's. Both halves give the same outcome as one walk; only the number of steps may differ
(the points a walk visits below a change depend on where it started).

`split` is where the money is expected to run out, b0 * money / spent(b0) (spending grows about
in proportion to the endowment), times `SPLIT_AT`: measured on the synthetic district, the time
a step takes does not depend much on where it is.
"""

from __future__ import annotations

import multiprocessing
import os
import time
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
    stop: str = "none"  # none, time_limit, no_change, overspend, split (reached the given end)
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


class _SharedEnd(_End):
    """The second walk's end, which the first process may bring nearer (see `_in_two`): under the
    same lock, the walk says where it is (its next endowment and its spending now)."""

    def __init__(self, shared: Any) -> None:
        super().__init__(int(INF))
        self.shared = shared  # end, next endowment, spending

    def reached(self, e_next: int, spent: int) -> bool:
        with self.shared.get_lock():
            if e_next >= self.shared[0]:
                return True
            self.shared[1], self.shared[2] = e_next, spent
            return False


class _Watch(_End):
    """The third walk's end: none, unless the second walk ends before the third's start (then the
    outcome is the second's and the third is of no use)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(int(INF))
        self.conn = conn
        self.second: _Walk | str | None = None

    def reached(self, e_next: int, spent: int) -> bool:
        if self.second is None and self.conn.poll():
            self.second = _receive(self.conn)
        return self.second is not None and not (isinstance(self.second, _Walk) and self.second.stop == "split")


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
    """The endowment `share` of the way from b to where the money is expected to run out (spending
    grows about in proportion to the endowment); None if that is not beyond b."""
    if spent <= 0 or spent > money:
        return None
    point = b + (b * money // spent - b) * share[0] // share[1]
    return point if point > b else None


def _second(
    conn: Connection, shared: Any, local: _Local, ledger: Ledger, utility: Utility, scale: int, split: int,
    money: int, deadline: float | None,
) -> None:
    """The second walk, in a forked process: EES at `split`, then add-opt on from there."""
    try:
        parts = _start(local, ledger, utility, scale, split, True)
        conn.send(_walk(parts, split, money, True, deadline, _SharedEnd(shared)))
    except BaseException as exc:  # noqa: BLE001 - the first walk then goes on alone
        conn.send(repr(exc))
    finally:
        conn.close()


def _receive(conn: Connection) -> _Walk | str:
    try:
        got = conn.recv()
    except (EOFError, OSError) as exc:  # the second process died
        return repr(exc)
    return got if isinstance(got, _Walk) else str(got)


def _in_two(
    parts: _Parts, local: _Local, ledger: Ledger, utility: Utility, scale: int, b0: int, money: int,
    deadline: float | None, split: int,
) -> list[_Walk]:
    """The walks that make up add-opt from b0, in endowment order: the first up to `split` (here),
    the second from there (in a forked process). When the first is done first, this process takes
    the second half of what the second has left: the second now stops at a nearer end, where a
    third walk (here) starts."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    shared = ctx.Array("q", [int(INF), split, 0])  # the second's end, where it is, its spending
    child = ctx.Process(
        target=_second, args=(send, shared, local, ledger, utility, scale, split, money, deadline), daemon=True
    )
    try:
        child.start()
    except OSError:
        return [_walk(parts, b0, money, True, deadline, _End(int(INF)))]
    finally:
        send.close()
    try:
        first = _walk(parts, b0, money, True, deadline, _End(split))
        if first.stop != "split":
            return [first]
        third = None
        with shared.get_lock():
            at = _ahead(int(shared[1]), int(shared[2]), money, (1, 2)) if not recv.poll() else None
            if at is not None:
                shared[0] = at
        if at is not None:
            watch = _Watch(recv)
            third = _walk(_start(local, ledger, utility, scale, at, True), at, money, True, deadline, watch)
            second = watch.second if watch.second is not None else _receive(recv)
        else:
            second = _receive(recv)
        if not isinstance(second, _Walk):  # the second walk failed: the first goes on alone
            rest = _walk(parts, first.moved_at or b0, money, True, deadline, _End(int(INF)))
            rest.reruns, rest.kept, rest.refused = (rest.reruns - first.reruns, rest.kept - first.kept,
                                                    rest.refused - first.refused)
            return [first, rest]
        if second.over_at_start:  # the next change is at `split` and overspends
            first.stop = "overspend"
            return [first]
        if second.stop != "split" or third is None:
            return [first, second]
        if third.over_at_start:
            second.stop = "overspend"
            return [first, second]
        return [first, second, third]
    finally:
        recv.close()
        if child.is_alive():
            child.terminate()
        child.join()


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
        if split is not None and (cores if cores is not None else _cores()) >= 2:
            walks = _in_two(parts, local, ledger, utility, scale, b0, money, deadline, split)
        else:
            walks = [_walk(parts, b0, money, add_opt, deadline, _End(int(INF)))]
    except _Unsettled:
        return None
    return _joined(walks, orig, Fraction(money, total_w), scale, parts.n_parts)


def _joined(walks: list[_Walk], orig: IntArray, base: Fraction, scale: int, n_parts: int) -> PartsResult:
    """One walk's outcome, or the second's: the endowment that reached its run is its last change,
    else `split` where its run there differs from the first walk's last, else the first's."""
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
