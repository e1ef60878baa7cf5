"""Sequential Phragmén by supporter signatures (the fast path) decides exactly as the
straightforward implementation: same selection order, same reason for every project."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selaras.engines.selection import Group, SelectionInstance, engine, select
from selaras.engines.selection.phragmen import sequential_phragmen_reference


@st.composite
def _instances(draw: st.DrawFn) -> SelectionInstance:
    m = draw(st.integers(1, 12))
    ids = [f"U{i:02d}" for i in range(m)]
    costs = draw(st.lists(st.sampled_from([10, 20, 20, 30, 45, 60, 90]), min_size=m, max_size=m))
    n = draw(st.integers(1, 6))
    # few distinct ballots, so that many projects share their supporters (the signatures)
    pool = [sorted(draw(st.sets(st.integers(0, m - 1), max_size=m))) for _ in range(3)]
    ballots = [[ids[p] for p in draw(st.sampled_from(pool))] for _ in range(n)]
    weights = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    budget = draw(st.integers(1, sum(costs) + 10))
    groups = []
    if draw(st.booleans()):
        members = tuple(ids[: max(1, m // 2)])
        groups.append(Group("perangkat_daerah:1", members, ceiling=draw(st.integers(0, budget))))
    if draw(st.booleans()):
        groups.append(Group("kecamatan:1", tuple(ids[m // 2:]) or tuple(ids), floor=draw(st.integers(0, 40))))
    return SelectionInstance.build(ids, costs, budget, ballots, weights=weights, groups=groups)


def _both(inst: SelectionInstance, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = select(inst, "phragmen")
    with monkeypatch.context() as patch:
        patch.setattr(engine, "sequential_phragmen", sequential_phragmen_reference)
        slow = select(inst, "phragmen")
    return fast, slow


@settings(max_examples=200, deadline=None)
@given(_instances())
def test_signatures_decide_as_the_reference(inst: SelectionInstance) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow = _both(inst, monkeypatch)
    assert fast.selected == slow.selected  # type: ignore[attr-defined]
    for pid in inst.project_ids:
        a, b = fast.outcomes[pid], slow.outcomes[pid]  # type: ignore[attr-defined]
        assert (a.selected, a.order, a.reason) == (b.selected, b.order, b.reason), pid


def test_tied_siblings_and_a_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = ["A1", "A2", "B1", "C1"]
    inst = SelectionInstance.build(ids, [30, 30, 30, 10], 80, [["A1", "A2", "B1"], ["A1", "A2"], ["B1", "C1"]],
                                   groups=[Group("perangkat_daerah:x", ("A1",), ceiling=0)])
    fast, slow = _both(inst, monkeypatch)
    assert fast.selected == slow.selected
    assert {p: fast.outcomes[p].reason for p in ids} == {p: slow.outcomes[p].reason for p in ids}
