"""Scoring criteria: ranges, formulas, determinism (selaras.engines.scoring)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from selaras.domain.errors import InvalidInput
from selaras.engines.scoring import (
    DEFAULT_WEIGHTS,
    Criterion,
    InvalidScoringValue,
    InvalidWeight,
    ScoringInput,
    ScoringInputError,
    ScoringLengthMismatch,
    UnknownCriterion,
    criterion_values,
    member_match,
    normalise_weights,
    prefix_match,
    program_match,
    score,
)

NAN = float("nan")
INF = float("inf")
BIGGEST = 1.7976931348623157e308  # largest finite float
TINY_NORMAL = 2.2e-308  # about the smallest normal float
TINIEST = 5e-324  # smallest subnormal float


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


# Found by hypothesis on the PostgreSQL pass of `make test` (issue 13): one proposal whose
# beneficiaries are unknown and a single subnormal-range weight. 100 / 2.2e-308 overflowed to
# inf, and 0 * inf gave a NaN score (a non-zero part gave inf).
FOUND_IN_CI = (([0], [0], [0], [False], [False], [False], [NAN]), {Criterion.BENEFICIARIES: TINY_NORMAL})


@settings(max_examples=80, deadline=None)
@given(arrays, weights)
@example(*FOUND_IN_CI)
@example(([5, 10], [1, 2], [0, 0], [True, False], [False, False], [False, True], [NAN, 3.0]),
         {Criterion.SPM: TINIEST})
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


def test_the_example_found_in_ci_scores_zero_not_nan() -> None:
    (cost, rank, group, prog, spm, locus, ben), w = FOUND_IN_CI
    data = ScoringInput.build(cost=cost, rank=rank, rank_group=group, priority_program=prog, spm=spm,
                              locus=locus, beneficiaries=ben)
    assert score(data, w).total.tolist() == [0.0]


@pytest.mark.parametrize("tiny", [TINY_NORMAL, TINIEST, 1e-320])
def test_only_the_ratio_of_weights_matters_down_to_subnormals(tiny: float) -> None:
    data = ScoringInput.build(cost=[5, 10, 20], spm=[True, False, True], locus=[False, True, True])
    assert score(data, {"spm": tiny}).total.tolist() == [100.0, 0.0, 100.0]
    assert score(data, {"spm": tiny, "locus": tiny}).total.tolist() == [50.0, 50.0, 100.0]
    # default weights scaled by a power of two (exact, even into subnormals): same scores
    full = ScoringInput.build(cost=[5, 10, 20, 0], rank=[1, 2, 0, 3], spm=[True, False, True, False],
                              beneficiaries=[10.0, NAN, 1e6, 3.0])
    scaled = {c: math.ldexp(v, -1070) for c, v in DEFAULT_WEIGHTS.items()}
    assert np.array_equal(score(full, scaled).total, score(full, DEFAULT_WEIGHTS).total)


def test_huge_weights_do_not_overflow_the_sum() -> None:
    data = ScoringInput.build(cost=[5, 10], spm=[True, False])
    assert score(data, {"spm": BIGGEST, "locus": BIGGEST}).total.tolist() == [50.0, 0.0]
    assert score(data, {c: BIGGEST for c in Criterion}).total.tolist() == pytest.approx(
        score(data, {c: 1.0 for c in Criterion}).total.tolist())


@pytest.mark.parametrize("bad", [NAN, INF, -INF, -1.0, -TINIEST, "banyak", None])
def test_non_finite_or_negative_weights_are_refused(bad: object) -> None:
    data = ScoringInput.build(cost=[1])
    with pytest.raises(InvalidWeight) as caught:
        score(data, {"urgency": 1.0, "spm": bad})  # type: ignore[dict-item]
    error = caught.value
    assert isinstance(error, InvalidInput) and isinstance(error, ScoringInputError)
    assert error.code == "scoring_invalid_weight"
    assert error.params == {"criterion": "spm", "value": str(bad)}
    assert error.message.startswith("bobot kriteria spm harus angka tidak negatif yang terhingga")


def test_unknown_criterion_has_a_stable_code() -> None:
    with pytest.raises(UnknownCriterion) as caught:
        normalise_weights({"popularity": 1.0})
    assert (caught.value.code, caught.value.params) == ("scoring_unknown_criterion", {"criterion": "popularity"})


@pytest.mark.parametrize(
    ("field", "values", "index"),
    [
        ("cost", [1, NAN], 1),
        ("cost", [INF], 0),
        ("cost", [3, -5], 1),
        ("cost", [1.5], 0),
        ("cost", [10**30], 0),
        ("rank", [0, -1], 1),
        ("rank", [NAN, 1], 0),
        ("rank_group", [INF, 0], 0),
        ("beneficiaries", [1.0, INF], 1),
        ("beneficiaries", [-INF, 1.0], 0),
        ("beneficiaries", [-1.0, NAN], 0),
        ("spm", [True, NAN], 1),
    ],
)
def test_non_finite_negative_or_fractional_values_are_refused(field: str, values: list, index: int) -> None:
    columns: dict[str, list] = {"cost": [1] * len(values), field: values}
    with pytest.raises(InvalidScoringValue) as caught:
        ScoringInput.build(**columns)
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert error.code == "scoring_invalid_value"
    assert error.params == {"field": field, "index": index, "value": str(values[index])}
    assert f"usulan ke-{index + 1} harus" in error.message


def test_unknown_beneficiaries_stay_allowed() -> None:
    data = ScoringInput.build(cost=[1, 2, 3], beneficiaries=[NAN, 10.0, NAN])
    assert np.isfinite(score(data).total).all()


def test_length_mismatch_has_a_stable_code() -> None:
    with pytest.raises(ScoringLengthMismatch) as caught:
        ScoringInput.build(cost=[1, 2], rank=[1, 2, 3])
    assert caught.value.code == "scoring_length_mismatch"
    assert caught.value.params == {"field": "rank", "length": 3, "expected": 2}


# The whole valid input space: any int64 cost and rank, any finite non-negative beneficiaries
# (subnormal to the largest float, or NaN = unknown), any finite non-negative weights.
INT64_MAX = 2**63 - 1
edge_floats = st.sampled_from([0.0, TINIEST, 1e-320, TINY_NORMAL, 1.0, 1e300, BIGGEST])
any_weight = st.one_of(edge_floats, st.floats(min_value=0, max_value=BIGGEST, allow_nan=False, allow_infinity=False))
any_amount = st.one_of(st.just(NAN), edge_floats, st.floats(min_value=0, allow_nan=False, allow_infinity=False))
any_count = st.one_of(st.integers(0, 20), st.integers(0, INT64_MAX))
valid_columns = st.integers(min_value=0, max_value=30).flatmap(
    lambda n: st.fixed_dictionaries({
        "cost": st.lists(any_count, min_size=n, max_size=n),
        "rank": st.lists(any_count, min_size=n, max_size=n),
        "rank_group": st.lists(st.integers(-(2**63), INT64_MAX), min_size=n, max_size=n),
        "priority_program": st.lists(st.booleans(), min_size=n, max_size=n),
        "spm": st.lists(st.booleans(), min_size=n, max_size=n),
        "locus": st.lists(st.booleans(), min_size=n, max_size=n),
        "beneficiaries": st.lists(any_amount, min_size=n, max_size=n),
    })
)
valid_weights = st.dictionaries(st.sampled_from(list(Criterion)), any_weight)


@settings(max_examples=150, deadline=None)
@given(valid_columns, valid_weights)
@example({"cost": [0], "rank": [0], "rank_group": [0], "priority_program": [False], "spm": [False],
          "locus": [False], "beneficiaries": [NAN]}, {Criterion.BENEFICIARIES: TINY_NORMAL})
@example({"cost": [INT64_MAX, 1], "rank": [INT64_MAX, 1], "rank_group": [0, 0], "priority_program": [True, False],
          "spm": [False, True], "locus": [True, True], "beneficiaries": [BIGGEST, TINIEST]},
         {c: BIGGEST for c in Criterion})
def test_every_valid_input_gives_a_finite_score_in_range(columns: dict, w: dict) -> None:
    data = ScoringInput.build(**columns)
    result = score(data, w)
    for values in result.parts.values():
        assert np.all(np.isfinite(values) & (values >= 0) & (values <= 1))
    assert np.all(np.isfinite(result.total) & (result.total >= 0) & (result.total <= 100))
    if not any(v > 0 for v in w.values()):
        assert not result.total.any()
    assert np.array_equal(result.total, score(data, dict(reversed(list(w.items())))).total)


@settings(max_examples=100, deadline=None)
@given(valid_weights, st.sampled_from(list(Criterion)),
       st.sampled_from([NAN, INF, -INF, -TINIEST, -1.0, -BIGGEST]))
def test_any_non_finite_or_negative_weight_is_refused(w: dict, criterion: Criterion, bad: float) -> None:
    with pytest.raises(InvalidWeight):
        score(ScoringInput.build(cost=[1, 2]), {**w, criterion: bad})
