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

from selaras.engines.selection.ees_kernel import (
    CG_SEVERAL,
    INF,
    SNAP_EVERY,
    _beat,
    _change,
    _first_round,
    _flip,
    _later,
    _payer_weight,
    _payers,
    _round_key,
    _scratch,
    _snap,
    least_change,
)

IntArray = npt.NDArray[np.int64]

__all__ = ["amend_part", "carry_over", "ceiling_timeline", "cost_and_ceiling", "round_changes", "drops_to_fix", "label_parts", "merge_events", "settle_round"]


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


@njit(cache=True)
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


@njit(cache=True)
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


@njit(cache=True)
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
def _by_round(at, nr):  # type: ignore[no-untyped-def]
    """The indices j grouped by at[j] in 0..nr (CSR: ptr, idx)."""
    ptr = np.zeros(nr + 2, dtype=np.int64)
    for j in range(at.shape[0]):
        ptr[at[j] + 1] += 1
    for i in range(nr + 1):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    idx = np.empty(at.shape[0], dtype=np.int64)
    for j in range(at.shape[0]):
        idx[fill[at[j]]] = j
        fill[at[j]] += 1
    return ptr, idx


@njit(cache=True)
def _bought(z, pr, rk, b, lc, a_l, rank, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """Whether z, affordable at endowment b, has a price whose key comes before (pr, rk)."""
    best = _payer_weight(z, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
    return best > 0 and not _later(a_l[z] // best, rank[z], pr, rk)


@njit(cache=True)
def _snap_spending(z, part, r, pptr, pvot, vptr_part, snap, snap_off, vpos, out):  # type: ignore[no-untyped-def]
    """z's supporters' spending as kept (snap) at the start of round r // SNAP_EVERY * SNAP_EVERY of
    the part: a lower bound of their spending at round r; into out (by support entry)."""
    o = snap_off[part] + (r // SNAP_EVERY) * (vptr_part[part + 1] - vptr_part[part])
    for a in range(pptr[z], pptr[z + 1]):
        out[a] = snap[o + vpos[pvot[a]]]


@njit(cache=True)
def _bound_drops(  # type: ignore[no-untyped-def]
    part, b, track, q_x, q_pr, q_rk, pptr, pvot, wv, lc, a_l, rank, wtot, vptr_part, nr, base,
    spend, out_x, out_w, er_round, drop_pr, drop_rk, snap, snap_off, dsp, vpos, tmp_s, tmp_w, tmp_v,
):
    """For each moved drop of `amend_part`, whether it needs no replay, by a lower bound lb of the
    project's change endowments with its supporters' spending bounded from below: their spending
    at the old drop (dsp) for a later drop, as kept at the snapshot before the new drop for an
    earlier one (spending only rises in a run, and a later key needs fewer payers). lb above b: it
    is not bought in between. lb at least the least value stored for the rounds before where it
    lives on (pm): none of its values could count, as run_part leaves them out (the step at that
    least value runs the part again from no later than that round, which finds them). Its change
    endowment then keeps lb, from the round of its new drop. Rows: (kind, cz, cfr, round of the
    new drop); kind 0: replay; 1: bounded (dsp stays a lower bound); 2: bounded, dsp from the
    snapshot. A project alive at the end (never drops now) gets its exact value from the
    spending the run left. Columns 4 and 5: the bound from that spending that a later move can use
    (`ees_kernel._hop`; -1: none) and the round from which it holds."""
    nq = q_x.shape[0]
    out = np.zeros((nq, 6), dtype=np.int64)
    pm = np.empty(nr + 1, dtype=np.int64)  # least value stored for the rounds before each
    pm[0] = INF
    for i in range(nr):
        pm[i + 1] = min(pm[i], er_round[base + i])
    saved = np.empty(tmp_v.shape[0], dtype=np.int64)
    alt = np.empty(tmp_v.shape[0], dtype=np.int64)
    for j in range(nq):
        z = q_x[j]
        a0 = pptr[z]
        k = pptr[z + 1] - a0
        later = _later(q_pr[j], q_rk[j], drop_pr[z], drop_rk[z])
        gap = _first_round(q_pr[j], q_rk[j], False, nr, base, out_x, out_w, a_l, rank)
        if later:
            for i in range(k):
                alt[i] = dsp[a0 + i]
            from_round = _first_round(drop_pr[z], drop_rk[z], False, nr, base, out_x, out_w, a_l, rank)
        else:
            o = snap_off[part] + (gap // SNAP_EVERY) * (vptr_part[part + 1] - vptr_part[part])
            for i in range(k):
                alt[i] = snap[o + vpos[pvot[a0 + i]]]
            from_round = gap
        for i in range(k):
            v = pvot[a0 + i]
            saved[i] = spend[v]
            spend[v] = alt[i]
        h = _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
        if q_pr[j] >= INF:
            lb = h
        else:
            lb = _beat(z, q_pr[j], q_rk[j], a_l, rank, wtot, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
        h_at = from_round if later else (gap // SNAP_EVERY) * SNAP_EVERY
        out[j, 4] = h if not track or h >= pm[h_at] else -1
        out[j, 5] = h_at
        for i in range(k):
            spend[pvot[a0 + i]] = saved[i]
        if later and lb <= b:
            continue  # may be bought in between: replay
        if track and lb < pm[from_round]:
            continue  # a value of the rounds it now lives through may count: replay
        if q_pr[j] >= INF:
            out[j, 0] = 1
            out[j, 1] = _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v) if track else INF
            out[j, 2] = -1
        else:
            out[j, 0] = 1 if later else 2
            out[j, 1] = lb
            out[j, 2] = gap
        out[j, 3] = gap
    return out


@njit(cache=True)
def amend_part(  # type: ignore[no-untyped-def]
    part, b, track, q_x, q_pr, q_rk, limit,
    pptr, pvot, wv, lc, a_l, rank, thr, wtot,
    pptr_part, proj_part, vptr_part, vot_part, nr,
    spend, vhead, out_x, out_w, er_round, fr_round, drop_pr, drop_rk, cz, cfr, snap, snap_off, dsp, vpos, hop,
):
    """The part's run with the projects q_x dropped at the keys (q_pr, q_rk) instead (INF:
    never), without running it again: the same rounds if no such project would be bought in
    between. (A project of q_x bought in round `limit` or later is one not bought before it.) One that drops earlier is not. One that drops later is bought if, in a
    round it now lives to, its price comes before the round's key (or, after the last such round,
    before its new drop); its price rises only when one of its supporters pays and round keys
    rise, so it is checked at the rounds where a supporter pays and at its new drop. Replays the
    part's rounds to update the drop keys and the change endowments (cz, and the rounds' own for the rounds the project now lives through, each
    with the round from which it can show, as in `run_part`; a round's own may be left lower than
    a run would find, which costs at most one add-opt step that changes nothing). Each project is
    looked at only in the rounds that concern it: at its old drop, at its new one, and where one
    of its supporters pays in between (`vhead`: -1 for every voter, as it is left). Returns
    (True, least change endowment of the added rounds, nr) when the rounds stay.

    Else the part must run again, but only from its first round that changes (F): the rounds
    before `limit` (given: a bought project of q_x now drops before its purchase in round
    `limit`) or before the first round a project that now lives longer would beat. The rounds
    before F are amended as above (a drop before them is written in full); a drop after them is
    only written (the run resumed at F finds it alive and drops it again). Returns (False, INF, F).

    Most moved drops need no replay (`_bound_drops`): a lower bound of the project's change
    endowments shows that it is not bought and that none of its values could count."""
    base = pptr_part[part]
    v0 = vptr_part[part]
    v1 = vptr_part[part + 1]
    end_spend = np.empty(v1 - v0, dtype=np.int64)  # as the run left it: restored on the way out
    for i in range(v0, v1):
        end_spend[i - v0] = spend[vot_part[i]]
    tmp_s, tmp_w, tmp_v = _scratch(part, pptr, pptr_part, proj_part)
    payers = np.empty(tmp_v.shape[0], dtype=np.int64)
    nq = q_x.shape[0]
    at_old = np.empty(nq, dtype=np.int64)  # the round before which each is checked (nr: the end)
    at_new = np.empty(nq, dtype=np.int64)  # the round before which its new change endowment shows
    at_end = np.empty(nq, dtype=np.int64)  # the round before which it now drops (nr: none)
    link_of = np.zeros(nq, dtype=np.int64)  # where its supporters' entries start in new_dsp
    last = -1  # the rounds after the latest of these need no replay
    n_link = 0
    bounded = _bound_drops(
        part, b, track, q_x, q_pr, q_rk, pptr, pvot, wv, lc, a_l, rank, wtot, vptr_part, nr, base,
        spend, out_x, out_w, er_round, drop_pr, drop_rk, snap, snap_off, dsp, vpos, tmp_s, tmp_w, tmp_v,
    )
    for j in range(nq):
        z = q_x[j]
        if bounded[j, 0] != 0:
            at_old[j] = nr + 1
            at_new[j] = nr + 1
            at_end[j] = nr + 1
            continue
        new_at = _first_round(q_pr[j], q_rk[j], False, nr, base, out_x, out_w, a_l, rank)
        at_end[j] = new_at
        if not _later(q_pr[j], q_rk[j], drop_pr[z], drop_rk[z]):
            at_old[j] = nr + 1  # an earlier drop needs no check
        else:
            at_old[j] = _first_round(drop_pr[z], drop_rk[z], False, nr, base, out_x, out_w, a_l, rank)
            last = max(last, at_old[j])
        at_new[j] = new_at if track else nr + 1
        last = max(last, new_at)
        link_of[j] = n_link
        n_link += pptr[z + 1] - pptr[z]
    start = nr  # the first round where the state is needed: replayed from the spending kept before it
    for j in range(nq):
        if at_old[j] < start:
            start = at_old[j]
        if at_end[j] < start:  # where its spending is kept (dsp)
            start = at_end[j]
    first = (start // SNAP_EVERY) * SNAP_EVERY
    if last >= 0:
        _snap(part, start // SNAP_EVERY, True, vptr_part, vot_part, spend, snap, snap_off)
    new_dsp = np.empty(n_link, dtype=np.int64)
    old_ptr, old_idx = _by_round(at_old, nr + 1)
    new_ptr, new_idx = _by_round(at_new, nr + 1)
    end_ptr, end_idx = _by_round(at_end, nr + 1)
    # for each voter, the projects of q_x it supports (linked lists through vnext)
    vnext = np.empty(n_link, dtype=np.int64)
    vq = np.empty(n_link, dtype=np.int64)
    k = 0
    for j in range(nq):
        z = q_x[j]
        if bounded[j, 0] != 0:
            continue
        for a in range(pptr[z], pptr[z + 1]):
            v = pvot[a]
            vq[k] = j
            vnext[k] = vhead[v]
            vhead[v] = k
            k += 1
    watch = np.full(nq, -1, dtype=np.int64)  # the round up to which a project is watched
    flagged = np.full(nq, -1, dtype=np.int64)  # the last round it was checked at
    seen = np.full(nq, -1, dtype=np.int64)
    new_cz = np.full(nq, INF, dtype=np.int64)
    new_cfr = np.full(nq, INF, dtype=np.int64)
    e_add = INF
    # A value above one stored for this or an earlier round is left out, as run_part leaves it:
    # the step at that value runs again from its flip round, no later than this round.
    least = INF
    for i in range(first if last >= 0 else 0):
        least = min(least, er_round[base + i])
    low = np.full(nq, -1, dtype=np.int64)  # each project's least change endowment (rises with spending)
    fail = -1  # the round at which a project that lives longer is found bought
    kpr = INF
    krk = INF
    for i in range(first, min(last, nr) + 1):
        if i >= limit:  # rounds from limit on run again; a drop after round limit - 1 is left to that run
            fail = limit  # a project living longer may still beat an earlier round (below)
            break
        end = i == nr
        if not end:
            x = out_x[base + i]
            w = out_w[base + i]
            least = min(least, er_round[base + i])
            kpr, krk = _round_key(i, base, out_x, out_w, a_l, rank)
        # a project that now lives past its old drop must not be bought before its new one: its
        # price only rises when a supporter pays and round keys rise, so it is checked against the
        # round where a supporter pays (below) and against its new drop
        for t in range(old_ptr[i], old_ptr[i + 1]):
            watch[old_idx[t]] = at_end[old_idx[t]]
        for t in range(end_ptr[i], end_ptr[i + 1]):
            j = end_idx[t]
            z = q_x[j]
            for a in range(pptr[z], pptr[z + 1]):
                new_dsp[link_of[j] + a - pptr[z]] = spend[pvot[a]]
            if watch[j] >= 0 and _bought(q_x[j], q_pr[j], q_rk[j], b, lc, a_l, rank, pptr, pvot, wv, spend,
                                         tmp_s, tmp_w, tmp_v):
                fail = i
                break
        if fail >= 0:
            break
        for t in range(new_ptr[i], new_ptr[i + 1]):
            j = new_idx[t]
            z = q_x[j]
            if q_pr[j] >= INF:
                new_cz[j] = _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
                new_cfr[j] = -1
            else:
                new_cz[j] = _beat(z, q_pr[j], q_rk[j], a_l, rank, wtot, lc, pptr, pvot, wv, spend,
                                  tmp_s, tmp_w, tmp_v)
                if new_cz[j] < INF:
                    new_cfr[j] = _flip(z, new_cz[j], i, base, out_x, out_w, a_l, rank, lc,
                                       pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
        if end or i == last:
            break
        n_pay = _payers(x, w, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, payers)
        for jj in range(n_pay):  # a watched project whose supporter pays: it must not beat this round
            k = vhead[payers[jj]]
            while k >= 0:
                j = vq[k]
                k = vnext[k]
                if watch[j] > i and flagged[j] != i:
                    flagged[j] = i
                    if _bought(q_x[j], kpr, krk, b, lc, a_l, rank, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):
                        fail = i
                        break
            if fail >= 0:
                break
        if fail >= 0:
            break
        if track:  # rounds a project now lives through (after its old drop, before its new one)
            for jj in range(n_pay):
                k = vhead[payers[jj]]
                while k >= 0:
                    j = vq[k]
                    k = vnext[k]
                    if seen[j] == i:
                        continue
                    seen[j] = i
                    z = q_x[j]
                    bound = min(least, e_add)
                    if thr[z] > bound or not _later(kpr, krk, drop_pr[z], drop_rk[z]):
                        continue
                    if not _later(q_pr[j], q_rk[j], kpr, krk):
                        continue
                    if low[j] <= bound:
                        low[j] = _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
                    if low[j] > bound:
                        continue
                    f = _beat(z, kpr, krk, a_l, rank, wtot, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
                    if f <= bound and f < INF:
                        e_add = f
                        fr = _flip(z, f, i + 1, base, out_x, out_w, a_l, rank, lc, pptr, pvot, wv,
                                   spend, tmp_s, tmp_w, tmp_v)
                        if f < er_round[base + i]:
                            er_round[base + i] = f
                            fr_round[base + i] = fr
                        elif f == er_round[base + i] and fr < fr_round[base + i]:
                            fr_round[base + i] = fr
        pay = lc[x] // w
        for jj in range(n_pay):
            spend[payers[jj]] += pay
    cut = limit  # the first round that runs again (nr + 1: none)
    if fail >= 0:  # the spending as at the start of round fail
        cut = min(cut, _first_beaten(q_x, watch, fail, b, lc, a_l, rank, pptr, pvot, wv, spend, base,
                                     out_x, out_w, tmp_s, tmp_w, tmp_v))
    for j in range(nq):
        z = q_x[j]
        for a in range(pptr[z], pptr[z + 1]):
            vhead[pvot[a]] = -1
    for v in range(v0, v1):
        spend[vot_part[v]] = end_spend[v - v0]
    for j in range(nq):
        z = q_x[j]
        kind = bounded[j, 0]
        if cut <= nr and (at_end[j] if kind == 0 else bounded[j, 3]) >= cut:
            drop_pr[z] = q_pr[j]  # after the rounds that stay: the run resumed finds it alive
            drop_rk[z] = q_rk[j]
            continue
        if kind == 0:  # dsp no longer holds the spending its bound came from
            hop[z, 0] = -1
        elif kind == 2 or hop[z, 0] < 0:  # the bound from the spending dsp now holds
            hop[z, 0] = bounded[j, 4]
            hop[z, 3] = bounded[j, 5]
            if kind == 1:  # from the old drop on
                hop[z, 1] = drop_pr[z]
                hop[z, 2] = drop_rk[z]
            elif bounded[j, 5] == 0:
                hop[z, 1] = 0
                hop[z, 2] = 0
            else:  # from just after the rounds before the snapshot
                hop[z, 1], hop[z, 2] = _round_key(bounded[j, 5] - 1, base, out_x, out_w, a_l, rank)
                hop[z, 2] += 1
        drop_pr[z] = q_pr[j]
        drop_rk[z] = q_rk[j]
        if kind == 0:
            for a in range(pptr[z], pptr[z + 1]):
                dsp[a] = new_dsp[link_of[j] + a - pptr[z]]
        elif kind == 2:
            _snap_spending(z, part, bounded[j, 3], pptr, pvot, vptr_part, snap, snap_off, vpos, dsp)
        if track:
            if kind == 0:
                cz[z] = new_cz[j]
                cfr[z] = new_cfr[j]
            else:
                cz[z] = bounded[j, 1]
                cfr[z] = bounded[j, 2]
    if cut <= nr:
        return False, INF, cut
    return True, e_add, nr


@njit(cache=True)
def _first_beaten(q_x, watch, i, b, lc, a_l, rank, pptr, pvot, wv, spend, base, out_x, out_w, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """The first round (at most i) that a project of q_x living longer now beats, the spending
    as at the start of round i: each such project's price has stayed the same since one of its
    supporters last paid (or since its old drop), when it did not beat that round, and round keys
    rise, so the first round whose key comes after its price is the first it beats."""
    first = i
    for j in range(q_x.shape[0]):
        if watch[j] < i:  # not watched, or dropped before round i
            continue
        z = q_x[j]
        w = _payer_weight(z, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
        if w > 0:
            first = _first_round(a_l[z] // w, rank[z], True, first, base, out_x, out_w, a_l, rank)
    return first


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
