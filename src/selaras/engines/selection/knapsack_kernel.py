"""Compiled dynamic programmes of the exact rule's knapsack path (see `milp_knapsack`).

`class_states` lists, for one ceiling group at a fixed budget price, every selection of its
projects within the ceiling whose priced value q = value·S - price·cost is within `gap` of the
group's best, as Pareto states (cost, value): an expanding core around the greedy break item
(Pisinger's minknap idea), states pruned by dominance and by a Dantzig bound. `combine` then
picks one state per group within the budget (a multiple-choice knapsack by Pareto lists).

Money and values are exact int64; floats only decide pruning, always with a safety margin, so
a state is dropped only when it provably cannot reach the threshold.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["FULL", "OK", "class_states", "combine"]

OK = 0
FULL = 1  # more states than allowed: the caller gives up on this path


@njit(cache=True)
def _tol(a, b):  # type: ignore[no-untyped-def]
    return 1e-9 * (abs(a) + abs(b)) + 64.0


@njit(cache=True)
def _bound(w, q, cap, e_add, e_rem):  # type: ignore[no-untyped-def]
    """Most priced value any completion of a state (w, q) can reach within `cap`: add at most at
    efficiency e_add, remove at least at efficiency e_rem (every item outside the core)."""
    if w <= cap:
        if e_add > 0.0 and w < cap:
            return float(q) + float(cap - w) * e_add
        return float(q)
    if e_rem == np.inf:
        return -np.inf
    return float(q) - float(w - cap) * e_rem


@njit(cache=True)
def _grow(a, size):  # type: ignore[no-untyped-def]
    if size <= len(a):
        return a
    out = np.empty(max(size, 2 * len(a)), dtype=a.dtype)
    out[: len(a)] = a
    return out


@njit(cache=True)
def class_states(cost, q, val, eff, cap, gap, max_states, max_work):  # type: ignore[no-untyped-def]
    """Items sorted by efficiency q/cost, highest first (eff: +inf/-inf for cost 0).

    Returns (status, work, break, best q, out_w, out_v, out_q, out_sid, arena_parent,
    arena_item):
    the greedy base takes items [0, break); a state id names a chain of flipped items in the
    arena (-1: the base itself). The outputs hold every state within `cap` with q >= best - gap
    that was not dominated when it was made (the caller filters them again). Status FULL when a
    list would exceed `max_states` or the states handled, summed over the steps, `max_work`."""
    n = len(cost)
    w0 = 0
    q0 = 0
    v0 = 0
    b = 0
    while b < n and q[b] > 0 and w0 + cost[b] <= cap:
        w0 += cost[b]
        q0 += q[b]
        v0 += val[b]
        b += 1
    e_b = 0.0
    if b < n and q[b] > 0:
        e_b = eff[b]
    ulp = float(q0) + float(cap - w0) * e_b
    absd = np.empty(n)
    for k in range(n):
        absd[k] = abs(float(q[k]) - e_b * float(cost[k]))
    sufmin = np.full(n + 1, np.inf)
    for k in range(n - 1, b - 1, -1):
        sufmin[k] = min(sufmin[k + 1], absd[k])
    premin = np.full(n + 1, np.inf)  # premin[k]: least |d| among items [0, k]
    run = np.inf
    for k in range(b):
        run = min(run, absd[k])
        premin[k] = run

    sw = np.empty(256, np.int64)
    sv = np.empty(256, np.int64)
    sq = np.empty(256, np.int64)
    sid = np.empty(256, np.int64)
    tw = np.empty(512, np.int64)
    tv = np.empty(512, np.int64)
    tq = np.empty(512, np.int64)
    tid = np.empty(512, np.int64)
    tpar = np.empty(512, np.int64)  # for a new state: its parent id (else -2)
    m = 1
    sw[0], sv[0], sq[0], sid[0] = w0, v0, q0, -1
    par = np.empty(1024, np.int64)
    itm = np.empty(1024, np.int64)
    n_arena = 0
    ow = np.empty(1024, np.int64)
    ov = np.empty(1024, np.int64)
    oq = np.empty(1024, np.int64)
    oid = np.empty(1024, np.int64)
    ow[0], ov[0], oq[0], oid[0] = w0, v0, q0, -1
    n_out = 1
    best = q0
    s = b
    t = b - 1
    add_open = True
    rem_open = True
    side = 0
    work = 0
    while True:
        thr = ulp - float(best - gap) + _tol(ulp, float(best))
        if add_open and (t + 1 >= n or sufmin[t + 1] > thr):
            add_open = False
        if rem_open and (s - 1 < 0 or premin[s - 1] > thr):
            rem_open = False
        if not add_open and not rem_open:
            break
        if m == 0:
            break
        if side == 0 and add_open or (side == 1 and not rem_open):
            t += 1
            j = t
            dw, dv, dq = cost[j], val[j], q[j]
        else:
            s -= 1
            j = s
            dw, dv, dq = -cost[j], -val[j], -q[j]
        side = 1 - side
        e_add = eff[t + 1] if t + 1 < n else -np.inf
        e_rem = eff[s - 1] if s >= 1 else np.inf
        # merge old states and flipped states (both sorted by cost); keep the Pareto ones
        tw = _grow(tw, 2 * m)
        tv = _grow(tv, 2 * m)
        tq = _grow(tq, 2 * m)
        tid = _grow(tid, 2 * m)
        tpar = _grow(tpar, 2 * m)
        i = 0
        k = 0
        r = 0
        top = np.iinfo(np.int64).min
        while i < m or k < m:
            take_old = False
            if k >= m:
                take_old = True
            elif i < m:
                wo, wn = sw[i], sw[k] + dw
                if wo < wn or (wo == wn and sv[i] >= sv[k] + dv):
                    take_old = True
            if take_old:
                cw, cv, cq, ci, cp = sw[i], sv[i], sq[i], sid[i], -2
                i += 1
            else:
                cw, cv, cq, ci, cp = sw[k] + dw, sv[k] + dv, sq[k] + dq, -1, sid[k]
                k += 1
            if cv <= top:
                continue
            top = cv
            if cw < 0:
                continue
            threshold = float(best - gap)
            if _bound(cw, cq, cap, e_add, e_rem) < threshold - _tol(float(cq), threshold):
                continue
            tw[r], tv[r], tq[r], tid[r], tpar[r] = cw, cv, cq, ci, cp
            r += 1
        work += m + r
        if r > max_states or work > max_work:
            return FULL, work, b, best, ow[:0], ov[:0], oq[:0], oid[:0], par[:0], itm[:0]
        sw = _grow(sw, r)
        sv = _grow(sv, r)
        sq = _grow(sq, r)
        sid = _grow(sid, r)
        for u in range(r):
            if tpar[u] != -2:  # a new state: into the arena
                par = _grow(par, n_arena + 1)
                itm = _grow(itm, n_arena + 1)
                par[n_arena] = tpar[u]
                itm[n_arena] = j
                tid[u] = n_arena
                n_arena += 1
                if tw[u] <= cap:
                    if tq[u] > best:
                        best = tq[u]
                    if tq[u] >= best - gap:
                        ow = _grow(ow, n_out + 1)
                        ov = _grow(ov, n_out + 1)
                        oq = _grow(oq, n_out + 1)
                        oid = _grow(oid, n_out + 1)
                        ow[n_out], ov[n_out], oq[n_out], oid[n_out] = tw[u], tv[u], tq[u], tid[u]
                        n_out += 1
            sw[u], sv[u], sq[u], sid[u] = tw[u], tv[u], tq[u], tid[u]
        m = r
    return OK, work, b, best, ow[:n_out], ov[:n_out], oq[:n_out], oid[:n_out], par[:n_arena], itm[:n_arena]


@njit(cache=True)
def _fits(d, w, budget, rest, gap, price):  # type: ignore[no-untyped-def]
    """Within the budget, and the shortfall plus the price of the budget that must stay unused
    (even if every later class adds its most) within the gap."""
    if w > budget or d > gap:
        return False
    idle = budget - w - rest
    return idle <= 0 or float(d) + float(price) * float(idle) <= float(gap) + 1e-9 * float(gap) + 64.0


@njit(cache=True)
def combine(ptr, w, v, delta, budget, gap, price, max_states):  # type: ignore[no-untyped-def]
    """One entry per class (entries ptr[c]:ptr[c+1], Pareto by cost), total cost within
    `budget`, total delta plus price x unused budget within `gap`, most value. Returns (status,
    best value, chosen entry of each class) with value -1 and no choice when nothing fits."""
    n_cls = len(ptr) - 1
    rest = np.zeros(n_cls + 1, np.int64)  # most cost the classes after c can add
    for c in range(n_cls - 1, -1, -1):
        most = 0
        for e in range(ptr[c], ptr[c + 1]):
            most = max(most, w[e])
        rest[c] = rest[c + 1] + most
    cw = np.zeros(1, np.int64)
    cv = np.zeros(1, np.int64)
    cd = np.zeros(1, np.int64)
    cnode = np.full(1, -1, np.int64)
    node_par = np.empty(1024, np.int64)
    node_ent = np.empty(1024, np.int64)
    n_node = 0
    for c in range(n_cls):
        a, z = ptr[c], ptr[c + 1]
        count = 0
        for i in range(len(cw)):
            for e in range(a, z):
                if _fits(cd[i] + delta[e], cw[i] + w[e], budget, rest[c + 1], gap, price):
                    count += 1
        if count > max_states:
            return FULL, -1, np.full(n_cls, -1, np.int64)
        xw = np.empty(count, np.int64)
        xv = np.empty(count, np.int64)
        xd = np.empty(count, np.int64)
        xi = np.empty(count, np.int64)
        xe = np.empty(count, np.int64)
        r = 0
        for i in range(len(cw)):
            for e in range(a, z):
                if _fits(cd[i] + delta[e], cw[i] + w[e], budget, rest[c + 1], gap, price):
                    xw[r], xv[r], xd[r], xi[r], xe[r] = cw[i] + w[e], cv[i] + v[e], cd[i] + delta[e], i, e
                    r += 1
        order = np.argsort(xw * 0 - xv, kind="mergesort")  # value, highest first ...
        order = order[np.argsort(xw[order], kind="mergesort")]  # ... within cost, lowest first
        keep = np.empty(count, np.int64)
        kept = 0
        top = np.iinfo(np.int64).min
        for o in order:
            if xv[o] > top:
                top = xv[o]
                keep[kept] = o
                kept += 1
        nw = np.empty(kept, np.int64)
        nv = np.empty(kept, np.int64)
        nd = np.empty(kept, np.int64)
        nn = np.empty(kept, np.int64)
        for u in range(kept):
            o = keep[u]
            nw[u], nv[u], nd[u] = xw[o], xv[o], xd[o]
            node_par = _grow(node_par, n_node + 1)
            node_ent = _grow(node_ent, n_node + 1)
            node_par[n_node] = cnode[xi[o]]
            node_ent[n_node] = xe[o]
            nn[u] = n_node
            n_node += 1
        cw, cv, cd, cnode = nw, nv, nd, nn
        if kept == 0:
            return OK, -1, np.full(n_cls, -1, np.int64)
    best_i = 0
    for i in range(len(cv)):
        if cv[i] > cv[best_i]:
            best_i = i
    chosen = np.full(n_cls, -1, np.int64)
    node = cnode[best_i]
    c = n_cls - 1
    while node >= 0:
        chosen[c] = node_ent[node]
        node = node_par[node]
        c -= 1
    return OK, cv[best_i], chosen
