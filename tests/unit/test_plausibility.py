"""Plausibility of a proposal's cost and volume (issue 15 finding 2): warnings, and a hard bound."""

from __future__ import annotations

from decimal import Decimal

from selaras.domain import plausibility as pl
from selaras.domain.findings import Severity
from selaras.domain.proposal_entry import INDONESIA, check_entry
from selaras.web.proposals.messages import sentence

ROAD = "1.03.10.2.01.0009"


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_absurd_costs_from_the_walkthrough_are_refused() -> None:
    for cost in (999_999_999_999_999_999, 500_000_000_000_000):
        found = pl.check_plausibility(volume=Decimal(120), unit="m", cost=cost, sub_activity_code=ROAD)
        assert codes(found) == ["row.plausibility.cost_above_cap"]
        assert found[0].severity is Severity.ERROR


def test_cost_above_the_whole_budget_is_refused_and_a_large_share_warned() -> None:
    budget = 4_928_000_000_000
    above = pl.check_plausibility(volume=Decimal(1), unit="paket", cost=budget + 1, budget=budget)
    assert codes(above) == ["row.plausibility.cost_above_budget"] and above[0].severity is Severity.ERROR
    share = pl.check_plausibility(volume=Decimal(10), unit="paket", cost=budget // 10, budget=budget)
    assert codes(share) == ["row.plausibility.cost_share_high"] and share[0].severity is Severity.WARNING
    assert share[0].params["share"] == "10,0"


def test_zero_cost_is_a_warning() -> None:
    found = pl.check_plausibility(volume=Decimal(100), unit="m", cost=0)
    assert codes(found) == ["row.plausibility.cost_zero"] and found[0].severity is Severity.WARNING


def test_unit_cost_outside_the_range_of_its_kind() -> None:
    # 120 m of road for Rp 600 million: Rp 5 million per metre, plausible
    assert pl.check_plausibility(volume=Decimal(120), unit="m", cost=600_000_000, sub_activity_code=ROAD) == []
    # Rp 1.200 for 120 m: a slip of many zeros
    low = pl.check_plausibility(volume=Decimal(120), unit="m", cost=1_200, sub_activity_code=ROAD)
    assert codes(low) == ["row.plausibility.unit_cost_low"]
    assert low[0].params["low"] == "100.000"  # public works per metre
    high = pl.check_plausibility(volume=Decimal(1), unit="m", cost=900_000_000, sub_activity_code=ROAD)
    assert codes(high) == ["row.plausibility.unit_cost_high"]
    # without a sub-activity the unit's default range applies; unknown units have none
    assert pl.unit_cost_range("", "m") == pl.UNIT_COST_RANGES[("*", "m")]
    assert pl.unit_cost_range(ROAD, "m") == pl.UNIT_COST_RANGES[("public_works", "m")]
    assert pl.unit_cost_range("", "parsec") is None
    assert pl.kind_of(ROAD) == "public_works" and pl.kind_of("") == "*" and pl.kind_of("9.99.01") == "*"


def test_volume_beyond_one_proposal() -> None:
    found = pl.check_plausibility(volume=Decimal(5_000_000), unit="m", cost=500_000_000_000)
    assert "row.plausibility.volume_high" in codes(found)


def test_missing_values_are_left_to_the_other_checks() -> None:
    assert pl.check_plausibility(volume=None, unit=None, cost=None) == []
    assert pl.check_plausibility(volume=None, unit="m", cost=5_000_000) == []


def _entry(**values):
    base = {"title": "Rehabilitasi jalan", "volume": "120", "unit": "m", "estimated_cost": "600000000",
            "village_code": "32.16.05.2001", "sub_activity_code": ROAD}
    return check_entry("musrenbang_village", {**base, **values}, region_code="32.16", bounds=INDONESIA,
                       budget=4_928_000_000_000)


def test_entry_checks_use_plausibility_warnings_do_not_stop_the_entry() -> None:
    assert _entry().findings == []
    zero = _entry(estimated_cost="0")
    assert zero.ok and codes(zero.warnings) == ["row.plausibility.cost_zero"] and zero.errors == []
    absurd = _entry(estimated_cost="500000000000000")  # Rp 500 trillion for 120 m of road
    assert not absurd.ok and codes(absurd.errors) == ["row.plausibility.cost_above_cap"]
    beyond = _entry(estimated_cost="999999999999999999")  # beyond what the column stores at all
    assert not beyond.ok and codes(beyond.errors) == ["row.number_too_large"]
    over_budget = _entry(estimated_cost="5000000000000")
    assert codes(over_budget.errors) == ["row.plausibility.cost_above_budget"]


def test_long_title_is_refused_with_its_length_never_cut() -> None:
    entry = _entry(title="x" * 10_000)
    assert codes(entry.errors) == ["row.too_long"]
    assert entry.values["title"] == "x" * 10_000
    assert sentence(entry.errors[0]) == "Judul usulan: terlalu panjang (10.000 karakter; paling banyak 300)."


def test_every_plausibility_code_has_a_bahasa_sentence() -> None:
    samples = [
        pl.check_plausibility(volume=Decimal(120), unit="m", cost=10**18),
        pl.check_plausibility(volume=Decimal(1), unit="paket", cost=10**12, budget=10**11),
        pl.check_plausibility(volume=Decimal(1), unit="paket", cost=10**10, budget=10**11),
        pl.check_plausibility(volume=Decimal(100), unit="m", cost=0),
        pl.check_plausibility(volume=Decimal(120), unit="m", cost=1_200),
        pl.check_plausibility(volume=Decimal(1), unit="m", cost=900_000_000),
        pl.check_plausibility(volume=Decimal(5_000_000), unit="m", cost=500_000_000_000),
    ]
    seen = {f.code: sentence(f) for found in samples for f in found}
    assert set(seen) == set(pl.PLAUSIBILITY_CODES)
    for code, text in seen.items():
        assert "{" not in text and code not in text, text
    assert seen["row.plausibility.cost_above_cap"].startswith("Biaya Rp 1.000.000.000.000.000.000 tidak masuk akal")
