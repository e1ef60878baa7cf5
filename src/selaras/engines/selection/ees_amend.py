"""Compiled EES by parts: amending a part's run when only its drops moved (see ees_settle.py).

`amend_part` replays the rounds a moved drop concerns instead of running the part again;
`_bound_drops` sets most moved drops aside first by a lower bound of their change endowments.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from selaras.engines.selection.ees_kernel import (
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
)

__all__ = ["amend_part"]


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


@njit(cache=True, inline="always")
def _bought(z, pr, rk, b, lc, a_l, rank, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """Whether z, affordable at endowment b, has a price whose key comes before (pr, rk)."""
    best = _payer_weight(z, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
    return best > 0 and not _later(a_l[z] // best, rank[z], pr, rk)


@njit(cache=True, inline="always")
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
