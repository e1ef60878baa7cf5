"""Compiled MES with cost utilities in float arithmetic that knows its own rounding error.

Every voter budget carries an upper bound of its absolute rounding error next to its value, and
so does every sum, payment and price computed from budgets. A comparison is *decided* when the
two intervals do not overlap; then the float answer is the exact rational answer. When any
comparison the method depends on is undecided (an affordability check, who pays all they have,
or the order of two prices in the queue), the kernel stops and reports it, and the caller reruns
with exact fractions. So the kernel either returns exactly what exact arithmetic returns, or
nothing.

The queue is two binary heaps: *simple* prices (no supporter pays all they have: the price per
unit of cost is exactly 1/w, which a correctly rounded float orders exactly) and *capped* prices
(with a rounding error). Heap rows are float64 [price, rank, project, version, error].
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["OK", "UNDECIDED", "mes_cost_kernel"]

OK = 0
UNDECIDED = 1

_EPS = 2.0**-52  # twice the unit roundoff: every bound below is generous by at least 2

# verdicts of _evaluate
_UNAFFORDABLE = 0
_SIMPLE = 1
_CAPPED = 2
_AMBIGUOUS = 3

_W_SPAN = 1 << 24  # voter weights are below this (checked by the caller)

# heap row columns
_F, _RANK, _P, _VER, _ERR = 0, 1, 2, 3, 4


@njit(cache=True)
def _evaluate(p, c, b, eb, pptr, pvot, wv, cap_out):  # type: ignore[no-untyped-def]
    """(verdict, price or available money, its error bound, supporters' weight, capped weight,
    payment per unit weight of those who do not pay all they have, its error bound).

    `cap_out[j]` is set to 1 for the j-th supporter of p who pays all they have left."""
    a = pptr[p]
    z = pptr[p + 1]
    k = z - a
    w_total = 0
    total = 0.0
    e_total = 0.0
    w_zero = 0  # weight of supporters with exactly nothing left (they pay nothing)
    bmin = np.inf
    ebmin = 0.0
    for i in range(a, z):
        v = pvot[i]
        w = wv[v]
        w_total += w
        cap_out[i - a] = 0
        if b[v] == 0.0 and eb[v] == 0.0:
            w_zero += w
            cap_out[i - a] = 1
            continue
        total += b[v] * w
        e_total += eb[v] * w
        if b[v] - eb[v] < bmin - ebmin:
            bmin = b[v]
            ebmin = eb[v]
    e_total += _EPS * total * (k + 2)
    cf = float(c)
    if total + e_total < cf:
        return _UNAFFORDABLE, total, e_total, w_total, 0, 0.0, 0.0
    if total - e_total < cf:
        return _AMBIGUOUS, 0.0, 0.0, w_total, 0, 0.0, 0.0
    # the others all pay c / (their weight): the price is exactly 1 / (their weight)
    t = cf / (w_total - w_zero)
    et = _EPS * t
    if bmin - ebmin >= t + et:
        price = 1.0 / (w_total - w_zero)
        return _SIMPLE, price, _EPS * price, w_total, w_zero, t, et
    # Supporters in increasing budget order until one surely pays the price. Only those whose
    # budget could be below it are sorted, in batches: a batch is every budget up to the price
    # plus both error bounds at that moment; the price rises as supporters are capped, and the
    # next batch (all budgets above the last) is taken only if no one of the batch broke off.
    # The order is the same as one sort of all budgets (ties by position), at O(k) per batch.
    ebmax = 0.0
    for i in range(a, z):
        ebmax = max(ebmax, eb[pvot[i]])
    s = 0.0
    es = 0.0
    r = w_total - w_zero
    w_cap = w_zero
    done_below = -np.inf
    batch = np.empty(k, dtype=np.int64)
    bud = np.empty(k)
    finished = False
    while not finished:
        if r <= 0:
            break
        t = (cf - s) / r
        et = (es + _EPS * (cf + s) * 2.0) / r + _EPS * t
        upto = t + et + ebmax
        nb = 0
        for j in range(k):
            bj = b[pvot[a + j]]
            if cap_out[j] == 0 and done_below < bj <= upto:
                batch[nb] = j
                bud[nb] = bj
                nb += 1
        done_below = upto
        if nb == 0:
            break
        order = np.argsort(bud[:nb], kind="mergesort")
        for o in order:
            j = batch[o]
            if r <= 0:
                return _AMBIGUOUS, 0.0, 0.0, w_total, 0, 0.0, 0.0
            t = (cf - s) / r
            et = (es + _EPS * (cf + s) * 2.0) / r + _EPS * t
            v = pvot[a + j]
            bj = b[v]
            ej = eb[v]
            if bj - ej >= t + et:
                finished = True
                break
            if bj + ej < t - et:
                w = wv[v]
                s += bj * w
                es += ej * w + _EPS * s * 2.0
                r -= w
                w_cap += w
                cap_out[j] = 1
                continue
            return _AMBIGUOUS, 0.0, 0.0, w_total, 0, 0.0, 0.0
    if r <= 0:
        return _AMBIGUOUS, 0.0, 0.0, w_total, 0, 0.0, 0.0
    t = (cf - s) / r
    et = (es + _EPS * (cf + s) * 2.0) / r + _EPS * t
    # the capped set is exact iff every capped budget is below t and every other one at least t
    for i in range(k):
        v = pvot[a + i]
        if cap_out[i] == 1:
            if not b[v] + eb[v] < t - et:
                return _AMBIGUOUS, 0.0, 0.0, w_total, 0, 0.0, 0.0
        elif not b[v] - eb[v] >= t + et:
            return _AMBIGUOUS, 0.0, 0.0, w_total, 0, 0.0, 0.0
    price = t / cf
    return _CAPPED, price, et / cf + _EPS * price, w_total, w_cap, t, et


@njit(cache=True, inline="always")
def _less(h, i, j):  # type: ignore[no-untyped-def]
    if h[i, _F] != h[j, _F]:
        return h[i, _F] < h[j, _F]
    return h[i, _RANK] < h[j, _RANK]


@njit(cache=True, inline="always")
def _swap(h, i, j):  # type: ignore[no-untyped-def]
    for col in range(5):
        tmp = h[i, col]
        h[i, col] = h[j, col]
        h[j, col] = tmp


@njit(cache=True, inline="always")
def _sift_up(h, i):  # type: ignore[no-untyped-def]
    while i > 0:
        parent = (i - 1) // 2
        if _less(h, i, parent):
            _swap(h, i, parent)
            i = parent
        else:
            break


@njit(cache=True, inline="always")
def _sift_down(h, i, n):  # type: ignore[no-untyped-def]
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        best = left
        if left + 1 < n and _less(h, left + 1, left):
            best = left + 1
        if _less(h, best, i):
            _swap(h, i, best)
            i = best
        else:
            break


@njit(cache=True)
def _push(h, n, f, rank, p, ver, err):  # type: ignore[no-untyped-def]
    """Push a row; returns the (possibly grown) heap."""
    if n == h.shape[0]:
        bigger = np.empty((max(16, 2 * n), 5))
        bigger[:n] = h[:n]
        h = bigger
    h[n, _F] = f
    h[n, _RANK] = rank
    h[n, _P] = p
    h[n, _VER] = ver
    h[n, _ERR] = err
    _sift_up(h, n)
    return h


@njit(cache=True)
def _remove(h, i, n):  # type: ignore[no-untyped-def]
    """Remove row i of a heap of n rows (the caller then has n - 1)."""
    last = n - 1
    if i != last:
        _swap(h, i, last)
        _sift_down(h, i, last)
        _sift_up(h, i)


@njit(cache=True)
def _blocking_group(p, c, gptr, gidx, room, has_ceiling):  # type: ignore[no-untyped-def]
    for i in range(gptr[p], gptr[p + 1]):
        g = gidx[i]
        if has_ceiling[g] and c > room[g]:
            return g
    return -1


@njit(cache=True)
def _band(hc, nc, skip, lo_limit, hi_limit, stack, out):  # type: ignore[no-untyped-def]
    """Rows of the capped heap (other than `skip`) whose interval reaches below `lo_limit`
    (price minus error), looking only at rows priced at most `hi_limit`, into `out`; returns
    their number. Depth-first from the root, pruned by the heap order."""
    if nc == 0:
        return 0
    found = 0
    top = 0
    stack[0] = 0
    while top >= 0:
        i = stack[top]
        top -= 1
        if hc[i, _F] > hi_limit:
            continue
        if i != skip and hc[i, _F] - hc[i, _ERR] <= lo_limit:
            out[found] = i
            found += 1
        for child in (2 * i + 1, 2 * i + 2):
            if child < nc:
                top += 1
                stack[top] = child
    return found


@njit(cache=True)
def _twins(p, q, costs, b, eb, pptr, pvot, wv, cls, cap_p, cap_q):  # type: ignore[no-untyped-def]
    """Are the prices of p and q exactly equal? Yes when they cost the same, their supporters
    who pay all they have fall in the same budget classes (with the same weights), and the
    others weigh the same in total: then both pay (c - s) / r with the same s and r. Both are
    fresh, so who pays all they have is decided (the verdicts were certain)."""
    if costs[p] != costs[q]:
        return False
    vp = _evaluate(p, costs[p], b, eb, pptr, pvot, wv, cap_p)
    vq = _evaluate(q, costs[q], b, eb, pptr, pvot, wv, cap_q)
    if vp[0] != vq[0] or vp[0] == _AMBIGUOUS or vp[0] == _UNAFFORDABLE:
        return False
    if vp[3] - vp[4] != vq[3] - vq[4]:  # weight of those paying the price
        return False
    kp = _capped_keys(p, pptr, pvot, wv, cls, cap_p)
    kq = _capped_keys(q, pptr, pvot, wv, cls, cap_q)
    return kp.shape[0] == kq.shape[0] and bool((kp == kq).all())


@njit(cache=True)
def _capped_keys(p, pptr, pvot, wv, cls, cap):  # type: ignore[no-untyped-def]
    """Sorted (class, weight) keys of p's supporters who pay all they have."""
    a = pptr[p]
    k = 0
    for i in range(pptr[p + 1] - a):
        k += cap[i]
    keys = np.empty(k, dtype=np.int64)
    j = 0
    for i in range(pptr[p + 1] - a):
        if cap[i] == 1:
            v = pvot[a + i]
            keys[j] = (cls[v] + 1) * _W_SPAN + wv[v]
            j += 1
    keys.sort()
    return keys


@njit(cache=True)
def mes_cost_kernel(  # type: ignore[no-untyped-def]
    cand, pays_all, costs, rank, b0, pptr, pvot, wv, indptr, items, gptr, gidx, room, has_ceiling
):
    """MES (cost utility, no completion) on candidate projects `cand`, each voter holding `b0`
    per unit of weight, which every candidate's supporters can afford together (checked
    exactly by the caller); `pays_all[p]`: they need exactly all of it. `room` is updated in
    place.

    Returns (status, bought, pay, sup, capw, rej_code, rej_val, rej_group): purchases in order
    (project, payment per unit weight, supporters' weight, weight of those who paid all they
    had); per project 0 = no rejection, 1 = supporters could not afford it (rej_val: their money),
    2 = a ceiling (rej_group: the group, rej_val: its room). status UNDECIDED means a comparison
    could not be decided in floats: discard everything and use exact arithmetic."""
    m = costs.shape[0]
    n = wv.shape[0]
    b = np.full(n, b0)
    eb = np.full(n, _EPS * b0)
    ver = np.zeros(m, dtype=np.int64)
    rej_code = np.zeros(m, dtype=np.int8)
    rej_val = np.zeros(m)
    rej_group = np.full(m, -1, dtype=np.int64)
    bought = np.empty(m, dtype=np.int64)
    pay = np.empty(m)
    sup = np.empty(m, dtype=np.int64)
    capw = np.empty(m, dtype=np.int64)
    n_bought = 0
    max_k = 1
    for p in cand:
        max_k = max(max_k, pptr[p + 1] - pptr[p])
    cap_out = np.zeros(max_k, dtype=np.int8)
    cap_two = np.zeros(max_k, dtype=np.int8)
    hs = np.empty((len(cand) + 16, 5))
    ns = 0
    hc = np.empty((16, 5))
    nc = 0
    e_max = 0.0
    stack = np.empty(16, dtype=np.int64)
    band = np.empty(16, dtype=np.int64)
    # budget classes: voters with the same history hold exactly the same budget; class 0 is
    # the untouched b0, -1 exactly nothing. A purchase moves each class of payers to a new one.
    cls = np.zeros(n, dtype=np.int64)
    n_cls = 1
    cls_stamp = np.full(pvot.shape[0] + 2, -1, dtype=np.int64)
    cls_new = np.zeros(pvot.shape[0] + 2, dtype=np.int64)
    for p in cand:  # every candidate is affordable at the start and priced exactly 1/w
        w_total = 0
        for i in range(pptr[p], pptr[p + 1]):
            w_total += wv[pvot[i]]
        price = 1.0 / w_total
        hs[ns, _F] = price
        hs[ns, _RANK] = rank[p]
        hs[ns, _P] = p
        hs[ns, _VER] = 0
        hs[ns, _ERR] = _EPS * price
        ns += 1
    for i in range(ns // 2 - 1, -1, -1):
        _sift_down(hs, i, ns)

    while ns + nc > 0:
        from_simple = nc == 0 or (ns > 0 and _cross_less(hs, hc))
        h = hs if from_simple else hc
        p = int(h[0, _P])
        c = costs[p]
        # a row to price again (or drop for a ceiling) before anything is bought: the top when
        # it is stale or blocked, else a stale price within rounding error of the top
        q_simple = from_simple
        row = -1
        undecided = False
        if int(h[0, _VER]) != ver[p] or _blocking_group(p, c, gptr, gidx, room, has_ceiling) >= 0:
            row = 0
        else:
            # a fresh top: no other price may come within rounding error of it, except exact twins
            f_top = h[0, _F]
            lo_limit = f_top + h[0, _ERR]
            if stack.shape[0] < nc + 1:
                stack = np.empty(2 * nc + 16, dtype=np.int64)
                band = np.empty(2 * nc + 16, dtype=np.int64)
            found = _band(hc, nc, 0 if not from_simple else -1, lo_limit, lo_limit + e_max, stack, band)
            for j in range(found):
                r_j = band[j]
                q = int(hc[r_j, _P])
                if int(hc[r_j, _VER]) != ver[q]:
                    row = r_j
                    q_simple = False
                    break
                if not (hc[r_j, _F] == f_top and _twins(p, q, costs, b, eb, pptr, pvot, wv, cls, cap_out, cap_two)):
                    undecided = True
            if row < 0 and not from_simple and ns > 0 and hs[0, _F] - hs[0, _ERR] <= lo_limit:
                if int(hs[0, _VER]) != ver[int(hs[0, _P])]:
                    row = 0
                    q_simple = True
                else:
                    undecided = True
        if row >= 0:
            hq = hs if q_simple else hc
            q = int(hq[row, _P])
            if q_simple:
                _remove(hs, row, ns)
                ns -= 1
            else:
                _remove(hc, row, nc)
                nc -= 1
            gq = _blocking_group(q, costs[q], gptr, gidx, room, has_ceiling)
            if gq >= 0:
                rej_code[q] = 2
                rej_val[q] = room[gq]
                rej_group[q] = gq
                continue
            verdict, f, ef, w_total, w_cap, t, et = _evaluate(q, costs[q], b, eb, pptr, pvot, wv, cap_out)
            if verdict == _AMBIGUOUS:
                return UNDECIDED, bought[:0], pay[:0], sup[:0], capw[:0], rej_code, rej_val, rej_group
            if verdict == _UNAFFORDABLE:
                rej_code[q] = 1
                rej_val[q] = f
            elif verdict == _SIMPLE:
                hs = _push(hs, ns, f, rank[q], q, ver[q], ef)
                ns += 1
            else:
                hc = _push(hc, nc, f, rank[q], q, ver[q], ef)
                nc += 1
                e_max = max(e_max, ef)
            continue
        if undecided:
            return UNDECIDED, bought[:0], pay[:0], sup[:0], capw[:0], rej_code, rej_val, rej_group
        # buy p
        if from_simple:
            _remove(hs, 0, ns)
            ns -= 1
        else:
            _remove(hc, 0, nc)
            nc -= 1
        a = pptr[p]
        if ver[p] == 0:
            # nobody of its supporters has paid yet: each holds exactly b0 and pays c / w
            w_total = 0
            for i in range(a, pptr[p + 1]):
                w_total += wv[pvot[i]]
                cap_out[i - a] = 1 if pays_all[p] else 0
            w_cap = 0  # paying exactly all one has is paying the price (not "capped")
            t = float(c) / w_total
            et = _EPS * t
        else:
            verdict, f, ef, w_total, w_cap, t, et = _evaluate(p, c, b, eb, pptr, pvot, wv, cap_out)
            if verdict != _SIMPLE and verdict != _CAPPED:
                return UNDECIDED, bought[:0], pay[:0], sup[:0], capw[:0], rej_code, rej_val, rej_group
        for i in range(a, pptr[p + 1]):
            v = pvot[i]
            if cap_out[i - a] == 1:
                b[v] = 0.0
                eb[v] = 0.0
                cls[v] = -1
            else:
                nb = b[v] - t
                if nb < 0.0:
                    nb = 0.0
                b[v] = nb
                eb[v] = eb[v] + et + _EPS * (nb + t)
                k_old = cls[v]
                if cls_stamp[k_old] != n_bought:
                    cls_stamp[k_old] = n_bought
                    cls_new[k_old] = n_cls
                    n_cls += 1
                cls[v] = cls_new[k_old]
            for j in range(indptr[v], indptr[v + 1]):
                ver[items[j]] += 1
        for i in range(gptr[p], gptr[p + 1]):
            room[gidx[i]] -= c
        bought[n_bought] = p
        pay[n_bought] = t
        sup[n_bought] = w_total
        capw[n_bought] = w_cap
        n_bought += 1
    return OK, bought[:n_bought], pay[:n_bought], sup[:n_bought], capw[:n_bought], rej_code, rej_val, rej_group


@njit(cache=True)
def _cross_less(hs, hc):  # type: ignore[no-untyped-def]
    """Is the simple heap's top before the capped heap's top (price, then rank)?"""
    if hs[0, _F] != hc[0, _F]:
        return hs[0, _F] < hc[0, _F]
    return hs[0, _RANK] < hc[0, _RANK]
