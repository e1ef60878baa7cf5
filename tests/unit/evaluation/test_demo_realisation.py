"""Demo realisation (selaras.demo.realisation): deterministic, consistent with the targets, some
agencies behind, some indicators worsening."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from selaras.demo import generate_district
from selaras.demo.realisation import make_realisation


@pytest.fixture(scope="module")
def district():
    return generate_district("32.15", "small", 1)


def test_deterministic(district) -> None:
    assert make_realisation(district) == make_realisation(district)


def test_quarters_and_years(district) -> None:
    demo = make_realisation(district)
    reported = defaultdict(set)
    for q in demo.quarters:
        reported[(q.agency_code, q.code, q.year)].add(q.quarter)
        assert q.spent >= 0 and (q.volume is None or q.volume >= 0)
    assert {frozenset(v) for k, v in reported.items() if k[2] == 2025} == {frozenset({1, 2, 3, 4})}
    assert {frozenset(v) for k, v in reported.items() if k[2] == 2026} == {frozenset({1, 2})}
    # 2025 is not in the district's RKPD (2026): its Renja lines come along, from the Renstra
    assert {line.year for line in demo.plan_lines} == {2025}


def test_behind_agencies_realise_less_and_say_why(district) -> None:
    demo = make_realisation(district)
    targets = {(line.agency_code, line.code): line.target for line in demo.plan_lines}
    done: dict[str, list[Decimal]] = defaultdict(list)
    hindered: dict[str, int] = defaultdict(int)
    for q in demo.quarters:
        if q.year != 2025:
            continue
        target = targets.get((q.agency_code, q.code))
        if target and q.volume is not None:
            done[q.agency_code].append(q.volume / target)
        hindered[q.agency_code] += bool(q.hindered)
    share = {code: sum(values) for code, values in done.items()}
    lines = {code: len(values) / 4 for code, values in done.items()}
    ratio = {code: share[code] / Decimal(lines[code]) for code in share}
    assert demo.behind
    for code in demo.behind:
        assert ratio[code] < Decimal("0.8")
        assert hindered[code] > 0
    assert sum(1 for code in ratio if code not in demo.behind and ratio[code] > Decimal("0.8")) > len(ratio) // 2


def test_some_indicators_worsen(district) -> None:
    demo = make_realisation(district)
    assert demo.worsening
    directions = {i.key: i.direction for i in district.rpjmd.key_indicators}
    values = {(v.key, v.year): v.value for v in demo.indicators if v.owner == "rpjmd"}
    for key in demo.worsening:
        assert directions[key] == "down"
        assert values[(key, 2026)] > values[(key, 2025)]
