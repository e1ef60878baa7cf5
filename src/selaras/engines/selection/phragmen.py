"""Sequential Phragmén: supporters earn money continuously; the first project its supporters can
buy is bought, and their loads become equal. Stops when the next project does not fit.

Loads are exact fractions kept per load class (all supporters of a bought project share one
load); candidates are ranked in floats and every near tie (relative 1e-7) is settled exactly.

District speed (`sequential_phragmen`): projects with the same supporters (a village's Musrenbang
proposals share the village and kecamatan forums) form one *signature*; within it the load
(c + sum of supporters' weighted loads) / weight is ordered by cost, so only its cheapest project
(ties by rank) can be next, and only signature heads sit in the heap. A purchase makes stale only
the signatures of the buyers' voters, and a stale head's load is four multiplications in plain
Python. Same decisions, same reasons as `sequential_phragmen_reference` (tested).
"""

from __future__ import annotations

import heapq
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason, ReasonCode
from selaras.engines.selection.ledger import Ledger, Support

__all__ = ["sequential_phragmen", "sequential_phragmen_reference"]

TOL = 1e-7
INF = float("inf")
IntArray = npt.NDArray[np.int64]


def sequential_phragmen_reference(support: Support, ledger: Ledger, candidates: IntArray) -> list[int]:
    """The straightforward implementation (one heap entry per project): kept for the tests of the
    fast one below, which must decide exactly as this one does."""
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


def sequential_phragmen(support: Support, ledger: Ledger, candidates: IntArray) -> list[int]:
    """Run sequential Phragmén on `candidates`; purchases go to `ledger`. Returns the order."""
    n = support.n_voters
    costs = support.cost_list
    approvals = support.approvals.tolist()
    rank = support.rank.tolist()
    pptr = support.pptr.tolist()
    pvot = support.pvot.tolist()
    wf = support.wf.tolist()
    weights = support.weights.tolist()
    lcls = [0] * n
    lf = [0.0] * n
    lval: list[Fraction] = [Fraction(0)]
    bought: list[int] = []

    # signatures: same supporters -> one queue ordered by (cost, rank); unsupported projects alone
    sig_of: dict[tuple[int, ...], int] = {}
    sig_voters: list[tuple[int, ...]] = []
    sig_weight: list[int] = []
    queues: list[list[tuple[int, int, int]]] = []
    for p in candidates.tolist():
        if costs[p] > ledger.remaining + ledger.spent:  # pabutools: cost > budget limit
            ledger.reject(p, Reason(ReasonCode.REJECTED_BUDGET, {"remaining": ledger.remaining, "cost": costs[p]}))
            continue
        voters = tuple(sorted(pvot[pptr[p]:pptr[p + 1]]))
        key = voters if approvals[p] else (-1 - p,)
        k = sig_of.get(key)
        if k is None:
            k = sig_of[key] = len(sig_voters)
            sig_voters.append(voters if approvals[p] else ())
            sig_weight.append(int(approvals[p]))
            queues.append([])
        queues[k].append((costs[p], rank[p], p))
    for queue in queues:
        queue.sort(reverse=True)  # pop() gives the cheapest, then the lowest rank
    voter_sigs: list[list[int]] = [[] for _ in range(n)]
    for k, voters in enumerate(sig_voters):
        for v in set(voters):
            voter_sigs[v].append(k)
    ver = [0] * len(sig_voters)

    def float_load(k: int, c: int) -> float:
        w = sig_weight[k]
        if w == 0:
            return INF
        s = 0.0
        for v in sig_voters[k]:
            s += lf[v] * wf[v]
        return (s + c) / w

    def exact_load(k: int, c: int) -> Fraction | None:
        w = sig_weight[k]
        if w == 0:
            return None
        # supporters share few load classes: sum the weights per class in ints, then one
        # fraction product per class (not one fraction sum per supporter)
        per: dict[int, int] = {}
        for v in sig_voters[k]:
            cl = lcls[v]
            per[cl] = per.get(cl, 0) + weights[v]
        total = sum((lval[cl] * wt for cl, wt in per.items() if cl), Fraction(0))
        return (total + c) / w

    def head(k: int) -> tuple[float, int, int, int, int] | None:
        if not queues[k]:
            return None
        c, rk, p = queues[k].pop()
        return (float_load(k, c), rk, p, ver[k], k)

    heap: list[tuple[float, int, int, int, int]] = []
    for k in range(len(queues)):
        e = head(k)
        if e is not None:
            heap.append(e)
    heapq.heapify(heap)

    def push_next(k: int) -> None:
        e = head(k)
        if e is not None:
            heapq.heappush(heap, e)

    round_no = 0
    while heap:
        top, rk, p, v, k = heap[0]
        if v != ver[k]:
            heapq.heappop(heap)
            heapq.heappush(heap, (float_load(k, costs[p]), rk, p, ver[k], k))
            continue
        threshold = top * (1 + TOL) if top != INF else INF
        live = []
        while heap and heap[0][0] <= threshold:
            e = heapq.heappop(heap)
            if e[3] != ver[e[4]]:
                new = float_load(e[4], costs[e[2]])
                e = (new, e[1], e[2], ver[e[4]], e[4])
                if new > threshold:
                    heapq.heappush(heap, e)
                    continue
            # drop projects that break a ceiling (never in pabutools, which has none); the next of
            # the same signature may be tied, so it joins this window
            blk = ledger.ceiling_blocker(e[2])
            if blk is not None:
                ledger.reject(e[2], blk)
                push_next(e[4])
                continue
            live.append(e)
        if not live:
            continue
        if top == INF:
            tied = live
            best_load: Fraction | None = None
        else:
            exact = [(exact_load(e[4], costs[e[2]]), e) for e in live]
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
            for rest in queues:
                for _, _, p_rest in rest:
                    ledger.reject(p_rest, stop)
                rest.clear()
            break
        tied.sort(key=lambda e: e[1])
        win = tied[0]
        for e in tied[1:]:
            heapq.heappush(heap, e)
        q = win[2]
        round_no += 1
        sup = pvot[pptr[q]:pptr[q + 1]]
        if best_load is not None and sup:
            lval.append(best_load)
            cls = len(lval) - 1
            load_f = float(best_load)
            touched: set[int] = set()
            for v in sup:
                lcls[v] = cls
                lf[v] = load_f
                touched.update(voter_sigs[v])
            for s_k in touched:
                ver[s_k] += 1
        load = float(best_load) if best_load is not None else None
        ledger.take(q, Reason(ReasonCode.SELECTED_PHRAGMEN, {"round": round_no, "load": load}))
        bought.append(q)
        push_next(win[4])
    return bought
