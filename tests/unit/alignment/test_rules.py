"""Every rule: a plan that breaks it (exactly where expected) and plans that satisfy it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from selaras.domain.cascade import (
    AcceptedProposal,
    HigherTarget,
    PlanSet,
    PriorityProgramRef,
    RenjaLineSnap,
    RenstraLineYear,
)
from selaras.domain.findings import Severity
from selaras.domain.plans import Direction, GovernmentLevel, LineLevel
from selaras.domain.targets import TargetRange
from selaras.engines.alignment import RULES, AlignmentConfig, run_alignment
from tests.unit.alignment.plans import YEAR, add, clean, swap

D = Decimal
Expected = list[tuple[str, int | None]]  # (location.line, location.year)


def _years_without(plan: PlanSet, line_id: int, year: int) -> tuple[RenstraLineYear, ...]:
    line = next(x for x in plan.renstra_lines if x.id == line_id)
    return tuple(y for y in line.years if y.year != year)


def _retarget(plan: PlanSet, line_id: int, year: int, **changes: object) -> PlanSet:
    line = next(x for x in plan.renstra_lines if x.id == line_id)
    years = tuple(replace(y, **changes) if y.year == year else y for y in line.years)  # type: ignore[arg-type]
    return swap(plan, "renstra_lines", line_id, years=years)


def _indicator_targets(plan: PlanSet, indicator_id: int, year: int, value: str) -> PlanSet:
    indicator = next(i for i in plan.indicators if i.id == indicator_id)
    targets = tuple((y, D(value) if y == year else v) for y, v in indicator.targets)
    return swap(plan, "indicators", indicator_id, targets=targets)


def _indicator_range(plan: PlanSet, indicator_id: int, year: int, low: str, high: str) -> PlanSet:
    indicator = next(x for x in plan.indicators if x.id == indicator_id)
    ranges = tuple((y, TargetRange(D(low), D(high)) if y == year else r) for y, r in indicator.yearly())
    return swap(plan, "indicators", indicator_id, ranges=ranges)


BREAKS: dict[str, tuple[Callable[[PlanSet], PlanSet], Expected]] = {
    # -- cascade
    "cascade.renstra_objective_unlinked": (
        lambda p: swap(p, "renstra_objectives", 3, rpjmd_objective_id=None),
        [("renstra_objective:3", None)]),
    "cascade.rpjmd_objective_unserved": (
        # Public works and the kecamatan now serve objective 1: objective 2 has no program.
        lambda p: swap(swap(p, "renstra_objectives", 2, rpjmd_objective_id=1), "renstra_objectives", 3,
                       rpjmd_objective_id=1),
        [("objective:2", None)]),
    "cascade.renja_line_not_in_renstra": (
        lambda p: add(p, "renja_lines", RenjaLineSnap(105, 2, "1.03.03.2.01.0002", None, None, 0)),
        [("renja_line:105", YEAR)]),
    "cascade.renja_line_renstra_mismatch": (
        lambda p: swap(p, "renja_lines", 102, renstra_line_id=13),
        [("renja_line:102", YEAR)]),
    "cascade.priority_program_without_renja": (
        lambda p: add(p, "priority_programs", PriorityProgramRef(2, "1.02.03", "Program tanpa Renja")),
        [("priority_program:2", YEAR)]),
    # -- codes
    "codes.unknown": (
        lambda p: swap(swap(p, "renstra_lines", 13, code="1.02.02.2.01.0099"), "renja_lines", 101,
                       code="1.02.02.2.01.0099"),
        [("renstra_line:13", None)]),
    "codes.wrong_government_level": (
        lambda p: swap(p, "renstra_lines", 12, code="1.02.02.1.01"),
        [("renstra_line:12", None)]),
    "codes.sector_not_of_agency": (
        # The kecamatan's Renstra gets a health sub-activity.
        lambda p: add(p, "renstra_lines", replace(p.renstra_lines[8], id=34, code="1.02.02.2.01.0001")),
        [("renstra_line:34", None)]),
    "codes.deactivated": (
        lambda p: swap(swap(p, "renstra_lines", 13, code="1.02.02.2.01.0002"), "renja_lines", 101,
                       code="1.02.02.2.01.0002"),
        [("renstra_line:13", None)]),
    "codes.superseded_edition": (
        lambda p: swap(p, "renstra_lines", 13, edition="edisi-lama"),
        [("renstra_line:13", None)]),
    # -- targets
    "targets.indicator_without_unit": (
        lambda p: swap(p, "indicators", 2, unit=" "),
        [("indicator:2", None)]),
    "targets.indicator_without_baseline": (
        lambda p: swap(p, "indicators", 3, baseline=None),
        [("indicator:3", None)]),
    "targets.missing_year_target": (
        lambda p: swap(p, "indicators", 1, targets=tuple(t for t in p.indicators[0].targets if t[0] != 2028)),
        [("indicator:1", 2028)]),
    "targets.not_monotonic": (
        lambda p: _indicator_targets(p, 3, 2027, "66"),  # 64, 68, 66, 76, 80: 2027 steps back
        [("indicator:3", 2027)]),
    "targets.renja_differs_from_renstra": (
        lambda p: swap(p, "renja_lines", 103, target=D("25")),
        [("renja_line:103", YEAR)]),
    "targets.less_ambitious_than_higher": (
        lambda p: _indicator_targets(p, 1, 2026, "16.6"),  # national 16.5, lower is better
        [("indicator:1", 2026)]),
    "targets.range_inverted": (
        lambda p: _indicator_range(p, 3, 2027, "70", "66"),
        [("indicator:3", 2027)]),
    "targets.outside_higher_band": (  # a band indicator at 8.8 against the province's 8.7
        lambda p: swap(_indicator_targets(p, 2, 2026, "8.8"), "indicators", 2, direction=Direction.WITHIN_BAND),
        [("indicator:2", 2026)]),
    # -- money
    "money.renja_over_ceiling": (
        lambda p: swap(p, "renjas", 1, ceiling=449),
        [("renja:1", YEAR)]),
    "money.rkpd_over_ceiling": (
        lambda p: replace(p, rkpd=replace(p.rkpd, ceiling=1049)) if p.rkpd else p,
        [("rkpd:1", YEAR)]),
    "money.renja_over_renstra_budget": (
        lambda p: _retarget(p, 13, YEAR, budget=399),
        [("renja_line:101", YEAR)]),
    "money.district_share_below_minimum": (
        lambda p: swap(p, "agencies", 3, district_code=""),
        [("rkpd:1", YEAR)]),
    # -- proposals
    "proposals.accepted_unlinked": (
        lambda p: swap(p, "proposals", 1, renja_line_id=None),
        [("proposal:1", YEAR)]),
    "proposals.line_of_other_year": (
        lambda p: swap(p, "proposals", 1, renja_line_id=999),
        [("proposal:1", YEAR)]),
    "proposals.wrong_agency": (
        lambda p: swap(p, "proposals", 2, agency_id=2),
        [("proposal:2", YEAR)]),
    "proposals.wrong_sub_activity": (
        lambda p: swap(p, "proposals", 2, sub_activity_code="7.01.02.2.01.0002"),
        [("proposal:2", YEAR)]),
    "proposals.over_line_budget": (
        lambda p: add(p, "proposals", AcceptedProposal(3, "U-3", 2, "1.03.03.2.01.0001", 102, 201)),
        [("renja_line:102", YEAR)]),
}


def where(findings: list, code: str | None = None) -> Expected:  # type: ignore[type-arg]
    return [(f.location.line, f.location.year) for f in findings if code is None or f.code == code]


def test_clean_plan_has_no_findings() -> None:
    assert run_alignment(clean()) == []


def test_every_rule_has_a_breaking_plan() -> None:
    assert set(BREAKS) == set(RULES)


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_rule_breaks_exactly_where_expected(code: str) -> None:
    breaker, expected = BREAKS[code]
    findings = run_alignment(breaker(clean()))
    assert [f.code for f in findings] == [code] * len(expected), findings
    assert where(findings) == expected
    assert all(f.severity is RULES[code].severity for f in findings)
    assert all("agency" in f.params for f in findings)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_satisfied_by_clean_plan(code: str) -> None:
    assert run_alignment(clean(), only=frozenset({code})) == []


def test_rule_can_be_disabled() -> None:
    breaker, _ = BREAKS["money.renja_over_ceiling"]
    config = AlignmentConfig(disabled=frozenset({"money.renja_over_ceiling"}))
    assert run_alignment(breaker(clean()), config) == []


# -- the values that disagree, and plans at the edge that still satisfy ------------------------

def test_renstra_objective_linked_outside_rpjmd_is_unlinked() -> None:
    findings = run_alignment(swap(clean(), "renstra_objectives", 1, rpjmd_objective_id=77),
                             only=frozenset({"cascade.renstra_objective_unlinked"}))
    assert [(f.code, f.params["linked_to"], f.params["agency"]) for f in findings] == [
        ("cascade.renstra_objective_unlinked", 77, "DINKES")]


def test_objective_served_through_an_activity_counts() -> None:
    plan = swap(swap(clean(), "renstra_lines", 21, objective_id=None), "renstra_lines", 22, objective_id=2)
    assert run_alignment(plan, only=frozenset({"cascade.rpjmd_objective_unserved"})) == []


def test_renja_line_found_in_renstra_by_code_without_link() -> None:
    plan = swap(clean(), "renja_lines", 102, renstra_line_id=None)
    assert run_alignment(plan) == []


def test_renja_line_whose_renstra_lacks_the_year_is_flagged() -> None:
    plan = swap(clean(), "renstra_lines", 23, years=_years_without(clean(), 23, YEAR))
    plan = swap(plan, "renja_lines", 102, renstra_line_id=None)
    findings = run_alignment(plan)
    assert [(f.code, f.params["reason"]) for f in findings] == [("cascade.renja_line_not_in_renstra", "no_year")]


def test_renja_mismatch_reports_the_other_code() -> None:
    plan = add(clean(), "renstra_lines",
               replace(clean().renstra_lines[2], id=17, code="1.02.02.2.01.0003"))
    plan = swap(plan, "renja_lines", 101, renstra_line_id=17)
    findings = run_alignment(plan, only=frozenset({"cascade.renja_line_renstra_mismatch"}))
    assert [(f.params["reason"], f.params["renstra_code"]) for f in findings] == [("code", "1.02.02.2.01.0003")]


def test_supporting_program_is_exempt_from_sector_check() -> None:
    plan = add(clean(), "renja_lines", RenjaLineSnap(107, 2, "1.02.01.2.01.0001", None, None, 0))
    findings = run_alignment(plan, only=frozenset({"codes.sector_not_of_agency", "codes.unknown"}))
    assert findings == []


def test_province_uses_level_one_codes() -> None:
    plan = replace(clean(), government=replace(clean().government, level=GovernmentLevel.PROVINCE))
    findings = run_alignment(plan, only=frozenset({"codes.wrong_government_level"}))
    assert findings and all(f.params == {**f.params, "expected": "1", "found": "2"} for f in findings)


def test_code_check_is_skipped_without_a_loaded_edition() -> None:
    plan = replace(clean(), nomenclature=replace(clean().nomenclature, entries={}))
    assert run_alignment(plan) == []


def test_wrong_code_on_renstra_is_reported_once_not_again_on_renja() -> None:
    plan = swap(clean(), "renstra_lines", 13, code="1.02.02.2.01.0002")
    plan = swap(plan, "renja_lines", 101, code="1.02.02.2.01.0002")
    assert [f.location.line for f in run_alignment(plan)] == ["renstra_line:13"]


def test_flat_targets_are_monotonic() -> None:
    plan = _indicator_targets(clean(), 3, 2027, "68")  # 64, 68, 68, 76, 80
    assert run_alignment(plan) == []


def test_end_value_behind_last_target_is_not_monotonic() -> None:
    findings = run_alignment(swap(clean(), "indicators", 2, end_value=D("8.8")))
    assert [(f.code, f.location.line, f.location.year) for f in findings] == [
        ("targets.not_monotonic", "indicator:2", None)]


def test_direction_unknown_skips_monotonic_and_ambition() -> None:
    plan = _indicator_targets(clean(), 1, 2026, "19")
    plan = swap(plan, "indicators", 1, direction=Direction.UNKNOWN)
    plan = replace(plan, higher_targets=tuple(replace(t, direction=Direction.UNKNOWN) for t in plan.higher_targets))
    assert run_alignment(plan) == []


def test_higher_direction_used_when_local_unknown() -> None:
    plan = _indicator_targets(clean(), 1, 2026, "17")
    plan = swap(plan, "indicators", 1, direction=Direction.UNKNOWN)
    findings = run_alignment(plan)
    assert [(f.code, f.params["local"], f.params["higher"], f.params["higher_level"]) for f in findings] == [
        ("targets.less_ambitious_than_higher", "17", "16.5", "national")]


def test_higher_is_better_less_ambitious() -> None:
    plan = add(clean(), "higher_targets",
               HigherTarget("RPJMN 2025-2029", "national", "mean_years_schooling", 2026, D("8.75")))
    findings = run_alignment(plan)
    assert [(f.code, f.location.line, f.params["direction"]) for f in findings] == [
        ("targets.less_ambitious_than_higher", "indicator:2", "up")]


def test_money_at_the_ceiling_is_fine_and_tolerance_applies() -> None:
    plan = _retarget(clean(), 13, YEAR, budget=380)  # Renja 400 vs Renstra 380: 5.3% over
    assert [f.code for f in run_alignment(plan)] == ["money.renja_over_renstra_budget"]
    assert run_alignment(plan, AlignmentConfig(renstra_budget_tolerance=D("0.06"))) == []


def test_district_share_minimum_is_configurable() -> None:
    findings = run_alignment(clean(), AlignmentConfig(min_district_share=D("0.10")))
    assert [(f.code, f.params["share"], f.params["minimum"]) for f in findings] == [
        ("money.district_share_below_minimum", "9.52", "10.00")]


def test_kecamatan_managed_line_of_another_agency_counts() -> None:
    plan = swap(swap(clean(), "agencies", 3, district_code=""), "renja_lines", 102, district_code="32.16.02")
    assert run_alignment(plan) == []


def test_over_line_budget_reports_sum_and_count() -> None:
    breaker, _ = BREAKS["proposals.over_line_budget"]
    (finding,) = run_alignment(breaker(clean()))
    assert (finding.params["cost"], finding.params["budget"], finding.params["proposals"]) == (501, 500, 2)


def test_findings_are_in_deterministic_order() -> None:
    plan = clean()
    for code in sorted(BREAKS, reverse=True):
        plan = BREAKS[code][0](plan)
    first = run_alignment(plan)
    assert first == run_alignment(plan)
    assert [f.code for f in first] == sorted(f.code for f in first)
    assert {f.severity for f in first} <= set(Severity)


def test_line_levels_used() -> None:
    assert {line.level for line in clean().renstra_lines} == set(LineLevel)
