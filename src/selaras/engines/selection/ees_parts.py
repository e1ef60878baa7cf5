"""Exact Equal Shares and add-opt part by part, compiled, in exact integers (ees_kernel.py).

Used when every project has supporters of total weight at most `MAX_WEIGHT` and the scaled
amounts fit in 63 bits (a district of forums: a proposal has a handful of supporting forums);
otherwise `ees_addopt` runs its general engine with fractions.

Parts (connected voters and projects, e.g. the kecamatan of a district) run separately at the
same endowment; the run of the whole is their rounds merged in round order (price, tie rank),
because a round of one part never changes what another part's supporters have. Ceilings couple
the parts: each part runs with the other parts' purchases as events. After any part changes,
every project under a ceiling whose room changed is checked: the purchase after which it drops
(or the absence of one) must be the one its part's run saw. Where only the drop moved and the
part's rounds cannot change, the part is amended (its rounds replayed, see `amend_part`);
otherwise the part with the earliest difference runs again, until none differs (conservative: a
part that runs again with the same inputs gives the same run).

add-opt then only ever runs again the parts whose own least change endowment is the next one
(and those their new purchases reach through a ceiling): the others are unchanged below their own
change endowment.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Utility
from selaras.engines.selection.ees_kernel import (
    CG_SEVERAL,
    INF,
    SNAP_EVERY,
    _first_round,
    least_change,
    resume_round,
    run_part,
)
from selaras.engines.selection.ees_settle import (
    carry_over,
    ceiling_timeline,
    cost_and_ceiling,
    drops_to_fix,
    label_parts,
    merge_events,
    round_changes,
    settle_round,
)
from selaras.engines.selection.ledger import Ledger, Support

__all__ = ["MAX_WEIGHT", "PartsResult", "scale_for"]

IntArray = npt.NDArray[np.int64]

MAX_WEIGHT = 40  # lcm(1..40) ~ 5.3e15: beyond, the scaled amounts would not fit in 63 bits
_LIMIT = 1 << 61


_Saved = tuple[IntArray, IntArray, int, int, int]  # a part's rounds, spent and change endowment


class _Unsettled(Exception):
    """The parts did not agree on their ceilings within the round limit (never seen; the caller
    falls back to the general engine)."""


@dataclass
class PartsResult:
    """The kept run in round order and what add-opt did."""

    rounds: list[tuple[int, int]]
    endowment: Fraction
    parts: int
    steps: list[float] = field(default_factory=list)
    reruns: int = 0
    kept: int = 0  # rounds that runs resumed after instead of running them again
    refused: int = 0  # resumes the kernel refused (the part ran from the start; never seen)
    stop: str = ""
    walks: int = 1  # add-opt's walks that made the outcome (see ees_walk.py)


class _Parts:
    def __init__(self, support: _Local, ledger: Ledger, cand: IntArray, utility: Utility, scale: int) -> None:
        m = len(support.costs)
        n = support.n_voters
        self.L = scale
        self.hot = _rows(m, 8)  # what checking a drop reads of a project, in one cache line (not cz/cfr)
        self.hot[:, [0, 1, 2, 3]] = INF
        self.hot[:, 4:] = 0  # (5-7: not used; `dead` is in `rows`)
        cost = np.asarray(support.costs, dtype=np.int64)
        self.cost = cost
        self.wtot = _supporters_weight(support.pptr, support.pvot, support.weights)
        self.lc = cost * scale
        self.cost_utility = utility is Utility.COST
        self.a_l = np.full(m, scale, dtype=np.int64) if self.cost_utility else self.lc.copy()
        self.thr = np.full(m, INF, dtype=np.int64)
        self.thr[cand] = self.lc[cand] // self.wtot[cand]
        self.rank = np.asarray(support.rank, dtype=np.int64)
        # what a tracked round reads of each of its payers' projects, in one cache line
        self.rows = _rows(m, 8)
        self.rows[:, [0, 2, 3]] = 0
        for col, name in ((1, "thr"), (4, "wtot"), (5, "rank"), (6, "a_l"), (7, "lc")):
            self.rows[:, col] = getattr(self, name)
            setattr(self, name, self.rows[:, col])
        self.pptr, self.pvot, self.wv = support.pptr, support.pvot, np.asarray(support.weights, dtype=np.int64)
        self.indptr, self.items = support.indptr, support.items
        self.live = support.items.copy()  # run_part's lists of each voter's projects still worth a look
        self.live_end = np.zeros(n, dtype=np.int64)
        self.live_at = np.zeros(n, dtype=np.int64)  # the run that last filled a voter's list
        # ceilings only
        ceil = [g for g, r in enumerate(ledger.room) if r is not None]
        self.n_g = len(ceil)
        new_id = np.full(max(len(ledger.room), 1), -1, dtype=np.int64)
        new_id[ceil] = np.arange(len(ceil), dtype=np.int64)
        self.room0 = np.asarray([ledger.room[g] for g in ceil], dtype=np.int64)
        gp = support.group_idx
        keep = new_id[gp] >= 0 if len(gp) else np.zeros(0, dtype=bool)
        g_owner = np.repeat(np.arange(m, dtype=np.int64), np.diff(support.group_ptr))
        self.gptr = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(np.bincount(g_owner[keep], minlength=m), out=self.gptr[1:])
        self.gidx = new_id[gp[keep]]
        # parts
        voter_root, cand_root = support.voter_root, support.cand_root[cand]
        roots, part_of_cand = np.unique(cand_root, return_inverse=True)
        self.n_parts = len(roots)
        self.part_of = np.full(m, -1, dtype=np.int64)
        self.part_of[cand] = part_of_cand
        order = np.lexsort((self.thr[cand], part_of_cand))
        self.proj_part = cand[order]
        self.pptr_part = np.zeros(self.n_parts + 1, dtype=np.int64)
        np.cumsum(np.bincount(part_of_cand, minlength=self.n_parts), out=self.pptr_part[1:])
        voters = np.flatnonzero(voter_root >= 0)
        v_part = np.searchsorted(roots, voter_root[voters])
        self.vot_part = voters[np.argsort(v_part, kind="stable")]
        self.vptr_part = np.zeros(self.n_parts + 1, dtype=np.int64)
        np.cumsum(np.bincount(v_part, minlength=self.n_parts), out=self.vptr_part[1:])
        # segments: the candidates of one part under one ceiling, dearest first
        mem_x = np.repeat(cand, self.gptr[cand + 1] - self.gptr[cand])
        mem_g = self.gidx[_ranges(self.gptr, cand)]
        mem_p = self.part_of[mem_x]
        so = np.lexsort((self.rank[mem_x], -cost[mem_x], mem_g, mem_p))
        mem_x, mem_g, mem_p = mem_x[so], mem_g[so], mem_p[so]
        new_seg = np.ones(len(mem_x), dtype=bool)
        if len(mem_x):
            new_seg[1:] = (mem_g[1:] != mem_g[:-1]) | (mem_p[1:] != mem_p[:-1])
        self.seg_lo = np.flatnonzero(new_seg).astype(np.int64)
        self.seg_hi = np.append(self.seg_lo[1:], len(mem_x)).astype(np.int64)
        self.seg_g = mem_g[self.seg_lo]
        self.seg_proj = mem_x
        self.seg_ptr = np.zeros(self.n_parts + 1, dtype=np.int64)
        np.cumsum(np.bincount(mem_p[self.seg_lo], minlength=self.n_parts), out=self.seg_ptr[1:])
        # candidates under each ceiling (to check after a change)
        by_g = np.lexsort((-cost[mem_x], mem_g))  # dearest first
        self.gm_x = mem_x[by_g]
        self.gm_cost = cost[self.gm_x]
        self.gm_ptr = np.zeros(self.n_g + 1, dtype=np.int64)
        np.cumsum(np.bincount(mem_g, minlength=self.n_g), out=self.gm_ptr[1:])
        self.seen = self.hot[:, 4]
        self.gen = 0
        # state
        self.spend = np.zeros(n, dtype=np.int64)
        self.paid = np.zeros(n, dtype=np.int64)  # the tick of each voter's last payment
        self.dead = self.rows[:, 0]
        self.stamp = self.rows[:, 3]
        self.clock = np.zeros(2, dtype=np.int64)  # rounds so far, runs so far
        # each project's bounds on its change endowments (see run_part's _bounds), by the run
        # that stored them
        self.hs = np.zeros(len(self.pvot), dtype=np.int64)
        self.ws = np.zeros(len(self.pvot), dtype=np.int64)
        self.hrun = self.rows[:, 2]
        self.hat = np.zeros(m, dtype=np.int64)  # the tick they were stored at
        # each part's voters' spending at the start of every SNAP_EVERY-th round (see _snap)
        n_snaps = np.diff(self.pptr_part) // SNAP_EVERY + 1
        self.snap_off = np.zeros(self.n_parts + 1, dtype=np.int64)
        np.cumsum(n_snaps * np.diff(self.vptr_part), out=self.snap_off[1:])
        self.snap = np.zeros(int(self.snap_off[-1]), dtype=np.int64)
        self.dsp = np.zeros(len(self.pvot), dtype=np.int64)  # supporters' spending at each drop (a bound)
        self.hop = np.full((m, 4), -1, dtype=np.int64)  # see ees_kernel._hop
        self.vpos = np.zeros(n, dtype=np.int64)  # each voter's place among its part's (in snap)
        for p in range(self.n_parts):
            v0, v1 = int(self.vptr_part[p]), int(self.vptr_part[p + 1])
            self.vpos[self.vot_part[v0:v1]] = np.arange(v1 - v0, dtype=np.int64)
        self.room = np.zeros(self.n_g, dtype=np.int64)
        self.seg_of_g = np.full(self.n_g, -1, dtype=np.int64)
        self.seg_pos = np.zeros(len(self.seg_lo), dtype=np.int64)
        self.out_x = np.zeros(len(cand), dtype=np.int64)
        self.out_w = np.zeros(len(cand), dtype=np.int64)
        self.er_round = np.full(len(cand), INF, dtype=np.int64)
        self.fr_round = np.zeros(len(cand), dtype=np.int64)
        # each project's change endowment and its round, dense: every run reads them for all
        # the part's projects (least_change, resume_round)
        self.cz_fr = np.zeros((m, 2), dtype=np.int64)
        self.cz = self.cz_fr[:, 0]
        self.cz.fill(INF)
        self.cfr = self.cz_fr[:, 1]
        self.drop_pr = self.hot[:, 0]
        self.drop_rk = self.hot[:, 1]
        self.vhead = np.full(n, -1, dtype=np.int64)  # amend_part's lists by voter
        self.e_r = np.full(self.n_parts, INF, dtype=np.int64)
        self.nr = np.zeros(self.n_parts, dtype=np.int64)
        self.spent = np.zeros(self.n_parts, dtype=np.int64)
        self.e = np.full(self.n_parts, INF, dtype=np.int64)
        self.reruns = 0
        self.amends = 0
        self.kept = 0  # rounds kept by runs that resumed
        self.refused = 0  # resumes refused by the kernel (never seen)
        self.moved = False  # some part's rounds changed since this was last reset
        self.ev_x, self.ev_w, self.ev_pr, self.ev_rk, self.ev_part, self.ev_cg = (
            np.zeros(0, dtype=np.int64) for _ in range(6)
        )
        self.cg = cost_and_ceiling(cost, self.gptr, self.gidx)
        self.buy_pr = self.hot[:, 2]  # each bought project's round key
        self.buy_rk = self.hot[:, 3]
        self.last_change = (int(INF), int(INF))  # see round_changes
        self.mark = np.full(m, -1, dtype=np.int64)  # round_changes' scratch
        # per ceiling, a key no later than the earliest purchase under it that changed since its
        # members' drops were last all checked (the changed part's first difference): a drop
        # before it stays (see drops_to_fix)
        self.since = np.full((2, self.n_g), -1, dtype=np.int64)
        self.low_room = self.room0.copy()  # the least room any run left under each ceiling
        self._events(())

    def rounds_of(self, p: int) -> tuple[IntArray, IntArray]:
        a = int(self.pptr_part[p])
        z = a + int(self.nr[p])
        return self.out_x[a:z], self.out_w[a:z]

    def _events(self, parts: Iterable[int]) -> None:
        """Every part's purchases in round order (price, tie rank), the given parts' replaced by
        their rounds now; each ceiling's rooms after them."""
        for p in parts:
            self.ev_x, self.ev_w, self.ev_pr, self.ev_rk, self.ev_part, self.ev_cg = merge_events(
                p, int(self.nr[p]), int(self.pptr_part[p]), self.out_x, self.out_w, self.a_l, self.rank,
                self.ev_x, self.ev_w, self.ev_pr, self.ev_rk, self.ev_part, self.buy_pr, self.buy_rk, self.cg,
                self.ev_cg,
            )
        self.tl_cnt, self.tl_ev, self.tl_room, self.final_room = ceiling_timeline(
            self.ev_x, self.ev_cg, self.gptr, self.gidx, self.room0
        )
        # every drop so far is of a project dearer than the least room left
        self.low_room = np.minimum(self.low_room, self.final_room)

    def run(self, p: int, b: int, track: bool, r0: int = 0) -> set[int]:
        """Run part p at scaled endowment b, keeping its first r0 rounds; returns the ceilings
        whose purchases changed."""
        ox, ow = (a.copy() for a in self.rounds_of(p))
        nr, spent, e_r = self._run(p, b, track, r0)
        if nr < 0:
            self.refused += 1
            r0 = 0
            nr, spent, e_r = self._run(p, b, track, 0)
        else:
            self.kept += r0
        self.reruns += 1
        self.nr[p], self.spent[p], self.e_r[p] = nr, spent, e_r
        self._least(p, track)
        # the first r0 rounds are kept as they were
        hit, moved, f_pr, f_rk = round_changes(
            ox, ow, *self.rounds_of(p), r0, self.a_l, self.rank, self.gptr, self.gidx, self.since, self.mark
        )
        self.last_change = (int(f_pr), int(f_rk))
        if moved:
            self.moved = True
            self._events((p,))
        return set(hit.tolist())

    def _run(self, p: int, b: int, track: bool, r0: int) -> tuple[int, int, int]:
        nr, spent, e_r = run_part(
            p, b, track, r0,
            self.pptr, self.pvot, self.wv, self.indptr, self.items, self.lc, self.a_l, self.rank,
            self.thr, self.cost, self.wtot, self.part_of,
            self.gptr, self.gidx, self.room0, self.seg_ptr, self.seg_g, self.seg_lo, self.seg_hi,
            self.seg_proj, self.pptr_part, self.proj_part, self.vptr_part, self.vot_part,
            self.ev_pr, self.ev_rk, self.ev_x, self.ev_part, self.ev_cg,
            self.spend, self.paid, self.dead, self.stamp, self.clock, self.room, self.seg_of_g,
            self.seg_pos, self.out_x, self.out_w, self.er_round, self.fr_round, self.drop_pr, self.drop_rk,
            self.cz, self.cfr, self.hs, self.ws, self.hrun, self.hat, self.cost_utility, self.snap,
            self.snap_off, self.live, self.live_end, self.live_at, self.dsp, self.hop,
        )
        return int(nr), int(spent), int(e_r)

    def resume_from(self, p: int, b: int) -> int:
        """The rounds of part p that stay at endowment b (its own least change endowment)."""
        return int(resume_round(
            p, b, int(self.nr[p]), self.pptr_part, self.proj_part, self.er_round, self.fr_round, self.cz,
            self.cfr, self.out_x, self.out_w, self.a_l, self.rank, self.lc, self.pptr, self.pvot,
            self.wv, self.spend,
        ))

    def rounds_before(self, p: int, key: tuple[int, int]) -> int:
        """How many of part p's rounds come before the key (round keys never fall)."""
        return int(_first_round(key[0], key[1], False, int(self.nr[p]), int(self.pptr_part[p]), self.out_x,
                                self.out_w, self.a_l, self.rank))

    def _least(self, p: int, track: bool) -> None:
        if track:
            self.e[p] = least_change(
                p, int(self.e_r[p]), self.pptr_part, self.proj_part, self.cz, self.cfr, self.lc, self.pptr,
                self.pvot, self.wv, self.spend,
            )
        else:
            self.e[p] = INF

    def settle(self, changed: set[int], b: int, track: bool, saved: dict[int, _Saved]) -> None:
        """Make every part's run agree with the other parts' purchases: a project under a ceiling
        must drop where the purchases say (a bought one: not before its purchase). A part whose
        run stays the same with the new drops is amended; else the part with the earliest
        difference runs again, until none differs (see settle_round)."""
        pending = set(changed)
        limit = 20 * self.n_parts + 200
        refresh = np.zeros(self.n_parts, dtype=np.bool_)
        done = np.zeros(self.n_parts, dtype=np.bool_)
        carried = (np.zeros(0, dtype=np.int64),) * 3 + (np.zeros(0, dtype=np.bool_),)
        while pending or len(carried[0]):
            self.gen += 1
            found = drops_to_fix(
                np.fromiter(pending, dtype=np.int64), self.gm_ptr, self.gm_x, self.gm_cost, self.dead, self.drop_pr,
                self.drop_rk, self.buy_pr, self.buy_rk, self.cost, self.final_room, self.low_room, self.since,
                self.seen, self.gen, self.gptr, self.gidx, self.tl_cnt, self.tl_ev, self.tl_room, self.ev_pr,
                self.ev_rk, b, track, self.hop, self.cz, self.cfr, self.e, self.part_of, refresh,
            )
            carried = carry_over(
                *carried, done, self.part_of, self.seen, self.gen, self.since, self.cost, self.gptr, self.gidx,
                self.tl_cnt, self.tl_ev, self.tl_room, self.ev_pr, self.ev_rk, self.dead, self.drop_pr, self.drop_rk,
                self.buy_pr, self.buy_rk,
            )
            self.since.fill(INF)  # every drop before the next run's changes agrees, or is carried
            for q in np.flatnonzero(refresh).tolist():
                self._least(q, track)
            refresh.fill(False)
            check, d_pr, d_rk, early = (np.concatenate((a, c)) for a, c in zip(found, carried, strict=True))
            if len(check) == 0:
                return
            done.fill(False)
            p, cut, amends = settle_round(
                check, d_pr, d_rk, early, b, track, self.n_parts, self.part_of, self.nr, self.e_r, self.e,
                self.buy_pr, self.buy_rk,
                self.pptr, self.pvot, self.wv, self.lc, self.a_l, self.rank, self.thr, self.wtot,
                self.pptr_part, self.proj_part, self.vptr_part, self.vot_part, self.spend, self.vhead,
                self.out_x, self.out_w, self.er_round, self.fr_round, self.drop_pr, self.drop_rk, self.cz, self.cfr,
                self.snap, self.snap_off, self.dsp, self.vpos, self.hop, done,
            )
            self.amends += int(amends)
            if p < 0:
                return
            limit -= 1
            if limit < 0:
                raise _Unsettled
            if p not in saved:
                saved[p] = self.save(p)
            carried = (check, d_pr, d_rk, early)
            pending = self.run(p, b, track, int(cut))

    def checked(self) -> None:
        """Every drop agrees with the purchases (after settle)."""
        self.since.fill(INF)

    def save(self, p: int) -> _Saved:
        x, w = self.rounds_of(p)
        return x.copy(), w.copy(), int(self.nr[p]), int(self.spent[p]), int(self.e[p])

    def restore(self, saved: dict[int, _Saved]) -> None:
        for p, (x, w, nr, spent, e) in saved.items():
            a = int(self.pptr_part[p])
            self.out_x[a : a + nr] = x
            self.out_w[a : a + nr] = w
            self.nr[p], self.spent[p], self.e[p] = nr, spent, e
        self._events(saved)


@dataclass
class _Local:
    """The candidates alone, renumbered part by part (by threshold within a part), so that the
    arrays a part's run reads are contiguous: what `_Parts` reads of a `Support`."""

    costs: IntArray
    pptr: IntArray
    pvot: IntArray
    weights: IntArray
    rank: IntArray
    indptr: IntArray
    items: IntArray
    group_ptr: IntArray
    group_idx: IntArray
    n_voters: int
    voter_root: IntArray  # each voter's part (a root voter; -1: no candidate), see label_parts
    cand_root: IntArray  # each local candidate's part


def _rows(m: int, k: int) -> IntArray:
    """An m x k array whose rows start at 64-byte boundaries."""
    raw = np.empty(m * k + 8, dtype=np.int64)
    skip = (-raw.ctypes.data % 64) // 8
    return raw[skip : skip + m * k].reshape(m, k)


def _supporters_weight(pptr: IntArray, pvot: IntArray, weights: IntArray) -> IntArray:
    """Each project's supporters' total weight."""
    m = len(pptr) - 1
    owner = np.repeat(np.arange(m, dtype=np.int64), np.diff(pptr))
    return np.bincount(owner, weights=weights[pvot], minlength=m).astype(np.int64)


def _ranges(ptr: IntArray, xs: IntArray) -> IntArray:
    """The positions ptr[x]:ptr[x + 1] of each x in xs, one after the other."""
    starts, lens = ptr[xs], ptr[xs + 1] - ptr[xs]
    return np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()), dtype=np.int64)


def _local(support: Support, cand: IntArray, scale: int) -> tuple[_Local, IntArray]:
    """The candidates as a `_Local`, and each local project's index in `support`."""
    m = len(support.cost_list)
    n = support.n_voters
    cost = np.asarray(support.costs, dtype=np.int64)
    wtot = _supporters_weight(support.pptr, support.pvot, support.weights)
    voter_root, cand_root = label_parts(n, support.pptr, support.pvot, cand)
    order = np.lexsort(((cost[cand] * scale) // np.maximum(wtot[cand], 1), cand_root))
    orig = cand[order]
    local_of = np.full(m, -1, dtype=np.int64)
    local_of[orig] = np.arange(len(orig), dtype=np.int64)

    def gather(ptr: IntArray, values: IntArray) -> tuple[IntArray, IntArray]:
        new_ptr = np.zeros(len(orig) + 1, dtype=np.int64)
        np.cumsum(ptr[orig + 1] - ptr[orig], out=new_ptr[1:])
        return new_ptr, values[_ranges(ptr, orig)]

    pptr, pvot = gather(support.pptr, support.pvot)
    group_ptr, group_idx = gather(support.group_ptr, support.group_idx)
    voter_of_item = np.repeat(np.arange(n, dtype=np.int64), np.diff(support.indptr))
    keep = local_of[support.items] >= 0
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(voter_of_item[keep], minlength=n), out=indptr[1:])
    local = _Local(
        cost[orig], pptr, pvot, np.asarray(support.weights, dtype=np.int64),
        np.asarray(support.rank, dtype=np.int64)[orig], indptr, local_of[support.items[keep]],
        group_ptr, group_idx, n, voter_root, cand_root[order],
    )
    return local, orig


def scale_for(support: Support, cand: IntArray, money: int) -> int | None:
    """L = lcm(1..w_max) if every scaled amount fits in 63 bits (and a cost with its ceiling in one
    number, see ees_settle.cost_and_ceiling), else None."""
    if len(cand) == 0:
        return None
    costs = np.asarray(support.costs, dtype=np.int64)
    groups = int(support.group_idx.max()) + 1 if len(support.group_idx) else 0
    if int(costs[cand].max()) >= 1 << 46 or groups >= CG_SEVERAL:
        return None
    wtot = _supporters_weight(support.pptr, support.pvot, support.weights)
    w_max = int(wtot[cand].max())
    if w_max > MAX_WEIGHT or w_max <= 0:
        return None
    scale = math.lcm(*range(1, w_max + 1))
    total = int(costs[cand].sum())
    if scale * (total + max(money, 0) + 1) * 4 >= _LIMIT:
        return None
    return scale
