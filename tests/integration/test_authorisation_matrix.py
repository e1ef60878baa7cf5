"""Every role against every write of the proposal cycle, in its own scope and a foreign one,
and every write against every locked stage. A refusal must leave the database unchanged.

Each cell runs inside a savepoint that is always rolled back, so cells do not affect each
other; a refused cell also compares a checksum of the proposal tables right after refusal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from selaras.domain.errors import NotPermitted, StageClosed
from selaras.domain.proposals import Stage
from selaras.web.plans.models import AgencyAnnualPlan, AnnualPlan, RenjaLine
from selaras.web.proposals import services, windows
from selaras.web.proposals.models import Decision, Proposal, StageWindow
from tests.browser.proposal_world import (
    COUNCILLOR,
    OTHER_VILLAGE,
    ROAD,
    VILLAGE,
    World,
    add_health_sub_activity,
    build_world,
    village_proposal,
)

pytestmark = pytest.mark.django_db

USERS = ["desa", "camat", "perencana_pupr", "bappeda", "admin", "dprd", "tapd", "bappeda_lain", "tanpa_peran",
         "anonim"]
HEALTH = "1.02.02.2.01.0001"


class Rollback(Exception):
    """Raised to undo a permitted write."""


def checksum() -> str:
    digest = hashlib.sha256()
    for model in (Proposal, Decision, StageWindow, RenjaLine, AgencyAnnualPlan, AnnualPlan,
                  Proposal.history.model, StageWindow.history.model):
        rows = list(model.objects.order_by("pk").values_list())
        digest.update(f"{model.__name__}:{len(rows)}:{rows!r}".encode())
    return digest.hexdigest()


def setup_cases(world: World) -> dict[str, Any]:
    gov, year = world.gov, world.year
    add_health_sub_activity(world)  # a proposal may only carry a code of the nomenclature
    # The other government runs its own cycle.
    now = timezone.now()
    for stage in Stage:
        StageWindow.objects.create(government=world.other_gov, year=year, stage=stage.value,
                                   opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))
    c: dict[str, Any] = {}
    c["district_own"] = village_proposal(world)
    c["district_foreign"] = services.create_proposal(world.desa_lain, government=gov, year=year,
                                               channel="musrenbang_village", title="Jalan desa lain",
                                               village_code=OTHER_VILLAGE, volume=1, unit="km",
                                               estimated_cost=900_000_000, agency=world.pupr,
                                               sub_activity_code=ROAD)
    c["agency_pupr"] = village_proposal(world, title="Jembatan")
    c["agency_dinkes"] = village_proposal(world, title="Posyandu", agency=world.dinkes, sub_activity_code=HEALTH)
    c["regency"] = village_proposal(world, title="Saluran")
    c["budget"] = village_proposal(world, title="Talud")
    for key in ("agency_pupr", "agency_dinkes", "regency", "budget"):
        services.decide(world.camat, c[key], stage="district", outcome="forwarded", reason="Disepakati.")
    for key in ("regency", "budget"):
        services.decide(world.perencana_pupr, c[key], stage="agency_forum", outcome="accepted",
                        reason="Sesuai.")
    services.decide(world.bappeda, c["budget"], stage="regency", outcome="accepted", reason="Prioritas.")
    for key, agency, code in (("pokir_pupr", world.pupr, ROAD), ("pokir_dinkes", world.dinkes, HEALTH)):
        c[key] = services.create_proposal(world.dprd, government=gov, year=year, channel="pokir",
                                          title="Pokir reses", volume=1, unit="paket", estimated_cost=75_000_000,
                                          village_code=VILLAGE, councillor_name=COUNCILLOR)
        services.assign(world.bappeda, c[key], agency=agency, sub_activity_code=code)
    c["returned"] = village_proposal(world, title="Sumur bor")
    services.decide(world.camat, c["returned"], stage="district", outcome="returned", reason="Lengkapi.")
    c["foreign_gov"] = services.create_proposal(world.bappeda_lain, government=world.other_gov, year=year,
                                                channel="aspiration", title="Aspirasi", volume=1, unit="paket",
                                                estimated_cost=10_000_000, district_code="32.17.01")
    for key in c:
        c[key].refresh_from_db()
    return c


def writes(world: World, c: dict[str, Any]) -> dict[str, tuple[Stage | None, Callable[[Any], Any]]]:
    gov, year = world.gov, world.year

    def fresh(key: str) -> Proposal:
        # Services refresh the objects they touch; every attempt starts from the database.
        return Proposal.objects.get(pk=c[key].pk)

    def create(channel: str, **kw: Any) -> Callable[[Any], Any]:
        base = {"government": gov, "year": year, "channel": channel, "title": "Usulan uji", "volume": 1,
                "unit": "unit", "estimated_cost": 1_000_000}
        return lambda u: services.create_proposal(u, **{**base, **kw})

    def decide(key: str, stage: str, outcome: str) -> Callable[[Any], Any]:
        return lambda u: services.decide(u, fresh(key), stage=stage, outcome=outcome, reason="Uji kewenangan.")

    def window(government: Any, stage: str) -> Any:
        return StageWindow.objects.get(government=government, year=year, stage=stage)

    return {
        "create village, own village": (Stage.VILLAGE, create("musrenbang_village", village_code=VILLAGE)),
        "create village, foreign village": (Stage.VILLAGE, create("musrenbang_village", village_code=OTHER_VILLAGE)),
        "create pokir, own name": (Stage.POKIR_SUBMISSION, create("pokir", councillor_name=COUNCILLOR)),
        "create pokir, other name": (Stage.POKIR_SUBMISSION, create("pokir", councillor_name="Budi Santoso")),
        "create pra-renja, PUPR": (Stage.AGENCY_FORUM, create("agency_draft", agency=world.pupr)),
        "create pra-renja, Dinkes": (Stage.AGENCY_FORUM, create("agency_draft", agency=world.dinkes)),
        "forward, own kecamatan": (Stage.DISTRICT, decide("district_own", "district", "forwarded")),
        "forward, foreign kecamatan": (Stage.DISTRICT, decide("district_foreign", "district", "forwarded")),
        "rank, own kecamatan": (Stage.DISTRICT, lambda u: services.rank_district(
            u, gov, year, "32.16.05", {c["district_own"].pk: 1})),
        "rank, foreign kecamatan": (Stage.DISTRICT, lambda u: services.rank_district(
            u, gov, year, "32.16.06", {c["district_foreign"].pk: 1})),
        "forum decision, PUPR proposal": (Stage.AGENCY_FORUM, decide("agency_pupr", "agency_forum", "accepted")),
        "forum decision, Dinkes proposal": (Stage.AGENCY_FORUM, decide("agency_dinkes", "agency_forum",
                                                                       "accepted")),
        "verify Pokir, PUPR": (Stage.AGENCY_VERIFICATION, decide("pokir_pupr", "agency_verification", "accepted")),
        "verify Pokir, Dinkes": (Stage.AGENCY_VERIFICATION, decide("pokir_dinkes", "agency_verification",
                                                                   "rejected")),
        "decide Musrenbang kab/kota": (Stage.REGENCY, decide("regency", "regency", "accepted")),
        "decide budget team": (Stage.BUDGET_TEAM, decide("budget", "budget_team", "accepted")),
        "resubmit returned, own village": (Stage.DISTRICT, lambda u: services.resubmit(u, fresh("returned"), "Lengkap.")),
        "correct returned, own village": (Stage.DISTRICT, lambda u: services.update_returned(
            u, fresh("returned"), address="RT 01")),
        "assign agency": (None, lambda u: services.assign(u, fresh("district_own"), agency=world.dinkes)),
        "assign, other government": (None, lambda u: services.assign(u, fresh("foreign_gov"), agency=world.other_agency)),
        "close window": (None, lambda u: windows.close_window(u, window(gov, "village"))),
        "extend window": (None, lambda u: windows.extend_window(
            u, window(gov, "village"), timezone.now() + timedelta(days=60))),
        "open window": (None, lambda u: windows.open_window(
            u, gov, year + 1, "village", timezone.now(), timezone.now() + timedelta(days=5))),
        "close window, other government": (None, lambda u: windows.close_window(u, window(world.other_gov,
                                                                                          "village"))),
    }


WHOLE = {"bappeda", "admin"}
ALLOWED: dict[str, set[str]] = {
    "create village, own village": {"desa", "camat"} | WHOLE,
    "create village, foreign village": WHOLE,
    "create pokir, own name": {"dprd"} | WHOLE,
    "create pokir, other name": WHOLE,
    "create pra-renja, PUPR": {"perencana_pupr"} | WHOLE,
    "create pra-renja, Dinkes": WHOLE,
    "forward, own kecamatan": {"camat", "admin"},
    "forward, foreign kecamatan": {"admin"},
    "rank, own kecamatan": {"camat", "admin"},
    "rank, foreign kecamatan": {"admin"},
    "forum decision, PUPR proposal": {"perencana_pupr", "admin"},
    "forum decision, Dinkes proposal": {"admin"},
    "verify Pokir, PUPR": {"perencana_pupr", "admin"},
    "verify Pokir, Dinkes": {"admin"},
    "decide Musrenbang kab/kota": WHOLE,
    "decide budget team": {"tapd", "admin"},
    "resubmit returned, own village": {"desa", "camat"} | WHOLE,
    "correct returned, own village": {"desa", "camat"} | WHOLE,
    "assign agency": WHOLE,
    "assign, other government": {"bappeda_lain"},
    "close window": WHOLE,
    "extend window": WHOLE,
    "open window": WHOLE,
    "close window, other government": {"bappeda_lain"},
}


def attempt(write: Callable[[Any], Any], user: Any, baseline: str) -> str:
    """'allowed', 'refused' or 'closed'; the database is unchanged afterwards in every case."""
    try:
        with transaction.atomic():
            try:
                write(user)
            except (NotPermitted, StageClosed) as exc:
                assert checksum() == baseline, "a refused write changed the database"
                return "refused" if isinstance(exc, NotPermitted) else "closed"
            raise Rollback
    except Rollback:
        return "allowed"


@pytest.fixture
def world_cases():
    world = build_world()
    world.users["anonim"] = AnonymousUser()
    return world, setup_cases(world)


def test_every_role_against_every_write(world_cases):
    world, cases = world_cases
    table = writes(world, cases)
    assert set(table) == set(ALLOWED)
    baseline = checksum()
    got = {(name, who): attempt(write, world.users[who], baseline)
           for name, (_stage, write) in table.items() for who in USERS}
    expected = {(name, who): "allowed" if who in ALLOWED[name] else "refused" for name in table for who in USERS}
    wrong = {cell: (got[cell], expected[cell]) for cell in got if got[cell] != expected[cell]}
    assert wrong == {}
    assert checksum() == baseline
    assert sum(v == "refused" for v in got.values()) > 150


@pytest.mark.parametrize("locked", [s for s in Stage])
def test_every_write_against_a_locked_stage(world_cases, locked):
    world, cases = world_cases
    table = writes(world, cases)
    windows.close_window(world.bappeda, StageWindow.objects.get(government=world.gov, year=world.year,
                                                                 stage=locked.value))
    baseline = checksum()
    for name, (stage, write) in table.items():
        permitted = sorted(ALLOWED[name] - WHOLE) or sorted(ALLOWED[name])
        for who in permitted:
            result = attempt(write, world.users[who], baseline)
            expected = "closed" if stage is locked else "allowed"
            assert result == expected, (name, who, result)
    assert checksum() == baseline


def test_visibility_follows_scope(world_cases):
    from selaras.web.proposals.selectors import visible

    world, cases = world_cases
    seen = {who: {p.pk for p in visible(world.users[who])} for who in USERS}
    ours = set(Proposal.objects.filter(government=world.gov).values_list("pk", flat=True))
    assert seen["bappeda"] == seen["admin"] == seen["tapd"] == ours
    assert cases["district_foreign"].pk not in seen["desa"] and cases["district_own"].pk in seen["desa"]
    assert cases["district_foreign"].pk not in seen["camat"]
    assert cases["agency_dinkes"].pk not in seen["perencana_pupr"]
    assert cases["agency_pupr"].pk in seen["perencana_pupr"]
    assert seen["dprd"] == {cases["pokir_pupr"].pk, cases["pokir_dinkes"].pk}
    assert seen["tanpa_peran"] == set() and seen["anonim"] == set()
    assert seen["bappeda_lain"] == {cases["foreign_gov"].pk}
