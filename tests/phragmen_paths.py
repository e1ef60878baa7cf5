"""Shared by the Phragmén tests: running either path, comparing their decisions, small instances."""

from __future__ import annotations

import math

import pytest
from hypothesis import strategies as st

from selaras.engines.selection import Group, SelectionInstance, SelectionResult, select
from selaras.engines.selection import phragmen as phragmen_module


def run_phragmen(inst: SelectionInstance, compiled: bool) -> SelectionResult:
    """Sequential Phragmén on the compiled path (forced on) or the Python path."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(phragmen_module, "COMPILED_MIN_CANDIDATES", 0 if compiled else 10**12)
        return select(inst, "phragmen")


def assert_same_decisions(inst: SelectionInstance, fast: SelectionResult, slow: SelectionResult) -> None:
    """Same selection order and reasons; the load in a reason within 1e-12 relative (the kernel
    reports its float load where floats decided, the Python path the exact load rounded)."""
    assert fast.selected == slow.selected
    for pid in inst.project_ids:
        a, b = fast.outcomes[pid], slow.outcomes[pid]
        assert (a.selected, a.order, a.reason.code) == (b.selected, b.order, b.reason.code), pid
        pa, pb = dict(a.reason.params), dict(b.reason.params)
        la, lb = pa.pop("load", None), pb.pop("load", None)
        assert pa == pb, pid
        if la is None or lb is None:
            assert la is lb, pid
        else:
            assert isinstance(la, float) and isinstance(lb, float)
            assert math.isclose(la, lb, rel_tol=1e-12), pid


@st.composite
def small_instances(draw: st.DrawFn, *, max_projects: int, costs: list[int], max_voters: int,
                    ballot_kinds: st.SearchStrategy[int], min_budget: int) -> SelectionInstance:
    """Few distinct ballots (many projects share their supporters), weights 0-3, and at times an
    agency ceiling and a kecamatan floor."""
    m = draw(st.integers(1, max_projects))
    ids = [f"U{i:02d}" for i in range(m)]
    cost = draw(st.lists(st.sampled_from(costs), min_size=m, max_size=m))
    n = draw(st.integers(1, max_voters))
    pool = [sorted(draw(st.sets(st.integers(0, m - 1), max_size=m))) for _ in range(draw(ballot_kinds))]
    ballots = [[ids[p] for p in draw(st.sampled_from(pool))] for _ in range(n)]
    weights = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    budget = draw(st.integers(min_budget, sum(cost) + 10))
    groups = []
    if draw(st.booleans()):
        members = tuple(ids[: max(1, m // 2)])
        groups.append(Group("perangkat_daerah:1", members, ceiling=draw(st.integers(0, budget))))
    if draw(st.booleans()):
        groups.append(Group("kecamatan:1", tuple(ids[m // 2:]) or tuple(ids), floor=draw(st.integers(0, 40))))
    return SelectionInstance.build(ids, cost, budget, ballots, weights=weights, groups=groups)
