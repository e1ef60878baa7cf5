"""Sequential Phragmén: supporters earn money continuously; the first project its supporters can
buy is bought, and their loads become equal. Stops when the next project does not fit.

Loads are exact fractions kept per load class (all supporters of a bought project share one
load); candidates are ranked in floats and every near tie (relative 1e-7) is settled exactly.
"""

from __future__ import annotations

import heapq
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason, ReasonCode
from selaras.engines.selection.ledger import Ledger, Support

__all__ = ["sequential_phragmen"]

TOL = 1e-7
INF = float("inf")
IntArray = npt.NDArray[np.int64]


def sequential_phragmen(support: Support, ledger: Ledger, candidates: IntArray) -> list[int]:
    """Run sequential Phragmén on `candidates`; purchases go to `ledger`. Returns the order."""
    n = support.n_voters
    costs = support.cost_list
    approvals = support.approvals
    rank = support.rank
    pptr, pvot, wf = support.pptr, support.pvot, support.wf
    lcls = np.zeros(n, dtype=np.int64)
    lf = np.zeros(n)
    lval: list[Fraction] = [Fraction(0)]
    ver = np.zeros(len(costs), dtype=np.int64)
    bought: list[int] = []

    def float_load(p: int) -> float:
        w_p = int(approvals[p])
        if w_p == 0:
            return INF
        sup = pvot[pptr[p] : pptr[p + 1]]
        s = float(lf[sup] @ wf[sup]) if len(sup) else 0.0
        return (s + costs[p]) / w_p

    def exact_load(p: int) -> Fraction | None:
        w_p = int(approvals[p])
        if w_p == 0:
            return None
        sup = pvot[pptr[p] : pptr[p + 1]]
        uniq, inv = np.unique(lcls[sup], return_inverse=True)
        wsum = np.rint(np.bincount(inv, weights=wf[sup])).astype(np.int64).tolist()
        total = sum((lval[k] * w for k, w in zip(uniq.tolist(), wsum, strict=True)), Fraction(0))
        return (total + costs[p]) / w_p

    heap: list[tuple[float, int, int, int]] = []
    for p in candidates.tolist():
        if costs[p] > ledger.remaining + ledger.spent:  # pabutools: cost > budget limit
            ledger.reject(p, Reason(ReasonCode.REJECTED_BUDGET, {"remaining": ledger.remaining, "cost": costs[p]}))
            continue
        w_p = int(approvals[p])
        heap.append((costs[p] / w_p if w_p else INF, int(rank[p]), p, 0))
    heapq.heapify(heap)
    round_no = 0
    while heap:
        top, rk, p, v = heap[0]
        if v != ver[p]:
            heapq.heappop(heap)
            heapq.heappush(heap, (float_load(p), rk, p, int(ver[p])))
            continue
        threshold = top * (1 + TOL) if top != INF else INF
        cands = []
        while heap and heap[0][0] <= threshold:
            e = heapq.heappop(heap)
            if e[3] != ver[e[2]]:
                new = float_load(e[2])
                e = (new, e[1], e[2], int(ver[e[2]]))
                if new > threshold:
                    heapq.heappush(heap, e)
                    continue
            cands.append(e)
        # drop projects that break a ceiling (never in pabutools, which has none)
        live = []
        for e in cands:
            blk = ledger.ceiling_blocker(e[2])
            if blk is not None:
                ledger.reject(e[2], blk)
            else:
                live.append(e)
        if not live:
            continue
        if top == INF:
            tied = live
            best_load: Fraction | None = None
        else:
            exact = [(exact_load(e[2]), e) for e in live]
            best_load = min(x for x, _ in exact if x is not None)
            tied = [e for x, e in exact if x == best_load]
            for x, e in exact:
                if x != best_load:
                    heapq.heappush(heap, e)
        blocking = [e for e in tied if costs[e[2]] > ledger.remaining]
        if blocking:
            first = min(blocking, key=lambda e: e[1])
            stop = Reason(
                ReasonCode.REJECTED_PHRAGMEN_STOPPED,
                {"blocking": _id(support, first[2]), "remaining": ledger.remaining},
            )
            for e in tied:
                ledger.reject(e[2], stop if e is not first else Reason(
                    ReasonCode.REJECTED_BUDGET, {"remaining": ledger.remaining, "cost": costs[e[2]]}))
            for e in heap:
                ledger.reject(e[2], stop)
            break
        tied.sort(key=lambda e: e[1])
        win = tied[0]
        for e in tied[1:]:
            heapq.heappush(heap, e)
        q = win[2]
        round_no += 1
        sup = pvot[pptr[q] : pptr[q + 1]]
        if best_load is not None and len(sup):
            lval.append(best_load)
            lcls[sup] = len(lval) - 1
            lf[sup] = float(best_load)
            ver[support.projects_of(sup)] += 1
        load = float(best_load) if best_load is not None else None
        ledger.take(q, Reason(ReasonCode.SELECTED_PHRAGMEN, {"round": round_no, "load": load}))
        bought.append(q)
    return bought


def _id(support: Support, p: int) -> str:
    return support.ids[p]
