"""Sequential Phragmén by supporter signatures (the fast path) decides exactly as the
straightforward implementation: same selection order, same reason for every project."""

from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selaras.engines.selection import Group, SelectionInstance, engine, select
from selaras.engines.selection.phragmen import sequential_phragmen_reference
from tests.phragmen_paths import small_instances

# few distinct ballots, so that many projects share their supporters (the signatures)
_instances = partial(small_instances, max_projects=12, costs=[10, 20, 20, 30, 45, 60, 90], max_voters=6,
                     ballot_kinds=st.just(3), min_budget=1)


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
