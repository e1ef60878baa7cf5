"""The compiled sequential Phragmén (`phragmen_kernel`) decides exactly as the Python path: same
selection order, same reason for every project (the load in a reason within 1e-12 relative: the
kernel reports its float load where floats decided, the Python path the exact load rounded)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selaras.engines.selection import (
    Group,
    SelectionInstance,
    phragmen_kernel,
    select,
)
from selaras.engines.selection import phragmen as phragmen_module
from tests.phragmen_paths import assert_same_decisions, run_phragmen, small_instances

_run = run_phragmen
_same = assert_same_decisions


@pytest.fixture
def kernel_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The statuses the kernel returned (NEAR_TIE: a window settled with exact fractions)."""
    calls: list[int] = []
    real = phragmen_kernel.phragmen_kernel

    def spy(*args: object) -> int:
        status = int(real(*args))
        calls.append(status)
        return status

    monkeypatch.setattr(phragmen_kernel, "phragmen_kernel", spy)
    yield calls


# few costs, multiples of each other, and few ballots: many exact ties of loads
_instances = partial(small_instances, max_projects=14, costs=[0, 1, 2, 3, 6, 10, 20, 30, 60], max_voters=7,
                     ballot_kinds=st.integers(1, 4), min_budget=0)


@settings(max_examples=300, deadline=None)
@given(_instances())
def test_compiled_decides_as_the_python_path(inst: SelectionInstance) -> None:
    _same(inst, _run(inst, compiled=True), _run(inst, compiled=False))


def test_exact_tie_that_floats_cannot_see(kernel_calls: list[int]) -> None:
    # A (cost 1, all three voters) first: every load 1/3. Then B = 1/3 + 1 and C, D = (2/3 + 2) / 2
    # tie at 4/3 exactly (in floats only nearly): B by id. Then C is next at 4/3 but does not fit.
    ids = ["A", "B", "C", "D"]
    ballots = [["A", "B"], ["A", "C", "D"], ["A", "C", "D"]]
    inst = SelectionInstance.build(ids, [1, 1, 2, 2], 3, ballots)
    fast, slow = _run(inst, compiled=True), _run(inst, compiled=False)
    _same(inst, fast, slow)
    assert fast.selected == ("A", "B")
    assert phragmen_kernel.NEAR_TIE in kernel_calls
    assert fast.outcomes["C"].reason.code == "rejected_budget"
    assert fast.outcomes["D"].reason.code == "rejected_phragmen_stopped"
    assert fast.outcomes["B"].reason.params["load"] == float(Fraction(4, 3))


def test_nearly_tied_settled_exactly(kernel_calls: list[int]) -> None:
    # A costs 3e15 + 1 for three voters (load 1e15 + 1/3), B 1e15 for one: within the floats'
    # error bounds of each other, so the window goes to exact fractions, and B is less.
    ids = ["A", "B"]
    inst = SelectionInstance.build(ids, [3 * 10**15 + 1, 10**15], 4 * 10**15 + 1, [["A"], ["A", "B"], ["A"]])
    fast, slow = _run(inst, compiled=True), _run(inst, compiled=False)
    _same(inst, fast, slow)
    assert fast.selected == ("B", "A")
    assert fast.outcomes["B"].order == 1
    assert kernel_calls[0] == phragmen_kernel.NEAR_TIE


def test_tied_siblings_a_ceiling_and_unsupported(kernel_calls: list[int]) -> None:
    ids = ["A1", "A2", "B1", "C1", "D1", "E1"]
    inst = SelectionInstance.build(
        ids, [30, 30, 30, 10, 5, 0], 90, [["A1", "A2", "B1"], ["A1", "A2"], ["B1", "C1"]],
        groups=[Group("perangkat_daerah:x", ("A1",), ceiling=0)],
    )
    fast, slow = _run(inst, compiled=True), _run(inst, compiled=False)
    _same(inst, fast, slow)
    assert kernel_calls and kernel_calls[-1] == phragmen_kernel.DONE


def _district(n_projects: int, seed: int) -> SelectionInstance:
    """A small synthetic district (as benchmarks/selection_district.py): delegates of a
    kecamatan support 1-6 of its proposals; ceilings per agency, floors per kecamatan."""
    rng = np.random.default_rng(seed)
    n_kec, per_kec, n_agency = 5, 30, 6
    kec = rng.integers(0, n_kec, n_projects)
    agency = rng.integers(0, n_agency, n_projects)
    costs = (np.exp(rng.normal(np.log(1.5e5), 0.6, n_projects)) // 1000 * 1000).astype(np.int64)
    costs = np.clip(costs, 5_000, 8_000_000)
    ids = [f"U{i:05d}" for i in range(n_projects)]
    ballots: list[list[str]] = [[] for _ in range(n_kec * per_kec)]
    for p in range(n_projects):
        for d in set(rng.integers(0, per_kec, int(rng.integers(1, 7))).tolist()):
            ballots[int(kec[p]) * per_kec + d].append(ids[p])
    budget = int(costs.sum() // 20)
    share = np.bincount(agency, weights=costs, minlength=n_agency) / costs.sum()
    groups = [
        Group(f"perangkat_daerah:{a}", tuple(ids[i] for i in np.flatnonzero(agency == a)),
              ceiling=int(budget * share[a] * 1.1))
        for a in range(n_agency)
    ] + [
        Group(f"kecamatan:{k}", tuple(ids[i] for i in np.flatnonzero(kec == k)), floor=int(budget * 0.02))
        for k in range(n_kec)
    ]
    return SelectionInstance.build(ids, costs.tolist(), budget, ballots, groups=groups)


@pytest.mark.parametrize("seed", [1, 2])
def test_district_compiled_as_python(seed: int) -> None:
    inst = _district(3_000, seed)
    fast, slow = _run(inst, compiled=True), _run(inst, compiled=False)
    _same(inst, fast, slow)
    assert len(fast.selected) > 100


def test_large_instances_take_the_compiled_path(kernel_calls: list[int]) -> None:
    inst = _district(phragmen_module.COMPILED_MIN_CANDIDATES + 500, 3)
    select(inst, "phragmen")
    assert kernel_calls
    small = _district(200, 4)
    kernel_calls.clear()
    select(small, "phragmen")
    assert not kernel_calls  # small instances: the Python path (no kernel to load)


def test_hash_collision_and_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = _district(600, 5)
    slow = _run(inst, compiled=False)
    # supporter sets that share a hash: grouped one by one instead
    monkeypatch.setattr(phragmen_module, "_signatures", lambda support, cand: None)
    _same(inst, _run(inst, compiled=True), slow)
    # error bounds too large (never seen): the Python path, on an untouched ledger
    monkeypatch.setattr(phragmen_kernel, "phragmen_kernel", lambda *args: phragmen_kernel.FALLBACK)
    _same(inst, _run(inst, compiled=True), slow)
