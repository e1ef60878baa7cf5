"""Parity with pabutools 1.2.3 (test-only dependency) on every pabulib instance in the corpus.

Per instance, pabutools and our engine run side by side:
- greedy utilitarian welfare with Cost_Sat            <-> `select(rule="greedy")`
- Method of Equal Shares, Cost_Sat, no completion     <-> `select(rule="mes", completion="none")`
- the same MES outcome completed by pabutools' greedy (initial_budget_allocation=MES outcome)
                                                      <-> `select(rule="mes")` (greedy completion)
- sequential Phragmén                                 <-> `select(rule="phragmen")`
  pabutools accepts approval profiles only (approval and choose-1 files); on cumulative and
  ordinal files the test asserts that pabutools refuses them (our engine reads those ballots as
  the set of supported projects).
- MES with voter_budget_increment=1 then greedy       <-> `select(rule="mes", completion="add1")`
  on ADD1_INSTANCES only: there pabutools finishes its add-one loop within about five seconds.
  On the other instances pabutools' add-one needs hundreds to thousands of MES reruns (measured:
  2,435 increments and ~60 s on the smallest Seattle file, 61 s on Kraków 2024, > 180 s on
  Warszawa files), which would take the test far beyond its ten-minute CPU budget. Our add-one
  still runs on every instance in tests of the benchmark script and the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.pabulib_corpus import FILES, name_of, unpack

pytestmark = pytest.mark.pabutools

ADD1_INSTANCES = {
    "Poland_Czestochowa_2020_Podjasnogorska.pb",
    "Poland_Czestochowa_2020_Mirow.pb",
    "Poland_Gdynia_2025_Kamienna_Gora__large.pb",
    "Poland_Zabrze_2021_Guido.pb",
    "Poland_Gdansk_2020_Matarnia.pb",
    "Poland_Gdansk_2020_Kokoszki.pb",
    "Poland_Gdynia_2020_Oksywie__large.pb",
    "Poland_Warszawa_2018_Falenica.pb",
    "US_Stanford_Dataset_PB_Chicago_49th_Ward_2016_vote_approvals.pb",
    "US_Stanford_Dataset_PB_Chicago_47th_Ward_2020_vote_knapsacks.pb",
    "US_Stanford_Dataset_PB_Chicago_33rd_Ward_2020_vote_approvals.pb",
}


def test_corpus_is_complete() -> None:
    assert len(FILES) == 107
    assert {name_of(f) for f in FILES} >= ADD1_INSTANCES


def _names(allocation: object) -> list[str]:
    return sorted(p.name for p in allocation)  # type: ignore[attr-defined]


@pytest.mark.parametrize("packed", FILES, ids=[name_of(f)[:-3][:60] for f in FILES])
def test_parity(packed: Path, tmp_path: Path) -> None:
    path = unpack(packed, tmp_path)
    pabu = pytest.importorskip("pabutools")
    assert pabu.__version__ == "1.2.3"
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    from selaras.cli.pb import pb_instance
    from selaras.engines.selection import select
    from selaras.formats.pabulib import read_pb

    # pabutools' MES recurses once per selected project
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    instance, profile = parse_pabulib(str(path))
    election = read_pb(path)
    ours, scale = pb_instance(election)
    sat = profile.as_sat_profile(Cost_Sat)

    greedy = greedy_utilitarian_welfare(instance, profile, sat_profile=sat, is_sat_additive=True)
    assert sorted(select(ours, "greedy").selected) == _names(greedy), "greedy"

    mes = method_of_equal_shares(instance, profile, sat_profile=sat)
    assert sorted(select(ours, "mes", completion="none").selected) == _names(mes), "mes"

    completed = greedy_utilitarian_welfare(
        instance, profile, sat_profile=sat, is_sat_additive=True, initial_budget_allocation=mes
    )
    assert sorted(select(ours, "mes").selected) == _names(completed), "mes+greedy"

    if election.vote_type in ("approval", "choose-1"):
        phragmen = sequential_phragmen(instance, profile)
        assert sorted(select(ours, "phragmen").selected) == _names(phragmen), "phragmen"
    else:
        with pytest.raises(ValueError):
            sequential_phragmen(instance, profile)

    if path.name in ADD1_INSTANCES:
        mes1 = method_of_equal_shares(instance, profile, sat_profile=sat, voter_budget_increment=1)
        add1 = greedy_utilitarian_welfare(
            instance, profile, sat_profile=sat, is_sat_additive=True, initial_budget_allocation=mes1
        )
        got = select(ours, "mes", completion="add1", increment=scale)
        assert sorted(got.selected) == _names(add1), "mes+add1"
