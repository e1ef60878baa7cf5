"""Exact Equal Shares (EES) and its add-opt completion (Kraiczy, Robinson, Elkind 2025).

EES, with uniform utilities (a supporter values project p at u_p: its cost, or 1 for approval):
every voter i holds budget beta_i per unit of weight. Project p is affordable at price rho when
the supporters able to pay rho * u_p each, N_p(rho) = {i : beta_i >= rho * u_p}, pay its cost
exactly: rho * u_p * w(N_p(rho)) = c_p. Each round buys the project with the smallest such rho
(ties by the variant's tie order); its payers pay exactly c_p / w(N_p(rho)) each per unit of
weight, everyone else pays nothing. Rounds are strictly increasing in (price, tie rank).

Everything is written in *spent* terms: voter i has spent s_i (per unit weight) and holds
beta_i = b - s_i at endowment b. With p's supporters sorted by spent (least first) and W_j the
weight of the first j, the first j can pay c_p / W_j each from endowment f_p(j) = c_p / W_j +
s_(j) on. At endowment b, p's payers are the first j for the largest j with f_p(j) <= b. These
f values do not depend on the endowment, so neither does anything below.

add-opt: a round t changes at the least endowment at which some project p still in the running
gets a payer set that beats the round's winner (or the winner's own payer set grows, or, after
the last round, some project becomes affordable): e_t = min over p and over the j whose price
beats the winner of f_p(j). The next endowment is b' = min_t e_t; below it nothing changes; at
b' the earliest round that changes is the first one whose winner the raised project beats, in
the stretch of rounds in which that project's supporters' spending stayed as it was. The run
restarts there: the rounds after it are undone (spending, ceilings, projects still in the
running) and EES runs on at b'; e_t of the rounds before are kept. A project's value can only
fall within a stretch (the winners' prices rise), so it is evaluated where one of its
supporters pays, where a ceiling drops it, and after the last round (cached while its
supporters' spending stays). The completion stops when the run at b' would spend more than the
money shared out (the last run that fits is kept), or when no raise changes anything.

Exactness: spending per voter is an exact `Fraction`, interned (equal values share one id, whose
float is the correctly rounded value). Floats order and filter; every comparison whose floats
lie within a safe margin (1e-9 relative, far above the few roundings involved) is decided with
fractions, and the next endowment and the first changing round are computed exactly from the
few candidates within that margin of the float minimum. Projects with many supporters are
evaluated per distinct spending (numpy), the others in plain Python.
Mandatory projects, floors and ceilings: as for MES, the money left after mandatory projects and
floors is shared; a project that no longer fits under a ceiling drops out (in every rerun too).
"""

from __future__ import annotations

import heapq
import time
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Completion, Reason, Utility
from selaras.engines.selection.ees_replay import _replay, _Spent
from selaras.engines.selection.ees_walk import ees_by_parts
from selaras.engines.selection.ledger import Ledger, Support
from selaras.engines.selection.variants import MesOptions

__all__ = ["run_ees", "EesRound", "EesState"]

IntArray = npt.NDArray[np.int64]

_TOL = 1e-9  # relative margin: far above the rounding error of the few float operations involved
LARGE = 48  # projects with more supporters are evaluated per distinct spending with numpy
_INF = 1 << 62
USE_PARTS = True  # the compiled engine by parts where it applies (ees_parts.py); tests switch it off

# a change candidate: (f as float, project, payers' weight W_j, spent id of the j-th supporter)
_Cand = tuple[float, int, int, int]


@dataclass(frozen=True)
class EesRound:
    """One purchase: the project, its payers' weight and the exact payment per unit weight."""

    project: int
    weight: int
    payment: Fraction
    payers: tuple[int, ...]


class EesState:
    """Static data of the instance for repeated EES runs (supporters, utilities, tie ranks)."""

    def __init__(self, support: Support, base: Ledger, candidates: IntArray, utility: Utility) -> None:
        self.support = support
        self.base = base
        self.cost_util = utility is Utility.COST
        self.costs: list[int] = support.cost_list
        self.rank: list[int] = support.rank.tolist()
        pptr = support.pptr.tolist()
        pvot = support.pvot.tolist()
        self.sup: list[list[int]] = [pvot[pptr[p] : pptr[p + 1]] for p in range(len(self.costs))]
        self.w: list[int] = support.weights.tolist()
        self.wf = support.weights.astype(np.float64)
        self.unit = bool(support.unit_weights)
        self.by_cost: list[list[int]] = [
            sorted(m_.tolist(), key=lambda x: -self.costs[x]) for m_ in support.group_members
        ]
        self.candidates = [
            p for p in candidates.tolist() if support.approvals[p] > 0 and (self.costs[p] > 0 or not self.cost_util)
        ]

    # what only the general engine reads (the engine by parts and the replay do not): when asked

    @cached_property
    def large(self) -> list[bool]:
        pptr = self.support.pptr
        return (np.diff(pptr) > LARGE).tolist()  # type: ignore[no-any-return]

    @cached_property
    def sup_np(self) -> list[IntArray | None]:
        pptr, pvot = self.support.pptr, self.support.pvot
        return [pvot[pptr[p] : pptr[p + 1]] if big else None for p, big in enumerate(self.large)]

    @cached_property
    def has_large(self) -> bool:
        return any(self.large)

    @cached_property
    def large_np(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.large, dtype=np.bool_)

    @cached_property
    def wtot(self) -> list[int]:
        return [sum(self.w[v] for v in s) for s in self.sup]

    @cached_property
    def ballot(self) -> list[list[int]]:
        indptr = self.support.indptr.tolist()
        items = self.support.items.tolist()
        return [items[indptr[v] : indptr[v + 1]] for v in range(self.support.n_voters)]

    @cached_property
    def start_order(self) -> list[tuple[Any, int, int]]:
        """Every candidate keyed by its price when all its supporters pay (a lower bound of its
        price at any round): the start of each run's lazy queue, already in heap order."""
        return sorted((self.key(p, self.wtot[p]), -1, p) for p in self.candidates)

    @cached_property
    def thr(self) -> list[float]:
        """The least endowment at which p is affordable at all (c / W_total), as a float."""
        return [self.costs[p] / max(self.wtot[p], 1) for p in range(len(self.costs))]

    @cached_property
    def by_thr(self) -> list[int]:
        return sorted(self.candidates, key=self.thr.__getitem__)

    def pushed_out(self, p: int, room: Sequence[int | None], alive: Callable[[int], object]) -> list[int]:
        """The projects still in the running (`alive`) that no longer fit under one of p's
        ceilings once p is bought, with the ceilings' rooms `room` before the purchase."""
        c = self.costs[p]
        costs = self.costs
        out: list[int] = []
        for g in self.base.groups_of[p]:
            left = room[g]
            if left is None:
                continue
            for x in self.by_cost[g]:
                if costs[x] <= left - c:
                    break
                if alive(x) and x not in out:
                    out.append(x)
        return out

    def key(self, p: int, weight: int) -> Any:
        """p's place in the round order when `weight` pays: (price, tie rank)."""
        if self.cost_util:
            return (-weight, self.rank[p])
        return (Fraction(self.costs[p], weight), self.rank[p])

    def threshold(self, x: int, winner: int, weight: int) -> int:
        """The least payers' weight with which x beats `winner` bought with `weight`."""
        if x == winner:
            return weight + 1
        better = self.rank[x] < self.rank[winner]
        if self.cost_util:
            return weight if better else weight + 1
        n, d = self.costs[x] * weight, self.costs[winner]
        if d == 0:
            return 1 if (n == 0 and better) else _INF
        q, r = divmod(n, d)
        if r == 0 and better:
            return max(q, 1)
        return q + 1


@dataclass
class _Round:
    """A purchase with what is needed to undo it and the round's change candidates."""

    project: int
    weight: int
    payers: list[int] | IntArray
    old_sid: list[int] | IntArray
    drops: list[int]
    since_log: list[tuple[int, int]]
    touched: list[int]
    # (float minimum, candidates within the margin of it as (f, x, W, sid, since of x)) or None
    entry: tuple[float, list[tuple[float, int, int, int, int]]] | None


class _Engine:
    """EES runs at rising endowments on one mutable state (spending, ceilings, projects in the
    running), undone back to the first changing round between runs."""

    def __init__(self, st: EesState, track: bool) -> None:
        self.st = st
        self.track = track
        self.sp = _Spent()
        n = len(st.w)
        m = len(st.costs)
        self.sid: list[int] = [0] * n
        self.sid_np: IntArray = np.zeros(n, dtype=np.int64)
        self.since: list[int] = [0] * m
        self.ver: list[int] = [0] * m
        base = st.base
        self.room: list[int | None] = list(base.room)
        self.spent = 0
        self.alive = bytearray(m)
        self.initial_drops: list[int] = []
        for p in st.candidates:
            if base.ceiling_blocker(p) is not None:
                self.initial_drops.append(p)
            else:
                self.alive[p] = 1
        self.rounds: list[_Round] = []
        self.final_cache: dict[int, tuple[float, list[_Cand]]] = {}
        # p's profile, valid while ver[p] (bumped whenever a supporter's spending moves) stays
        self.prof_cache: dict[int, tuple[int, list[int], list[int]]] = {}
        # weight per distinct spending among the supporters of each many-supporter project
        self.hist: list[dict[int, int] | None] = [
            ({0: st.wtot[p]} if st.wtot[p] else {}) if st.large[p] else None for p in range(m)
        ]
        self.final_entry: tuple[float, list[tuple[float, int, int, int, int]]] | None = None

    # -- evaluation of one project at the current spending -------------------------------------

    def _profile(self, p: int) -> tuple[list[int], list[int]]:
        """(W_j, spent id of the j-th supporter) for p's supporters by spending, least first
        (per distinct spending for projects with many supporters: only the last j of a run of
        equal spending matters, its f being the least of the run)."""
        hit = self.prof_cache.get(p)
        if hit is not None and hit[0] == self.ver[p]:
            return hit[1], hit[2]
        tots, sids = self._profile_now(p)
        self.prof_cache[p] = (self.ver[p], tots, sids)
        return tots, sids

    def _profile_now(self, p: int) -> tuple[list[int], list[int]]:
        st = self.st
        fl = self.sp.fl
        sid = self.sid
        if st.large[p]:
            h = self.hist[p]
            assert h is not None
            cls_l = sorted(h, key=fl.__getitem__)
            for x, y in zip(cls_l, cls_l[1:], strict=False):
                if fl[x] == fl[y]:  # equal floats of different spending: order exactly
                    cls_l = sorted(h, key=self.sp.val.__getitem__)
                    break
            tot = 0
            out: list[int] = []
            for k in cls_l:
                tot += h[k]
                out.append(tot)
            return out, cls_l
        w = st.w
        order = self._by_spending(p)
        tots: list[int] = []
        sids: list[int] = []
        tot = 0
        for v in order:
            tot += w[v]
            tots.append(tot)
            sids.append(sid[v])
        return tots, sids

    def weight_at(self, p: int, e: Fraction, ef: float) -> tuple[int, int]:
        """(payers' weight, number of profile entries paying) of p at endowment e."""
        c = self.st.costs[p]
        fl = self.sp.fl
        tots, sids = self._profile(p)
        best = 0
        at = 0
        for j, (tot, s) in enumerate(zip(tots, sids, strict=True), start=1):
            f = c / tot + fl[s]
            m = _TOL * (f + ef)
            if f <= ef - m or (f <= ef + m and Fraction(c, tot) + self.sp.val[s] <= e):
                best, at = tot, j
        return best, at

    def payer_list(self, p: int, e: Fraction, ef: float) -> tuple[int, list[int] | IntArray]:
        """(payers' weight, payers) of p at endowment e."""
        st = self.st
        weight, at = self.weight_at(p, e, ef)
        if st.large[p]:
            _, sids = self._profile(p)
            sup = st.sup_np[p]
            assert sup is not None
            return weight, sup[np.isin(self.sid_np[sup], np.asarray(sids[:at], dtype=np.int64))]
        return weight, self._by_spending(p)[:at]

    def _by_spending(self, p: int) -> list[int]:
        """p's supporters by what they have spent, least first (floats; exactly where two floats tie)."""
        st, fl, sid = self.st, self.sp.fl, self.sid
        order = sorted(st.sup[p], key=lambda v: fl[sid[v]])
        for a, b in zip(order, order[1:], strict=False):
            if fl[sid[a]] == fl[sid[b]] and sid[a] != sid[b]:
                val = self.sp.val
                return sorted(st.sup[p], key=lambda v: val[sid[v]])
        return order

    def change(self, p: int, need: int) -> tuple[float, list[_Cand]] | None:
        """The least f_p(j) over the j whose weight is at least `need` (as a float), and the
        candidates within the margin of it; None if there is no such j."""
        if need > self.st.wtot[p]:
            return None
        c = self.st.costs[p]
        fl = self.sp.fl
        tots, sids = self._profile(p)
        vals: list[tuple[float, int, int, int]] = []
        low = float("inf")
        for tot, s in zip(tots, sids, strict=True):
            if tot < need:
                continue
            f = c / tot + fl[s]
            vals.append((f, p, tot, s))
            if f < low:
                low = f
        if not vals:
            return None
        cut = low + 2 * _TOL * low
        return low, [x for x in vals if x[0] <= cut]

    # -- a run -----------------------------------------------------------------------------------

    def undo_to(self, t0: int) -> None:
        """Undo the rounds from t0 on."""
        st = self.st
        while len(self.rounds) > t0:
            r = self.rounds.pop()
            if isinstance(r.payers, np.ndarray):
                assert isinstance(r.old_sid, np.ndarray)
                self._move_np(r.payers, self.sid_np[r.payers], r.old_sid)
                self.sid_np[r.payers] = r.old_sid
                for v, s in zip(r.payers.tolist(), r.old_sid.tolist(), strict=True):
                    self.sid[v] = s
            else:
                assert isinstance(r.old_sid, list)
                if st.has_large:
                    self._move_list(r.payers, [self.sid[v] for v in r.payers], r.old_sid)
                for v, s in zip(r.payers, r.old_sid, strict=True):
                    self.sid[v] = s
                if st.has_large:
                    self.sid_np[r.payers] = r.old_sid
            for x, old in reversed(r.since_log):
                self.since[x] = old
            cache = self.final_cache
            ver = self.ver
            for x in r.touched:
                cache.pop(x, None)
                ver[x] += 1
            p = r.project
            self.alive[p] = 1
            for x in r.drops:
                self.alive[x] = 1
            c = st.costs[p]
            self.spent -= c
            for g in st.base.groups_of[p]:
                room = self.room[g]
                if room is not None:
                    self.room[g] = room + c

    def _move_list(self, payers: list[int], old: list[int], new: list[int]) -> None:
        """Payers move from spending `old` to `new`: the histograms of their projects follow."""
        st = self.st
        hist = self.hist
        ballot = st.ballot
        w = st.w
        for v, a, b in zip(payers, old, new, strict=True):
            wv = w[v]
            for x in ballot[v]:
                h = hist[x]
                if h is None:
                    continue
                k = h[a] - wv
                if k:
                    h[a] = k
                else:
                    del h[a]
                h[b] = h.get(b, 0) + wv

    def _move_np(self, payers: IntArray, old: IntArray, new: IntArray) -> None:
        """As `_move_list`, per (project, spending) pair with numpy (within one round a spending
        moves to one spending only)."""
        st = self.st
        sup = st.support
        lens = sup.indptr[payers + 1] - sup.indptr[payers]
        items = sup.projects_of(payers)
        rep = np.repeat(np.arange(len(payers), dtype=np.int64), lens)
        keep = st.large_np[items]
        items = items[keep]
        rep = rep[keep]
        if len(items) == 0:
            return
        span = len(self.sp.val) + 1
        combined = items * span + old[rep]
        u, inv = np.unique(combined, return_inverse=True)
        wsum = np.bincount(inv, weights=st.wf[payers[rep]]).astype(np.int64)
        to = np.empty(len(u), dtype=np.int64)
        to[inv] = new[rep]
        hist = self.hist
        for key, wt, b in zip(u.tolist(), wsum.tolist(), to.tolist(), strict=True):
            x, a = divmod(key, span)
            h = hist[x]
            assert h is not None
            k = h[a] - wt
            if k:
                h[a] = k
            else:
                del h[a]
            h[b] = h.get(b, 0) + wt

    def _drops(self, p: int) -> list[int]:
        """The projects still in the running that no longer fit under a ceiling once p is bought."""
        return self.st.pushed_out(p, self.room, self.alive.__getitem__)

    def _pay(self, t: int, p: int, weight: int, payers: list[int] | IntArray) -> _Round:
        """p's payers pay; spending ids, `since` and queue versions of their projects move on."""
        st = self.st
        c = st.costs[p]
        after = self.sp.after
        since = self.since
        ver = self.ver
        log: list[tuple[int, int]] = []
        if isinstance(payers, np.ndarray):
            old_np = self.sid_np[payers]
            uniq = np.unique(old_np)
            new_of = np.asarray([after(s, c, weight) for s in uniq.tolist()], dtype=np.int64)
            new_np = new_of[np.searchsorted(uniq, old_np)]
            self.sid_np[payers] = new_np
            for v, s in zip(payers.tolist(), new_np.tolist(), strict=True):
                self.sid[v] = s
            self._move_np(payers, old_np, new_np)
            touched: list[int] = np.unique(st.support.projects_of(payers)).tolist()
            old_sid: list[int] | IntArray = old_np
        else:
            sid = self.sid
            old_l = [sid[v] for v in payers]
            memo: dict[int, int] = {}
            for v, s in zip(payers, old_l, strict=True):
                k = memo.get(s)
                if k is None:
                    k = memo[s] = after(s, c, weight)
                sid[v] = k
            if st.has_large:
                self.sid_np[payers] = [sid[v] for v in payers]
                self._move_list(payers, old_l, [sid[v] for v in payers])
            seen: set[int] = set()
            ballot = st.ballot
            for v in payers:
                seen.update(ballot[v])
            touched = list(seen)
            old_sid = old_l
        nxt = t + 1
        for x in touched:
            old = since[x]
            if old != nxt:
                log.append((x, old))
                since[x] = nxt
            ver[x] += 1
        cache = self.final_cache
        for x in touched:
            cache.pop(x, None)
        return _Round(p, weight, payers, old_sid, [], log, touched, None)

    def run(self, e: Fraction) -> None:
        """EES at endowment e from the current state (rounds kept) to the end."""
        st = self.st
        ef = float(e)
        alive = self.alive
        ver = self.ver
        lim = ef * (1 + 4 * _TOL)
        thr = st.thr
        heap = [it for it in st.start_order if alive[it[2]] and thr[it[2]] <= lim]
        while heap:
            key, vv, p = heapq.heappop(heap)
            if not alive[p]:
                continue
            if vv != ver[p]:
                wgt, _ = self.weight_at(p, e, ef)
                if wgt:
                    heapq.heappush(heap, (st.key(p, wgt), ver[p], p))
                continue
            weight, payers = self.payer_list(p, e, ef)
            alive[p] = 0
            drops = self._drops(p)
            t = len(self.rounds)
            entry = None
            if self.track:
                entry = self._round_entry(p, weight, payers, drops)
            c = st.costs[p]
            self.spent += c
            for g in st.base.groups_of[p]:
                room = self.room[g]
                if room is not None:
                    self.room[g] = room - c
            for x in drops:
                alive[x] = 0
            rnd = self._pay(t, p, weight, payers)
            rnd.drops = drops
            rnd.entry = entry
            self.rounds.append(rnd)
        self.final_entry = self._final_entry() if self.track else None

    def _round_entry(
        self, p: int, weight: int, payers: list[int] | IntArray, drops: list[int]
    ) -> tuple[float, list[tuple[float, int, int, int, int]]] | None:
        """e_t of the round buying p (as candidates): the projects whose supporters' spending
        changes now (the payers' projects), the winner, and those a ceiling drops after it."""
        st = self.st
        alive = self.alive
        todo: set[int] = {p, *drops}
        if isinstance(payers, np.ndarray):
            todo.update(x for x in np.unique(st.support.projects_of(payers)).tolist() if alive[x])
        else:
            ballot = st.ballot
            for v in payers:
                todo.update(x for x in ballot[v] if alive[x])
        return self._collect((x, st.threshold(x, p, weight)) for x in todo)

    def _collect(
        self, todo: Any
    ) -> tuple[float, list[tuple[float, int, int, int, int]]] | None:
        """The least change value over `todo` ((project, least payers' weight) pairs), with the
        candidates near it. Projects are taken by c / W_total, a lower bound of every f (also in
        floats): once it passes the margin of the least value so far, none of the rest counts."""
        thr = self.st.thr
        low = float("inf")
        found: list[tuple[float, list[_Cand]]] = []
        for x, need in sorted(todo, key=lambda t: thr[t[0]]):
            if thr[x] > low + 2 * _TOL * low:
                break
            ch = self.change(x, need)
            if ch is None:
                continue
            found.append(ch)
            if ch[0] < low:
                low = ch[0]
        return self._near_least(found, low)

    def _near_least(self, found: list[tuple[float, list[_Cand]]],
                    low: float) -> tuple[float, list[tuple[float, int, int, int, int]]] | None:
        """The candidates within the float margin of the least change value `low` (for the exact check)."""
        if not found:
            return None
        cut = low + 2 * _TOL * low
        since = self.since
        out = [(f, x, tot, s, since[x]) for lo, cands in found if lo <= cut for f, x, tot, s in cands if f <= cut]
        return low, out

    def _final_entry(self) -> tuple[float, list[tuple[float, int, int, int, int]]] | None:
        """After the last round: any project still in the running that becomes affordable."""
        cache = self.final_cache
        alive = self.alive
        low = float("inf")
        found: list[tuple[float, list[_Cand]]] = []
        thr = self.st.thr
        for x in self.st.by_thr:
            if not alive[x]:
                continue
            if thr[x] > low + 2 * _TOL * low:
                break
            ch = cache.get(x)
            if ch is None:
                got = self.change(x, 1)
                if got is None:
                    continue
                ch = cache[x] = got
            found.append(ch)
            if ch[0] < low:
                low = ch[0]
        return self._near_least(found, low)

    def next_endowment(self) -> tuple[Fraction, int] | None:
        """(the least change endowment, the first round that changes there), or None."""
        st = self.st
        entries = [(r.entry, t) for t, r in enumerate(self.rounds) if r.entry is not None]
        if self.final_entry is not None:
            entries.append((self.final_entry, len(self.rounds)))
        if not entries:
            return None
        low = min(en[0] for en, _ in entries)
        cut = low + 4 * _TOL * low
        val = self.sp.val
        best: Fraction | None = None
        hits: list[tuple[int, int, int, int]] = []  # (round, project, W, since)
        for (lo, cands), t in entries:
            if lo > cut:
                continue
            for f, x, tot, s, since in cands:
                if f > cut:
                    continue
                exact = Fraction(st.costs[x], tot) + val[s]
                if best is None or exact < best:
                    best, hits = exact, [(t, x, tot, since)]
                elif exact == best:
                    hits.append((t, x, tot, since))
        assert best is not None
        keys = [st.key(r.project, r.weight) for r in self.rounds]
        raised: dict[tuple[int, int], tuple[int, int]] = {}
        for t, x, tot, since in hits:
            old = raised.get((t, x))
            if old is None or tot > old[0]:
                raised[(t, x)] = (tot, since)
        start = len(self.rounds)
        for (t, x), (tot, since) in raised.items():
            q = st.key(x, tot)
            start = min(start, t, bisect_right(keys, q, since, t))
        return best, start


def _general(
    st: EesState, money: int, total_w: int, add_opt: bool, options: MesOptions
) -> tuple[list[tuple[int, int]], Fraction, list[float], list[int], str]:
    """EES (and add-opt) with the general engine: (kept rounds, endowment, seconds per step,
    restart rounds, why add-opt stopped)."""
    started = time.perf_counter()
    eng = _Engine(st, add_opt)
    endowment = Fraction(money, total_w)
    eng.run(endowment)
    kept = [(r.project, r.weight) for r in eng.rounds]
    steps: list[float] = []
    restarts: list[int] = []
    stop = "none"
    while add_opt:
        if options.max_seconds is not None and time.perf_counter() - started > options.max_seconds:
            stop = "time_limit"  # the last run that fits is kept: an EES outcome, less completed
            break
        nxt = eng.next_endowment()
        if nxt is None:
            stop = "no_change"
            break
        e, t_star = nxt
        assert e > endowment
        t0 = time.perf_counter()
        eng.undo_to(t_star)
        eng.run(e)
        steps.append(time.perf_counter() - t0)
        restarts.append(t_star)
        if eng.spent > money:
            stop = "overspend"
            break
        endowment = e
        kept = [(r.project, r.weight) for r in eng.rounds]
    return kept, endowment, steps, restarts, stop


def run_ees(
    support: Support, ledger: Ledger, open_idx: IntArray, options: MesOptions, details: dict[str, object]
) -> tuple[Ledger, Mapping[int, Reason]]:
    """EES on the money left in `ledger`, with add-opt if `options.completion` asks for it.
    Returns the ledger of the kept run and the rejections of projects it did not buy."""
    total_w = support.total_weight
    if total_w == 0:
        return ledger, {}
    st = EesState(support, ledger, open_idx, options.utility)
    money = ledger.remaining
    add_opt = options.completion is Completion.ADD_OPT
    started = time.perf_counter()
    fast = None
    if USE_PARTS:
        in_running = np.asarray([p for p in st.candidates if ledger.ceiling_blocker(p) is None], dtype=np.int64)
        fast = ees_by_parts(support, ledger, in_running, options.utility, add_opt, options.max_seconds)
    if fast is not None:
        kept, endowment = fast.rounds, fast.endowment
        steps, stop = fast.steps, fast.stop
        restarts: list[int] = []
        details["ees_engine"] = "parts"
        details["ees_parts"] = fast.parts
        details["ees_part_runs"] = fast.reruns
        details["ees_rounds_kept"] = fast.kept
        details["ees_resume_refused"] = fast.refused
        details["ees_walks"] = fast.walks
    else:
        kept, endowment, steps, restarts, stop = _general(st, money, total_w, add_opt, options)
        details["ees_engine"] = "fractions"
    if add_opt:
        details["add_opt_steps"] = len(steps)
        details["add_opt_stopped"] = stop
        details["add_opt_seconds_per_step"] = round(sum(steps) / len(steps), 6) if steps else 0.0
        details["add_opt_max_step_seconds"] = round(max(steps), 6) if steps else 0.0
        details["add_opt_mean_restart_round"] = round(sum(restarts) / len(restarts), 1) if restarts else 0.0
    out, rejected = _replay(st, ledger, kept, endowment)
    details["ees_rounds"] = len(kept)
    details["ees_endowment"] = str(endowment)
    details["per_voter_budget"] = float(endowment)
    details["ees_seconds"] = round(time.perf_counter() - started, 6)
    details["mes_arithmetic"] = "exact"
    return out, rejected
