"""MES in compiled floats with proven error bounds gives exactly what exact fractions give."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selaras.engines.selection import Group, SelectionError, SelectionInstance, select


@st.composite
def mes_instances(draw: st.DrawFn) -> SelectionInstance:
    """Instances with many exact ties (round costs, equal budgets) and some odd amounts."""
    m = draw(st.integers(1, 14))
    ids = [f"p{i:02d}" for i in range(m)]
    unit = draw(st.sampled_from([1, 7, 100, 1_000_000]))
    costs = draw(st.lists(st.integers(1, 60), min_size=m, max_size=m))
    costs = [c * unit + draw(st.sampled_from([0, 0, 0, 1, 3])) for c in costs]
    n = draw(st.integers(1, 16))
    ballots = [draw(st.lists(st.sampled_from(ids), max_size=m, unique=True)) for _ in range(n)]
    weights = draw(st.none() | st.lists(st.integers(1, 4), min_size=n, max_size=n))
    budget = draw(st.integers(0, 400)) * unit + draw(st.sampled_from([0, 0, 1, 5]))
    groups = []
    for g in range(draw(st.integers(0, 2))):
        members = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=m, unique=True))
        groups.append(Group(f"g{g}", tuple(members), ceiling=draw(st.integers(0, 200)) * unit))
    return SelectionInstance.build(ids, costs, budget, ballots, weights=weights, groups=groups)


def _same(a_inst: SelectionInstance, completion: str) -> tuple[str, str]:
    fast = select(a_inst, "mes", completion=completion)
    exact = select(a_inst, "mes", completion=completion, arithmetic="exact")
    assert fast.selected == exact.selected
    for pid, o in exact.outcomes.items():
        f = fast.outcomes[pid]
        assert f.reason.code == o.reason.code, pid
        for key in ("round", "supporters", "capped", "group", "remaining", "cost"):
            assert f.reason.params.get(key) == o.reason.params.get(key), (pid, key)
        for key in ("payment", "available"):
            if key in o.reason.params:
                assert f.reason.params[key] == pytest.approx(o.reason.params[key], rel=1e-9)
    assert exact.details.get("mes_arithmetic") == "exact"
    return str(fast.details.get("mes_arithmetic")), str(exact.details.get("mes_arithmetic"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mes_instances(), st.sampled_from(["none", "greedy", "add1"]))
def test_compiled_equals_exact(inst: SelectionInstance, completion: str) -> None:
    if completion == "add1" and inst.budget > 3_000:
        completion = "greedy"  # add-one steps one money unit at a time: keep it to small sums
    _same(inst, completion)


def test_kernel_is_used_on_a_district_like_instance() -> None:
    rng = np.random.default_rng(7)
    m, n = 3_000, 200
    costs = (rng.lognormal(np.log(1.5e8), 0.9, m) // 1000 * 1000).astype(np.int64) + 5_000_000
    ballots = [[f"u{j:05d}" for j in rng.choice(m, rng.integers(5, 40), replace=False)] for _ in range(n)]
    inst = SelectionInstance.build(
        [f"u{j:05d}" for j in range(m)], costs.tolist(), int(costs.sum() // 15), ballots
    )
    fast, _ = _same(inst, "greedy")
    assert fast == "float"


def test_exact_tie_between_capped_prices_falls_back_to_fractions() -> None:
    # two identical projects, each supporter can pay a third: prices tie exactly after capping
    ballots = [["a", "b", "c"], ["a", "b"], ["a", "b", "c"]]
    inst = SelectionInstance.build(["a", "b", "c"], [9, 9, 3], 10, ballots)
    fast, _ = _same(inst, "none")
    assert fast in ("float", "exact")


def test_unknown_arithmetic_is_refused() -> None:
    inst = SelectionInstance.build(["a"], [1], 1, [["a"]])
    with pytest.raises(SelectionError):
        select(inst, "mes", arithmetic="decimal")


def test_exact_twins_are_decided_in_floats() -> None:
    # r leaves A with 10 and s leaves X with 80; then p (A, X) and q (A, Y) cost the same and A
    # pays all it has for either: both prices are exactly 50/60 although X and Y hold different
    # budgets. The tie goes to p by id, in floats, without falling back to fractions.
    ballots = [["r", "p", "q"], ["s", "p"], ["q"]] + [["r"]] * 3 + [["s"]] * 3
    inst = SelectionInstance.build(["p", "q", "r", "s"], [60, 60, 360, 80], 900, ballots)
    fast, _ = _same(inst, "none")
    assert fast == "float"
    result = select(inst, "mes", completion="none")
    assert result.selected[:3] == ("r", "s", "p")
    assert result.outcomes["p"].reason.params["capped"] == 1
