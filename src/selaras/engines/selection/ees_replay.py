"""The kept EES run replayed on the ledger, with a reason for every project (ees_addopt.py).

Exact spending per voter is interned (`_Spent`): equal values share one id."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from selaras.domain.selection import Reason, ReasonCode
from selaras.engines.selection.ledger import Ledger

if TYPE_CHECKING:
    from selaras.engines.selection.ees_addopt import EesState

__all__: list[str] = []


class _Spent:
    """Interned exact spending per unit weight: equal values share one id."""

    def __init__(self) -> None:
        zero = Fraction(0)
        self.val: list[Fraction] = [zero]
        self.fl: list[float] = [0.0]
        self.fl_np = np.zeros(1024)
        self.index: dict[Fraction, int] = {zero: 0}
        self.child: dict[tuple[int, int, int], int] = {}

    def after(self, s: int, c: int, w: int) -> int:
        """The id of spending s plus c / w."""
        key = (s, c, w)
        k = self.child.get(key)
        if k is None:
            y = self.val[s] + Fraction(c, w)
            k = self.index.get(y)
            if k is None:
                k = len(self.val)
                self.val.append(y)
                fy = float(y)
                self.fl.append(fy)
                if k >= len(self.fl_np):
                    grown = np.zeros(2 * len(self.fl_np))
                    grown[: len(self.fl_np)] = self.fl_np
                    self.fl_np = grown
                self.fl_np[k] = fy
                self.index[y] = k
            self.child[key] = k
        return k


def _bought_reason(round_no: int, project: int, weight: int, payment: Fraction) -> Reason:
    return Reason(
        ReasonCode.SELECTED_EQUAL_SHARES,
        {"round": round_no, "payment": float(payment), "supporters": weight, "capped": 0},
    )


def _replay(
    st: EesState, base: Ledger, kept: list[tuple[int, int]], endowment: Fraction
) -> tuple[Ledger, dict[int, Reason]]:
    """The kept run on a copy of the ledger, with its reasons: the purchases, the projects a
    ceiling drops (with the room left when they drop), and what the supporters of every other
    project had left."""
    ledger = base.copy()
    sp = _Spent()
    sid = [0] * len(st.w)
    dropped: dict[int, Reason] = {}
    alive = set(st.candidates)
    costs = st.costs
    for x in st.candidates:
        blk = ledger.ceiling_blocker(x)
        if blk is not None:
            dropped[x] = blk
            alive.discard(x)
    for t, (p, weight) in enumerate(kept):
        alive.discard(p)
        # who pays: the first supporters by spending whose weight sums to `weight`
        fl = sp.fl
        val = sp.val
        order = sorted(st.sup[p], key=lambda v: (fl[sid[v]], val[sid[v]]))
        payers: list[int] = []
        tot = 0
        for v in order:
            if tot == weight:
                break
            payers.append(v)
            tot += st.w[v]
        assert tot == weight
        drops = st.pushed_out(p, ledger.room, alive.__contains__)
        payment = Fraction(costs[p], weight)
        ledger.take(p, _bought_reason(t + 1, p, weight, payment))
        for x in drops:
            blk = ledger.ceiling_blocker(x)
            assert blk is not None
            dropped[x] = blk
            alive.discard(x)
        memo: dict[int, int] = {}
        for v in payers:
            s = sid[v]
            k = memo.get(s)
            if k is None:
                k = memo[s] = sp.after(s, costs[p], weight)
            sid[v] = k
    rejected: dict[int, Reason] = dict(dropped)
    # what the supporters of each project not bought had left (a figure for the reason, decided
    # by nothing): each distinct spending's remainder exactly, then float sums per project
    left = np.asarray([float(endowment - v) for v in sp.val], dtype=np.float64)
    support = st.support
    per_entry = left[np.asarray(sid, dtype=np.int64)[support.pvot]] * st.wf[support.pvot]
    owner = np.repeat(np.arange(len(costs), dtype=np.int64), np.diff(support.pptr))
    avail = np.bincount(owner, weights=per_entry, minlength=len(costs)).tolist()
    for p in st.candidates:
        if ledger.is_taken[p] or p in rejected:
            continue
        rejected[p] = Reason(ReasonCode.REJECTED_SUPPORTERS_BUDGET, {"available": avail[p], "cost": costs[p]})
    return ledger, rejected
