"""Scoring criteria: ranges, formulas, determinism (selaras.engines.scoring)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selaras.engines.scoring import (
    DEFAULT_WEIGHTS,
    Criterion,
    ScoringInput,
    criterion_values,
    member_match,
    prefix_match,
    program_match,
    score,
)


def test_urgency_is_linear_within_each_forum() -> None:
    data = ScoringInput.build(cost=[1, 1, 1, 1, 1, 1], rank=[1, 2, 4, 1, 2, 0], rank_group=[7, 7, 7, 9, 9, 7])
    urgency = criterion_values(data)[Criterion.URGENCY]
    assert urgency.tolist() == pytest.approx([1.0, 0.75, 0.25, 1.0, 0.5, 0.0])


def test_flags_and_cost_and_beneficiaries() -> None:
    data = ScoringInput.build(
        cost=[10, 1000, 100, 0],
        priority_program=[True, False, False, True],
        spm=[False, True, False, False],
        locus=[False, False, True, False],
        beneficiaries=[100.0, float("nan"), 10_000.0, 1000.0],
    )
    parts = criterion_values(data)
    assert parts[Criterion.PRIORITY_PROGRAM].tolist() == [1.0, 0.0, 0.0, 1.0]
    assert parts[Criterion.SPM].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert parts[Criterion.LOCUS].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert parts[Criterion.COST].tolist() == pytest.approx([1.0, 0.0, 0.5, 1.0])
    ben = parts[Criterion.BENEFICIARIES]
    assert ben[0] == 0.0 and ben[2] == 1.0
    assert ben[1] == pytest.approx(ben[3])  # unknown gets the median of the known values


def test_score_is_weighted_mean_times_100() -> None:
    data = ScoringInput.build(cost=[5, 5], spm=[True, False], locus=[True, True])
    result = score(data, {"spm": 1, "locus": 3})
    assert result.total.tolist() == pytest.approx([100.0, 75.0])
    assert score(data, {"spm": 0}).total.tolist() == [0.0, 0.0]


def test_unknown_criterion_and_negative_weight_are_refused() -> None:
    data = ScoringInput.build(cost=[1])
    with pytest.raises(ValueError, match="tidak dikenal"):
        score(data, {"popularity": 1})
    with pytest.raises(ValueError, match="tidak negatif"):
        score(data, {"spm": -1})


def test_length_mismatch_is_refused() -> None:
    with pytest.raises(ValueError, match="panjang"):
        ScoringInput.build(cost=[1, 2], spm=[True])


def test_code_matching() -> None:
    codes = ["1.02.02.2.01.0001", "1.03.10.2.01.0002", "", "2.17.03.2.01.0001", "1.021"]
    assert program_match(codes, ["1.02.02", "2.17.03"]).tolist() == [True, False, False, True, False]
    assert prefix_match(codes, ["1.02", "1.03"]).tolist() == [True, True, False, False, False]
    assert member_match(["32.16.01.2001", "", "32.16.01.2002"], ["32.16.01.2002", ""]).tolist() == [
        False, False, True]


arrays = st.integers(min_value=1, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 10**12), min_size=n, max_size=n),
        st.lists(st.integers(0, 12), min_size=n, max_size=n),
        st.lists(st.integers(0, 3), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.one_of(st.just(float("nan")), st.floats(0, 1e7)), min_size=n, max_size=n),
    )
)
weights = st.dictionaries(st.sampled_from(list(Criterion)), st.floats(0, 10), min_size=1)


@settings(max_examples=80, deadline=None)
@given(arrays, weights)
def test_scores_are_bounded_and_deterministic(cols: tuple, w: dict) -> None:
    cost, rank, group, prog, spm, locus, ben = cols
    data = ScoringInput.build(cost=cost, rank=rank, rank_group=group, priority_program=prog, spm=spm,
                              locus=locus, beneficiaries=ben)
    for values in criterion_values(data).values():
        assert np.all((values >= 0) & (values <= 1))
    first = score(data, w).total
    assert np.all((first >= 0) & (first <= 100 + 1e-9))
    # the order of the weights mapping does not change the result
    again = score(data, dict(reversed(list(w.items())))).total
    assert np.array_equal(first, again)


@settings(max_examples=60, deadline=None)
@given(arrays)
def test_a_flag_never_lowers_a_score(cols: tuple) -> None:
    cost, rank, group, prog, spm, locus, ben = cols
    base = ScoringInput.build(cost=cost, rank=rank, rank_group=group, priority_program=prog, spm=spm,
                              locus=locus, beneficiaries=ben)
    raised = ScoringInput.build(cost=cost, rank=rank, rank_group=group, priority_program=prog,
                                spm=[True] * len(cost), locus=locus, beneficiaries=ben)
    assert np.all(score(raised, DEFAULT_WEIGHTS).total >= score(base, DEFAULT_WEIGHTS).total)
