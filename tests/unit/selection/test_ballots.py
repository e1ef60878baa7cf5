"""The ballot rules (who supports what, in which order, with what weight) without a database."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from selaras.domain.proposals import Channel
from selaras.engines.selection import Group
from selaras.engines.selection.ballots import (
    DEFAULT_SUPPORTER_WEIGHTS,
    SUPPORTER_KINDS,
    ProposalColumns,
    ballot_positions,
    ballots,
    forum_ranks,
    groups,
    ineligible_reasons,
    supporters,
)

VILLAGE = Channel.VILLAGE_MUSRENBANG.value
POKIR = Channel.POKIR.value
DRAFT = Channel.AGENCY_DRAFT.value

# Five proposals: two in village V1, two in V2 (all in kecamatan D1), one without village in D2.
# Row 3 was ranked first by the kecamatan forum; rows 2 and 3 are the same councillor's Pokir
# (the name spelled two ways); row 4 is agency 7's Pra-Renja draft.
COLUMNS = ProposalColumns(
    channels=(VILLAGE, VILLAGE, POKIR, POKIR, DRAFT),
    village_codes=("V1", "V1", "V2", "V2", ""),
    district_codes=("D1", "D1", "D1", "D1", "D2"),
    village_ranks=(2, 1, 0, None, None),
    district_ranks=(None, None, None, 1, 0),
    councillor_names=("", "", "Budi  Santoso", "budi santoso", ""),
    agency_keys=("", "", "", "", "7"),
)
SCORES = np.array([0.5, 0.2, 0.9, 0.1, 0.3])
ALL = np.ones(5, dtype=bool)


def as_lists(indptr: np.ndarray, items: np.ndarray) -> list[list[int]]:
    return [items[indptr[v]:indptr[v + 1]].tolist() for v in range(len(indptr) - 1)]


def test_forum_rank_prefers_the_kecamatan_forum() -> None:
    ranks = forum_ranks(COLUMNS)
    assert ranks.rank.tolist() == [2, 1, 0, 1, 0]
    # villages V1=0, V2=1, no village -1; kecamatan D1 after every village id (0 + 5 rows + 1)
    assert ranks.forum.tolist() == [0, 0, 1, 6, -1]


def test_supporters_of_each_kind() -> None:
    keys = dict(supporters(COLUMNS))
    assert list(keys) == list(SUPPORTER_KINDS)
    assert keys["village_forum"].tolist() == [0, 0, 1, 1, -1]
    assert keys["district_forum"].tolist() == [0, 0, 0, 0, 1]
    assert keys["councillor"].tolist() == [-1, -1, 0, 0, -1]  # one councillor, two spellings
    assert keys["agency"].tolist() == [-1, -1, -1, -1, 0]


def test_a_name_or_agency_outside_its_channel_supports_nothing() -> None:
    columns = ProposalColumns(
        channels=(VILLAGE, VILLAGE), village_codes=("", ""), district_codes=("", ""),
        village_ranks=(0, 0), district_ranks=(0, 0), councillor_names=("Ani", ""), agency_keys=("", "3"),
    )
    keys = dict(supporters(columns))
    assert keys["councillor"].tolist() == [-1, -1]
    assert keys["agency"].tolist() == [-1, -1]


def test_ballot_order_rank_then_score_then_row() -> None:
    # rank 1: rows 1 (0.2) and 3 (0.1); rank 2: row 0; unranked: rows 2 (0.9) and 4 (0.3)
    position = ballot_positions(forum_ranks(COLUMNS).rank, SCORES)
    assert np.argsort(position).tolist() == [1, 3, 0, 2, 4]
    tied = ballot_positions(np.array([0, 0, 0]), np.array([1.0, 1.0, 2.0]))
    assert np.argsort(tied).tolist() == [2, 0, 1]


def test_ballots_with_default_weights() -> None:
    cast = ballots(COLUMNS, SCORES, ALL, DEFAULT_SUPPORTER_WEIGHTS)
    assert as_lists(cast.indptr, cast.items) == [
        [1, 0],  # Musrenbang Desa V1
        [3, 2],  # Musrenbang Desa V2
        [1, 3, 0, 2],  # Musrenbang Kecamatan D1
        [4],  # Musrenbang Kecamatan D2
        [3, 2],  # the councillor
        [4],  # agency 7
    ]
    assert cast.weights.tolist() == [1] * 6
    assert cast.voter_counts == {"village_forum": 2, "district_forum": 2, "councillor": 1, "agency": 1}


def test_weights_leave_kinds_out_and_ineligible_rows_off_the_ballots() -> None:
    eligible = np.array([True, True, True, False, False])
    cast = ballots(COLUMNS, SCORES, eligible, {"village_forum": 2, "district_forum": 0, "councillor": 3})
    assert as_lists(cast.indptr, cast.items) == [[1, 0], [2], [2]]
    assert cast.weights.tolist() == [2, 2, 3]
    assert cast.voter_counts == {"village_forum": 2, "district_forum": 0, "councillor": 1, "agency": 0}


def test_no_ballot_at_all() -> None:
    cast = ballots(COLUMNS, SCORES, np.zeros(5, dtype=bool), DEFAULT_SUPPORTER_WEIGHTS)
    assert cast.indptr.tolist() == [0]
    assert cast.items.tolist() == []
    assert cast.weights.tolist() == []
    assert cast.voter_counts == dict.fromkeys(SUPPORTER_KINDS, 0)


def test_ineligible_reasons() -> None:
    reasons = ineligible_reasons(
        ["a", "b", "c", "d"], ["draft", "odd", "accepted", "accepted"], [True, True, False, True],
        ["accepted"], require_agency=True)
    assert reasons == {"a": "status usulan Draf", "b": "status usulan odd",
                       "c": "belum ditetapkan perangkat daerah pelaksana"}
    assert ineligible_reasons(["c"], ["accepted"], [False], ["accepted"], require_agency=False) == {}


def test_groups_for_ceilings_and_floors() -> None:
    out = groups(["a", "b", "c", "d"], ["1.02", "", "1.02", "2.01"], ["D2", "D1", "D1", ""],
                 ceilings={"1.02": 100, "9.99": 5}, floors={"D1": 40, "D2": 0})
    assert out == [Group("perangkat_daerah:1.02", ("a", "c"), ceiling=100),
                   Group("kecamatan:D1", ("b", "c"), floor=40)]


@st.composite
def proposal_tables(draw: st.DrawFn) -> tuple[ProposalColumns, np.ndarray, np.ndarray, dict[str, int]]:
    n = draw(st.integers(0, 14))

    def column(values: st.SearchStrategy[Any]) -> list[Any]:
        return draw(st.lists(values, min_size=n, max_size=n))

    columns = ProposalColumns(
        channels=column(st.sampled_from([VILLAGE, POKIR, DRAFT, Channel.AGENCY_FORUM.value])),
        village_codes=column(st.sampled_from(["", "V1", "V2", "V3"])),
        district_codes=column(st.sampled_from(["", "D1", "D2"])),
        village_ranks=column(st.none() | st.integers(0, 3)),
        district_ranks=column(st.none() | st.integers(0, 3)),
        councillor_names=column(st.sampled_from(["", "Ani", " ani ", "Budi"])),
        agency_keys=column(st.sampled_from(["", "1", "2", "10"])),
    )
    scores = np.array(column(st.sampled_from([0.0, 0.5, 1.0])), dtype=np.float64)
    eligible = np.array(column(st.booleans()), dtype=bool)
    weights = {kind: draw(st.integers(0, 3)) for kind in SUPPORTER_KINDS}
    return columns, scores, eligible, weights


def plain_ballots(columns: ProposalColumns, scores: np.ndarray, eligible: np.ndarray,
                  weights: dict[str, int]) -> tuple[list[list[int]], list[int]]:
    """The rule as written in words, one supporter at a time."""
    def supporter(kind: str, i: int) -> str:
        if kind == "village_forum":
            return columns.village_codes[i]
        if kind == "district_forum":
            return columns.district_codes[i]
        if kind == "councillor":
            return " ".join(columns.councillor_names[i].split()).lower() if columns.channels[i] == POKIR else ""
        return columns.agency_keys[i] if columns.channels[i] == DRAFT else ""

    def rank(i: int) -> float:
        r = columns.district_ranks[i] or columns.village_ranks[i] or 0
        return r if r > 0 else math.inf

    out: list[list[int]] = []
    out_weights: list[int] = []
    for kind in SUPPORTER_KINDS:
        if weights[kind] <= 0:
            continue
        keys = sorted({supporter(kind, i) for i in range(len(columns)) if eligible[i]} - {""})
        for key in keys:
            rows = [i for i in range(len(columns)) if eligible[i] and supporter(kind, i) == key]
            out.append(sorted(rows, key=lambda i: (rank(i), -scores[i], i)))
            out_weights.append(weights[kind])
    return out, out_weights


@given(proposal_tables())
def test_ballots_follow_the_rule_in_words(table: tuple[ProposalColumns, np.ndarray, np.ndarray, dict[str, int]]) -> None:
    columns, scores, eligible, weights = table
    cast = ballots(columns, scores, eligible, weights)
    expected, expected_weights = plain_ballots(columns, scores, eligible, weights)
    assert as_lists(cast.indptr, cast.items) == expected
    assert cast.weights.tolist() == expected_weights
    assert sum(cast.voter_counts.values()) == len(expected)
