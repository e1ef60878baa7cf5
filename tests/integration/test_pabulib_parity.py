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

On the HEAVY instances (the largest; pabutools alone needs one to five minutes each on a loaded
2-core machine, more than the rest of the corpus together) `make test` compares our outcomes with
pabutools' outcomes recorded in tests/data/pabulib_parity_heavy.json (`python -m
tests.integration.test_pabulib_parity` writes it). With SELARAS_PARITY_ALL=1 pabutools runs on
them as well, and its outcomes must equal the recording too.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.pabulib_corpus import CORPUS, FILES, name_of, unpack

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


#: The largest instances: pabutools' outcomes on them are recorded (see the module docstring).
HEAVY = ("Poland_Lodz_2022.pb", "Poland_Krakow_2024.pb", "Poland_Warszawa_2020_Praga-Poludnie.pb")
RECORDED = Path(__file__).resolve().parent.parent / "data" / "pabulib_parity_heavy.json"
RUN_ALL = os.environ.get("SELARAS_PARITY_ALL", "").strip() not in ("", "0")


def test_corpus_is_complete() -> None:
    assert len(FILES) == 107
    assert {name_of(f) for f in FILES} >= ADD1_INSTANCES
    assert {name_of(f) for f in FILES} >= set(HEAVY)
    assert not ADD1_INSTANCES & set(HEAVY)


def _names(allocation: object) -> list[str]:
    return sorted(p.name for p in allocation)  # type: ignore[attr-defined]


def pabutools_outcomes(path: Path) -> dict[str, Any]:
    """pabutools' selected projects (sorted names) per rule; "phragmen" is None where pabutools
    refuses the ballots (cumulative and ordinal files)."""
    pabu = pytest.importorskip("pabutools")
    assert pabu.__version__ == "1.2.3"
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    # pabutools' MES recurses once per selected project
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    instance, profile = parse_pabulib(str(path))
    sat = profile.as_sat_profile(Cost_Sat)
    out: dict[str, Any] = {}
    out["greedy"] = _names(greedy_utilitarian_welfare(instance, profile, sat_profile=sat, is_sat_additive=True))
    mes = method_of_equal_shares(instance, profile, sat_profile=sat)
    out["mes"] = _names(mes)
    out["mes+greedy"] = _names(greedy_utilitarian_welfare(
        instance, profile, sat_profile=sat, is_sat_additive=True, initial_budget_allocation=mes))
    try:
        out["phragmen"] = _names(sequential_phragmen(instance, profile))
    except ValueError:
        out["phragmen"] = None
    if path.name in ADD1_INSTANCES:
        mes1 = method_of_equal_shares(instance, profile, sat_profile=sat, voter_budget_increment=1)
        out["mes+add1"] = _names(greedy_utilitarian_welfare(
            instance, profile, sat_profile=sat, is_sat_additive=True, initial_budget_allocation=mes1))
    return out


def _check(path: Path, theirs: dict[str, Any]) -> None:
    from selaras.cli.pb import pb_instance
    from selaras.engines.selection import select
    from selaras.formats.pabulib import read_pb

    election = read_pb(path)
    ours, scale = pb_instance(election)
    assert sorted(select(ours, "greedy").selected) == theirs["greedy"], "greedy"
    assert sorted(select(ours, "mes", completion="none").selected) == theirs["mes"], "mes"
    assert sorted(select(ours, "mes").selected) == theirs["mes+greedy"], "mes+greedy"
    # pabutools accepts approval ballots only; our engine reads the others as supported sets
    assert (theirs["phragmen"] is None) == (election.vote_type not in ("approval", "choose-1")), "phragmen refusal"
    if theirs["phragmen"] is not None:
        assert sorted(select(ours, "phragmen").selected) == theirs["phragmen"], "phragmen"
    if "mes+add1" in theirs:
        got = select(ours, "mes", completion="add1", increment=scale)
        assert sorted(got.selected) == theirs["mes+add1"], "mes+add1"


@pytest.mark.parametrize("packed", FILES, ids=[name_of(f)[:-3][:60] for f in FILES])
def test_parity(packed: Path, tmp_path: Path) -> None:
    path = unpack(packed, tmp_path)
    if path.name in HEAVY:
        recorded = json.loads(RECORDED.read_text(encoding="utf-8"))[path.name]
        if RUN_ALL:
            assert pabutools_outcomes(path) == recorded, "the recording no longer matches pabutools"
        else:
            pytest.importorskip("pabutools")  # the recording is pabutools': compare only where it is installed
        _check(path, recorded)
    else:
        _check(path, pabutools_outcomes(path))


def record_heavy() -> None:
    """Write pabutools' outcomes on the HEAVY instances to RECORDED (a few minutes)."""
    folder = Path(tempfile.mkdtemp())
    recorded = {name: pabutools_outcomes(unpack(CORPUS / f"{name}.xz", folder)) for name in HEAVY}
    RECORDED.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record_heavy()
