"""Exact Equal Shares (EES) and its add-opt completion (Kraiczy, Robinson, Elkind 2025).

EES, with uniform utilities (a supporter values project p at u_p: its cost, or 1 for approval):
every voter i holds budget beta_i per unit of weight. Project p is affordable at price rho when
the supporters able to pay rho * u_p each, N_p(rho) = {i : beta_i >= rho * u_p}, pay its cost
exactly: rho * u_p * w(N_p(rho)) = c_p. Each round buys the project with the smallest such rho
(ties by the variant's tie order); its payers pay exactly rho * u_p = c_p / w(N_p(rho)) each,
everyone else pays nothing. With supporters sorted by budget (highest first) and W_j the weight
of the first j, p's payers are the first j for the largest j with beta_(j) * W_j >= c_p.

add-opt: the run stays the same when every budget is raised by d, until some project p at some
round t gets a payer set that beats the round's winner (or the winner's own payer set grows, or,
after the last round, some project becomes affordable). At round t that needs a j with
beta_(j) + d >= c_p / W_j among the j whose price beats the winner; so the round changes at
endowment e_t = b + min_j (c_p / W_j - beta_(j)) over those j and the projects p. The next
endowment is b' = min_t e_t. Below b' nothing changes; at b' the earliest such round t* changes,
rounds before it stay, so the run restarts at t* with every budget raised by b' - b, and e_t of
rounds before t* are kept (they do not depend on b). p's value at round t can only fall while
its supporters' budgets stay put (the winners' prices only rise), so each p is evaluated only at
rounds where one of its supporters pays, where a ceiling drops it, and after the last round.
The completion stops when the run at b' would spend more than the money shared out (the last
run that fits is kept), or when no raise changes anything.

All money is exact: budgets, payments and endowments are `Fraction`s; no float decides anything.
Mandatory projects, floors and ceilings: as for MES, the money left after mandatory projects and
floors is shared; a project that no longer fits under a ceiling drops out (in every rerun too).
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Completion, Reason, ReasonCode, Utility
from selaras.engines.selection.ledger import Ledger, Support
from selaras.engines.selection.variants import MesOptions

__all__ = ["run_ees", "EesRound", "EesState"]

IntArray = npt.NDArray[np.int64]
INF = None  # "no change at any raise"


@dataclass(frozen=True)
class EesRound:
    """One purchase: the project, its payers' weight and the exact payment per unit weight."""

    project: int
    weight: int
    payment: Fraction
    payers: tuple[int, ...]


class EesState:
    """Static data of the instance for repeated EES runs (supporters, utilities, tie ranks)."""

    def __init__(self, support: Support, base: Ledger, candidates: IntArray, utility: Utility) -> None:
        self.support = support
        self.base = base
        self.cost_util = utility is Utility.COST
        self.costs: list[int] = support.cost_list
        self.rank: list[int] = support.rank.tolist()
        pptr = support.pptr.tolist()
        pvot = support.pvot.tolist()
        self.sup: list[list[int]] = [pvot[pptr[p] : pptr[p + 1]] for p in range(len(self.costs))]
        self.w: list[int] = support.weights.tolist()
        indptr = support.indptr.tolist()
        items = support.items.tolist()
        self.ballot: list[list[int]] = [items[indptr[v] : indptr[v + 1]] for v in range(support.n_voters)]
        self.by_cost: list[list[int]] = [
            sorted(m.tolist(), key=lambda x: -self.costs[x]) for m in support.group_members
        ]
        self.candidates = [
            p for p in candidates.tolist() if support.approvals[p] > 0 and (self.costs[p] > 0 or not self.cost_util)
        ]

    def drops(self, ledger: Ledger, p: int, alive: set[int]) -> list[int]:
        """The projects still in the running that no longer fit under a ceiling once p is bought."""
        c = self.costs[p]
        out: list[int] = []
        for g in ledger.groups_of[p]:
            room = ledger.room[g]
            if room is None:
                continue
            members = self.by_cost[g]
            # members sorted by cost, dearest first: those above the new room drop
            for x in members:
                if self.costs[x] <= room - c:
                    break
                if x in alive and x not in out:
                    out.append(x)
        return out

    def price(self, p: int, weight: int) -> Fraction:
        """rho of p when `weight` of supporters pay (cost utility: 1 / W; approval: c / W)."""
        return Fraction(1, weight) if self.cost_util else Fraction(self.costs[p], weight)

    def payers(self, p: int, budgets: _Budgets) -> tuple[int, list[int]]:
        """(weight W, payers) of p at `budgets`: the first j supporters by budget for the
        largest j with beta_(j) * W_j >= c_p; (0, []) if nobody can pay."""
        c = self.costs[p]
        order = budgets.sorted_desc(self.sup[p])
        w = self.w
        bf, bx = budgets.f, budgets.x
        hi, lo = c * (1 + _TOL), c * (1 - _TOL)
        total = 0
        best = 0
        for j, v in enumerate(order, start=1):
            total += w[v]
            approx = bf[v] * total
            if approx >= hi or (approx > lo and bx[v] * total >= c):
                best = j
        if best == 0:
            return 0, []
        payers = order[:best]
        return sum(w[v] for v in payers), payers

    def raised_weight(self, p: int, budgets: _Budgets, d: Fraction) -> int:
        """The payers' weight of p when every budget is raised by d (exact)."""
        c = self.costs[p]
        bx = budgets.x
        total = 0
        best = 0
        for v in budgets.sorted_desc(self.sup[p]):
            total += self.w[v]
            if (bx[v] + d) * total >= c:
                best = total
        return best

    def change_at(self, p: int, budgets: _Budgets, beats: _Beats) -> Fraction | None:
        """The least raise d > 0 at which p gets a payer set that `beats` accepts, or None.
        Floats find the candidates within a safe margin of the least; fractions decide."""
        c = self.costs[p]
        order = budgets.sorted_desc(self.sup[p])
        w = self.w
        bf = budgets.f
        total = 0
        cands: list[tuple[float, float, int, int]] = []
        low = math.inf
        for v in order:
            total += w[v]
            if not beats(p, total):
                continue
            share = c / total
            d = share - bf[v]
            err = _TOL * (share + abs(bf[v]))
            cands.append((d, err, v, total))
            if d + err < low:
                low = d + err
        best: Fraction | None = None
        bx = budgets.x
        for d, err, v, tot in cands:
            if d - err <= low:
                exact = Fraction(c, tot) - bx[v]
                if best is None or exact < best:
                    best = exact
        return best


_TOL = 1e-9  # far above the rounding error of one float division or subtraction


class _Budgets:
    """Voter budgets per unit of weight: exact fractions and their correctly rounded floats
    (float(x) is monotone in x, so sorting by (float, fraction) is the exact order)."""

    __slots__ = ("x", "f")

    def __init__(self, n: int, endowment: Fraction) -> None:
        self.x = [endowment] * n
        self.f = [float(endowment)] * n

    def pay_all(self, voters: tuple[int, ...], amount: Fraction) -> None:
        """Each of `voters` pays `amount`; equal budgets stay one shared object."""
        x, f = self.x, self.f
        memo: dict[int, tuple[Fraction, Fraction, float]] = {}
        for v in voters:
            old = x[v]
            hit = memo.get(id(old))
            if hit is None:
                y = old - amount
                hit = memo[id(old)] = (old, y, float(y))
            x[v] = hit[1]
            f[v] = hit[2]

    def sorted_desc(self, voters: list[int]) -> list[int]:
        f, x = self.f, self.x
        out = sorted(voters, key=f.__getitem__, reverse=True)
        for a, b in zip(out, out[1:], strict=False):
            if f[a] == f[b] and x[a] is not x[b] and x[a] != x[b]:
                return sorted(voters, key=lambda v: (f[v], x[v]), reverse=True)
        return out


class _Beats:
    """Which payer weights W of project p change round t: beat its winner (or, for the winner
    itself, any larger W; after the last round, any W)."""

    def __init__(self, state: EesState, winner: int | None, weight: int) -> None:
        self.state = state
        self.winner = winner
        self.weight = weight
        self.price = None if winner is None else state.price(winner, weight)

    def __call__(self, p: int, total: int) -> bool:
        if self.winner is None:
            return total > 0
        if p == self.winner:
            return total > self.weight
        st = self.state
        if st.cost_util:
            if total != self.weight:
                return total > self.weight
        else:
            q = st.price(p, total)
            assert self.price is not None
            if q != self.price:
                return q < self.price
        return st.rank[p] < st.rank[self.winner]


# (e, s): the least endowment at which the round changes, and a round s <= the first round that
# changes then (rounds before s stay the same at e); None if no raise changes it
_Change = tuple[Fraction, int] | None


@dataclass
class _Run:
    """An EES run at one endowment: rounds, per-round change endowments, final budgets."""

    endowment: Fraction
    rounds: list[EesRound]
    change: list[_Change]  # per round, and one more entry after the last round
    beta: _Budgets
    ledger: Ledger
    dropped: dict[int, Reason]



def _ees_from(
    st: EesState,
    endowment: Fraction,
    keep: list[EesRound],
    keep_change: list[_Change],
    track: bool,
) -> _Run:
    """EES at `endowment`, replaying the rounds `keep` first (they are known to stay), then
    running on; with `track`, records e_t (the endowment at which each round would change)."""
    ledger = st.base.copy()
    beta = _Budgets(len(st.w), endowment)
    bought: set[int] = set()
    # the round from which each project's supporters' budgets are what they are now
    since: dict[int, int] = {}
    for t, r in enumerate(keep):
        beta.pay_all(r.payers, r.payment)
        for v in r.payers:
            for x in st.ballot[v]:
                since[x] = t + 1
        ledger.take(r.project, _bought_reason(len(bought) + 1, r))
        bought.add(r.project)
    rounds = list(keep)
    change = list(keep_change[: len(keep)])
    dropped: dict[int, Reason] = {}
    avail = []
    for p in st.candidates:
        if p in bought:
            continue
        blk = ledger.ceiling_blocker(p)
        if blk is not None:
            dropped[p] = blk
            continue
        avail.append(p)
    # lazy heap of (price, rank, version, p): prices only rise as budgets fall
    ver: dict[int, int] = dict.fromkeys(avail, 0)
    # (float price, exact price, rank, version, p): float(q) is monotone in q, so tuples compare
    # as the exact prices do
    heap: list[tuple[float, Fraction, int, int, int]] = []
    for p in avail:
        wgt, _ = st.payers(p, beta)
        if wgt:
            q = st.price(p, wgt)
            heap.append((float(q), q, st.rank[p], 0, p))
    heapq.heapify(heap)
    alive = set(avail)
    while heap:
        _, _, rk, vv, p = heapq.heappop(heap)
        if p not in alive:
            continue
        if vv != ver[p]:
            wgt, _ = st.payers(p, beta)
            if wgt:
                q = st.price(p, wgt)
                heapq.heappush(heap, (float(q), q, rk, ver[p], p))
            continue
        wgt, payers = st.payers(p, beta)
        alive.discard(p)
        drops = st.drops(ledger, p, alive)
        if track:
            change.append(_round_change(st, beta, p, wgt, payers, alive, drops, endowment, since, rounds))
        pay = Fraction(st.costs[p], wgt)
        rnd = EesRound(p, wgt, pay, tuple(payers))
        rounds.append(rnd)
        ledger.take(p, _bought_reason(len(rounds), rnd))
        for x in drops:
            blk = ledger.ceiling_blocker(x)
            assert blk is not None
            dropped[x] = blk
            alive.discard(x)
        beta.pay_all(rnd.payers, pay)
        for v in payers:
            for x in st.ballot[v]:
                since[x] = len(rounds)
                if x in ver:
                    ver[x] += 1
    if track:
        change.append(_least(st, beta, _Beats(st, None, 0), alive, endowment, since, rounds))
    return _Run(endowment, rounds, change, beta, ledger, dropped)


def _round_change(
    st: EesState,
    beta: _Budgets,
    winner: int,
    weight: int,
    payers: list[int],
    alive: set[int],
    drops: list[int],
    endowment: Fraction,
    since: dict[int, int],
    rounds: list[EesRound],
) -> _Change:
    """e_t of the round buying `winner`: evaluated for the projects whose supporters' budgets
    change now (the payers' projects) or that a ceiling drops after it (the rest were evaluated
    in an earlier round where their value was no lower)."""
    beats = _Beats(st, winner, weight)
    todo: set[int] = {winner, *drops}
    for v in payers:
        todo.update(x for x in st.ballot[v] if x in alive)
    return _least(st, beta, beats, todo, endowment, since, rounds)


def _least(
    st: EesState,
    beta: _Budgets,
    beats: _Beats,
    todo: set[int],
    endowment: Fraction,
    since: dict[int, int],
    rounds: list[EesRound],
) -> _Change:
    """The least change endowment over `todo`, and the first round that changes there.

    A project reaching it has had the same supporters' budgets since round `since[x]`; with the
    raise it is bought at price q*, and as the winners' prices only rise, the first round of
    that stretch whose winner q* beats is where the run changes (the current round at the
    latest)."""
    best: Fraction | None = None
    hits: list[int] = []
    for x in todo:
        d = st.change_at(x, beta, beats)
        if d is None:
            continue
        if best is None or d < best:
            best, hits = d, [x]
        elif d == best:
            hits.append(x)
    if best is None:
        return None
    now = len(rounds)
    start = now
    for x in hits:
        q = st.price(x, st.raised_weight(x, beta, best))
        for r in range(since.get(x, 0), min(start, now)):
            rw = rounds[r]
            qr = st.price(rw.project, rw.weight)
            if q < qr or (q == qr and st.rank[x] < st.rank[rw.project]):
                start = r
                break
    return (endowment + best, start)


def _bought_reason(round_no: int, r: EesRound) -> Reason:
    return Reason(
        ReasonCode.SELECTED_EQUAL_SHARES,
        {"round": round_no, "payment": float(r.payment), "supporters": r.weight, "capped": 0},
    )


def run_ees(
    support: Support, ledger: Ledger, open_idx: IntArray, options: MesOptions, details: dict[str, object]
) -> tuple[Ledger, Mapping[int, Reason]]:
    """EES on the money left in `ledger`, with add-opt if `options.completion` asks for it.
    Returns the ledger of the kept run and the rejections of projects it did not buy."""
    total_w = support.total_weight
    if total_w == 0:
        return ledger, {}
    st = EesState(support, ledger, open_idx, options.utility)
    money = ledger.remaining
    add_opt = options.completion is Completion.ADD_OPT
    started = time.perf_counter()
    run = _ees_from(st, Fraction(money, total_w), [], [], add_opt)
    steps: list[float] = []
    restarts: list[int] = []
    if add_opt:
        while True:
            nxt = _next_endowment(run.change)
            if nxt is None:
                stop = "no_change"
                break
            e, t_star = nxt
            assert e > run.endowment
            t0 = time.perf_counter()
            trial = _ees_from(st, e, run.rounds[:t_star], run.change, True)
            steps.append(time.perf_counter() - t0)
            restarts.append(t_star)
            if trial.ledger.spent - st.base.spent > money:
                stop = "overspend"
                break
            run = trial
        details["add_opt_steps"] = len(steps)
        details["add_opt_stopped"] = stop
        details["add_opt_seconds_per_step"] = round(sum(steps) / len(steps), 6) if steps else 0.0
        details["add_opt_max_step_seconds"] = round(max(steps), 6) if steps else 0.0
        details["add_opt_mean_restart_round"] = round(sum(restarts) / len(restarts), 1) if restarts else 0.0
    details["ees_rounds"] = len(run.rounds)
    details["ees_endowment"] = str(run.endowment)
    details["per_voter_budget"] = float(run.endowment)
    details["ees_seconds"] = round(time.perf_counter() - started, 6)
    details["mes_arithmetic"] = "exact"
    rejected: dict[int, Reason] = dict(run.dropped)
    w = st.w
    for p in st.candidates:
        if run.ledger.is_taken[p] or p in rejected:
            continue
        avail = sum(run.beta.x[v] * w[v] for v in st.sup[p])
        rejected[p] = Reason(ReasonCode.REJECTED_SUPPORTERS_BUDGET, {"available": float(avail), "cost": st.costs[p]})
    return run.ledger, rejected


def _next_endowment(change: list[_Change]) -> tuple[Fraction, int] | None:
    """(the least change endowment, a round from which to rerun), or None if no raise changes
    the run."""
    best: Fraction | None = None
    at = -1
    for ch in change:
        if ch is None:
            continue
        e, s0 = ch
        if best is None or e < best:
            best, at = e, s0
        elif e == best and s0 < at:
            at = s0
    return None if best is None else (best, at)
