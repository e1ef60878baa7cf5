"""Compiled sequential Phragmén: the signature heap of `phragmen.sequential_phragmen` in float
arithmetic that knows its own rounding error; exact fractions stay with the caller.

Every voter load is a float64 with an upper bound of its absolute error next to it, and so is
every candidate load computed from them. Like the Python path, the kernel gathers the window of
heads within relative 1e-7 of the smallest float load (ceilings are checked there). A window of
one head is decided by floats: the error bounds are kept below 1e-9 relative (else the kernel
stops with FALLBACK and the caller runs the Python path), far inside the window: a voter's load
comes from the window's exact answer (rounded) or from a float load whose bound is checked, and a
candidate's relative bound is at most the largest of its supporters' plus (supporters + 3) * 2^-52
(below 3e-10 with the caller's limit of a million supporters per project). In a window of
several heads the smallest wins when its upper bound is below every other lower bound; otherwise
the kernel pauses with NEAR_TIE, the caller settles the window with exact fractions (which heads
tie at the least load, and that load rounded) and calls the kernel again. So no float decides an
outcome unless its error bound proves the exact answer the same.

The heap holds signatures (at most one row each: its head): rows are key (float load), rank of
the head project, signature; the head's project, error bound and version sit in per-signature
arrays. A stale row (a supporter's load changed since) is recomputed in place at the top.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["DONE", "FALLBACK", "NEAR_TIE", "phragmen_kernel", "ST_SIZE"]

DONE = 0
NEAR_TIE = 1
FALLBACK = 2

_TOL = 1e-7  # the window, as in the Python path
_MAX_REL_ERR = 1e-9  # the kernel trusts floats only while every error bound is below this
_EPS = 2.0**-52  # twice the unit roundoff: every bound below is generous by at least 2

# int64 state vector: st[...]
ST_HEAP = 0  # heap size
ST_REMAINING = 1  # money left
ST_BOUGHT = 2  # purchases so far
ST_CLASSES = 3  # load classes so far (class 0 is load zero)
ST_REJECTED = 4  # ceiling rejections so far
ST_LIVE = 5  # heads in the pending window (NEAR_TIE)
ST_PHASE = 6  # 0 start, 1 running, 2 resume after NEAR_TIE
ST_STOP = 7  # the first blocking project when Phragmén stopped, else -1
ST_PARENTS = 8  # entries used in `par`
ST_SIZE = 9

_START = 0
_RUNNING = 1
_RESUME = 2


@njit(cache=True)
def _sift_down(hkey, hrank, hk, i, n):  # type: ignore[no-untyped-def]
    key = hkey[i]
    rk = hrank[i]
    k = hk[i]
    while True:
        a = 2 * i + 1
        if a >= n:
            break
        b = a + 1
        c = a
        if b < n and (hkey[b] < hkey[a] or (hkey[b] == hkey[a] and hrank[b] < hrank[a])):
            c = b
        if hkey[c] < key or (hkey[c] == key and hrank[c] < rk):
            hkey[i] = hkey[c]
            hrank[i] = hrank[c]
            hk[i] = hk[c]
            i = c
        else:
            break
    hkey[i] = key
    hrank[i] = rk
    hk[i] = k


@njit(cache=True)
def _push(hkey, hrank, hk, st, key, rk, k):  # type: ignore[no-untyped-def]
    i = st[ST_HEAP]
    st[ST_HEAP] = i + 1
    while i > 0:
        parent = (i - 1) >> 1
        if key < hkey[parent] or (key == hkey[parent] and rk < hrank[parent]):
            hkey[i] = hkey[parent]
            hrank[i] = hrank[parent]
            hk[i] = hk[parent]
            i = parent
        else:
            break
    hkey[i] = key
    hrank[i] = rk
    hk[i] = k


@njit(cache=True)
def _pop(hkey, hrank, hk, st):  # type: ignore[no-untyped-def]
    n = st[ST_HEAP] - 1
    st[ST_HEAP] = n
    if n > 0:
        hkey[0] = hkey[n]
        hrank[0] = hrank[n]
        hk[0] = hk[n]
        _sift_down(hkey, hrank, hk, 0, n)


@njit(cache=True)
def _load(k, c, sig_ptr, sig_vot, sig_w, lf, le, wf):  # type: ignore[no-untyped-def]
    """(float load, error bound) of a project of signature k with cost c; (inf, 0) unsupported."""
    w = sig_w[k]
    if w == 0:
        return np.inf, 0.0
    s = 0.0
    es = 0.0
    a = sig_ptr[k]
    z = sig_ptr[k + 1]
    for i in range(a, z):
        v = sig_vot[i]
        s += lf[v] * wf[v]
        es += le[v] * wf[v]
    t = (s + c) / w
    n = z - a + 3
    return t, (es / w) * (1.0 + _EPS * n) + _EPS * t * n


@njit(cache=True)
def _refresh(k, s_p, s_key, s_err, s_ver, ver, cost, sig_ptr, sig_vot, sig_w, lf, le, wf):  # type: ignore[no-untyped-def]
    key, err = _load(k, float(cost[s_p[k]]), sig_ptr, sig_vot, sig_w, lf, le, wf)
    s_key[k] = key
    s_err[k] = err
    s_ver[k] = ver[k]
    return key


@njit(cache=True)
def _push_next(k, hkey, hrank, hk, st, q_ptr, q_proj, q_head, s_p, s_key, s_err, s_ver, ver,  # type: ignore[no-untyped-def]
               cost, rank, sig_ptr, sig_vot, sig_w, lf, le, wf):
    h = q_head[k]
    if h >= q_ptr[k + 1]:
        return
    p = q_proj[h]
    q_head[k] = h + 1
    s_p[k] = p
    key = _refresh(k, s_p, s_key, s_err, s_ver, ver, cost, sig_ptr, sig_vot, sig_w, lf, le, wf)
    _push(hkey, hrank, hk, st, key, rank[p], k)


@njit(cache=True)
def phragmen_kernel(  # type: ignore[no-untyped-def]
    st, fbuf, hkey, hrank, hk, s_p, s_key, s_err, s_ver,
    sig_ptr, sig_vot, sig_w, q_ptr, q_proj, q_head, ver, vs_ptr, vs_idx,
    lf, le, lcls, cost, rank, wf, pptr, pvot,
    group_ptr, group_idx, room, has_ceiling,
    live, tied,
    out_q, out_load, cls_q, par_ptr, par,
    rej_p, rej_g, rej_room,
):
    """Run (or resume) the rounds until Phragmén ends (DONE), a window needs exact fractions
    (NEAR_TIE: the window's signatures are live[:st[ST_LIVE]], their projects s_p[live]; the
    caller sets `tied` and fbuf[0:2] = the least load rounded and its error bound, then calls
    again) or an error bound grew too large (FALLBACK)."""
    if st[ST_PHASE] == _START:
        for k in range(len(sig_w)):
            _push_next(k, hkey, hrank, hk, st, q_ptr, q_proj, q_head, s_p, s_key, s_err, s_ver, ver,
                       cost, rank, sig_ptr, sig_vot, sig_w, lf, le, wf)
        st[ST_PHASE] = _RUNNING
    resume = st[ST_PHASE] == _RESUME
    st[ST_PHASE] = _RUNNING
    while True:
        n_live = 0
        best_f = 0.0
        best_e = 0.0
        if resume:
            resume = False
            n_live = st[ST_LIVE]
            best_f = fbuf[0]
            best_e = fbuf[1]
        else:
            if st[ST_HEAP] == 0:
                return DONE
            k0 = hk[0]
            if s_ver[k0] != ver[k0]:  # stale: recompute in place
                hkey[0] = _refresh(k0, s_p, s_key, s_err, s_ver, ver, cost, sig_ptr, sig_vot, sig_w, lf, le, wf)
                _sift_down(hkey, hrank, hk, 0, st[ST_HEAP])
                continue
            top = hkey[0]
            infinite = top == np.inf
            threshold = top * (1 + _TOL) if not infinite else np.inf
            while st[ST_HEAP] > 0 and hkey[0] <= threshold:
                k = hk[0]
                if s_ver[k] != ver[k]:
                    key = _refresh(k, s_p, s_key, s_err, s_ver, ver, cost, sig_ptr, sig_vot, sig_w, lf, le, wf)
                    if key > threshold:
                        hkey[0] = key
                        _sift_down(hkey, hrank, hk, 0, st[ST_HEAP])
                        continue
                _pop(hkey, hrank, hk, st)
                p = s_p[k]
                # a ceiling it breaks drops it (the next of its signature may join the window)
                blocked = -1
                for gi in range(group_ptr[p], group_ptr[p + 1]):
                    g = group_idx[gi]
                    if has_ceiling[g] and cost[p] > room[g]:
                        blocked = g
                        break
                if blocked >= 0:
                    r = st[ST_REJECTED]
                    rej_p[r] = p
                    rej_g[r] = blocked
                    rej_room[r] = room[blocked]
                    st[ST_REJECTED] = r + 1
                    _push_next(k, hkey, hrank, hk, st, q_ptr, q_proj, q_head, s_p, s_key, s_err, s_ver, ver,
                               cost, rank, sig_ptr, sig_vot, sig_w, lf, le, wf)
                    continue
                live[n_live] = k
                n_live += 1
            if n_live == 0:
                continue
            if infinite:
                for i in range(n_live):
                    tied[i] = 1
                best_f = np.nan
            else:
                m = 0
                for i in range(1, n_live):
                    a = live[i]
                    b = live[m]
                    if s_key[a] < s_key[b] or (s_key[a] == s_key[b] and rank[s_p[a]] < rank[s_p[b]]):
                        m = i
                km = live[m]
                decided = True
                for i in range(n_live):
                    tied[i] = 0
                    ki = live[i]
                    if i != m and not s_key[km] + s_err[km] < s_key[ki] - s_err[ki]:
                        decided = False
                if not decided:
                    st[ST_LIVE] = n_live
                    st[ST_PHASE] = _RESUME
                    return NEAR_TIE
                tied[m] = 1
                best_f = s_key[km]
                best_e = s_err[km]
        # the window is settled: `tied` marks the heads at the least load
        remaining = st[ST_REMAINING]
        first = -1
        for i in range(n_live):
            p = s_p[live[i]]
            if tied[i] == 1 and cost[p] > remaining and (first < 0 or rank[p] < rank[s_p[live[first]]]):
                first = i
        if first >= 0:
            st[ST_STOP] = s_p[live[first]]
            for i in range(n_live):  # back to the heap: the caller reads who is left from there
                k = live[i]
                _push(hkey, hrank, hk, st, s_key[k], rank[s_p[k]], k)
            return DONE
        win = -1
        for i in range(n_live):
            if tied[i] == 1 and (win < 0 or rank[s_p[live[i]]] < rank[s_p[live[win]]]):
                win = i
        for i in range(n_live):
            if i != win:
                k = live[i]
                _push(hkey, hrank, hk, st, s_key[k], rank[s_p[k]], k)
        kw = live[win]
        q = s_p[kw]
        b = st[ST_BOUGHT]
        out_q[b] = q
        out_load[b] = best_f
        st[ST_BOUGHT] = b + 1
        c = cost[q]
        st[ST_REMAINING] = remaining - c
        for gi in range(group_ptr[q], group_ptr[q + 1]):
            g = group_idx[gi]
            if has_ceiling[g]:
                room[g] -= c
        a = pptr[q]
        z = pptr[q + 1]
        if not np.isnan(best_f) and z > a:
            if best_e > _MAX_REL_ERR * best_f:
                return FALLBACK  # never seen: loads are sums of few doubles
            cl = st[ST_CLASSES] + 1
            st[ST_CLASSES] = cl
            cls_q[cl] = q
            n_par = st[ST_PARENTS]
            par_ptr[cl] = n_par
            for i in range(a, z):
                v = pvot[i]
                par[n_par] = lcls[v]
                n_par += 1
                lcls[v] = cl
                lf[v] = best_f
                le[v] = best_e
                for si in range(vs_ptr[v], vs_ptr[v + 1]):
                    ver[vs_idx[si]] += 1
            par_ptr[cl + 1] = n_par
            st[ST_PARENTS] = n_par
        _push_next(kw, hkey, hrank, hk, st, q_ptr, q_proj, q_head, s_p, s_key, s_err, s_ver, ver,
                   cost, rank, sig_ptr, sig_vot, sig_w, lf, le, wf)
