"""Fairness of a selection outcome (engines/selection/fairness.py): hand-made cases and the EJR
up-to-one guarantee of Equal Shares checked on random instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selaras.engines.selection import SelectionInstance, select
from selaras.engines.selection.fairness import (
    FairnessInput,
    area_shares,
    cohesive_singletons,
    fair_share,
    fairness,
    voters_served,
)


def _input(**kw: object) -> FairnessInput:
    base: dict[str, object] = {
        "costs": [40, 50, 30, 60], "selected": [False, True, True, False], "budget": 100,
        "ballots": [[0, 1], [0], [2], [3]],
        "voter_kinds": ["desa", "desa", "kecamatan", "dprd"], "areas": ["A", "A", "B", "B"],
        "population": {"A": 300, "B": 100},
    }
    base.update(kw)
    return FairnessInput.build(**base)  # type: ignore[arg-type]


def test_area_shares_compare_money_with_population_and_proposals() -> None:
    rows = {a.area: a for a in area_shares(_input())}
    assert rows["A"].selected_cost == 50 and rows["B"].selected_cost == 30
    assert rows["A"].money_share == pytest.approx(50 / 80)
    assert rows["A"].population_share == pytest.approx(0.75)
    assert rows["A"].proposal_share == pytest.approx(0.5)
    assert rows["B"].ratio == pytest.approx((30 / 80) / 0.25)
    # an area without a known population has no population share
    rows = {a.area: a for a in area_shares(_input(population={"A": 300}))}
    assert rows["B"].population_share is None and rows["B"].ratio is None and rows["A"].population_share == 1.0


def test_voters_served_by_kind() -> None:
    served = {s.kind: (s.voters, s.served) for s in voters_served(_input())}
    assert served == {"desa": (2, 1), "kecamatan": (1, 1), "dprd": (1, 0)}


def test_fair_share_splits_each_cost_among_its_supporters() -> None:
    fs = fair_share(_input())
    # voter 0: project 1 (50, alone) -> 50; entitled min(25, 40/2 + 50) = 25
    assert fs.share.tolist() == pytest.approx([50, 0, 30, 0])
    assert fs.entitlement.tolist() == pytest.approx([25, 20, 25, 25])
    assert fs.satisfied == 2 and fs.by_kind["dprd"] == (1, 0, 0.0)


def test_cohesive_group_left_with_less_than_its_share_is_a_violation() -> None:
    # voters 1 and 3 both support project 3 (60): their half of the budget (50) does not cover it
    inp = _input(ballots=[[0, 1], [0, 3], [2], [3]])
    groups, violations = cohesive_singletons(inp)
    # project 0 (40): supporters 0, 1 hold 50 >= 40 and voter 0 got 50 >= 40: no violation
    assert groups == 1 and violations == []
    # make project 1 cheap: voter 0 now has only 10 although the group's share (50) covers 40
    groups, violations = cohesive_singletons(_input(costs=[40, 10, 30, 60]))
    assert groups == 1 and len(violations) == 1
    v = violations[0]
    assert (v.project, v.cost, v.group_weight, v.best_utility) == (0, 40, 2, 10)
    report = fairness(_input(costs=[40, 10, 30, 60]))
    assert report.violations_up_to_one == 0  # voter 0 got something
    assert report.as_dict(project_ids=["p0", "p1", "p2", "p3"])["violation_examples"][0]["project"] == "p0"
    # weights count as copies of a voter
    groups, _ = cohesive_singletons(_input(ballots=[[1], [0], [2], [3]], weights=[1, 1, 1, 1]))
    assert groups == 0  # project 0's single supporter holds 25 < 40
    groups, violations = cohesive_singletons(_input(ballots=[[1], [0], [2], [3]], weights=[1, 3, 1, 1]))
    assert groups == 1 and violations[0].group_weight == 3 and violations[0].best_utility == 0


def test_ineligible_projects_are_not_owed() -> None:
    inp = _input(costs=[40, 10, 30, 60], eligible=[False, True, True, True])
    assert cohesive_singletons(inp) == (0, [])


@st.composite
def _instances(draw: st.DrawFn) -> tuple[list[int], list[list[int]], int]:
    m = draw(st.integers(2, 7))
    costs = draw(st.lists(st.integers(1, 50), min_size=m, max_size=m))
    n = draw(st.integers(1, 8))
    ballots = [sorted(draw(st.sets(st.integers(0, m - 1), max_size=m))) for _ in range(n)]
    budget = draw(st.integers(1, sum(costs)))
    return costs, ballots, budget


@settings(max_examples=60, deadline=None)
@given(_instances())
def test_equal_shares_outcomes_satisfy_ejr_up_to_one_for_singletons(case: tuple[list[int], list[list[int]], int]) -> None:
    costs, ballots, budget = case
    ids = [f"p{i}" for i in range(len(costs))]
    inst = SelectionInstance.build(ids, costs, budget, [[ids[p] for p in b] for b in ballots])
    for completion in ("none", "greedy"):
        result = select(inst, "mes", completion=completion)
        chosen = set(result.selected)
        report = fairness(FairnessInput.build(costs, [i in chosen for i in ids], budget, ballots))
        assert report.violations_up_to_one == 0
        assert sum(s.served for s in report.served) <= len(ballots)
        assert np.all(report.fair.share >= 0)
