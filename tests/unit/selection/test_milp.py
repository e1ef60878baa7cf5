"""The exact rule against brute force, and the pieces of its proof (Lagrangian bound, fixing)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selaras.engines.selection.engine as engine
from selaras.engines.selection import (
    Group,
    SelectionInstance,
    SelectionResult,
    milp,
    milp_reduce,
    milp_search,
    select,
)
from selaras.engines.selection.milp_reduce import Problem, lagrangian

BoolMatrix = npt.NDArray[np.bool_]


def random_instance(rng: random.Random, m: int, decimals: int = 2) -> SelectionInstance:
    ids = [f"u{i:02d}" for i in range(m)]
    costs = [rng.choice([0, rng.randint(1, 9), rng.randint(10, 60) * 1000]) for _ in range(m)]
    scale = 10**decimals
    scores = [rng.randint(-50, 10_000) / scale for _ in range(m)]
    total = sum(costs)
    budget = rng.randint(0, max(1, total))
    groups = []
    for g in range(rng.randint(0, 4)):
        members = tuple(rng.sample(ids, rng.randint(1, m)))
        room = sum(costs[ids.index(p)] for p in members)
        ceiling = rng.choice([None, rng.randint(0, max(1, room))])
        floor = rng.choice([None, None, rng.randint(0, max(1, room // 2))])
        groups.append(Group(f"g{g}", members, ceiling=ceiling, floor=floor))
    mandatory = rng.sample(ids, min(m, rng.choice([0, 0, 1, 2])))
    rest = [p for p in ids if p not in mandatory]
    ineligible = {p: "aturan" for p in rng.sample(rest, min(len(rest), rng.choice([0, 0, 1])))}
    return SelectionInstance.build(
        ids, costs, budget, [], scores=scores, groups=groups, mandatory=mandatory,
        ineligible=ineligible,
    )


def all_subsets(m: int) -> BoolMatrix:
    return ((np.arange(2**m)[:, None] >> np.arange(m)) & 1).astype(bool)


def brute_force(inst: SelectionInstance, scale: int) -> tuple[int, int]:
    """(least total floor shortfall, then the largest value in units of 1/scale), with the
    engine's reading of mandatory projects: the budget and ceilings bind what they leave."""
    m = inst.n_projects
    x = all_subsets(m)
    cost = inst.costs.astype(np.int64)
    assert inst.scores is not None
    units = np.round(inst.scores * scale).astype(np.int64)
    index = {p: i for i, p in enumerate(inst.project_ids)}
    mand = np.zeros(m, dtype=bool)
    mand[[index[p] for p in inst.mandatory if p not in inst.ineligible]] = True
    out = np.zeros(m, dtype=bool)
    out[[index[p] for p in inst.ineligible]] = True
    ok = np.all(x[:, mand], axis=1) & ~np.any(x[:, out], axis=1)
    forced = int(cost[mand].sum())
    ok &= x @ cost - forced <= max(0, inst.budget - forced)
    short = np.zeros(len(x), dtype=np.int64)
    for g, members in zip(inst.groups, inst.group_indices, strict=True):
        spent = x[:, members] @ cost[members]
        forced_g = int(cost[members][mand[members]].sum())
        if g.ceiling is not None:
            ok &= spent - forced_g <= max(0, g.ceiling - forced_g)
        if g.floor is not None:
            short += np.maximum(0, g.floor - spent)
    least = int(short[ok].min())
    return least, int((x @ units)[ok & (short == least)].max())


def achieved(inst: SelectionInstance, r: SelectionResult, scale: int) -> tuple[int, int]:
    index = {p: i for i, p in enumerate(inst.project_ids)}
    x = np.zeros((1, inst.n_projects), dtype=bool)
    x[0, [index[p] for p in r.selected]] = True
    cost = inst.costs.astype(np.int64)
    assert inst.scores is not None
    short = 0
    for g, members in zip(inst.groups, inst.group_indices, strict=True):
        if g.floor is not None:
            short += max(0, g.floor - int((x[:, members] @ cost[members])[0]))
    units = np.round(inst.scores * scale).astype(np.int64)
    return short, int((x @ units)[0])


def no_start(*args: object) -> None:
    return None


@pytest.fixture(params=["greedy start", "no start"])
def small_window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Leave only 2 columns free in the first HiGHS run, so fixing, the proof check and
    regrowing the window are used; without the greedy start the first run alone decides. The
    knapsack path is switched off, so that the general search decides every instance."""
    monkeypatch.setattr(milp, "solve_knapsacks", no_start)
    monkeypatch.setattr(milp_search, "WINDOW", 2)
    if request.param == "no start":
        monkeypatch.setattr(milp_search, "greedy_start", no_start)
    yield


def check_against_brute_force(seed: int, m: int) -> None:
    rng = random.Random(seed)
    inst = random_instance(rng, m)
    r = select(inst, "exact")
    assert r.details["solver_status"] == "Optimal", r.details
    assert achieved(inst, r, 100) == brute_force(inst, 100), (seed, r.details)
    assert r.details["floors_relaxed"] == (brute_force(inst, 100)[0] > 0)


@pytest.mark.parametrize("seed", range(60))
def test_exact_equals_brute_force(seed: int) -> None:
    check_against_brute_force(seed, 8 + seed % 7)


@pytest.mark.parametrize("seed", range(60, 100))
def test_exact_equals_brute_force_when_fixing_most_columns(seed: int, small_window: None) -> None:
    check_against_brute_force(seed, 10 + seed % 5)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 13), st.sampled_from([0, 1, 2]))
def test_exact_equals_brute_force_hypothesis(seed: int, m: int, narrow: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        if narrow:
            mp.setattr(milp, "solve_knapsacks", no_start)
            mp.setattr(milp_search, "WINDOW", 1)
        if narrow == 2:
            mp.setattr(milp_search, "greedy_start", no_start)
        check_against_brute_force(seed, m)


@pytest.fixture
def outcomes(monkeypatch: pytest.MonkeyPatch) -> list[milp.MilpOutcome]:
    """Every `MilpOutcome` the engine gets while the test runs."""
    seen: list[milp.MilpOutcome] = []
    real = milp.solve_max_value

    def spy(*args: object, **kw: object) -> milp.MilpOutcome:
        out = real(*args, **kw)  # type: ignore[arg-type]
        seen.append(out)
        return out

    monkeypatch.setattr(engine, "solve_max_value", spy)
    return seen


def test_scores_with_many_decimals_are_solved_as_floats(outcomes: list[milp.MilpOutcome]) -> None:
    rng = random.Random(7)
    base = random_instance(rng, 12)
    assert base.scores is not None
    scores = (base.scores / 3.0).tolist()  # thirds: no power of ten makes them whole
    inst = SelectionInstance.build(
        base.project_ids, base.costs.tolist(), base.budget, [], scores=scores,
        groups=base.groups, mandatory=sorted(base.mandatory), ineligible=base.ineligible,
    )
    r = select(inst, "exact")
    assert outcomes[0].facts["objective_scale"] == 1.0
    assert "a maximum to 1e-06" in outcomes[0].proof
    # compare with brute force on the same values scaled up (thirds of hundredths)
    least, best = brute_force(base, 100)
    short, got = achieved(base, r, 100)
    assert (short, got) == (least, best)


def test_proof_is_stated_for_two_decimal_scores(outcomes: list[milp.MilpOutcome]) -> None:
    inst = random_instance(random.Random(3), 10)
    select(inst, "exact")
    out = outcomes[0]
    assert out.status == "Optimal"
    assert out.facts["objective_scale"] == 100.0
    assert "x100 are whole numbers" in out.proof
    assert "worth 0.01 more: a proven maximum" in out.proof
    assert out.details()["proof"] == out.proof


def problem_from(rng: random.Random, n: int) -> Problem:
    cost = np.asarray([rng.randint(0, 40) for _ in range(n)], dtype=np.int64)
    value = np.asarray([rng.randint(-5, 60) for _ in range(n)], dtype=np.float64)
    n_rows = 3
    rows: list[int] = []
    ptr = [0]
    for _ in range(n):
        rows.extend([0, *sorted(rng.sample([1, 2], rng.randint(0, 2)))])
        ptr.append(len(rows))
    total = int(cost.sum())
    lo: list[int | None] = [None, rng.choice([None, rng.randint(0, total // 3)]), None]
    hi: list[int | None] = [rng.randint(0, total), None, rng.choice([None, rng.randint(0, total)])]
    assert len(lo) == len(hi) == n_rows
    return Problem(cost, value, np.asarray(ptr), np.asarray(rows, dtype=np.int64), lo, hi, 1.0)


@pytest.mark.parametrize("seed", range(25))
def test_lagrangian_bound_holds_for_any_prices(seed: int) -> None:
    """Every feasible selection is worth at most U(y), and at most U(y) - |d_i| when it
    disagrees with [d_i > 0] on column i: the rule behind reduced-cost fixing."""
    rng = random.Random(seed)
    p = problem_from(rng, 11)
    x = all_subsets(p.n)
    feasible = np.asarray([not p.violations(row) for row in x])
    worth = x[feasible] @ p.value
    for _ in range(5):
        y = np.asarray([rng.uniform(-2, 2) for _ in range(p.n_rows)])
        b = lagrangian(p, y)
        assert np.all(worth <= b.upper + b.margin)
        sign = b.d > 0
        for i in range(p.n):
            flipped = x[feasible][:, i] != sign[i]
            assert np.all(worth[flipped] <= b.upper - abs(b.d[i]) + b.margin)


def test_lagrangian_bound_is_tight_somewhere() -> None:
    """The bound must not be vacuous: on a pure knapsack at the LP price it is the LP value."""
    p = Problem(
        np.asarray([10, 10, 10], dtype=np.int64), np.asarray([30.0, 20.0, 10.0]),
        np.asarray([0, 1, 2, 3]), np.asarray([0, 0, 0], dtype=np.int64), [None], [15], 1.0,
    )
    b = lagrangian(p, np.asarray([2.0]))
    assert b.upper == pytest.approx(30 + 2 * 5)  # item 1 at one half: 30 + 10


def district_like(seed: int, m: int) -> SelectionInstance:
    """A small regency: agency ceilings, kecamatan floors, two-decimal scores."""
    rng = np.random.default_rng(seed)
    ids = [f"U{i:05d}" for i in range(m)]
    costs = (np.exp(rng.normal(np.log(1.5e8), 0.9, m)) // 1000 * 1000).astype(np.int64)
    scores = np.round(rng.uniform(0, 100, m), 2)
    budget = int(costs.sum() // 10)
    agency = rng.integers(0, 5, m)
    kec = rng.integers(0, 4, m)
    groups = [
        Group(f"pd:{a}", tuple(ids[i] for i in np.flatnonzero(agency == a)),
              ceiling=int(budget * 0.3))
        for a in range(5)
    ] + [
        Group(f"kec:{k}", tuple(ids[i] for i in np.flatnonzero(kec == k)),
              floor=int(budget * 0.15))
        for k in range(4)
    ]
    mandatory = [ids[i] for i in rng.choice(m, 3, replace=False)]
    return SelectionInstance.build(
        ids, costs.tolist(), budget, [], scores=scores.tolist(), groups=groups,
        mandatory=mandatory,
    )


def value_of(inst: SelectionInstance, r: SelectionResult) -> int:
    assert inst.scores is not None
    index = {p: i for i, p in enumerate(inst.project_ids)}
    return int(sum(round(inst.scores[index[p]] * 100) for p in r.selected))


def whole_model_value(inst: SelectionInstance) -> int:
    """The optimum in units of 0.01 by HiGHS on the plain model (no fixing): the reference."""
    import highspy

    assert inst.scores is not None
    m = inst.n_projects
    index = {p: i for i, p in enumerate(inst.project_ids)}
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)
    lower = np.zeros(m)
    lower[[index[p] for p in inst.mandatory]] = 1.0
    inf = highspy.kHighsInf
    h.addVars(m, lower, np.ones(m))
    h.changeColsIntegrality(m, np.arange(m, dtype=np.int32),
                            np.full(m, highspy.HighsVarType.kInteger))
    h.changeColsCost(m, np.arange(m, dtype=np.int32), -np.round(inst.scores * 100))
    cost = inst.costs.astype(np.float64)
    h.addRow(-inf, float(inst.budget), m, np.arange(m, dtype=np.int32), cost)
    for g, members in zip(inst.groups, inst.group_indices, strict=True):
        lo = -inf if g.floor is None else float(g.floor)
        hi = inf if g.ceiling is None else float(g.ceiling)
        h.addRow(lo, hi, len(members), members.astype(np.int32), cost[members])
    h.run()
    assert h.modelStatusToString(h.getModelStatus()) == "Optimal"
    return -round(h.getInfo().objective_function_value)


def whole_model_relaxed(inst: SelectionInstance) -> tuple[int, int]:
    """(least total floor shortfall, then the optimum) by HiGHS on the plain model with a
    continuous shortfall per floor: the reference when floors cannot all be met (no
    mandatory projects)."""
    import highspy

    assert inst.scores is not None
    m = inst.n_projects
    floors = [(g, mem) for g, mem in zip(inst.groups, inst.group_indices, strict=True)
              if g.floor is not None]
    k = len(floors)
    inf = highspy.kHighsInf
    assert not inst.mandatory
    cost = inst.costs.astype(np.float64)
    short = 0
    for phase in (1, 2):
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)
        h.addVars(m + k, np.zeros(m + k), np.concatenate([np.ones(m), np.full(k, inf)]))
        h.changeColsIntegrality(m, np.arange(m, dtype=np.int32),
                                np.full(m, highspy.HighsVarType.kInteger))
        obj = np.concatenate([np.zeros(m), np.ones(k)]) if phase == 1 else np.concatenate(
            [-np.round(inst.scores * 100), np.zeros(k)])
        h.changeColsCost(m + k, np.arange(m + k, dtype=np.int32), obj)
        h.addRow(-inf, float(inst.budget), m, np.arange(m, dtype=np.int32), cost)
        for g, mem in zip(inst.groups, inst.group_indices, strict=True):
            if g.ceiling is not None:
                h.addRow(-inf, float(g.ceiling), len(mem), mem.astype(np.int32), cost[mem])
        for j, (g, mem) in enumerate(floors):
            idx = np.concatenate([mem, [m + j]]).astype(np.int32)
            h.addRow(float(g.floor or 0), inf, len(idx), idx, np.concatenate([cost[mem], [1.0]]))
        if phase == 2:
            h.addRow(-inf, float(short), k, (m + np.arange(k)).astype(np.int32), np.ones(k))
        h.run()
        assert h.modelStatusToString(h.getModelStatus()) == "Optimal"
        if phase == 1:
            short = round(h.getInfo().objective_function_value)
    return short, -round(h.getInfo().objective_function_value)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_least_shortfall_agrees_with_the_whole_model(seed: int) -> None:
    base = district_like(seed, 40)
    assert base.scores is not None
    groups = [Group(g.key, g.members, g.ceiling, None if g.floor is None else g.floor * 2)
              for g in base.groups]  # four floors of 30 % each: 120 % of the budget
    inst = SelectionInstance.build(
        base.project_ids, base.costs.tolist(), base.budget, [], scores=base.scores.tolist(),
        groups=groups,
    )
    r = select(inst, "exact")
    assert r.details["solver_status"] == "Optimal"
    assert r.details["floors_relaxed"] is True
    assert achieved(inst, r, 100) == whole_model_relaxed(inst)


@pytest.mark.parametrize(
    ("seed", "path"),
    # seed 2: a floor binds, so the knapsack path hands over to the general search
    [(1, "knapsack"), (3, "knapsack"), (1, "general"), (2, "general"), (3, "general")],
)
def test_fixing_agrees_with_the_whole_model(
    seed: int, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if path == "general":
        monkeypatch.setattr(milp, "solve_knapsacks", no_start)
    inst = district_like(seed, 600)
    fast = select(inst, "exact")
    assert fast.details.get("method", "general") == path
    assert fast.details["solver_status"] == "Optimal"
    assert fast.details["floors_relaxed"] is False
    assert value_of(inst, fast) == whole_model_value(inst)


def test_same_selection_across_runs_and_input_orders() -> None:
    inst = district_like(5, 800)
    a = select(inst, "exact")
    b = select(inst, "exact")
    rng = random.Random(5)
    order = list(range(inst.n_projects))
    rng.shuffle(order)
    assert inst.scores is not None
    shuffled = SelectionInstance.build(
        [inst.project_ids[i] for i in order], [int(inst.costs[i]) for i in order], inst.budget,
        [], scores=[float(inst.scores[i]) for i in order],
        groups=[Group(g.key, tuple(reversed(g.members)), g.ceiling, g.floor)
                for g in reversed(inst.groups)],
        mandatory=sorted(inst.mandatory, reverse=True),
    )
    c = select(shuffled, "exact")
    assert a.selected == b.selected
    assert set(a.selected) == set(c.selected)


@pytest.mark.parametrize("seed", range(100, 130))
def test_too_large_windows_give_a_selection_within_limits(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_COLUMNS undecided projects HiGHS is not called: the best selection found is
    returned, within the budget and ceilings, and not claimed optimal unless proven."""
    monkeypatch.setattr(milp, "solve_knapsacks", no_start)
    monkeypatch.setattr(milp_search, "WINDOW", 1)
    monkeypatch.setattr(milp_search, "MAX_COLUMNS", 3)
    rng = random.Random(seed)
    inst = random_instance(rng, 10 + seed % 4)
    r = select(inst, "exact")
    status = r.details["solver_status"]
    assert status in ("Optimal", milp_search.TOO_LARGE)
    least, best = brute_force(inst, 100)
    short, got = achieved(inst, r, 100)
    assert short >= least
    if status == "Optimal":
        assert (short, got) == (least, best)
    forced = {p for p in inst.mandatory if p not in inst.ineligible}
    index = {p: i for i, p in enumerate(inst.project_ids)}
    cost = inst.costs.astype(np.int64)
    free = [index[p] for p in r.selected if p not in forced]
    assert not set(r.selected) & set(inst.ineligible)
    forced_cost = sum(int(cost[index[p]]) for p in forced)
    assert sum(int(cost[i]) for i in free) <= max(0, inst.budget - forced_cost)


@pytest.mark.parametrize("seed", range(10))
def test_lp_prices_fall_back_to_the_whole_lp(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """When sifting stops before it converges, the whole LP (interior point) gives the prices:
    the bound is the LP value, as with sifting run to the end, and never worse than where
    sifting stopped."""
    p = problem_from(random.Random(seed), 30)
    start = milp_reduce.greedy_start(p, lagrangian(p, milp_reduce.budget_price(p)).d)
    y_full, ok_full = milp_reduce.lp_prices(p, milp_reduce.budget_price(p), start, 1e18)
    monkeypatch.setattr(milp_reduce, "_SIFT_ROUNDS", 0)
    y_ipm, ok_ipm = milp_reduce.lp_prices(p, milp_reduce.budget_price(p), start, 1e18)
    assert ok_ipm == ok_full
    if ok_full:
        u_full, u_ipm = lagrangian(p, y_full).upper, lagrangian(p, y_ipm).upper
        assert u_ipm == pytest.approx(u_full, rel=1e-6, abs=1e-6)
        assert u_ipm <= lagrangian(p, milp_reduce.budget_price(p)).upper + 1e-9


@pytest.mark.parametrize("seed", range(10))
def test_improve_only_improves_within_limits(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search past the too-large guard starts each run from the best selection: it returns
    a selection within every bound, worth at least the start."""
    monkeypatch.setattr(milp_search, "WINDOW", 1)
    p = problem_from(random.Random(seed), 30)
    d = lagrangian(p, milp_reduce.budget_price(p)).d
    start = milp_reduce.greedy_start(p, d)
    if start is None:
        return
    x, worth = milp_search._improve(p, d, start, 1e18, 0.0)
    assert not p.violations(x)
    assert worth == p.worth(x) >= p.worth(start)
