"""The ballots turned around (project -> supporters): the compiled pass and the numpy way agree."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from selaras.engines.selection import SelectionInstance
from selaras.engines.selection import ledger as ledger_module
from selaras.engines.selection.ledger import Support
from selaras.engines.selection.support_kernel import by_project


def _instance(ballots: list[list[int]], weights: list[int], m: int) -> SelectionInstance:
    ids = [f"p{i}" for i in range(m)]
    return SelectionInstance.build(ids, [1] * m, m, [[ids[i] for i in b] for b in ballots], weights=weights)


ballot_sets = st.integers(1, 6).flatmap(lambda m: st.tuples(
    st.just(m),
    st.lists(st.lists(st.integers(0, m - 1), max_size=m, unique=True), min_size=1, max_size=30),
)).flatmap(lambda mb: st.tuples(st.just(mb[0]), st.just(mb[1]),
                                st.lists(st.integers(0, 3), min_size=len(mb[1]), max_size=len(mb[1]))))


@settings(max_examples=150, deadline=None)
@given(ballot_sets)
def test_compiled_and_numpy_support_agree(case: tuple[int, list[list[int]], list[int]]) -> None:
    m, ballots, weights = case
    inst = _instance(ballots, weights, m)
    saved = ledger_module.COMPILED_MIN_ENTRIES
    try:
        ledger_module.COMPILED_MIN_ENTRIES = 10**12
        plain = Support(inst)
        ledger_module.COMPILED_MIN_ENTRIES = 0
        compiled = Support(inst)
    finally:
        ledger_module.COMPILED_MIN_ENTRIES = saved
    assert plain.pptr.tolist() == compiled.pptr.tolist()
    assert plain.pvot.tolist() == compiled.pvot.tolist()
    assert plain.approvals.tolist() == compiled.approvals.tolist()
    # and both say what the ballots say: supporters of p, in voter order, weight above 0
    for p in range(m):
        expected = [v for v, b in enumerate(ballots) if p in b and weights[v] > 0]
        assert compiled.pvot[compiled.pptr[p]:compiled.pptr[p + 1]].tolist() == expected


def test_empty_ballots_at_the_end_and_no_entries() -> None:
    pptr, pvot = by_project(np.array([0, 2, 2, 2], dtype=np.int64), np.array([1, 0], dtype=np.int64),
                            np.array([1, 1, 1], dtype=np.int64), 2)
    assert pptr.tolist() == [0, 1, 2] and pvot.tolist() == [0, 0]
    pptr, pvot = by_project(np.array([0, 0, 0], dtype=np.int64), np.zeros(0, dtype=np.int64),
                            np.array([1, 1], dtype=np.int64), 3)
    assert pptr.tolist() == [0, 0, 0, 0] and pvot.tolist() == []
