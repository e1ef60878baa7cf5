"""Compiled Exact Equal Shares on one part of the instance, in exact integers.

With payer weights W of at most `w_max`, every payment c / W is a multiple of 1 / L with
L = lcm(1..w_max): spending, change endowments and prices (a_p / W, a_p = 1 for cost utility,
c_p for approval) are integers once multiplied by L. The caller checks that they fit in 63 bits;
then every comparison below is exact, and no float is used at all.

A *part* is a connected set of voters and projects (no ballot crosses two parts). Parts interact
only through ceilings: the purchases of the other parts are *events* (price, rank, project),
applied in the global order of rounds, which lowers the room of their groups and drops this
part's projects that no longer fit. `run_part` runs EES on one part at the (scaled) endowment
`b` and, when `track`, returns the least endowment at which its run would change (see
ees_addopt.py for the definition): the minimum over the projects whose supporters pay in a round
(to beat that round's winner), the projects dropped by a ceiling (to beat the purchase that drops
them), and, after the last round, every project still in the running (to become affordable).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from selaras.engines.selection.mes_kernel import _sift_down, _sift_up

__all__ = ["INF", "SNAP_EVERY", "least_change", "resume_round", "run_part"]

CG_SEVERAL = (1 << 16) - 1  # a purchase under several ceilings, in ev_cg (see ees_settle.cost_and_ceiling)
INF = np.int64(1) << np.int64(62)

# heap row columns
_PR, _RK, _X, _AT, _W = 0, 1, 2, 3, 4  # _AT: the tick the price was found at


@njit(cache=True, inline="always")
def _push(heap, size, pr, rk, x, at, w):  # type: ignore[no-untyped-def]
    """Adds a row (the heap has room for every project of the part: each is pushed at most once
    per run, and never grows, so no array is handed back)."""
    heap[size, _PR] = pr
    heap[size, _RK] = rk
    heap[size, _X] = x
    heap[size, _AT] = at
    heap[size, _W] = w
    _sift_up(heap, size)  # MES's heap order: price (column 0), then tie rank (column 1)
    return size + 1


@njit(cache=True, inline="always")
def _pop(heap, size, row):  # type: ignore[no-untyped-def]
    for c in range(5):
        row[c] = heap[0, c]
    size -= 1
    if size > 0:
        for c in range(5):
            heap[0, c] = heap[size, c]
        _sift_down(heap, 0, size)
    return size


@njit(cache=True, inline="always")
def _profile(x, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """x's supporters sorted by spending, least first, into tmp_*; returns their number."""
    a = pptr[x]
    k = pptr[x + 1] - a
    for i in range(k):
        v = pvot[a + i]
        s = spend[v]
        j = i
        while j > 0 and tmp_s[j - 1] > s:
            tmp_s[j] = tmp_s[j - 1]
            tmp_w[j] = tmp_w[j - 1]
            tmp_v[j] = tmp_v[j - 1]
            j -= 1
        tmp_s[j] = s
        tmp_w[j] = wv[v]
        tmp_v[j] = v
    return k


@njit(cache=True, inline="always")
def _change(x, need, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """The least f_x(j) = L c_x / W_j + s_(j) over the j whose payers' weight W_j is at least need."""
    k = _profile(x, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
    best = INF
    tot = 0
    for j in range(k):
        tot += tmp_w[j]
        if tot >= need and tot > 0:
            f = lc[x] // tot + tmp_s[j]
            if f < best:
                best = f
    return best


@njit(cache=True, inline="always")
def _bounds(x, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, hs, ws):  # type: ignore[no-untyped-def]
    """`_payer_weight(x, b)`, and stores for x, supporters sorted by spending: ws = the weight W_j of the first j, hs = the
    least L c_x / W_i + s_(i) over i >= j (INF where W_i = 0), so that `_bound` gives `_change`
    for any need. Spending only rises during a run, and then each of these values only rises
    (the least over spending levels t of L c_x / W(t) + t, W(t) falling): values stored earlier
    in the same run are lower bounds."""
    k = _profile(x, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
    a = pptr[x]
    tot = 0
    best = 0
    for j in range(k):
        tot += tmp_w[j]
        ws[a + j] = tot
        hs[a + j] = lc[x] // tot + tmp_s[j] if tot > 0 else INF
        if hs[a + j] <= b:
            best = tot
    for j in range(k - 2, -1, -1):
        if hs[a + j + 1] < hs[a + j]:
            hs[a + j] = hs[a + j + 1]
    return best


@njit(cache=True, inline="always")
def _bound(x, need, pptr, hs, ws):  # type: ignore[no-untyped-def]
    """`_change(x, need)` as of the last `_bounds(x)` (need >= 1)."""
    for i in range(pptr[x], pptr[x + 1]):
        if ws[i] >= need:
            return hs[i]
    return INF


@njit(cache=True, inline="always")
def _paid_since(x, at, pptr, pvot, paid):  # type: ignore[no-untyped-def]
    """Whether one of x's supporters paid in a round after the tick `at` (x's price or bounds
    found then are out of date)."""
    i = pptr[x]
    while i < pptr[x + 1] and paid[pvot[i]] <= at:
        i += 1
    return i < pptr[x + 1]


@njit(cache=True)
def _scratch(part, pptr, pptr_part, proj_part):  # type: ignore[no-untyped-def]
    """Room for the supporters of any project of the part (spending, weight, voter)."""
    kmax = 1
    for i in range(pptr_part[part], pptr_part[part + 1]):
        x = proj_part[i]
        if pptr[x + 1] - pptr[x] > kmax:
            kmax = pptr[x + 1] - pptr[x]
    return np.empty(kmax, dtype=np.int64), np.empty(kmax, dtype=np.int64), np.empty(kmax, dtype=np.int64)


@njit(cache=True, inline="always")
def _payers(x, w, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, payers):  # type: ignore[no-untyped-def]
    """The supporters of x who pay for it with weight w (those who spent least) into payers;
    returns their number."""
    _profile(x, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
    n_pay = 0
    tot = 0
    while tot < w:
        tot += tmp_w[n_pay]
        payers[n_pay] = tmp_v[n_pay]
        n_pay += 1
    return n_pay


@njit(cache=True, inline="always")
def _payer_weight(x, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """The largest weight W of x's supporters who spent least such that each can pay L c_x / W
    at endowment b (0: x is not affordable); x's price is then a_l[x] / W."""
    k = _profile(x, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
    best = 0
    tot = 0
    for j in range(k):
        tot += tmp_w[j]
        if tot > 0 and lc[x] // tot + tmp_s[j] <= b:
            best = tot
    return best


@njit(cache=True, inline="always")
def _need(x, pr, rk, a_l, rank):  # type: ignore[no-untyped-def]
    """The least payers' weight with which x's price a_l[x] / W beats (pr, rk); INF if none."""
    a = a_l[x]
    if pr == 0:
        return 1 if (a == 0 and rank[x] < rk) else INF
    q = a // pr
    if a % pr == 0 and rank[x] < rk:
        return max(q, 1)
    return q + 1


@njit(cache=True, inline="always")
def _beat(z, pr, rk, a_l, rank, wtot, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """The least endowment at which z (supporters' spending as now) beats the key (pr, rk)."""
    need = _need(z, pr, rk, a_l, rank)
    if need > wtot[z]:
        return INF
    return _change(z, need, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)


@njit(cache=True, inline="always")
def _keep_spending(z, pptr, pvot, spend, dsp):  # type: ignore[no-untyped-def]
    """Keeps z's supporters' spending where it drops (dsp, by support entry): a lower bound of
    their spending at any later drop (see amend_part)."""
    for a in range(pptr[z], pptr[z + 1]):
        dsp[a] = spend[pvot[a]]


@njit(cache=True, inline="always")
def _hop(z, h, h_pr, h_rk, h_at, track, e_min, hop):  # type: ignore[no-untyped-def]
    """Keeps, for a project not bought, a bound that lets a later move of its drop skip all work
    (see drops_to_fix): h, the least endowment at which it is affordable with its supporters'
    spending as now, holds at every drop from the key (h_pr, h_rk) on, as long as the part's rounds
    before it stay (spending only rises in a run); h_at: the part's first round from that key.
    The caller keeps that spending in dsp. It counts only if no change endowment of the project
    can count either: h at least the least value stored for the rounds before h_at (e_min), as
    `_bound_drops` asks. A row of hop: (h, key, h_at), h -1: none."""
    hop[z, 0] = h if not track or h >= e_min else -1
    hop[z, 1] = h_pr
    hop[z, 2] = h_rk
    hop[z, 3] = h_at


@njit(cache=True, inline="always")
def _later(apr, ark, bpr, brk):  # type: ignore[no-untyped-def]
    return apr > bpr or (apr == bpr and ark > brk)


@njit(cache=True, inline="always")
def _round_key(j, base, out_x, out_w, a_l, rank):  # type: ignore[no-untyped-def]
    """The key (price, tie rank) of the part's round j."""
    x = out_x[base + j]
    return a_l[x] // out_w[base + j], rank[x]


@njit(cache=True, inline="always")
def _first_round(kpr, krk, after, hi, base, out_x, out_w, a_l, rank):  # type: ignore[no-untyped-def]
    """The first of the run's rounds 0..hi-1 whose key comes after (kpr, krk) (after) or is not
    before it (not after); hi if none. Round keys never fall."""
    lo = 0
    while lo < hi:
        mid = (lo + hi) // 2
        mpr, mrk = _round_key(mid, base, out_x, out_w, a_l, rank)
        if _later(mpr, mrk, kpr, krk) if after else not _later(kpr, krk, mpr, mrk):
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True)
def _flip(y, f, hi, base, out_x, out_w, a_l, rank, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v):  # type: ignore[no-untyped-def]
    """The first of the run's rounds 0..hi-1 whose key comes after y's price at endowment f (its
    supporters' spending as now), hi if none: no earlier round can change because of this change
    endowment (round keys never fall). y had less spending in earlier rounds, so a lower price;
    had that beaten an earlier round at f, a change endowment of y at most f was found there too,
    and it is kept with its own round, as every value tied with the least is (see run_part)."""
    w = _payer_weight(y, f, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
    if w == 0:
        return 0
    return _first_round(a_l[y] // w, rank[y], True, hi, base, out_x, out_w, a_l, rank)


SNAP_EVERY = 16  # the spending of a part's voters is kept at the start of every 16th round


@njit(cache=True, inline="always")
def _snap(part, s, load, vptr_part, vot_part, spend, snap, snap_off):  # type: ignore[no-untyped-def]
    """Keeps (or, with load, restores) the spending of the part's voters at the start of its
    round s * SNAP_EVERY (the rounds before it stay until the part runs again from before it)."""
    v0 = vptr_part[part]
    nv = vptr_part[part + 1] - v0
    o = snap_off[part] + s * nv
    for i in range(nv):
        if load:
            spend[vot_part[v0 + i]] = snap[o + i]
        else:
            snap[o + i] = spend[vot_part[v0 + i]]


@njit(cache=True, inline="always")
def _event_ceilings(ep, ev_cg, ev_x, gptr):  # type: ignore[no-untyped-def]
    """Purchase ep's ceiling (-1: several, gidx[gi0:gi0 + n] from gptr), its cost, and gi0, n, read
    from ev_cg (see ees_settle.cost_and_ceiling) without looking up the project."""
    cg = ev_cg[ep]
    g1 = cg & CG_SEVERAL
    if g1 == CG_SEVERAL:
        y = ev_x[ep]
        return -1, cg >> 16, gptr[y], gptr[y + 1] - gptr[y]
    return g1 - 1, cg >> 16, 0, 1 if g1 > 0 else 0


@njit(cache=True)
def _resume_at(  # type: ignore[no-untyped-def]
    part, r0, base, p0, p1,
    pptr, pvot, wv, indptr, items, lc, cost, rank, a_l, gptr, gidx, room0, seg_ptr, seg_g, seg_lo, seg_hi,
    seg_proj, proj_part, vptr_part, vot_part, ev_pr, ev_rk, ev_x, ev_part, ev_cg,
    spend, dead, room, seg_of_g, seg_pos, out_x, out_w, er_round, drop_pr, drop_rk, cz, cfr,
    tmp_s, tmp_w, tmp_v, snap, snap_off, hop,
):
    """The state of the part's run right after its round r0 - 1 (0: the start), from its rounds
    and drops as they are: every voter's spending, what is bought or dropped (a drop keeps its key
    and change endowment), rooms and the other parts' purchases so far. Returns (next event,
    money spent, least change endowment of the kept rounds), or event -1 if a project that no
    longer fits was neither bought nor dropped (the caller then runs the part from the start)."""
    kpr = INF
    krk = INF
    if r0 > 0:
        kpr, krk = _round_key(r0 - 1, base, out_x, out_w, a_l, rank)
    from_round = (r0 // SNAP_EVERY) * SNAP_EVERY  # spending as kept at its start, then replayed
    payers = np.empty(tmp_v.shape[0], dtype=np.int64)
    _snap(part, r0 // SNAP_EVERY, True, vptr_part, vot_part, spend, snap, snap_off)
    for i in range(p0, p1):
        x = proj_part[i]
        if r0 > 0 and drop_pr[x] < INF and not _later(drop_pr[x], drop_rk[x], kpr, krk):
            dead[x] = 2
        else:
            dead[x] = 0
            drop_pr[x] = INF
            drop_rk[x] = INF
            cz[x] = INF
            cfr[x] = INF
            if hop[x, 3] > r0:  # it holds only while the rounds before hop[x, 3] stay
                hop[x, 0] = -1
    for g in range(room0.shape[0]):
        room[g] = room0[g]
    spent = 0
    e_min = INF
    for i in range(r0):
        x = out_x[base + i]
        w = out_w[base + i]
        if i >= from_round:
            n_pay = _payers(x, w, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, payers)
            for j in range(n_pay):
                spend[payers[j]] += lc[x] // w
        dead[x] = 1
        spent += cost[x]
        for gi in range(gptr[x], gptr[x + 1]):
            room[gidx[gi]] -= cost[x]
        if er_round[base + i] < e_min:
            e_min = er_round[base + i]
    ep = 0
    while r0 > 0 and ep < ev_pr.shape[0] and _later(kpr, krk, ev_pr[ep], ev_rk[ep]):
        if ev_part[ep] != part:
            g, c, gi0, n_gs = _event_ceilings(ep, ev_cg, ev_x, gptr)
            for k in range(n_gs):
                if n_gs > 1 or g < 0:
                    g = gidx[gi0 + k]
                room[g] -= c
        ep += 1
    for s in range(seg_ptr[part], seg_ptr[part + 1]):
        g = seg_g[s]
        seg_of_g[g] = s
        seg_pos[s] = seg_lo[s]
        while seg_pos[s] < seg_hi[s] and cost[seg_proj[seg_pos[s]]] > room[g]:
            if dead[seg_proj[seg_pos[s]]] == 0:
                return -1, spent, e_min
            seg_pos[s] += 1
    return ep, spent, e_min


@njit(cache=True)
def run_part(  # type: ignore[no-untyped-def]
    part, b, track, r0,
    pptr, pvot, wv, indptr, items, lc, a_l, rank, thr, cost, wtot, part_of,
    gptr, gidx, room0, seg_ptr, seg_g, seg_lo, seg_hi, seg_proj,
    pptr_part, proj_part, vptr_part, vot_part,
    ev_pr, ev_rk, ev_x, ev_part, ev_cg,
    spend, paid, dead, stamp, clock, room, seg_of_g, seg_pos,
    out_x, out_w, er_round, fr_round, drop_pr, drop_rk, cz, cfr, hs, ws, hrun, hat, cost_utility, snap, snap_off,
    live, live_end, live_at, dsp, hop,
):
    """EES on part `part` at scaled endowment b, keeping its first r0 rounds as they are (the
    caller knows they stay: see `resume_round`). Writes its rounds (project, payers' weight) to
    out_x/out_w from pptr_part[part] on, and for each project dropped by a ceiling the key of the
    purchase after which it was dropped. When `track`, the least change endowment is split in
    two: `cz[x]` for each project not bought (to beat the purchase that drops it, or, alive at the
    end, to become affordable), and each round's own in er_round (the payers' other projects
    against the winner, the winner with one more payer); with each, in fr_round / cfr, the round
    from which the run at that endowment can differ (cfr -1: found when asked, see
    `resume_round`). Returns (rounds, money spent, least change endowment of the rounds), rounds
    -1 if the kept rounds do not agree with the drops, or if the first new round comes before the
    last kept one (round keys never fall: a kept round should have changed; never seen since the
    fix of 7 Dec); the caller then runs the part from the start."""
    base = pptr_part[part]
    p0 = pptr_part[part]
    p1 = pptr_part[part + 1]
    tmp_s, tmp_w, tmp_v = _scratch(part, pptr, pptr_part, proj_part)
    ep, spent, e_min = _resume_at(
        part, r0, base, p0, p1,
        pptr, pvot, wv, indptr, items, lc, cost, rank, a_l, gptr, gidx, room0, seg_ptr, seg_g, seg_lo, seg_hi,
        seg_proj, proj_part, vptr_part, vot_part, ev_pr, ev_rk, ev_x, ev_part, ev_cg,
        spend, dead, room, seg_of_g, seg_pos, out_x, out_w, er_round, drop_pr, drop_rk, cz, cfr,
        tmp_s, tmp_w, tmp_v, snap, snap_off, hop,
    )
    if ep < 0:
        for s in range(seg_ptr[part], seg_ptr[part + 1]):
            seg_of_g[seg_g[s]] = -1
        return -1, 0, INF
    clock[1] += 1
    run = clock[1]  # the bounds in hs/ws stored by this run (hrun) are valid in it
    tick = clock[0]  # rounds so far (of every run): a voter's payment is stamped in `paid`
    payers = np.empty(tmp_v.shape[0], dtype=np.int64)
    heap = np.empty((max(1, p1 - p0), 5), dtype=np.int64)  # each project pushed at most once
    size = 0
    h_pr = 0  # a hop found now holds for drops from just after the kept rounds (see _hop)
    h_rk = 0
    if r0 > 0:
        h_pr, h_rk = _round_key(r0 - 1, base, out_x, out_w, a_l, rank)
        h_rk += 1
    i = p0
    while i < p1:  # by threshold: the least endowment at which x is affordable at all
        x = proj_part[i]
        if thr[x] > b:
            break
        i += 1
        if dead[x] != 0:
            continue
        if r0 == 0:  # no one has paid yet: every supporter pays
            size = _push(heap, size, a_l[x] // wtot[x], rank[x], x, tick, wtot[x])
            continue
        if hop[x, 0] > b:  # not affordable for the rest of the run (see _hop): bounds when asked
            continue
        best = _bounds(x, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, hs, ws)
        hrun[x] = run
        hat[x] = tick
        _keep_spending(x, pptr, pvot, spend, dsp)
        _hop(x, hs[pptr[x]], h_pr, h_rk, r0, track, e_min, hop)
        if best > 0:  # priced as the kept rounds left it; one not affordable now never will be
            size = _push(heap, size, a_l[x] // best, rank[x], x, tick, best)
    while r0 > 0 and i < p1:  # never affordable in this run: no spending is below nothing
        x = proj_part[i]
        i += 1
        if dead[x] == 0:
            for a in range(pptr[x], pptr[x + 1]):
                dsp[a] = 0
            _hop(x, thr[x], h_pr, h_rk, r0, track, e_min, hop)
    row = np.empty(5, dtype=np.int64)
    n_ev = ev_pr.shape[0]
    nr = r0
    while True:
        if size > 0:  # the least key (taken off below once it is bought, dead, or priced again)
            pr = heap[0, _PR]
            rk = heap[0, _RK]
        else:
            pr = INF
            rk = INF
        # the other parts' purchases that come before: rooms fall, projects drop
        while ep < n_ev and (ev_pr[ep] < pr or (ev_pr[ep] == pr and ev_rk[ep] < rk)):
            if ev_part[ep] != part:
                g, c, gi0, n_gs = _event_ceilings(ep, ev_cg, ev_x, gptr)
                for k in range(n_gs):
                    if n_gs > 1 or g < 0:
                        g = gidx[gi0 + k]
                    room[g] -= c
                    s = seg_of_g[g]
                    if s < 0:
                        continue
                    while seg_pos[s] < seg_hi[s] and cost[seg_proj[seg_pos[s]]] > room[g]:
                        z = seg_proj[seg_pos[s]]
                        seg_pos[s] += 1
                        if dead[z] == 0:
                            dead[z] = 2
                            drop_pr[z] = ev_pr[ep]
                            drop_rk[z] = ev_rk[ep]
                            _keep_spending(z, pptr, pvot, spend, dsp)
                            _hop(z, _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v), ev_pr[ep],
                                 ev_rk[ep], nr, track, e_min, hop)
                            if track:
                                cz[z] = _beat(z, ev_pr[ep], ev_rk[ep], a_l, rank, wtot, lc, pptr, pvot, wv, spend,
                                              tmp_s, tmp_w, tmp_v)
                                if cz[z] < INF:
                                    cfr[z] = _flip(z, cz[z], nr, base, out_x, out_w, a_l, rank, lc,
                                                   pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
            ep += 1
        if pr == INF and size == 0:
            break
        x = heap[0, _X]
        if dead[x] != 0:
            size = _pop(heap, size, row)
            continue
        if _paid_since(x, heap[0, _AT], pptr, pvot, paid):
            best = _bounds(x, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, hs, ws)
            hrun[x] = run
            hat[x] = tick
            if best > 0:  # priced again in place: a price only rises, so it can only sink
                heap[0, _PR] = a_l[x] // best
                heap[0, _AT] = tick
                heap[0, _W] = best
                _sift_down(heap, 0, size)
            else:
                size = _pop(heap, size, row)
            continue
        size = _pop(heap, size, row)
        w = row[_W]
        if nr == r0 and r0 > 0 and _later(h_pr, h_rk, pr, rk):  # a key not after the last kept round's:
            for s in range(seg_ptr[part], seg_ptr[part + 1]):  # they were not all to stay (never seen)
                seg_of_g[seg_g[s]] = -1
            return -1, 0, INF
        # a round: x is bought by its supporters who spent least, weight w
        n_pay = _payers(x, w, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, payers)
        if nr % SNAP_EVERY == 0:
            _snap(part, nr // SNAP_EVERY, False, vptr_part, vot_part, spend, snap, snap_off)
        out_x[base + nr] = x
        out_w[base + nr] = w
        nr += 1
        tick += 1
        e_here = INF
        r_here = INF
        e_pre = e_min  # the least value of the rounds before this one (a drop by it counts from it)
        if track:
            stamp[x] = tick
            if w + 1 <= wtot[x] and thr[x] <= e_min:
                f = _change(x, w + 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
                if f <= e_min:
                    e_min = f
                    e_here = f
                    r_here = _flip(x, f, nr, base, out_x, out_w, a_l, rank, lc, pptr, pvot, wv,
                                   spend, tmp_s, tmp_w, tmp_v)
            # with cost utility every price is L / W: the payers' weight needed to beat this
            # round, found once (`_need` with a_l = L), save for the tie rank
            q_all = a_l[x] // pr if pr > 0 else INF
            exact_all = pr > 0 and a_l[x] % pr == 0
            for i in range(n_pay):
                v = payers[i]
                k = indptr[v]
                if live_at[v] != run:  # the voter's projects that may still give a change endowment
                    for it in range(k, indptr[v + 1]):  # (all at its first payment in the run, then fewer)
                        live[it] = items[it]
                    live_end[v] = indptr[v + 1]
                    live_at[v] = run
                end = live_end[v]
                while k < end:
                    y = live[k]  # the voter's projects are all of this part
                    if dead[y] != 0 or thr[y] > e_min or (hrun[y] == run and hs[pptr[y]] > e_min) or (
                        hop[y, 0] > e_min and hop[y, 3] <= r0
                    ):
                        end -= 1  # out for the rest of the run: e_min only falls, bounds only rise
                        live[k] = live[end]
                        continue
                    k += 1
                    if stamp[y] == tick:
                        continue
                    stamp[y] = tick
                    if cost_utility:
                        need = max(q_all, 1) if exact_all and rank[y] < rk else q_all + 1
                    else:
                        need = _need(y, pr, rk, a_l, rank)
                    if need <= wtot[y]:
                        if hrun[y] == run and _bound(y, need, pptr, hs, ws) > e_min:
                            continue  # a lower bound (see _bounds): most values end here
                        _bounds(y, b, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v, hs, ws)
                        hrun[y] = run
                        hat[y] = tick - 1  # before this round's payments
                        f = _bound(y, need, pptr, hs, ws)
                        if f <= e_min:
                            e_min = f
                            fr = _flip(y, f, nr, base, out_x, out_w, a_l, rank, lc, pptr, pvot, wv,
                                       spend, tmp_s, tmp_w, tmp_v)
                            if f < e_here:
                                e_here = f
                                r_here = fr
                            elif fr < r_here:
                                r_here = fr
                live_end[v] = end
        er_round[base + nr - 1] = e_here
        fr_round[base + nr - 1] = r_here
        dead[x] = 1
        spent += cost[x]
        for gi in range(gptr[x], gptr[x + 1]):
            g = gidx[gi]
            room[g] -= cost[x]
            s = seg_of_g[g]
            while s >= 0 and seg_pos[s] < seg_hi[s] and cost[seg_proj[seg_pos[s]]] > room[g]:
                z = seg_proj[seg_pos[s]]
                seg_pos[s] += 1
                if dead[z] == 0:
                    dead[z] = 2
                    drop_pr[z] = pr
                    drop_rk[z] = rk
                    _keep_spending(z, pptr, pvot, spend, dsp)
                    _hop(z, _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v), pr, rk, nr - 1, track,
                         e_pre, hop)
                    if track:
                        cz[z] = _beat(z, pr, rk, a_l, rank, wtot, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
                        if cz[z] < INF:
                            cfr[z] = _flip(z, cz[z], nr, base, out_x, out_w, a_l, rank, lc,
                                           pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
        pay = lc[x] // w
        for i in range(n_pay):
            v = payers[i]
            spend[v] += pay
            paid[v] = tick
    if track:  # after the last round: a project still in the running becomes affordable
        for i in range(p0, p1):
            x = proj_part[i]
            if dead[x] != 0:
                continue
            cfr[x] = -1
            if r0 == 0:
                cz[x] = _change(x, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
            elif hrun[x] != run:  # not affordable when the run resumed
                cz[x] = max(thr[x], hop[x, 0])
                cfr[x] = -2
            else:  # as of its last _bounds in this run: exact if none of its supporters paid since
                cz[x] = hs[pptr[x]]
                if _paid_since(x, hat[x], pptr, pvot, paid):
                    cfr[x] = -2
    if nr % SNAP_EVERY == 0:
        _snap(part, nr // SNAP_EVERY, False, vptr_part, vot_part, spend, snap, snap_off)
    for s in range(seg_ptr[part], seg_ptr[part + 1]):
        seg_of_g[seg_g[s]] = -1
    clock[0] = tick
    return nr, spent, e_min


@njit(cache=True)
def resume_round(  # type: ignore[no-untyped-def]
    part, b, nr, pptr_part, proj_part, er_round, fr_round, cz, cfr,
    out_x, out_w, a_l, rank, lc, pptr, pvot, wv, spend,
):
    """The rounds of the part's run that stay as they are at endowment b, b being the part's least
    change endowment (with a larger b, values pruned against the run's least would be missing):
    those before the first round where a change endowment of b can show. 0 (run from the start)
    if none is found, which does not happen when b is the least."""
    base = pptr_part[part]
    r0 = nr
    found = False
    for i in range(nr):
        if er_round[base + i] <= b:
            found = True
            if fr_round[base + i] < r0:
                r0 = fr_round[base + i]
    tmp_s, tmp_w, tmp_v = _scratch(part, pptr, pptr_part, proj_part)
    for i in range(pptr_part[part], pptr_part[part + 1]):
        z = proj_part[i]
        if cz[z] <= b and cfr[z] == -2:
            cz[z] = _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
            cfr[z] = -1
        if cz[z] <= b:
            found = True
            f = cfr[z]
            if f < 0:  # alive at the end: spending as at the end of the run
                f = _flip(z, cz[z], nr, base, out_x, out_w, a_l, rank, lc, pptr, pvot, wv, spend,
                          tmp_s, tmp_w, tmp_v)
            if f < r0:
                r0 = f
    return r0 if found else 0


@njit(cache=True)
def least_change(part, e_r, pptr_part, proj_part, cz, cfr, lc, pptr, pvot, wv, spend):  # type: ignore[no-untyped-def]
    """The part's least change endowment: the least of its rounds' (e_r) and of its projects'
    (cz). A project alive at the end of the run may hold only a lower bound (cfr -2: its
    supporters paid after it was last looked at); those below the least exact value are made
    exact (with the spending as the run left it), so the result is exact. One pass when no lower
    bound is below the least exact value."""
    best = e_r
    low = INF  # the least lower bound
    for i in range(pptr_part[part], pptr_part[part + 1]):
        z = proj_part[i]
        if cfr[z] != -2:
            if cz[z] < best:
                best = cz[z]
        elif cz[z] < low:
            low = cz[z]
    if low >= best:
        return best
    tmp_s, tmp_w, tmp_v = _scratch(part, pptr, pptr_part, proj_part)
    for i in range(pptr_part[part], pptr_part[part + 1]):
        z = proj_part[i]
        if cfr[z] == -2 and cz[z] < best:
            cz[z] = _change(z, 1, lc, pptr, pvot, wv, spend, tmp_s, tmp_w, tmp_v)
            cfr[z] = -1
            if cz[z] < best:
                best = cz[z]
    return best
