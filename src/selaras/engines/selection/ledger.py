"""Shared state of a selection run: money left, ceilings, supporters, the id order for ties."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason, ReasonCode
from selaras.engines.selection.model import SelectionInstance

__all__ = ["Support", "Ledger", "exact_ratio_order"]

IntArray = npt.NDArray[np.int64]

# from this many ballot entries on, the ballots are turned around by a compiled pass
# (support_kernel.py; the numpy way costs more than the rules on a city ballot)
COMPILED_MIN_ENTRIES = 20_000


class Support:
    """Supporters per project (CSC of the ballots), weights and the tie-breaking rank."""

    def __init__(self, inst: SelectionInstance) -> None:
        m = inst.n_projects
        n = inst.n_voters
        self.pptr: IntArray
        self.pvot: IntArray
        if len(inst.items) >= COMPILED_MIN_ENTRIES:
            from selaras.engines.selection.support_kernel import by_project

            self.pptr, self.pvot = by_project(inst.indptr, inst.items, inst.weights, m)
        else:
            counts = np.diff(inst.indptr)
            voter_of_item = np.repeat(np.arange(n, dtype=np.int64), counts)
            if n == 0 or int(inst.weights.min()) > 0:
                items, voters = inst.items, voter_of_item  # every ballot counts: no copy
            else:
                keep = inst.weights[voter_of_item] > 0
                items = inst.items[keep]
                voters = voter_of_item[keep]
            # stable: the same permutation either way; with fewer than 2^16 projects numpy sorts the
            # 16-bit keys by radix (linear), several times faster on city ballots with many voters
            keys = items.astype(np.uint16) if m <= 0xFFFF else items
            order = np.argsort(keys, kind="stable")
            self.pvot = voters[order]
            self.pptr = np.zeros(m + 1, dtype=np.int64)
            np.cumsum(np.bincount(items, minlength=m), out=self.pptr[1:])
        self.weights: IntArray = inst.weights
        self.wf = inst.weights.astype(np.float64)
        self.unit_weights = bool(n == 0 or int(inst.weights.max()) <= 1)
        if self.unit_weights:
            self.approvals: IntArray = np.diff(self.pptr)
        else:
            owner = np.repeat(np.arange(m, dtype=np.int64), np.diff(self.pptr))
            self.approvals = np.bincount(
                owner, weights=inst.weights[self.pvot].astype(np.float64), minlength=m
            ).astype(np.int64)
        self.total_weight = int(inst.weights.sum())
        self.n_voters = n
        self.indptr = inst.indptr
        self.items = inst.items
        # Ties are broken by project id, compared as strings (as pabutools does by name).
        ids = inst.project_ids
        ranked = sorted(range(m), key=ids.__getitem__)
        self.rank: IntArray = np.empty(m, dtype=np.int64)
        self.rank[np.asarray(ranked, dtype=np.int64)] = np.arange(m, dtype=np.int64)
        # the id order (outcomes are listed in it); `rank` may be replaced by a variant's ties
        self.id_rank: IntArray = self.rank
        self.ids = inst.project_ids
        self.index: dict[str, int] = {p: i for i, p in enumerate(ids)}
        self.group_members: list[IntArray] = list(inst.group_indices)
        self.costs = inst.costs
        self.cost_list: list[int] = inst.costs.tolist()
        # groups of each project: tuples for Python loops, and the same as CSR arrays (groups of
        # p are group_idx[group_ptr[p]:group_ptr[p + 1]]) for the compiled kernels
        self.groups_of: list[tuple[int, ...]] = [()] * m
        self.group_ptr: IntArray = np.zeros(m + 1, dtype=np.int64)
        self.group_idx: IntArray = np.zeros(0, dtype=np.int64)
        members = self.group_members
        if members:
            proj = np.concatenate(members)
            grp = np.repeat(np.arange(len(members), dtype=np.int64), [len(x) for x in members])
            self.group_ptr[1:] = np.cumsum(np.bincount(proj, minlength=m))
            self.group_idx = grp[np.lexsort((grp, proj))]
            grp_s = self.group_idx.tolist()
            ptr = self.group_ptr.tolist()
            self.groups_of = [tuple(grp_s[ptr[p] : ptr[p + 1]]) for p in range(m)]

    def supporters(self, p: int) -> IntArray:
        """Voter indices supporting project p."""
        return self.pvot[self.pptr[p] : self.pptr[p + 1]]

    def projects_of(self, voters: IntArray) -> IntArray:
        """All project indices on the ballots of the given voters (with repeats)."""
        starts = self.indptr[voters]
        lens = self.indptr[voters + 1] - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        offsets = np.cumsum(lens) - lens
        idx = np.repeat(starts - offsets, lens) + np.arange(total, dtype=np.int64)
        return self.items[idx]


class Ledger:
    """Money left overall and per ceiling group; what was taken, in order, and why."""

    def __init__(self, inst: SelectionInstance, support: Support) -> None:
        m = inst.n_projects
        self.group_keys = [g.key for g in inst.groups]
        self.room: list[int | None] = [g.ceiling for g in inst.groups]
        self.spent_group = [0] * len(inst.groups)
        # the groups of each project, fixed by the instance: shared with the support
        self.groups_of = support.groups_of
        self.group_ptr = support.group_ptr
        self.group_idx = support.group_idx
        self.remaining = inst.budget
        self.spent = 0
        self.cost = support.cost_list
        self.taken: list[int] = []
        self.is_taken = np.zeros(m, dtype=bool)
        self.reasons: dict[int, Reason] = {}

    def copy(self) -> Ledger:
        """An independent copy (for reruns with a larger voter budget)."""
        other = Ledger.__new__(Ledger)
        other.group_keys = self.group_keys
        other.room = list(self.room)
        other.spent_group = list(self.spent_group)
        other.groups_of = self.groups_of
        other.group_ptr = self.group_ptr
        other.group_idx = self.group_idx
        other.remaining = self.remaining
        other.spent = self.spent
        other.cost = self.cost
        other.taken = list(self.taken)
        other.is_taken = self.is_taken.copy()
        other.reasons = dict(self.reasons)
        return other

    def _full_ceiling(self, p: int) -> int:
        """The first group (in p's group order) whose ceiling p does not fit under, or -1."""
        c = self.cost[p]
        room = self.room
        for g in self.groups_of[p]:
            r = room[g]
            if r is not None and c > r:
                return g
        return -1

    def _ceiling_reason(self, g: int, p: int) -> Reason:
        """`rejected_ceiling` for p under the full group g."""
        return Reason(
            ReasonCode.REJECTED_CEILING,
            {"group": self.group_keys[g], "remaining": self.room[g], "cost": self.cost[p]},
        )

    def blocker(self, p: int) -> Reason | None:
        """Why p cannot be added now (budget or a ceiling), or None if it fits."""
        g = self._full_ceiling(p)
        if g >= 0:
            return self._ceiling_reason(g, p)
        c = self.cost[p]
        if c > self.remaining:
            return Reason(ReasonCode.REJECTED_BUDGET, {"remaining": self.remaining, "cost": c})
        return None

    def ceiling_blocker(self, p: int) -> Reason | None:
        """Like `blocker`, ceilings only."""
        g = self._full_ceiling(p)
        return self._ceiling_reason(g, p) if g >= 0 else None

    def take(self, p: int, reason: Reason) -> None:
        """Select p (the caller has checked that it fits, or forces it: mandatory)."""
        c = self.cost[p]
        self.taken.append(p)
        self.is_taken[p] = True
        self.remaining -= c
        self.spent += c
        for g in self.groups_of[p]:
            self.spent_group[g] += c
            room = self.room[g]
            if room is not None:
                self.room[g] = room - c
        self.reasons[p] = reason

    def reject(self, p: int, reason: Reason) -> None:
        """Record why p was not selected (a later phase may still select it)."""
        self.reasons[p] = reason


def exact_ratio_order(num: IntArray, den: IntArray, rank: IntArray, idx: IntArray) -> IntArray:
    """Order `idx` by num/den descending (den 0 with num > 0 first, as infinity), then rank.

    Sorted with floats, then every run of nearly equal floats is re-sorted with exact fractions:
    two different fractions with 64-bit parts can round to the same double.
    """
    if len(idx) == 0:
        return idx
    n = num[idx].astype(np.float64)
    d = den[idx].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.where(d > 0, n / np.where(d > 0, d, 1.0), np.where(n > 0, np.inf, 0.0))
    order = np.lexsort((rank[idx], -val))
    out = idx[order]
    v = val[order]
    finite = np.isfinite(v)
    close = np.zeros(len(v), dtype=bool)
    if len(v) > 1:
        with np.errstate(invalid="ignore"):
            same = (np.abs(v[1:] - v[:-1]) <= 1e-12 * np.abs(v[1:])) & finite[1:] & finite[:-1]
        close[1:] = same
    if not close.any() or bool(np.all(den[idx] == 1)):
        return out
    result = out.tolist()
    i = 0
    k = len(result)
    while i < k:
        j = i + 1
        while j < k and close[j]:
            j += 1
        if j - i > 1:
            seg = result[i:j]
            reduced = set()
            for p in seg:
                a, b = int(num[p]), int(den[p]) or 1
                g = math.gcd(a, b) or 1
                reduced.add((a // g, b // g))
            if len(reduced) > 1:  # floats tie but fractions differ: sort exactly
                seg.sort(key=lambda p: (-Fraction(int(num[p]), int(den[p]) or 1), int(rank[p])))
                result[i:j] = seg
        i = j
    return np.asarray(result, dtype=np.int64)
