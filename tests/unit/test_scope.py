"""Pure scope rules: who may do what, where."""

from __future__ import annotations

import pytest

from selaras.domain.proposals import Channel, Stage
from selaras.domain.roles import Role
from selaras.domain.scope import (
    Action,
    Actor,
    Target,
    district_of,
    is_permitted,
    refusal,
    same_councillor,
)

GOV = 1
VILLAGE = "32.16.05.2001"
OTHER_VILLAGE = "32.16.06.2001"


def village_target(**kw: object) -> Target:
    base: dict[str, object] = {"government_id": GOV, "channel": Channel.VILLAGE_MUSRENBANG, "village_code": VILLAGE,
                               "district_code": "32.16.05", "agency_id": 7}
    base.update(kw)
    return Target(**base)  # type: ignore[arg-type]


def test_district_of():
    assert district_of("32.16.05.2001") == "32.16.05"
    assert district_of("32.16.05") == "32.16.05"
    assert district_of("32.16") == ""


def test_councillor_names_compare_loosely():
    assert same_councillor("  H. Budi   Santoso", "h. budi santoso")
    assert not same_councillor("", "")


def test_public_may_write_nothing():
    public = Actor(role=None)
    for action in Action:
        assert refusal(public, action, village_target(stage=Stage.DISTRICT)) is not None


def test_foreign_government_refused_even_for_admin():
    admin = Actor(role=Role.ADMIN, government_id=2)
    assert "pemerintah daerah lain" in (refusal(admin, Action.CREATE, village_target()) or "")


def test_superuser_may_everything():
    assert is_permitted(Actor(role=None, is_superuser=True), Action.MANAGE_SCHEDULE, village_target())


@pytest.mark.parametrize(("village", "ok"), [(VILLAGE, True), (OTHER_VILLAGE, False)])
def test_village_operator_creates_in_own_village(village: str, ok: bool):
    op = Actor(role=Role.VILLAGE_OPERATOR, government_id=GOV, region_code=VILLAGE)
    assert is_permitted(op, Action.CREATE, village_target(village_code=village, district_code="")) is ok


def test_village_operator_cannot_enter_pokir():
    op = Actor(role=Role.VILLAGE_OPERATOR, government_id=GOV, region_code=VILLAGE)
    assert not is_permitted(op, Action.CREATE, village_target(channel=Channel.POKIR))


def test_camat_decides_in_own_district_only():
    camat = Actor(role=Role.DISTRICT_OPERATOR, government_id=GOV, region_code="32.16.05")
    assert is_permitted(camat, Action.DECIDE, village_target(stage=Stage.DISTRICT, district_code=""))
    assert not is_permitted(camat, Action.DECIDE,
                            village_target(stage=Stage.DISTRICT, village_code=OTHER_VILLAGE, district_code=""))
    assert not is_permitted(camat, Action.DECIDE, village_target(stage=Stage.AGENCY_VERIFICATION))


def test_agency_verifies_only_own_assignments():
    planner = Actor(role=Role.AGENCY_PLANNER, government_id=GOV, agency_id=7)
    assert is_permitted(planner, Action.DECIDE, village_target(stage=Stage.AGENCY_VERIFICATION))
    assert not is_permitted(planner, Action.DECIDE, village_target(stage=Stage.AGENCY_VERIFICATION, agency_id=8))
    assert not is_permitted(planner, Action.DECIDE, village_target(stage=Stage.AGENCY_VERIFICATION, agency_id=None))
    assert not is_permitted(planner, Action.ASSIGN, village_target())


def test_councillor_own_pokir_only():
    member = Actor(role=Role.COUNCILLOR, government_id=GOV, councillor_name="Siti Aminah")
    pokir = Target(government_id=GOV, channel=Channel.POKIR, councillor_name="siti  aminah")
    assert is_permitted(member, Action.CREATE, pokir)
    assert not is_permitted(member, Action.CREATE, Target(government_id=GOV, channel=Channel.POKIR,
                                                          councillor_name="Andi"))
    assert not is_permitted(member, Action.DECIDE, Target(government_id=GOV, stage=Stage.POKIR_SUBMISSION))


def test_only_bappeda_and_admin_manage_schedule_and_assign():
    for role in Role:
        actor = Actor(role=role, government_id=GOV, region_code=VILLAGE, agency_id=7, councillor_name="x")
        expected = role in (Role.PLANNING_AGENCY, Role.ADMIN)
        assert is_permitted(actor, Action.MANAGE_SCHEDULE, Target(government_id=GOV)) is expected
        assert is_permitted(actor, Action.ASSIGN, village_target()) is expected


def test_budget_team_decides_only_at_budget_stage():
    team = Actor(role=Role.BUDGET_TEAM, government_id=GOV)
    assert is_permitted(team, Action.DECIDE, village_target(stage=Stage.BUDGET_TEAM))
    assert not is_permitted(team, Action.DECIDE, village_target(stage=Stage.REGENCY))
    assert not is_permitted(team, Action.CREATE, village_target())
    assert not is_permitted(team, Action.IMPORT, village_target())
