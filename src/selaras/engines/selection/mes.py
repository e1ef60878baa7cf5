"""The Method of Equal Shares (MES) with exact decisions on float-speed arithmetic.

Every voter starts with an equal share of the money (times its weight). In each round the project
that its supporters can buy at the lowest price per unit of utility (rho) is bought; supporters
pay rho * utility each, or all they have left. Projects nobody can afford any more drop out.

Shares are compared as follows. Voters with the same history hold the same budget, so budgets
are kept per *budget class*: an exact `Fraction` (computed lazily from the class it came from and
the price paid) and a float. Floats find which supporters pay all they have left; a supporter
whose budget is within a relative 1e-7 of the price, or a supporters' total within 1e-7 of the
cost, is decided with exact fractions. Every price in the heap is exact (a `Fraction`) next to its
correctly rounded float, so heap order is exact price order, then project id.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from selaras.domain.selection import Reason, ReasonCode, Utility
from selaras.engines.selection.ledger import Ledger, Support

__all__ = ["MesRound", "MesRun", "equal_shares"]

TOL = 1e-7
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class MesRound:
    """One purchase: the project, the price per unit of utility and who paid."""

    project: int
    payment: float  # the most a supporter (per unit of weight) paid
    supporters: int
    capped: int  # supporters who paid all they had left


@dataclass
class MesRun:
    """Result of one run of MES (no completion)."""

    rounds: list[MesRound] = field(default_factory=list)
    rejected: Mapping[int, Reason] = field(default_factory=dict)  # not bought, and why
    arithmetic: str = "exact"  # "float" when the compiled kernel decided every comparison


class _Budgets:
    """Voter budgets grouped in classes with lazily exact values."""

    def __init__(self, n: int, b0: Fraction) -> None:
        self.cls = np.zeros(n, dtype=np.int64)
        self.parent: list[int] = [-1]
        self.minus: list[Fraction] = [Fraction(0)]
        self.exact: dict[int, Fraction] = {0: b0}
        self.vf: list[float] = [float(b0)]
        self.zero = -1

    def value(self, c: int) -> Fraction:
        chain = []
        while c not in self.exact:
            chain.append(c)
            c = self.parent[c]
        v = self.exact[c]
        for k in reversed(chain):
            v = v - self.minus[k]
            self.exact[k] = v
        return v

    def zero_class(self) -> int:
        if self.zero < 0:
            self.zero = len(self.vf)
            self.parent.append(-1)
            self.minus.append(Fraction(0))
            self.exact[self.zero] = Fraction(0)
            self.vf.append(0.0)
        return self.zero

    def derived(self, old: int, t: Fraction, tf: float) -> int:
        c = len(self.vf)
        self.parent.append(old)
        self.minus.append(t)
        self.vf.append(max(self.vf[old] - tf, 0.0))
        return c


def equal_shares(
    support: Support,
    ledger: Ledger,
    candidates: IntArray,
    per_voter: Fraction,
    utility: Utility,
    arithmetic: str = "auto",
) -> MesRun:
    """Run MES on `candidates` (project indices), each voter holding `per_voter` per unit weight.

    Ceilings in `ledger` are respected (a project that would break one drops out); the ledger
    receives the purchases. Ties in rho go to the smallest project id. With `arithmetic="auto"`
    and cost utility the compiled float kernel runs first (see mes_kernel); if it cannot decide
    a comparison, exact fractions decide everything ("exact" forces them).
    """
    if arithmetic == "auto" and utility is Utility.COST:
        fast = _compiled(support, ledger, candidates, per_voter)
        if fast is not None:
            return fast
    rejected: dict[int, Reason] = {}
    run = MesRun(rejected=rejected)
    n = support.n_voters
    costs = support.cost_list
    approvals = support.approvals
    rank = support.rank
    pptr = support.pptr
    pvot = support.pvot
    wf = support.wf
    unit = support.unit_weights
    indptr = support.indptr.tolist()
    items = support.items
    budgets = _Budgets(n, per_voter)
    # Python-list mirrors for the many small projects (numpy per-call overhead dominates there)
    pvot_l: list[int] = pvot.tolist()
    pptr_l: list[int] = pptr.tolist()
    w_l: list[int] = support.weights.tolist()
    cls_l: list[int] = [0] * n
    ver = np.zeros(len(costs), dtype=np.int64)
    cost_util = utility is Utility.COST
    value = budgets.value
    ctx = _Ctx(value, cost_util)

    def exact_total(classes: list[int], wsum: list[int]) -> Fraction:
        return sum((value(k) * w for k, w in zip(classes, wsum, strict=True)), Fraction(0))

    simple: dict[int, Fraction] = {}
    # equal prices share one object, so heap comparisons of equal floats end on identity
    # instead of a Fraction comparison; keyed by the float first (cheap to hash)
    shared: dict[tuple[float, int, int], Fraction] = {}

    def entry(key: _Key) -> _Entry:
        """Heap entry (float, exact, rank, key): the float is the exact price correctly rounded,
        so tuples compare as the exact prices do; equal floats fall back to the fractions."""
        if key.status is None and cost_util:
            q = simple.get(key.w)
            if q is None:
                q = simple[key.w] = Fraction(1, key.w)
        elif key.status is None:
            q = Fraction(key.c, key.w)
        else:
            t = key.payment()[0]
            q = t / key.c if cost_util else t
            fq = float(q)
            if cost_util and q.numerator == 1:
                q = simple.setdefault(q.denominator, q)
            else:
                q = shared.setdefault((fq, q.numerator, q.denominator), q)
            return (fq, q, key.rank, key)
        return (float(q), q, key.rank, key)

    def evaluate(p: int, rk: int) -> _Key | None:
        """The price of p now (floats; exact parts recorded for later), None if unaffordable."""
        a, b = pptr_l[p], pptr_l[p + 1]
        c = costs[p]
        if b - a <= _SMALL:
            agg: dict[int, int] = {}
            if unit:
                for v in pvot_l[a:b]:
                    k = cls_l[v]
                    agg[k] = agg.get(k, 0) + 1
            else:
                for v in pvot_l[a:b]:
                    k = cls_l[v]
                    agg[k] = agg.get(k, 0) + w_l[v]
            classes = list(agg)
            wsum = list(agg.values())
        else:
            cls = budgets.cls
            sup = pvot[a:b]
            uniq, inv = np.unique(cls[sup], return_inverse=True)
            if unit:
                wsum = np.bincount(inv).tolist()
            else:
                wsum = np.rint(np.bincount(inv, weights=wf[sup])).astype(np.int64).tolist()
            classes = uniq.tolist()
        vf = budgets.vf
        fvals = [vf[k] for k in classes]
        total = sum(f * w for f, w in zip(fvals, wsum, strict=True))
        if total < c * (1 - TOL) or (total <= c * (1 + TOL) and exact_total(classes, wsum) < c):
            rejected[p] = Reason(
                ReasonCode.REJECTED_SUPPORTERS_BUDGET, {"available": total, "cost": c}
            )
            return None
        w_total = sum(wsum)
        v_now = int(ver[p])
        if len(classes) == 1 and (fvals[0] * w_total >= c * (1 + TOL) or value(classes[0]) * w_total >= c):
            return _Key(_rho_float(c, w_total, cost_util), rk, p, v_now, c, w_total, ctx, classes, wsum, None)
        order = sorted(range(len(classes)), key=fvals.__getitem__)
        s_f = 0.0
        r_f = w_total
        t_f = c / r_f
        for j in order:
            t_f = (c - s_f) / r_f
            if fvals[j] >= t_f:
                break
            s_f += fvals[j] * wsum[j]
            r_f -= wsum[j]
        lo = t_f * (1 - TOL)
        hi = t_f * (1 + TOL)
        status = [0] * len(classes)  # 0 pays the price, 1 pays all it has, 2 undecided in floats
        for j in order:
            fj = fvals[j]
            if fj < lo:
                status[j] = 1
            elif fj <= hi:
                status[j] = 2
            else:
                break
        if not any(status):
            return _Key(_rho_float(c, w_total, cost_util), rk, p, v_now, c, w_total, ctx, classes, wsum, None)
        f = t_f / c if cost_util else t_f
        return _Key(f, rk, p, v_now, c, w_total, ctx, classes, wsum, status)

    heap: list[_Entry] = []
    for p in candidates.tolist():
        c = costs[p]
        w_p = int(approvals[p])
        if w_p == 0 or (cost_util and c == 0):
            continue
        if c == 0:  # supported and free: bought at once (only reachable with approval utility)
            ledger.take(p, Reason(ReasonCode.SELECTED_EQUAL_SHARES, _params(0, 0.0, w_p, 0)))
            run.rounds.append(MesRound(p, 0.0, w_p, 0))
            continue
        if per_voter.numerator * w_p < c * per_voter.denominator:
            rejected[p] = Reason(
                ReasonCode.REJECTED_SUPPORTERS_BUDGET,
                {"available": float(per_voter * w_p), "cost": c},
            )
            continue
        heap.append(
            entry(_Key(0.0, int(rank[p]), p, 0, c, w_p, ctx, [0], [w_p], None))
        )
    heapq.heapify(heap)

    round_no = 0
    while heap:
        top = heap[0][3]
        p = top.p
        if top.ver != ver[p]:
            heapq.heappop(heap)
            blk = ledger.ceiling_blocker(p)
            if blk is not None:
                rejected[p] = blk
                continue
            new = evaluate(p, top.rank)
            if new is not None:
                heapq.heappush(heap, entry(new))
            continue
        heapq.heappop(heap)
        blk = ledger.ceiling_blocker(p)
        if blk is not None:
            rejected[p] = blk
            continue
        t, capped = top.payment()
        tf = float(t)
        round_no += 1
        new_cls = [
            budgets.zero_class() if cap else budgets.derived(k, t, tf)
            for k, cap in zip(top.classes, capped, strict=True)
        ]
        a, b = int(pptr[p]), int(pptr[p + 1])
        sup = pvot[a:b]
        cls = budgets.cls
        sup_l = pvot_l[a:b]
        if len(new_cls) == 1:
            cls[sup] = new_cls[0]
            k0 = new_cls[0]
            for v in sup_l:
                cls_l[v] = k0
        elif b - a <= _SMALL:
            remap = dict(zip(top.classes, new_cls, strict=True))
            for v in sup_l:
                k1 = remap[cls_l[v]]
                cls[v] = k1
                cls_l[v] = k1
        else:
            keys = np.asarray(top.classes, dtype=np.int64)
            srt = np.argsort(keys)
            pos = np.searchsorted(keys[srt], cls[sup])
            cls[sup] = np.asarray(new_cls, dtype=np.int64)[srt][pos]
            for v, k2 in zip(sup_l, cls[sup].tolist(), strict=True):
                cls_l[v] = k2
        n_sup = int(sum(top.wsum))
        n_cap = int(sum(w for w, cap in zip(top.wsum, capped, strict=True) if cap))
        ledger.take(p, Reason(ReasonCode.SELECTED_EQUAL_SHARES, _params(round_no, tf, n_sup, n_cap)))
        run.rounds.append(MesRound(p, tf, n_sup, n_cap))
        if b - a <= _SMALL:
            for v in sup.tolist():
                ver[items[indptr[v] : indptr[v + 1]]] += 1
        else:
            ver[support.projects_of(sup)] += 1
    return run


_SMALL = 48


def _compiled(support: Support, ledger: Ledger, candidates: IntArray, per_voter: Fraction) -> MesRun | None:
    """MES with cost utility by the compiled kernel; None (ledger untouched) if undecided."""
    from selaras.engines.selection.mes_kernel import OK, mes_cost_kernel

    costs = support.costs
    if len(costs) and (int(costs.max()) >= 2**53 or int(support.weights.max(initial=0)) >= 2**24):
        return None  # amounts a double cannot hold exactly: fractions only
    cand = candidates[(support.approvals[candidates] > 0) & (costs[candidates] > 0)]
    # who can afford a project at the start, exactly: per_voter * w >= cost
    w = support.approvals[cand]
    approx = float(per_voter) * w.astype(np.float64)
    cf = costs[cand].astype(np.float64)
    sure = (approx > cf * (1 + 1e-9)) | (approx < cf * (1 - 1e-9))
    afford = approx >= cf
    pays_all = np.zeros(len(costs), dtype=np.bool_)
    for i in np.flatnonzero(~sure).tolist():
        money = per_voter * int(w[i])
        afford[i] = money >= int(costs[cand[i]])
        pays_all[cand[i]] = money == int(costs[cand[i]])
    room = np.asarray([0 if r is None else r for r in ledger.room], dtype=np.int64)
    has_ceiling = np.asarray([r is not None for r in ledger.room], dtype=np.bool_)
    status, bought, pay, sup, capw, rej_code, rej_val, rej_group = mes_cost_kernel(
        np.ascontiguousarray(cand[afford], dtype=np.int64),
        pays_all,
        costs,
        support.rank,
        float(per_voter),
        support.pptr,
        support.pvot,
        support.weights,
        support.indptr,
        support.items,
        ledger.group_ptr,
        ledger.group_idx,
        room,
        has_ceiling,
    )
    if status != OK:
        return None
    for p, wp in zip(cand[~afford].tolist(), w[~afford].tolist(), strict=True):
        rej_code[p] = 1  # its supporters cannot afford it even at the start
        rej_val[p] = float(per_voter * wp)
    run = MesRun(arithmetic="float", rejected=_KernelRejections(rej_code, rej_val, rej_group, ledger))
    for k, (p, t, n_sup, n_cap) in enumerate(
        zip(bought.tolist(), pay.tolist(), sup.tolist(), capw.tolist(), strict=True), start=1
    ):
        ledger.take(p, Reason(ReasonCode.SELECTED_EQUAL_SHARES, _params(k, t, n_sup, n_cap)))
        run.rounds.append(MesRound(p, t, n_sup, n_cap))
    return run


class _KernelRejections(Mapping[int, Reason]):
    """The kernel's rejections, each Reason made when asked for: a completion replaces most of
    them (a full ceiling says more), so most are never needed."""

    def __init__(self, code: npt.NDArray[np.int8], val: npt.NDArray[np.float64], group: IntArray, ledger: Ledger) -> None:
        self._code, self._val, self._group = code, val, group
        self._keys, self._cost = ledger.group_keys, ledger.cost

    def __getitem__(self, p: int) -> Reason:
        code = int(self._code[p]) if 0 <= p < len(self._code) else 0
        if code == 1:
            return Reason(
                ReasonCode.REJECTED_SUPPORTERS_BUDGET, {"available": float(self._val[p]), "cost": self._cost[p]}
            )
        if code == 2:
            return Reason(
                ReasonCode.REJECTED_CEILING,
                {"group": self._keys[int(self._group[p])], "remaining": int(self._val[p]), "cost": self._cost[p]},
            )
        raise KeyError(p)

    def __contains__(self, p: object) -> bool:
        return isinstance(p, int) and 0 <= p < len(self._code) and bool(self._code[p])

    def __iter__(self) -> Iterator[int]:
        return iter(np.flatnonzero(self._code).tolist())

    def __len__(self) -> int:
        return int(np.count_nonzero(self._code))


def _rho_float(c: int, w: int, cost_util: bool) -> float:
    # correctly rounded, so equal prices give equal floats
    return 1.0 / w if cost_util else float(Fraction(c, w))


_Entry = tuple[float, Fraction, int, "_Key"]


class _Ctx:
    __slots__ = ("value", "cost_util")

    def __init__(self, value: Callable[[int], Fraction], cost_util: bool) -> None:
        self.value = value
        self.cost_util = cost_util


class _Key:
    """A project's price at one evaluation: the supporters' budget classes, their weights and
    who pays all they have (status: 0 pays the price, 1 capped, 2 undecided in floats). Class
    values never change, so the exact payment is computed from exactly this state."""

    __slots__ = ("f", "rank", "p", "ver", "c", "w", "ctx", "classes", "wsum", "status", "_pay")

    def __init__(
        self,
        f: float,
        rank: int,
        p: int,
        ver: int,
        c: int,
        w: int,
        ctx: _Ctx,
        classes: list[int],
        wsum: list[int],
        status: list[int] | None,
    ) -> None:
        self.f = f
        self.rank = rank
        self.p = p
        self.ver = ver
        self.c = c
        self.w = w
        self.ctx = ctx
        self.classes = classes
        self.wsum = wsum
        self.status = status
        self._pay: tuple[Fraction, list[bool]] | None = None

    def payment(self) -> tuple[Fraction, list[bool]]:
        """Exact payment t per unit weight of the uncapped supporters, and who is capped."""
        if self._pay is not None:
            return self._pay
        c = self.c
        if self.status is None:
            self._pay = (Fraction(c, self.w), [False] * len(self.classes))
            return self._pay
        value = self.ctx.value
        capped = [st == 1 for st in self.status]
        s = Fraction(0)
        r = self.w
        for j, st in enumerate(self.status):
            if st == 1:
                s += value(self.classes[j]) * self.wsum[j]
                r -= self.wsum[j]
        undecided = sorted(
            (j for j, st in enumerate(self.status) if st == 2),
            key=lambda j: value(self.classes[j]),
        )
        for j in undecided:
            beta = value(self.classes[j])
            if c - s <= beta * r:
                break
            capped[j] = True
            s += beta * self.wsum[j]
            r -= self.wsum[j]
        self._pay = ((c - s) / r, capped)
        return self._pay


def _params(
    round_no: int, payment: float, supporters: int, capped: int
) -> dict[str, str | int | float | bool | None]:
    return {"round": round_no, "payment": payment, "supporters": supporters, "capped": capped}
