"""Pure drafting rules: targets as ranges with direction, plan cell parsing, stages and scope."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selaras.domain.cascade import HigherTarget, IndicatorOwner, IndicatorSnap
from selaras.domain.plan_cells import (
    parse_decimal,
    parse_direction,
    parse_rupiah,
    parse_target,
    parse_unit,
    target_text,
)
from selaras.domain.plan_documents import (
    PARENT_KINDS,
    DocumentFacts,
    DocumentKind,
    edit_refusal,
    move_refusal,
    next_stages,
    note_refusal,
    parent_stage_needed,
)
from selaras.domain.plans import Direction, PlanStage
from selaras.domain.roles import Role
from selaras.domain.scope import Actor
from selaras.domain.targets import (
    TargetRange,
    less_ambitious,
    outside_band,
    steps_back,
    target_problem,
)
from selaras.engines.alignment import run_alignment
from tests.unit.alignment.plans import clean

UP, DOWN, BAND = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.WITHIN_BAND


def r(low: str | None, high: str | None) -> TargetRange:
    return TargetRange(D(low) if low else None, D(high) if high else None)


def test_guaranteed_end_follows_direction():
    band = r("0.6", "1.8")
    assert band.guaranteed(UP) == D("0.6") and band.guaranteed(DOWN) == D("1.8")
    assert r("5", None).guaranteed(DOWN) == D("5")  # open above: its known end


@pytest.mark.parametrize(("direction", "local", "higher", "expected"), [
    (DOWN, r("2", "2"), r("1.8", "1.8"), True),      # poverty 2 % vs national 1.8 %: worse
    (DOWN, r("0.6", "1.8"), r("1.8", "1.8"), False),  # a band reaching 1.8 at worst: as ambitious
    (DOWN, r("0.6", "2.0"), r("0.6", "1.8"), True),   # allows 2.0 against a band up to 1.8
    (UP, r("10.5", "11"), r("10.64", "10.64"), True),  # mean years of schooling: low end counts
    (UP, r("10.7", None), r("10.64", "10.64"), False),
    (BAND, r("1", "1.5"), r("0.6", "1.8"), False),
    (BAND, r("0.5", "1.5"), r("0.6", "1.8"), True),
])
def test_less_ambitious(direction, local, higher, expected):
    assert less_ambitious(direction, local, higher) is expected


def test_steps_back_ignores_band_and_unknown():
    assert steps_back(UP, r("5", "5"), r("4", "6"))
    assert not steps_back(BAND, r("5", "5"), r("1", "1"))
    assert not steps_back(Direction.UNKNOWN, r("5", "5"), r("1", "1"))
    assert outside_band(r(None, "1"), r("0", "2"))


def test_target_problem():
    assert target_problem(D(1), D(0), None) == "target.value_and_range"
    assert target_problem(None, D(2), D(1)) == "target.range_inverted"
    assert target_problem(None, D(1), D(2)) is None and target_problem(D(1), None, None) is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("8,5", (D("8.5"), None, None)), ("0,6 – 1,8", (None, D("0.6"), D("1.8"))), ("0,6-1,8", (None, D("0.6"), D("1.8"))),
    (">= 90", (None, D(90), None)), ("<= 2", (None, None, D(2))), ("", (None, None, None)), (12.5, (D("12.5"), None, None)),
    ("-1 - 2", (None, D(-1), D(2))), ("1.500", (D(1500), None, None)),
])
def test_parse_target(raw, expected):
    assert parse_target(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["abc", "5 - 1", "1,00001", "1e400"])
def test_parse_target_refuses(raw):
    value, problem = parse_target(raw)
    assert value is None and problem is not None


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_target_text_round_trips(low, width):
    high = low + width
    for stored in ((low, None, None), (None, low, high), (None, low, None), (None, None, high)):
        parsed, problem = parse_target(target_text(*stored))
        assert problem is None and parsed == stored


def test_cell_parsers():
    assert parse_rupiah("1.500.000") == (1_500_000, None)
    assert parse_rupiah("1,5")[1] == ("cell.rupiah", {})
    assert parse_rupiah("-5")[1] == ("cell.negative", {})
    assert parse_decimal("12,3456") == (D("12.3456"), None)
    assert parse_direction("turun") == (DOWN, None) and parse_direction("rentang") == (BAND, None)
    assert parse_direction("kiri")[1] == ("cell.direction", {})
    assert parse_unit("persen") == ("%", None) and parse_unit("per 100.000 kelahiran hidup")[1] is None
    assert parse_unit("gelas?")[1] is not None


AGENCY = Actor(Role.AGENCY_PLANNER, government_id=1, agency_id=7)
BAPPEDA = Actor(Role.PLANNING_AGENCY, government_id=1)


def facts(kind: DocumentKind, stage: PlanStage = PlanStage.INITIAL_DRAFT, agency: int | None = 7) -> DocumentFacts:
    return DocumentFacts(kind, 1, stage, agency)


def test_stage_path():
    assert next_stages(DocumentKind.RENJA, PlanStage.ENACTED) == (PlanStage.AMENDMENT,)
    assert next_stages(DocumentKind.RENSTRA, PlanStage.ENACTED) == ()
    assert next_stages(DocumentKind.RKPD, PlanStage.AMENDMENT) == (PlanStage.ENACTED,)


#: The official path of a plan document (DOMAIN.md, Permendagri 86/2017), perubahan for RKPD/Renja.
_ORDER = (PlanStage.INITIAL_DRAFT, PlanStage.DRAFT, PlanStage.FINAL_DRAFT, PlanStage.ENACTED)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_only_the_next_stage_of_the_official_order(kind):
    """Every (from, to) pair, for Bappeda with the parent plan enacted and the Renja within its
    ceiling: only one step forward on the path (and perubahan <-> penetapan where amendable)."""
    allowed = {(a, b) for a, b in zip(_ORDER, _ORDER[1:], strict=False)}
    if kind in (DocumentKind.RKPD, DocumentKind.RENJA):
        allowed |= {(PlanStage.ENACTED, PlanStage.AMENDMENT), (PlanStage.AMENDMENT, PlanStage.ENACTED)}
    for start in PlanStage:
        for to in PlanStage:
            parent = PlanStage.AMENDMENT if (kind, to) == (DocumentKind.RENJA, PlanStage.AMENDMENT) else \
                PlanStage.ENACTED
            facts = DocumentFacts(kind, 1, start, 7, parent_stage=parent, ceiling=10, budget_total=10)
            refused = move_refusal(BAPPEDA, facts, to)
            assert (refused is None) == ((start, to) in allowed), (kind, start, to, refused)


def test_a_document_never_runs_ahead_of_the_plan_it_follows():
    """A Renja's final draft and penetapan come after the RKPD is enacted, its perubahan with the
    RKPD's; a Renstra's final draft and penetapan after the RPJMD is enacted (DOMAIN.md)."""
    def renja(stage, parent):
        return DocumentFacts(DocumentKind.RENJA, 1, stage, 7, parent_stage=parent, ceiling=10, budget_total=5)

    for rkpd in (None, PlanStage.INITIAL_DRAFT, PlanStage.DRAFT, PlanStage.FINAL_DRAFT, PlanStage.AMENDMENT):
        assert move_refusal(BAPPEDA, renja(PlanStage.DRAFT, rkpd), PlanStage.FINAL_DRAFT) == "plan.parent_stage"
        assert move_refusal(BAPPEDA, renja(PlanStage.FINAL_DRAFT, rkpd), PlanStage.ENACTED) == "plan.parent_stage"
    assert move_refusal(BAPPEDA, renja(PlanStage.DRAFT, PlanStage.ENACTED), PlanStage.FINAL_DRAFT) is None
    assert move_refusal(BAPPEDA, renja(PlanStage.ENACTED, PlanStage.ENACTED), PlanStage.AMENDMENT) == \
        "plan.parent_stage"
    assert move_refusal(BAPPEDA, renja(PlanStage.ENACTED, PlanStage.AMENDMENT), PlanStage.AMENDMENT) is None
    assert move_refusal(BAPPEDA, renja(PlanStage.AMENDMENT, PlanStage.AMENDMENT), PlanStage.ENACTED) == \
        "plan.parent_stage"
    # submission (rancangan awal -> rancangan) does not wait for the RKPD
    assert move_refusal(AGENCY, renja(PlanStage.INITIAL_DRAFT, PlanStage.INITIAL_DRAFT), PlanStage.DRAFT) is None
    renstra = DocumentFacts(DocumentKind.RENSTRA, 1, PlanStage.DRAFT, 7, parent_stage=PlanStage.FINAL_DRAFT)
    assert move_refusal(BAPPEDA, renstra, PlanStage.FINAL_DRAFT) == "plan.parent_stage"
    assert move_refusal(BAPPEDA, replace(renstra, parent_stage=PlanStage.ENACTED), PlanStage.FINAL_DRAFT) is None
    # who may move comes first: the agency is told the move is Bappeda's
    assert move_refusal(AGENCY, renja(PlanStage.DRAFT, None), PlanStage.FINAL_DRAFT) == "plan.move_bappeda_only"


def test_a_renja_over_its_ceiling_is_not_submitted():
    """Negative remaining pagu (lines above the indicative ceiling) refuses the submission, for the
    agency and for Bappeda; at the ceiling exactly it goes."""
    over = DocumentFacts(DocumentKind.RENJA, 1, PlanStage.INITIAL_DRAFT, 7, ceiling=5_000, budget_total=5_001)
    assert move_refusal(AGENCY, over, PlanStage.DRAFT) == "plan.over_ceiling"
    assert move_refusal(BAPPEDA, over, PlanStage.DRAFT) == "plan.over_ceiling"
    assert move_refusal(AGENCY, replace(over, budget_total=5_000), PlanStage.DRAFT) is None
    assert move_refusal(AGENCY, replace(over, ceiling=0, budget_total=1), PlanStage.DRAFT) == "plan.over_ceiling"
    assert move_refusal(AGENCY, replace(over, ceiling=0, budget_total=0), PlanStage.DRAFT) is None


def test_scope_rules():
    assert edit_refusal(AGENCY, facts(DocumentKind.RENJA)) is None
    assert edit_refusal(AGENCY, facts(DocumentKind.RENJA, agency=8)) == "plan.other_agency"
    assert edit_refusal(AGENCY, facts(DocumentKind.RKPD, agency=None)) == "plan.bappeda_document"
    assert edit_refusal(Actor(Role.DISTRICT_OPERATOR, government_id=1), facts(DocumentKind.RENJA)) == \
        "plan.role_cannot_edit"
    assert edit_refusal(BAPPEDA, facts(DocumentKind.RENJA, PlanStage.ENACTED)) == "plan.enacted_locked"
    assert edit_refusal(Actor(Role.PLANNING_AGENCY, government_id=2), facts(DocumentKind.RENJA)) == \
        "plan.other_government"
    assert move_refusal(AGENCY, facts(DocumentKind.RENJA), PlanStage.DRAFT) is None
    assert move_refusal(AGENCY, facts(DocumentKind.RENJA, PlanStage.DRAFT), PlanStage.FINAL_DRAFT) == \
        "plan.move_bappeda_only"
    assert note_refusal(AGENCY, facts(DocumentKind.RENJA)) == "plan.note_bappeda_only"


def test_alignment_reads_ranges_from_the_snapshot():
    """A regency poverty band 0.6–2.0 against the RPJPN band 0.6–1.8 (lower is better) is less
    ambitious; 0.6–1.8 is not; a band indicator outside the higher band is reported."""
    plan = clean()
    poverty = IndicatorSnap(9, IndicatorOwner.RPJMD, 1, "Tingkat kemiskinan", "poverty_rate", "%", DOWN, D("2.5"),
                            D("1.8"), (), tuple((y, r("0.6", "2.0")) for y in range(2025, 2030)))
    higher = HigherTarget("RPJPN 2025-2045", "national", "poverty_rate", 2026, D(0), DOWN, "%", "Kemiskinan",
                          D("0.6"), D("1.8"))
    broken = replace(plan, indicators=(*plan.indicators, poverty), higher_targets=(*plan.higher_targets, higher))
    codes = [f.code for f in run_alignment(broken) if f.location.line == "indicator:9"]
    assert codes == ["targets.less_ambitious_than_higher"]
    fine = replace(poverty, ranges=tuple((y, r("0.6", "1.8")) for y in range(2025, 2030)))
    ok = replace(plan, indicators=(*plan.indicators, fine), higher_targets=(*plan.higher_targets, higher))
    assert [f for f in run_alignment(ok) if f.location.line == "indicator:9"] == []
    band = replace(fine, direction=BAND, ranges=tuple((y, r("0.5", "1.8")) for y in range(2025, 2030)))
    outside = replace(plan, indicators=(*plan.indicators, band), higher_targets=(*plan.higher_targets, higher))
    assert [f.code for f in run_alignment(outside) if f.location.line == "indicator:9"] == [
        "targets.outside_higher_band"]


def test_official_layouts_number_their_columns():
    from selaras.formats.plan_tables import (
        renja_programme_table,
        renstra_tc27,
        rkpd_programme_table,
        rpjmd_tc14,
    )

    years = range(2025, 2030)
    tc27 = renstra_tc27(years)
    assert len(tc27.official_columns) == 20  # Permendagri 86/2017 T-C.27: columns 1-20
    assert (tc27.number("code"), tc27.number("baseline"), tc27.number("target_2025"), tc27.number("location")) == (
        3, 6, 7, 20)
    assert [c.key for c in tc27.columns if not c.official] == ["unit", "direction"]
    tc14 = rpjmd_tc14(years)
    assert len(tc14.official_columns) == 17 and tc14.number("agency") == 17
    assert len(renja_programme_table(2026).official_columns) == 10
    assert rkpd_programme_table(2026).number("agency") == 4


def test_penetapan_waits_for_a_finished_verification():
    """Unresolved review notes, or a verification status of "perlu perbaikan", hold a document back
    from penetapan (not from the earlier stages); Bappeda cannot pass it either."""
    ready = DocumentFacts(DocumentKind.RENJA, 1, PlanStage.FINAL_DRAFT, 7, parent_stage=PlanStage.ENACTED,
                          ceiling=10, budget_total=5)
    assert move_refusal(BAPPEDA, ready, PlanStage.ENACTED) is None
    for held in (replace(ready, open_notes=1), replace(ready, needs_correction=True)):
        assert move_refusal(BAPPEDA, held, PlanStage.ENACTED) == "plan.verification_open"
        assert move_refusal(BAPPEDA, replace(held, stage=PlanStage.DRAFT), PlanStage.FINAL_DRAFT) is None
    amended = replace(ready, stage=PlanStage.AMENDMENT, parent_stage=PlanStage.ENACTED, open_notes=2)
    assert move_refusal(BAPPEDA, amended, PlanStage.ENACTED) == "plan.verification_open"
    rkpd = DocumentFacts(DocumentKind.RKPD, 1, PlanStage.FINAL_DRAFT, None, parent_stage=PlanStage.ENACTED,
                         needs_correction=True)
    assert move_refusal(BAPPEDA, rkpd, PlanStage.ENACTED) == "plan.verification_open"


def test_the_rkpd_follows_the_enacted_rpjmd_like_the_renstra():
    """The RKPD's rancangan akhir and penetapan wait for the RPJMD in penetapan (one table,
    `_PARENT_NEEDS`, as the Renstra); its perubahan does not (the RPJMD has none)."""
    assert PARENT_KINDS[DocumentKind.RKPD] is PARENT_KINDS[DocumentKind.RENSTRA] is DocumentKind.RPJMD
    for to, start in ((PlanStage.FINAL_DRAFT, PlanStage.DRAFT), (PlanStage.ENACTED, PlanStage.FINAL_DRAFT)):
        assert parent_stage_needed(DocumentKind.RKPD, to) is parent_stage_needed(DocumentKind.RENSTRA, to)
        for rpjmd in (None, PlanStage.INITIAL_DRAFT, PlanStage.DRAFT, PlanStage.FINAL_DRAFT):
            facts = DocumentFacts(DocumentKind.RKPD, 1, start, None, parent_stage=rpjmd)
            assert move_refusal(BAPPEDA, facts, to) == "plan.parent_stage"
        assert move_refusal(BAPPEDA, DocumentFacts(DocumentKind.RKPD, 1, start, None,
                                                   parent_stage=PlanStage.ENACTED), to) is None
    assert move_refusal(BAPPEDA, DocumentFacts(DocumentKind.RKPD, 1, PlanStage.INITIAL_DRAFT, None), PlanStage.DRAFT) \
        is None
    assert move_refusal(BAPPEDA, DocumentFacts(DocumentKind.RKPD, 1, PlanStage.ENACTED, None,
                                               parent_stage=PlanStage.DRAFT), PlanStage.AMENDMENT) is None


def test_signs_of_plan_values():
    """One rule (domain.targets.negative_problem): a plan line's baseline and targets are never
    negative; an indicator's only when it is a rate of change; money never (money_problem)."""
    from selaras.domain.plan_cells import money_problem
    from selaras.domain.targets import line_target_problem, may_be_negative, negative_problem

    assert negative_problem(D(0), None, D(3)) is None
    assert negative_problem(D("-0.1")) == "target.negative"
    assert negative_problem(None, D(-1), D(2)) == "target.negative"
    assert line_target_problem(None, D(-1), D(2)) == "target.negative"
    assert line_target_problem(None, D(3), D(2)) == "target.range_inverted"
    assert negative_problem(D(-2), indicator="Persentase penduduk miskin") == "target.negative_indicator"
    assert negative_problem(D(-2), indicator="Laju Pertumbuhan Ekonomi") is None
    assert may_be_negative("Tingkat inflasi") and not may_be_negative("Indeks Pembangunan Manusia")
    assert money_problem(-1) == "cell.negative" and money_problem(0) is None and money_problem(None) is None
    assert money_problem(10**18) == "cell.too_large"
