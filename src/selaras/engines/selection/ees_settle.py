"""Compiled EES by parts: how the parts agree on their ceilings (see ees_parts.py).

Every part's purchases merged in round order are the events each part's run sees
(`merge_events`); each ceiling's rooms after them (`ceiling_timeline`) say where every member
must drop. `drops_to_fix` finds the members whose drop is not there, `settle_round` takes the
parts earliest difference first and amends each (`amend_part`: its rounds stay, only drops and
change endowments move) up to the first that must run again (`run_part`, ees_kernel.py).
`label_parts` finds the parts.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from selaras.engines.selection.ees_amend import amend_part
from selaras.engines.selection.ees_kernel import (
    CG_SEVERAL,
    INF,
    _first_round,
    _later,
    _round_key,
    least_change,
)

IntArray = npt.NDArray[np.int64]

__all__ = ["carry_over", "ceiling_timeline", "cost_and_ceiling", "round_changes", "drops_to_fix", "label_parts", "merge_events", "settle_round"]


@njit(cache=True)
def label_parts(n_voters, pptr, pvot, cand):  # type: ignore[no-untyped-def]
    """Connected parts of voters and the projects in `cand` (union-find); returns each voter's
    part root (a voter index; -1 for voters with no candidate) and each candidate's."""
    parent = np.arange(n_voters)
    for i in range(cand.shape[0]):
        x = cand[i]
        a = pptr[x]
        if pptr[x + 1] == a:
            continue
        r0 = pvot[a]
        while parent[r0] != r0:
            parent[r0] = parent[parent[r0]]
            r0 = parent[r0]
        for j in range(a + 1, pptr[x + 1]):
            r = pvot[j]
            while parent[r] != r:
                parent[r] = parent[parent[r]]
                r = parent[r]
            if r != r0:
                parent[r] = r0
    used = np.zeros(n_voters, dtype=np.bool_)
    for i in range(cand.shape[0]):
        x = cand[i]
        for j in range(pptr[x], pptr[x + 1]):
            used[pvot[j]] = True
    voter_root = np.full(n_voters, -1, dtype=np.int64)
    for v in range(n_voters):
        if used[v]:
            r = v
            while parent[r] != r:
                r = parent[r]
            voter_root[v] = r
    cand_root = np.empty(cand.shape[0], dtype=np.int64)
    for i in range(cand.shape[0]):
        cand_root[i] = voter_root[pvot[pptr[cand[i]]]]
    return voter_root, cand_root


@njit(cache=True)
def merge_events(  # type: ignore[no-untyped-def]
    part, nr, base, out_x, out_w, a_l, rank, ev_x, ev_w, ev_pr, ev_rk, ev_part, buy_pr, buy_rk, cg, ev_cg
):
    """Every part's purchases in round order (price, tie rank), with the part's replaced by its
    rounds out_x/out_w[base:base + nr] (in round order: keys never fall); each bought project's
    key in buy_pr/buy_rk (INF for the part's purchases that are gone); and each purchase's cost and
    ceiling as `cg` has them (see `ceiling_timeline`). Keys of two purchases never tie (the tie rank
    is a project's own)."""
    n_old = ev_x.shape[0]
    keep = 0
    for i in range(n_old):
        if ev_part[i] != part:
            keep += 1
        else:
            buy_pr[ev_x[i]] = INF
            buy_rk[ev_x[i]] = INF
    n = keep + nr
    x = np.empty(n, dtype=np.int64)
    w = np.empty(n, dtype=np.int64)
    kpr = np.empty(n, dtype=np.int64)
    krk = np.empty(n, dtype=np.int64)
    kpt = np.empty(n, dtype=np.int64)
    kcg = np.empty(n, dtype=np.int64)
    i = 0
    j = 0
    for k in range(n):
        while i < n_old and ev_part[i] == part:
            i += 1
        take_old = j == nr
        if not take_old and i < n_old:
            jpr, jrk = _round_key(j, base, out_x, out_w, a_l, rank)
            take_old = _later(jpr, jrk, ev_pr[i], ev_rk[i])
        if take_old:
            x[k], w[k], kpr[k], krk[k], kpt[k] = ev_x[i], ev_w[i], ev_pr[i], ev_rk[i], ev_part[i]
            kcg[k] = ev_cg[i]
            i += 1
        else:
            y = out_x[base + j]
            x[k] = y
            w[k] = out_w[base + j]
            kpr[k], krk[k] = _round_key(j, base, out_x, out_w, a_l, rank)
            kpt[k] = part
            kcg[k] = cg[y]
            buy_pr[y] = kpr[k]
            buy_rk[y] = krk[k]
            j += 1
    return x, w, kpr, krk, kpt, kcg


def cost_and_ceiling(cost: IntArray, gptr: IntArray, gidx: IntArray) -> IntArray:
    """Each project's cost and ceiling in one number, (cost << 16) + ceiling + 1 (0: no ceiling,
    CG_SEVERAL: several, looked up in gptr/gidx): what `ceiling_timeline` reads of a purchase."""
    count = np.diff(gptr)
    one = np.where(count == 1, gidx[np.minimum(gptr[:-1], max(len(gidx) - 1, 0))] + 1 if len(gidx) else 0, 0)
    return (cost << 16) + np.where(count > 1, CG_SEVERAL, one)


@njit(cache=True)
def ceiling_timeline(ev_x, ev_cg, gptr, gidx, room0):  # type: ignore[no-untyped-def]
    """Each ceiling's room after each purchase under it, in round order: for ceiling g, the
    purchases g_ev[cnt[g]:cnt[g + 1]] (indices into the events) and the room left after each
    (g_room); and the room left at the end. Reads each purchase's cost and ceiling from ev_cg
    (see `cost_and_ceiling`), in event order."""
    n_g = room0.shape[0]
    cnt = np.zeros(n_g + 1, dtype=np.int64)
    for e in range(ev_x.shape[0]):
        g1 = ev_cg[e] & CG_SEVERAL
        if g1 == CG_SEVERAL:
            y = ev_x[e]
            for gi in range(gptr[y], gptr[y + 1]):
                cnt[gidx[gi] + 1] += 1
        elif g1 > 0:
            cnt[g1] += 1
    for g in range(n_g):
        cnt[g + 1] += cnt[g]
    fill = cnt[:-1].copy()
    g_ev = np.empty(cnt[n_g], dtype=np.int64)
    g_room = np.empty(cnt[n_g], dtype=np.int64)
    left = room0.copy()
    for e in range(ev_x.shape[0]):
        g1 = ev_cg[e] & CG_SEVERAL
        if g1 == 0:
            continue
        c = ev_cg[e] >> 16
        if g1 == CG_SEVERAL:
            y = ev_x[e]
            for gi in range(gptr[y], gptr[y + 1]):
                g = gidx[gi]
                left[g] -= c
                g_ev[fill[g]] = e
                g_room[fill[g]] = left[g]
                fill[g] += 1
        else:
            g = g1 - 1
            left[g] -= c
            g_ev[fill[g]] = e
            g_room[fill[g]] = left[g]
            fill[g] += 1
    return cnt, g_ev, g_room, left


@njit(cache=True, inline="always")
def _drop_event(z, cost, gptr, gidx, cnt, g_ev, g_room, n_ev):  # type: ignore[no-untyped-def]
    """The first purchase (event index) after which z no longer fits under one of its ceilings,
    n_ev if none."""
    best = n_ev
    for gi in range(gptr[z], gptr[z + 1]):
        g = gidx[gi]
        lo = cnt[g]
        hi = cnt[g + 1]
        while lo < hi:  # rooms fall
            mid = (lo + hi) // 2
            if g_room[mid] < cost[z]:
                hi = mid
            else:
                lo = mid + 1
        if lo < cnt[g + 1] and g_ev[lo] < best:
            best = g_ev[lo]
    return best


@njit(cache=True, inline="always")
def _dearer(gm_cost, lo, hi, room):  # type: ignore[no-untyped-def]
    """The first of the members gm_cost[lo:hi] (dearest first) that fits in room."""
    while lo < hi:
        mid = (lo + hi) // 2
        if gm_cost[mid] > room:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def drops_to_fix(  # type: ignore[no-untyped-def]
    pending, gm_ptr, gm_x, gm_cost, dead, drop_pr, drop_rk, buy_pr, buy_rk, cost, final_room, low_room, since, seen,
    gen, gptr, gidx, cnt, g_ev, g_room, ev_pr, ev_rk,
    b, track, hop, cz, cfr, e_least, part_of, refresh,
):
    """The members of the pending ceilings whose drop is not where the purchases now say: for
    each, the key it drops at now (INF: never) and whether it was bought before that (its part
    must then run again). Only those whose drop can have moved are looked at (each once, `seen`
    holds the last generation that took a project): the room before the earliest purchase changed
    under the ceiling (`since`) is as it was, so a drop or a purchase before it stays; and a
    project that did not drop and fits in the room left at the end still does not drop. Members
    come dearest first: one dearer than the room left before `since` is skipped at once, and one
    that fits in the least room ever left (`low_room`) never dropped.

    Most moved drops are of projects that cannot be bought again in this run: those whose bound
    (`hop`, see ees_kernel._hop) holds at the new drop, and is above b if it drops later, move
    here at once, their change endowment kept as that bound (when it is not below their part's
    least, `e_least`; `refresh` marks a part whose least may have been the old value)."""
    total = 0
    for k in range(pending.shape[0]):
        total += gm_ptr[pending[k] + 1] - gm_ptr[pending[k]]
    out = np.empty(total, dtype=np.int64)
    o_pr = np.empty(total, dtype=np.int64)
    o_rk = np.empty(total, dtype=np.int64)
    o_bought = np.empty(total, dtype=np.bool_)
    n_ev = ev_pr.shape[0]
    n = 0
    for k in range(pending.shape[0]):
        g = pending[k]
        # the room left before `since`: a member dearer than it dropped (or was bought) before
        lo = cnt[g]
        hi = cnt[g + 1]
        while lo < hi:
            mid = (lo + hi) // 2
            if _later(since[0, g], since[1, g], ev_pr[g_ev[mid]], ev_rk[g_ev[mid]]):
                lo = mid + 1
            else:
                hi = mid
        t = lo  # then the first purchase under g after which a member of cost c does not fit
        r_s = g_room[lo - 1] if lo > cnt[g] else INF
        lo = _dearer(gm_cost, gm_ptr[g], gm_ptr[g + 1], r_s)
        fits = _dearer(gm_cost, lo, gm_ptr[g + 1], final_room[g])  # from here, only those that dropped
        for i in range(lo, _dearer(gm_cost, fits, gm_ptr[g + 1], low_room[g])):
            z = gm_x[i]
            fin = drop_pr[z] < INF
            if i >= fits and not fin:
                continue
            if seen[z] == gen:
                continue
            c = gm_cost[i]
            kp = drop_pr[z] if fin else buy_pr[z]
            kr = drop_rk[z] if fin else buy_rk[z]
            if _later(since[0, g], since[1, g], kp, kr):
                continue
            seen[z] = gen
            while t < cnt[g + 1] and g_room[t] >= c:  # members come dearest first
                t += 1
            if gptr[z + 1] - gptr[z] == 1:
                e = g_ev[t] if t < cnt[g + 1] else n_ev
            else:
                e = _drop_event(z, cost, gptr, gidx, cnt, g_ev, g_room, n_ev)
            d_pr = ev_pr[e] if e < n_ev else INF
            d_rk = ev_rk[e] if e < n_ev else INF
            bought = dead[z] == 1
            if bought:
                if not _later(d_pr, d_rk, buy_pr[z], buy_rk[z]) and (d_pr != buy_pr[z] or d_rk != buy_rk[z]):
                    out[n], o_pr[n], o_rk[n], o_bought[n] = z, d_pr, d_rk, True
                    n += 1
            elif d_pr != drop_pr[z] or d_rk != drop_rk[z]:
                if _hop_holds(z, d_pr, d_rk, b, track, hop, drop_pr, drop_rk, e_least, part_of):
                    q = part_of[z]
                    if track:
                        if cz[z] <= e_least[q]:
                            refresh[q] = True
                        cz[z] = hop[z, 0]
                        cfr[z] = -2 if d_pr >= INF else hop[z, 3]  # no later than where it can show
                    drop_pr[z] = d_pr
                    drop_rk[z] = d_rk
                    continue
                out[n], o_pr[n], o_rk[n], o_bought[n] = z, d_pr, d_rk, False
                n += 1
    return out[:n], o_pr[:n], o_rk[:n], o_bought[:n]


@njit(cache=True)
def round_changes(ox, ow, nx, nw, r0, a_l, rank, gptr, gidx, since, mark):  # type: ignore[no-untyped-def]
    """What a part's run changed, its rounds ox/ow before and nx/nw after (the first r0 kept): the
    ceilings with a purchase added or removed (each one's `since` brought back to the earliest
    such key), whether any was, and the key of the earliest purchase that differs (INF if none:
    the other parts' runs stay as they are before it). `mark`: -1 for every project, as it is
    left."""
    hit = np.zeros(since.shape[1], dtype=np.bool_)
    moved = False
    for i in range(r0, ox.shape[0]):
        mark[ox[i]] = ow[i]
    for k in range(2):  # the purchases new, then those gone
        xs, ws = (nx, nw) if k == 0 else (ox, ow)
        for i in range(r0, xs.shape[0]):
            x = xs[i]
            if k == 0 and mark[x] == ws[i]:
                mark[x] = -2  # the same purchase before and after
                continue
            if k == 1 and mark[x] == -2:
                mark[x] = -1
                continue
            if k == 1:
                mark[x] = -1
            moved = True
            kpr = a_l[x] // ws[i]
            krk = rank[x]
            for gi in range(gptr[x], gptr[x + 1]):
                g = gidx[gi]
                hit[g] = True
                if _later(since[0, g], since[1, g], kpr, krk):
                    since[0, g] = kpr
                    since[1, g] = krk
    n = min(ox.shape[0], nx.shape[0])
    i = 0
    while i < n and ox[i] == nx[i] and ow[i] == nw[i]:
        i += 1
    f_pr, f_rk = INF, INF
    if i < ox.shape[0]:
        f_pr, f_rk = a_l[ox[i]] // ow[i], rank[ox[i]]
    if i < nx.shape[0]:
        n_pr, n_rk = a_l[nx[i]] // nw[i], rank[nx[i]]
        if _later(f_pr, f_rk, n_pr, n_rk):
            f_pr, f_rk = n_pr, n_rk
    return np.flatnonzero(hit), moved, f_pr, f_rk


@njit(cache=True)
def carry_over(  # type: ignore[no-untyped-def]
    c_x, c_pr, c_rk, c_early, done, part_of, seen, gen, since, cost, gptr, gidx, cnt, g_ev, g_room, ev_pr, ev_rk,
    dead, drop_pr, drop_rk, buy_pr, buy_rk,
):
    """The drops found to differ before the last run that are still open (their part was neither
    amended nor run, and `drops_to_fix` did not just look at them again): each with where it drops
    now, looked up again where the last run changed a ceiling of it at or before that key."""
    n_ev = ev_pr.shape[0]
    keep = np.zeros(c_x.shape[0], dtype=np.bool_)
    for i in range(c_x.shape[0]):
        z = c_x[i]
        if done[part_of[z]] or seen[z] == gen:
            continue
        again = False
        for gi in range(gptr[z], gptr[z + 1]):
            g = gidx[gi]
            if not _later(since[0, g], since[1, g], c_pr[i], c_rk[i]):
                again = True
        if again:
            e = _drop_event(z, cost, gptr, gidx, cnt, g_ev, g_room, n_ev)
            c_pr[i] = ev_pr[e] if e < n_ev else INF
            c_rk[i] = ev_rk[e] if e < n_ev else INF
            if dead[z] == 1:
                if _later(c_pr[i], c_rk[i], buy_pr[z], buy_rk[z]) or (c_pr[i] == buy_pr[z] and c_rk[i] == buy_rk[z]):
                    continue
            elif c_pr[i] == drop_pr[z] and c_rk[i] == drop_rk[z]:
                continue
        keep[i] = True
    return c_x[keep], c_pr[keep], c_rk[keep], c_early[keep]


@njit(cache=True, inline="always")
def _hop_holds(z, d_pr, d_rk, b, track, hop, drop_pr, drop_rk, e, part_of):  # type: ignore[no-untyped-def]
    """Whether the drop of z (not bought) can move to (d_pr, d_rk) with no other work: its bound
    holds there (from its key on), it cannot be bought in between if it drops later (not
    affordable), and, kept as its change endowment, the bound leaves its part's least as it is."""
    h = hop[z, 0]
    if h < 0 or _later(hop[z, 1], hop[z, 2], d_pr, d_rk):
        return False
    if _later(d_pr, d_rk, drop_pr[z], drop_rk[z]) and h <= b:
        return False
    return not track or h >= e[part_of[z]]


@njit(cache=True)
def settle_round(  # type: ignore[no-untyped-def]
    check, d_pr, d_rk, early, b, track, n_parts, part_of, nr, e_r, e, buy_pr, buy_rk,
    pptr, pvot, wv, lc, a_l, rank, thr, wtot, pptr_part, proj_part, vptr_part, vot_part,
    spend, vhead, out_x, out_w, er_round, fr_round, drop_pr, drop_rk, cz, cfr, snap, snap_off, dsp, vpos, hop, done,
):
    """One round of settling, from the drops that differ (`drops_to_fix`): each part's earliest
    difference (a bought project dropped before its purchase: its new drop, and the part must run
    again; a moved drop: the earlier of its old and new place). Parts are taken earliest first
    (at the same key, those that must run again first, in the order found, then by part), each
    amended (`amend_part`) up to the first that must run again (its earlier rounds stay: the
    later ones are looked at again after it ran). That part is amended up to its first round
    that changes: the purchase of a bought project that now drops before it, or the first round
    that a project now living longer beats. Returns (that part or -1, that round, amends made)."""
    f_pr = np.full(n_parts, INF, dtype=np.int64)
    f_rk = np.full(n_parts, INF, dtype=np.int64)
    order_in = np.full(n_parts, -1, dtype=np.int64)
    must = np.zeros(n_parts, dtype=np.bool_)
    n_in = 0
    for i in range(check.shape[0]):
        if early[i]:
            q = part_of[check[i]]
            if not must[q]:
                must[q] = True
                order_in[q] = n_in
                n_in += 1
            if _later(f_pr[q], f_rk[q], d_pr[i], d_rk[i]):
                f_pr[q] = d_pr[i]
                f_rk[q] = d_rk[i]
    # the drops grouped by part (counting sort; an amend takes them in any order)
    starts = np.zeros(n_parts + 1, dtype=np.int64)
    for i in range(check.shape[0]):
        starts[part_of[check[i]] + 1] += 1
    for q in range(n_parts):
        starts[q + 1] += starts[q]
    fill = starts[:-1].copy()
    mv = np.empty(check.shape[0], dtype=np.int64)
    for i in range(check.shape[0]):
        q = part_of[check[i]]
        mv[fill[q]] = i
        fill[q] += 1
    for t in range(mv.shape[0]):
        i = mv[t]
        if early[i]:
            continue
        z = check[i]
        q = part_of[z]
        if _later(d_pr[i], d_rk[i], drop_pr[z], drop_rk[z]):
            a_pr, a_rk = drop_pr[z], drop_rk[z]
        else:
            a_pr, a_rk = d_pr[i], d_rk[i]
        if _later(f_pr[q], f_rk[q], a_pr, a_rk):
            f_pr[q] = a_pr
            f_rk[q] = a_rk
    for q in range(n_parts):  # parts with moved drops only, by part
        if starts[q + 1] > starts[q] and order_in[q] < 0:
            order_in[q] = n_in
            n_in += 1
    parts = np.flatnonzero(order_in >= 0)
    parts = parts[np.argsort(order_in[parts], kind="mergesort")]
    parts = parts[np.argsort(f_rk[parts], kind="mergesort")]
    parts = parts[np.argsort(f_pr[parts], kind="mergesort")]
    amends = 0
    for t in range(parts.shape[0]):
        q = parts[t]
        sel = mv[starts[q] : starts[q + 1]]
        limit = nr[q] + 1  # the first purchase of a bought project that now drops before it (none)
        for i in sel:
            if early[i]:
                limit = min(limit, _first_round(buy_pr[check[i]], buy_rk[check[i]], False, nr[q],
                                                pptr_part[q], out_x, out_w, a_l, rank))
        q_x = check[sel]
        ok, e_add, cut = amend_part(
            q, b, track, q_x, d_pr[sel], d_rk[sel], limit, pptr, pvot, wv, lc, a_l, rank, thr, wtot,
            pptr_part, proj_part, vptr_part, vot_part, nr[q], spend, vhead, out_x, out_w, er_round, fr_round,
            drop_pr, drop_rk, cz, cfr, snap, snap_off, dsp, vpos, hop,
        )
        done[q] = True  # all its drops agree now, or will once it ran again
        if not ok:
            return q, cut, amends
        amends += 1
        if e_add < e_r[q]:
            e_r[q] = e_add
        if track:
            e[q] = least_change(q, e_r[q], pptr_part, proj_part, cz, cfr, lc, pptr, pvot, wv, spend)
    return -1, INF, amends
