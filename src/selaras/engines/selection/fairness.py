"""Fairness of a selection outcome, in figures a person can check (pure: numpy and domain only).

Three views of one outcome W (the selected projects) under budget B, with voters (supporters:
forums, councillors, agencies) of weights w_i, n = sum of weights, and A_i the projects voter i
supports:

1. **Money by area** (`area_shares`): per area (kecamatan) its share of the money selected against
   its share of the population and of the eligible proposals. An area whose money share is far
   below its population share got less than a proportional part.

2. **Voters served** (`voters_served`): per kind of voter, how many have at least one supported
   project selected (and how many have none).

3. **Proportionality**, two checks:

   - *Fair share* (Maly, Rey, Endriss, Lackner, "Fairness in participatory budgeting via equality
     of resources", AAMAS 2023): each selected project's cost is split among its supporters in
     proportion to their weights; voter i's *share* is the sum of its parts,
     share_i = sum over p in W ∩ A_i of c_p · w_i / w(N_p). Its *entitlement* is
     min(B · w_i / n, share_i(A_i)) — its part of the budget, or what all it supports would give
     it. A voter is treated fairly when share_i ≥ entitlement (with a tolerance of one rupiah).
     Reported: how many voters are, and per kind the median ratio share / entitlement.
   - *Cohesive groups around one project* (the singleton case of Extended Justified
     Representation, EJR, for cost utilities; Peters, Pierczyński, Skowron, NeurIPS 2021): the
     supporters N_p of an unselected eligible project p form a group that "deserves" p when their
     part of the budget covers it, w(N_p) / n · B ≥ c_p. EJR then requires that at least one of
     them already enjoys as much: some i in N_p with u_i(W) ≥ c_p, where u_i(W) is the total cost
     of the selected projects i supports (cost utility). A group for which no member reaches
     c_p is a *violation*: a cohesive group left with less than its share. Checking every
     cohesive group of several projects is exponential; this check covers every group defined
     by one project exactly, which is where a rupiah-scale district's complaints come from ("our
     forum's proposal would fit in our share, and none of us got anything like it"). MES
     guarantees EJR up to one project without ceilings and floors; agency ceilings and kecamatan
     floors are extra constraints under which no rule can promise it, so the check is reported,
     not assumed. Violations in which no member of the group got anything at all also break
     *EJR up to one project* (counted apart: `violations_up_to_one`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = [
    "FairnessInput",
    "AreaShare",
    "KindServed",
    "FairShare",
    "CohesiveViolation",
    "FairnessReport",
    "area_shares",
    "voters_served",
    "fair_share",
    "cohesive_singletons",
    "fairness",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class FairnessInput:
    """One outcome with its instance's voters. Row p = project p; ballots as CSR (voter v supports
    `items[indptr[v]:indptr[v+1]]`)."""

    costs: IntArray
    selected: BoolArray
    eligible: BoolArray
    budget: int
    indptr: IntArray
    items: IntArray
    weights: IntArray
    voter_kinds: Sequence[str] = ()  # per voter; empty: all "pemilih"
    areas: Sequence[str] = ()  # per project (kecamatan code; "" = none)
    population: Mapping[str, int] = field(default_factory=dict)  # per area

    @staticmethod
    def build(costs: Sequence[int] | IntArray, selected: Sequence[bool] | BoolArray, budget: int,
              ballots: Sequence[Sequence[int]] | None = None, *, indptr: IntArray | None = None,
              items: IntArray | None = None, weights: Sequence[int] | IntArray | None = None,
              eligible: Sequence[bool] | BoolArray | None = None, voter_kinds: Sequence[str] = (),
              areas: Sequence[str] = (), population: Mapping[str, int] | None = None) -> FairnessInput:
        """From plain lists (ballots as lists of project indices) or CSR arrays."""
        c = np.asarray(costs, dtype=np.int64)
        if ballots is not None:
            lengths = [len(b) for b in ballots]
            indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            items = np.asarray([p for b in ballots for p in b], dtype=np.int64)
        if indptr is None or items is None:
            raise ValueError("ballots or (indptr, items) needed")
        n_voters = len(indptr) - 1
        w = np.ones(n_voters, dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
        e = np.ones(len(c), dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
        return FairnessInput(c, np.asarray(selected, dtype=bool), e, int(budget), np.asarray(indptr, np.int64),
                             np.asarray(items, np.int64), w, tuple(voter_kinds), tuple(areas),
                             dict(population or {}))

    @property
    def n_voters(self) -> int:
        return len(self.indptr) - 1

    def voter_of_entry(self) -> IntArray:
        """For each ballot entry, its voter."""
        return np.repeat(np.arange(self.n_voters, dtype=np.int64), np.diff(self.indptr))

    def kinds(self) -> list[str]:
        return list(self.voter_kinds) if len(self.voter_kinds) == self.n_voters else ["pemilih"] * self.n_voters


@dataclass(frozen=True)
class AreaShare:
    area: str
    population: int | None
    proposals: int  # eligible proposals of the area
    selected: int
    selected_cost: int
    money_share: float  # of the money selected
    population_share: float | None  # of the population of the areas with a known population
    proposal_share: float  # of the eligible proposals

    @property
    def ratio(self) -> float | None:
        """Money share / population share (1 = proportional)."""
        if self.population_share in (None, 0):
            return None
        return self.money_share / self.population_share


@dataclass(frozen=True)
class KindServed:
    kind: str
    voters: int
    served: int  # with at least one supported project selected


@dataclass(frozen=True)
class FairShare:
    voters: int
    satisfied: int
    by_kind: dict[str, tuple[int, int, float]]  # kind -> (voters, satisfied, median share/entitlement)
    share: FloatArray  # per voter
    entitlement: FloatArray  # per voter


@dataclass(frozen=True)
class CohesiveViolation:
    project: int
    cost: int
    group_weight: int
    group_share: float  # w(N_p) / n · B
    best_utility: int  # max over the group of u_i(W)


@dataclass(frozen=True)
class FairnessReport:
    areas: list[AreaShare]
    served: list[KindServed]
    fair: FairShare
    cohesive_groups: int  # unselected eligible projects whose supporters' share covers them
    violations: list[CohesiveViolation]

    @property
    def violations_up_to_one(self) -> int:
        """Violations even of EJR up to one project (no member of the group got anything; MES
        without ceilings and floors never has one)."""
        return sum(1 for v in self.violations if v.best_utility <= 0)

    def as_dict(self, *, project_ids: Sequence[str] | None = None, limit: int = 20) -> dict[str, object]:
        """JSON-ready (stored with a run); `limit` violations listed (all are counted)."""
        def pid(p: int) -> object:
            return project_ids[p] if project_ids is not None else p

        return {
            "areas": [{"area": a.area, "population": a.population, "proposals": a.proposals,
                       "selected": a.selected, "selected_cost": a.selected_cost,
                       "money_share": round(a.money_share, 6),
                       "population_share": None if a.population_share is None else round(a.population_share, 6),
                       "proposal_share": round(a.proposal_share, 6),
                       "ratio": None if a.ratio is None else round(a.ratio, 4)} for a in self.areas],
            "served": [{"kind": s.kind, "voters": s.voters, "served": s.served} for s in self.served],
            "fair_share": {"voters": self.fair.voters, "satisfied": self.fair.satisfied,
                           "by_kind": {k: {"voters": v, "satisfied": s, "median_ratio": round(m, 4)}
                                       for k, (v, s, m) in self.fair.by_kind.items()}},
            "cohesive_groups": self.cohesive_groups,
            "violations": len(self.violations),
            "violations_up_to_one": self.violations_up_to_one,
            "violation_examples": [{"project": pid(v.project), "cost": v.cost, "group_weight": v.group_weight,
                                    "group_share": round(v.group_share), "best_utility": v.best_utility}
                                   for v in self.violations[:limit]],
        }


def area_shares(inp: FairnessInput) -> list[AreaShare]:
    """Per area: money share against population share and eligible-proposal share."""
    if len(inp.areas) != len(inp.costs):
        return []
    keys = sorted(set(inp.areas))
    at = {k: i for i, k in enumerate(keys)}
    index = np.fromiter((at[a] for a in inp.areas), dtype=np.int64, count=len(inp.areas))
    m = len(keys)
    eligible_count = np.bincount(index[inp.eligible], minlength=m)
    sel = inp.selected
    selected_count = np.bincount(index[sel], minlength=m)
    selected_cost = [int(inp.costs[sel & (index == k)].sum()) for k in range(m)]
    total_money = sum(selected_cost)
    total_eligible = int(eligible_count.sum())
    pops = {k: inp.population.get(k) for k in keys}
    known = sum(int(v) for v in pops.values() if v)
    out = []
    for k, key in enumerate(keys):
        pop = pops[key]
        out.append(AreaShare(
            area=key, population=int(pop) if pop else None, proposals=int(eligible_count[k]),
            selected=int(selected_count[k]), selected_cost=selected_cost[k],
            money_share=selected_cost[k] / total_money if total_money else 0.0,
            population_share=(int(pop) / known) if pop and known else None,
            proposal_share=int(eligible_count[k]) / total_eligible if total_eligible else 0.0,
        ))
    return out


def _utilities(inp: FairnessInput) -> FloatArray:
    """u_i(W): total cost of the selected projects voter i supports (exact in float64 below 2^53)."""
    voter = inp.voter_of_entry()
    gain = np.where(inp.selected[inp.items], inp.costs[inp.items], 0).astype(np.float64)
    return np.bincount(voter, weights=gain, minlength=inp.n_voters).astype(np.float64)


def voters_served(inp: FairnessInput) -> list[KindServed]:
    utility = _utilities(inp)
    served: dict[str, list[int]] = {}
    for kind, u in zip(inp.kinds(), utility.tolist(), strict=True):
        row = served.setdefault(kind, [0, 0])
        row[0] += 1
        row[1] += u > 0
    return [KindServed(kind, v, s) for kind, (v, s) in served.items()]


def fair_share(inp: FairnessInput) -> FairShare:
    n_voters = inp.n_voters
    voter = inp.voter_of_entry()
    w = inp.weights.astype(np.float64)
    support = np.bincount(inp.items, weights=w[voter], minlength=len(inp.costs))  # w(N_p)
    part = np.zeros(len(inp.items), dtype=np.float64)
    nz = support[inp.items] > 0
    part[nz] = inp.costs[inp.items][nz] * w[voter][nz] / support[inp.items][nz]
    eligible_entry = inp.eligible[inp.items]
    all_share = np.bincount(voter, weights=np.where(eligible_entry, part, 0.0), minlength=n_voters)
    share = np.bincount(voter, weights=np.where(inp.selected[inp.items], part, 0.0),
                        minlength=n_voters).astype(np.float64)
    total_w = float(w.sum())
    entitled = np.minimum(inp.budget * w / total_w if total_w else np.zeros(n_voters), all_share)
    ok = share >= entitled - 1.0
    by_kind: dict[str, tuple[int, int, float]] = {}
    kinds = np.asarray(inp.kinds(), dtype=object)
    for kind in dict.fromkeys(inp.kinds()):
        mask = kinds == kind
        ratio = np.where(entitled[mask] > 0, share[mask] / np.where(entitled[mask] > 0, entitled[mask], 1.0), 1.0)
        by_kind[kind] = (int(mask.sum()), int(ok[mask].sum()), float(np.median(ratio)) if mask.any() else 1.0)
    return FairShare(n_voters, int(ok.sum()), by_kind, share, entitled)


def cohesive_singletons(inp: FairnessInput) -> tuple[int, list[CohesiveViolation]]:
    """(number of cohesive groups, violations), see the module docstring; violations dearest first."""
    n = float(inp.weights.sum())
    if n <= 0 or len(inp.items) == 0:
        return 0, []
    voter = inp.voter_of_entry()
    w = inp.weights
    group_weight = np.bincount(inp.items, weights=w[voter].astype(np.float64), minlength=len(inp.costs))
    utility = _utilities(inp)
    # best utility among the supporters of each project (max over its ballot entries)
    best = np.full(len(inp.costs), -1.0)
    np.maximum.at(best, inp.items, utility[voter])
    # cohesive: w(N_p) · B ≥ c_p · n. Decided in floats where the two sides are clearly apart,
    # in exact integers where they are within a relative 1e-9 of each other
    gw = np.rint(group_weight).astype(np.int64)
    candidates = inp.eligible & ~inp.selected & (gw > 0)
    lhs = gw.astype(np.float64) * float(inp.budget)
    rhs = inp.costs.astype(np.float64) * n
    close = candidates & (np.abs(lhs - rhs) <= 1e-9 * np.maximum(lhs, rhs))
    cohesive_mask = candidates & ~close & (lhs > rhs)
    total = int(round(n))
    for p in np.flatnonzero(close).tolist():
        cohesive_mask[p] = int(gw[p]) * int(inp.budget) >= int(inp.costs[p]) * total
    cohesive = np.flatnonzero(cohesive_mask)
    bad = cohesive[best[cohesive] < inp.costs[cohesive]]
    violations = [CohesiveViolation(p, int(inp.costs[p]), int(gw[p]), float(gw[p]) / n * inp.budget,
                                    int(best[p]))
                  for p in bad.tolist()]
    violations.sort(key=lambda v: (-v.cost, v.project))
    return len(cohesive), violations


def fairness(inp: FairnessInput) -> FairnessReport:
    groups, violations = cohesive_singletons(inp)
    return FairnessReport(area_shares(inp), voters_served(inp), fair_share(inp), groups, violations)
