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

From `COMPILED_MIN_CANDIDATES` candidates on, the same signature heap runs compiled
(`phragmen_kernel`): float loads with error bounds, a window decided by floats only when the
bounds prove it, else settled here with exact fractions. Exact loads of the load classes are then
computed only when such a window needs them (each class from its purchase and its parents' classes,
memoised); the loads in reasons are the kernel's floats (within 1e-9 relative of the exact load,
the exact load rounded when a window was settled exactly).
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


def sequential_phragmen(
    support: Support, ledger: Ledger, candidates: IntArray, compiled: bool | None = None
) -> list[int]:
    """Run sequential Phragmén on `candidates`; purchases go to `ledger`. Returns the order.

    `compiled`: the compiled kernel (`phragmen_kernel`), by default only from
    `COMPILED_MIN_CANDIDATES` candidates on (loading it costs more than small instances take)."""
    if compiled is None:
        compiled = len(candidates) >= COMPILED_MIN_CANDIDATES
    if compiled and _compilable(support):
        bought = _sequential_phragmen_compiled(support, ledger, candidates)
        if bought is not None:
            return bought
    return _sequential_phragmen_python(support, ledger, candidates)


def _sequential_phragmen_python(support: Support, ledger: Ledger, candidates: IntArray) -> list[int]:
    """The signature heap in plain Python (see the module docstring)."""
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


COMPILED_MIN_CANDIDATES = 2_000
_EXACT_FLOAT = 2**53


def _compilable(support: Support) -> bool:
    """Amounts a double holds exactly, and few enough supporters per project that the kernel's
    error bounds stay tiny (a bound grows by 2^-52 per supporter)."""
    if not len(support.costs):
        return False
    most = int(np.diff(support.pptr).max(initial=0))
    return (
        int(support.costs.max()) < _EXACT_FLOAT
        and int(support.weights.max(initial=0)) < _EXACT_FLOAT
        and int(support.approvals.max(initial=0)) < _EXACT_FLOAT
        and most < 1_000_000
    )


_HASH_SEED = 20260415


def _signatures(support: Support, cand: IntArray) -> tuple[IntArray, IntArray] | None:
    """(signature of each candidate, first candidate of each signature): supported candidates
    grouped by their supporter set (a sum of random 63-bit words per voter, then checked voter by
    voter), each unsupported one alone. None if two different sets share a hash."""
    pptr, pvot = support.pptr, support.pvot
    m = len(cand)
    lens = pptr[cand + 1] - pptr[cand]
    words = np.random.default_rng(_HASH_SEED).integers(0, 2**63, support.n_voters, dtype=np.int64)
    off = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(lens, out=off[1:])
    total = int(off[-1])
    at = np.repeat(pptr[cand] - off[:-1], lens) + np.arange(total, dtype=np.int64)
    sums = np.zeros(m, dtype=np.int64)
    has = lens > 0
    if total:
        with np.errstate(over="ignore"):
            sums[has] = np.add.reduceat(words[pvot[at]], off[:-1][has])
    # unsupported candidates: a key of their own (length 0, their position)
    sums[~has] = np.flatnonzero(~has)
    _, first, sid = np.unique(sums, return_index=True, return_inverse=True)
    sid = sid.reshape(-1).astype(np.int64)
    head_of = cand[first][sid]
    if not bool(np.array_equal(lens, lens[first][sid])):
        return None
    at_head = np.repeat(pptr[head_of] - off[:-1], lens) + np.arange(total, dtype=np.int64)
    if total and not bool(np.array_equal(pvot[at], pvot[at_head])):
        return None
    return sid, np.ascontiguousarray(cand[first], dtype=np.int64)


def _sequential_phragmen_compiled(support: Support, ledger: Ledger, candidates: IntArray) -> list[int] | None:
    """Sequential Phragmén by the compiled kernel, windows of near ties settled here exactly.
    None (ledger untouched) if the kernel's error bounds grew too large."""
    from selaras.engines.selection import phragmen_kernel as pk

    costs = support.costs
    approvals = support.approvals
    pptr_a, pvot_a = support.pptr, support.pvot
    cand = np.asarray(candidates, dtype=np.int64)
    fits = costs[cand] <= ledger.remaining + ledger.spent  # pabutools: cost > budget limit
    too_big = cand[~fits]
    cand = cand[fits]
    m = len(cand)

    # signatures: same supporters -> one queue ordered by (cost, rank); unsupported projects alone
    grouped = _signatures(support, cand)
    if grouped is None:  # two supporter sets with the same hash: group them one by one
        pptr: list[int] = pptr_a.tolist()
        pvot: list[int] = pvot_a.tolist()
        appr: list[int] = approvals.tolist()
        sig_of: dict[tuple[int, ...], int] = {}
        sid = np.empty(m, dtype=np.int64)
        first_of: list[int] = []
        for i, p in enumerate(cand.tolist()):
            key = tuple(pvot[pptr[p]:pptr[p + 1]]) if appr[p] else (-1 - p,)
            k = sig_of.get(key)
            if k is None:
                k = sig_of[key] = len(first_of)
                first_of.append(p)
            sid[i] = k
        heads = np.asarray(first_of, dtype=np.int64)
    else:
        sid, heads = grouped
    n_sig = len(heads)
    sig_w = approvals[heads].astype(np.int64) if n_sig else np.zeros(0, dtype=np.int64)
    sig_len = np.where(sig_w > 0, pptr_a[heads + 1] - pptr_a[heads], 0) if n_sig else np.zeros(0, dtype=np.int64)
    sig_ptr = np.zeros(n_sig + 1, dtype=np.int64)
    np.cumsum(sig_len, out=sig_ptr[1:])
    total = int(sig_ptr[-1])
    if total:
        starts = np.repeat(pptr_a[heads] - sig_ptr[:-1], sig_len)
        sig_vot = pvot_a[starts + np.arange(total, dtype=np.int64)]
    else:
        sig_vot = np.zeros(0, dtype=np.int64)
    order = np.lexsort((support.rank[cand], costs[cand], sid))
    q_proj = np.ascontiguousarray(cand[order])
    q_ptr = np.zeros(n_sig + 1, dtype=np.int64)
    np.cumsum(np.bincount(sid, minlength=n_sig), out=q_ptr[1:])
    q_head = q_ptr[:-1].copy()
    sig_of_vot = np.repeat(np.arange(n_sig, dtype=np.int64), sig_len)
    n = support.n_voters
    # stable; 16-bit keys are sorted by radix (linear) when there are few voters
    vs_order = np.argsort(sig_vot.astype(np.uint16) if n <= 0xFFFF else sig_vot, kind="stable")
    vs_idx = np.ascontiguousarray(sig_of_vot[vs_order])
    vs_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sig_vot, minlength=n), out=vs_ptr[1:])

    st = np.zeros(pk.ST_SIZE, dtype=np.int64)
    st[pk.ST_REMAINING] = ledger.remaining
    st[pk.ST_STOP] = -1
    fbuf = np.zeros(2)
    cap = max(n_sig, 1)
    hkey, hrank, hk = np.zeros(cap), np.zeros(cap, dtype=np.int64), np.zeros(cap, dtype=np.int64)
    s_p, s_key, s_err = np.zeros(cap, dtype=np.int64), np.zeros(cap), np.zeros(cap)
    s_ver, ver = np.zeros(cap, dtype=np.int64), np.zeros(cap, dtype=np.int64)
    live, tied = np.zeros(cap, dtype=np.int64), np.zeros(cap, dtype=np.int64)
    lf, le = np.zeros(n), np.zeros(n)
    lcls = np.zeros(n, dtype=np.int64)
    out_q = np.zeros(max(m, 1), dtype=np.int64)
    out_load = np.zeros(max(m, 1))
    cls_q = np.zeros(m + 2, dtype=np.int64)
    par_ptr = np.zeros(m + 2, dtype=np.int64)
    par = np.zeros(max(int((pptr_a[cand + 1] - pptr_a[cand]).sum()), 1), dtype=np.int64)
    rej_p = np.zeros(max(m, 1), dtype=np.int64)
    rej_g = np.zeros(max(m, 1), dtype=np.int64)
    rej_room = np.zeros(max(m, 1), dtype=np.int64)
    room = np.asarray([0 if r is None else r for r in ledger.room], dtype=np.int64)
    has_ceiling = np.asarray([r is not None for r in ledger.room], dtype=np.bool_)

    weights: list[int] = support.weights.tolist()
    cost_l = support.cost_list
    exact: dict[int, Fraction] = {0: Fraction(0)}

    def class_load(cl: int) -> Fraction:
        """The exact load of class cl, from its purchase and its parents' loads (memoised)."""
        stack = [cl]
        while stack:
            x = stack[-1]
            if x in exact:
                stack.pop()
                continue
            parents = par[par_ptr[x]:par_ptr[x + 1]].tolist()
            missing = [y for y in set(parents) if y not in exact]
            if missing:
                stack.extend(missing)
                continue
            q = int(cls_q[x])
            per: dict[int, int] = {}
            for v, y in zip(pvot_a[pptr_a[q]:pptr_a[q + 1]].tolist(), parents, strict=True):
                per[y] = per.get(y, 0) + weights[v]
            s = sum((exact[y] * wt for y, wt in per.items() if y), Fraction(0))
            exact[x] = (s + cost_l[q]) / int(approvals[q])
            stack.pop()
        return exact[cl]

    def exact_load(p: int) -> Fraction:
        per: dict[int, int] = {}
        sup = pvot_a[pptr_a[p]:pptr_a[p + 1]]
        for v, y in zip(sup.tolist(), lcls[sup].tolist(), strict=True):
            per[y] = per.get(y, 0) + weights[v]
        s = sum((class_load(y) * wt for y, wt in per.items() if y), Fraction(0))
        return (s + cost_l[p]) / int(approvals[p])

    while True:
        status = pk.phragmen_kernel(
            st, fbuf, hkey, hrank, hk, s_p, s_key, s_err, s_ver,
            sig_ptr, sig_vot, sig_w, q_ptr, q_proj, q_head, ver, vs_ptr, vs_idx,
            lf, le, lcls, costs, support.rank, support.wf, pptr_a, pvot_a,
            ledger.group_ptr, ledger.group_idx, room, has_ceiling,
            live, tied,
            out_q, out_load, cls_q, par_ptr, par,
            rej_p, rej_g, rej_room,
        )
        if status == pk.FALLBACK:
            return None
        if status == pk.DONE:
            break
        window = s_p[live[: int(st[pk.ST_LIVE])]].tolist()
        loads = [exact_load(p) for p in window]
        best = min(loads)
        tied[: len(window)] = [int(x == best) for x in loads]
        fbuf[0] = float(best)
        fbuf[1] = fbuf[0] * 2.0**-52  # a correctly rounded fraction: half an ulp at most
        exact[int(st[pk.ST_CLASSES]) + 1] = best  # the class a purchase now makes

    start = ledger.remaining
    for p in too_big.tolist():
        ledger.reject(p, Reason(ReasonCode.REJECTED_BUDGET, {"remaining": start, "cost": cost_l[p]}))
    keys = ledger.group_keys
    n_rej = int(st[pk.ST_REJECTED])
    for p, g, r in zip(rej_p[:n_rej].tolist(), rej_g[:n_rej].tolist(), rej_room[:n_rej].tolist(), strict=True):
        ledger.reject(p, Reason(ReasonCode.REJECTED_CEILING, {"group": keys[g], "remaining": r, "cost": cost_l[p]}))
    n_bought = int(st[pk.ST_BOUGHT])
    bought: list[int] = out_q[:n_bought].tolist()
    for i, (q, x) in enumerate(zip(bought, out_load[:n_bought].tolist(), strict=True), start=1):
        load = None if x != x else x  # NaN: an unsupported project, no load
        ledger.take(q, Reason(ReasonCode.SELECTED_PHRAGMEN, {"round": i, "load": load}))
    first = int(st[pk.ST_STOP])
    if first >= 0:
        stop = Reason(ReasonCode.REJECTED_PHRAGMEN_STOPPED, {"blocking": _id(support, first), "remaining": ledger.remaining})
        done = np.zeros(len(costs), dtype=np.bool_)
        done[out_q[:n_bought]] = True
        done[rej_p[:n_rej]] = True
        done[first] = True
        for p in cand[~done[cand]].tolist():
            ledger.reject(p, stop)
        ledger.reject(first, Reason(ReasonCode.REJECTED_BUDGET, {"remaining": ledger.remaining, "cost": cost_l[first]}))
    return bought


def prepare_kernel() -> None:
    """Load the compiled kernel now (compiled on the first call, then cached on disk)."""
    from selaras.engines.selection.model import SelectionInstance

    inst = SelectionInstance.build(["a", "b", "c"], [1, 2, 2], 3, [["a", "b"], ["b", "c"]])
    support = Support(inst)
    sequential_phragmen(support, Ledger(inst, support), np.arange(3, dtype=np.int64), compiled=True)
