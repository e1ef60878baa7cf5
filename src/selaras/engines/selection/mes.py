"""The Method of Equal Shares (MES) with exact decisions on float-speed arithmetic.

Every voter starts with an equal share of the money (times its weight). In each round the project
that its supporters can buy at the lowest price per unit of utility (rho) is bought; supporters
pay rho * utility each, or all they have left. Projects nobody can afford any more drop out.

Shares are compared as follows. Voters with the same history hold the same budget, so budgets
are kept per *budget class*: an exact `Fraction` (computed lazily from the class it came from and
the price paid) and a float. Prices are computed with floats; whenever two prices are within a
relative 1e-7 of the best, when a supporter's budget is within 1e-7 of the price, or when the
supporters' total is within 1e-7 of the cost, the decision is recomputed with exact fractions.
Float errors here are far below 1e-7 (sums of at most ~1e5 positive doubles), so every decision
equals the one exact rational arithmetic makes (pabutools uses gmpy2 rationals).
"""

from __future__ import annotations

import heapq
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
    payment: Fraction  # the most a supporter (per unit of weight) paid
    supporters: int
    capped: int  # supporters who paid all they had left


@dataclass
class MesRun:
    """Result of one run of MES (no completion)."""

    rounds: list[MesRound] = field(default_factory=list)
    rejected: dict[int, Reason] = field(default_factory=dict)
    exact_evaluations: int = 0


class _Budgets:
    """Voter budgets grouped in classes with lazily exact values."""

    def __init__(self, n: int, b0: Fraction) -> None:
        self.cls = np.zeros(n, dtype=np.int64)
        self.fb = np.full(n, float(b0))
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


def _float_price(bs: npt.NDArray[np.float64], ws: npt.NDArray[np.float64], c: float, w_total: float) -> float:
    """Smallest t with sum(w * min(b, t)) = c, in floats (the caller knows it exists)."""
    o = np.argsort(bs, kind="stable")
    b = bs[o]
    w = ws[o]
    wb = w * b
    s_excl = np.cumsum(wb) - wb
    r = w_total - (np.cumsum(w) - w)
    t = (c - s_excl) / r
    ok = t <= b
    k = int(np.argmax(ok)) if ok.any() else len(b) - 1
    return float(t[k])


def equal_shares(
    support: Support,
    ledger: Ledger,
    candidates: IntArray,
    per_voter: Fraction,
    utility: Utility,
) -> MesRun:
    """Run MES on `candidates` (project indices), each voter holding `per_voter` per unit weight.

    Ceilings in `ledger` are respected (a project that would break one drops out); the ledger
    receives the purchases. Ties in rho go to the smallest project id.
    """
    run = MesRun()
    n = support.n_voters
    costs = support.cost_list
    approvals = support.approvals
    rank = support.rank
    pptr = support.pptr
    pvot = support.pvot
    wf = support.wf
    unit = support.unit_weights
    budgets = _Budgets(n, per_voter)
    ver = np.zeros(len(costs), dtype=np.int64)

    def util(p: int) -> int:
        return costs[p] if utility is Utility.COST else 1

    heap: list[tuple[float, int, int, int]] = []
    for p in candidates.tolist():
        c = costs[p]
        w_p = int(approvals[p])
        if w_p == 0 or util(p) == 0:
            continue
        if c == 0:  # supported and free: bought at once (only reachable with approval utility)
            ledger.take(p, Reason(ReasonCode.SELECTED_EQUAL_SHARES, _params(0, 0.0, w_p, 0)))
            run.rounds.append(MesRound(p, Fraction(0), w_p, 0))
            continue
        if per_voter * w_p < c:
            run.rejected[p] = Reason(
                ReasonCode.REJECTED_SUPPORTERS_BUDGET,
                {"available": float(per_voter * w_p), "cost": c},
            )
            continue
        heap.append((c / w_p / util(p), int(rank[p]), p, 0))
    heapq.heapify(heap)

    def exact_available(p: int) -> Fraction:
        sup = pvot[pptr[p] : pptr[p + 1]]
        uniq, inv = np.unique(budgets.cls[sup], return_inverse=True)
        wsum = np.bincount(inv, weights=wf[sup]).astype(np.int64).tolist()
        return sum((budgets.value(int(k)) * ws for k, ws in zip(uniq.tolist(), wsum, strict=True)), Fraction(0))

    def float_rho(p: int) -> float | None:
        """Current rho of p in floats, None if its supporters cannot pay for it."""
        a, b = pptr[p], pptr[p + 1]
        sup = pvot[a:b]
        bs = budgets.fb[sup]
        c = costs[p]
        if unit:
            total = float(bs.sum())
            w_total = float(b - a)
            ws = np.ones(len(sup))
        else:
            ws = wf[sup]
            total = float(bs @ ws)
            w_total = float(approvals[p])
        if total < c * (1 - TOL):
            run.rejected[p] = Reason(
                ReasonCode.REJECTED_SUPPORTERS_BUDGET, {"available": total, "cost": c}
            )
            return None
        if total <= c * (1 + TOL):
            run.exact_evaluations += 1
            if exact_available(p) < c:
                run.rejected[p] = Reason(
                    ReasonCode.REJECTED_SUPPORTERS_BUDGET, {"available": total, "cost": c}
                )
                return None
        return _float_price(bs, ws, float(c), w_total) / util(p)

    def exact_price(p: int) -> tuple[Fraction, list[int], list[int], list[bool]] | None:
        """Exact payment t of p; with supporters' classes, their weights and capped flags."""
        run.exact_evaluations += 1
        sup = pvot[pptr[p] : pptr[p + 1]]
        uniq, inv = np.unique(budgets.cls[sup], return_inverse=True)
        wsum = np.rint(np.bincount(inv, weights=wf[sup])).astype(np.int64).tolist()
        classes = uniq.tolist()
        fvals = [budgets.vf[k] for k in classes]
        order = sorted(range(len(classes)), key=fvals.__getitem__)
        c = costs[p]
        s = Fraction(0)
        r = int(sum(wsum))
        capped = [False] * len(classes)
        t: Fraction | None = None
        for j in order:
            # classes clearly above the crossing need no exact value
            tf = float((c - s) / r) if r else float("inf")
            if fvals[j] > tf * (1 + TOL):
                t = Fraction(c - s) / r
                break
            beta = budgets.value(classes[j])
            tj = (c - s) / r
            if tj <= beta:
                t = tj
                break
            capped[j] = True
            s += beta * wsum[j]
            r -= wsum[j]
            if r == 0:
                break
        if t is None:
            return None  # unaffordable
        # uncapped classes near the price must really hold at least t
        changed = True
        while changed:
            changed = False
            for j in order:
                if capped[j] or fvals[j] > float(t) * (1 + TOL):
                    continue
                beta = budgets.value(classes[j])
                if beta < t:
                    capped[j] = True
                    s += beta * wsum[j]
                    r -= wsum[j]
                    if r == 0:
                        return None
                    t = (c - s) / r
                    changed = True
        return t, classes, wsum, capped

    round_no = 0
    while heap:
        rho, rk, p, v = heap[0]
        if v != ver[p]:
            heapq.heappop(heap)
            blk = ledger.ceiling_blocker(p)
            if blk is not None:
                run.rejected[p] = blk
                continue
            new = float_rho(p)
            if new is not None:
                heapq.heappush(heap, (new, rk, p, int(ver[p])))
            continue
        threshold = rho * (1 + TOL)
        cands: list[tuple[float, int, int, int]] = []
        while heap and heap[0][0] <= threshold:
            e = heapq.heappop(heap)
            q = e[2]
            blk = ledger.ceiling_blocker(q)
            if blk is not None:
                run.rejected[q] = blk
                continue
            if e[3] != ver[q]:
                new = float_rho(q)
                if new is None:
                    continue
                e = (new, e[1], q, int(ver[q]))
                if new > threshold:
                    heapq.heappush(heap, e)
                    continue
            cands.append(e)
        if not cands:
            continue
        best: tuple[Fraction, int, int] | None = None
        best_info = None
        for e in cands:
            q = e[2]
            res = exact_price(q)
            if res is None:
                run.rejected[q] = Reason(
                    ReasonCode.REJECTED_SUPPORTERS_BUDGET,
                    {"available": float(exact_available(q)), "cost": costs[q]},
                )
                continue
            key = (res[0] / util(q), e[1], q)
            if best is None or key < best:
                best = key
                best_info = res
        for e in cands:
            if best is None or e[2] != best[2]:
                if e[2] not in run.rejected:
                    heapq.heappush(heap, e)
        if best is None or best_info is None:
            continue
        q = best[2]
        t, classes, wsum, capped = best_info
        tf = float(t)
        round_no += 1
        # pay: capped classes go to zero, the others lose t
        new_cls = []
        for k, cap in zip(classes, capped, strict=True):
            new_cls.append(budgets.zero_class() if cap else budgets.derived(k, t, tf))
        sup = pvot[pptr[q] : pptr[q + 1]]
        uniq, inv = np.unique(budgets.cls[sup], return_inverse=True)
        mapping = np.asarray(new_cls, dtype=np.int64)
        budgets.cls[sup] = mapping[inv]
        vf_arr = np.asarray([budgets.vf[k] for k in new_cls])
        budgets.fb[sup] = vf_arr[inv]
        n_sup = int(sum(wsum))
        n_cap = int(sum(w for w, cap in zip(wsum, capped, strict=True) if cap))
        ledger.take(q, Reason(ReasonCode.SELECTED_EQUAL_SHARES, _params(round_no, tf, n_sup, n_cap)))
        run.rounds.append(MesRound(q, t, n_sup, n_cap))
        ver[support.projects_of(sup)] += 1
    return run


def _params(round_no: int, payment: float, supporters: int, capped: int) -> dict[str, str | int | float | bool | None]:
    return {
        "round": round_no,
        "payment": payment,
        "supporters": supporters,
        "capped": capped,
    }
