"""The authorisation matrix of every plan write: each role against each write on its own and on a
foreign document, and every write against a document in penetapan. A refusal raises NotPermitted
and leaves the database unchanged (checked against a checksum of the plan and drafting tables)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from selaras.domain.errors import NotPermitted
from selaras.domain.plans import PlanStage
from selaras.web.planning import cells, documents, excel, lines, notes, stages, structure
from selaras.web.planning.models import DocumentVersion, ReviewNote, StageMove, Verification
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    AnnualPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    MediumTermPlan,
    Mission,
    Objective,
    RenjaLine,
    Renstra,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
    RenstraStrategy,
    Strategy,
)
from tests.planning_world import ROAD_NEW, PlanWorld, build_plan_world

pytestmark = pytest.mark.django_db

USERS = ["perencana_pupr", "perencana_dinkes", "bappeda", "admin", "desa", "camat", "dprd", "tapd", "bappeda_lain",
         "tanpa_peran", "anonim"]
AGENCY_WRITERS = {"perencana_pupr", "bappeda", "admin"}
BAPPEDA = {"bappeda", "admin"}


class Rollback(Exception):
    pass


def checksum() -> str:
    digest = hashlib.sha256()
    for model in (RenstraLine, RenstraLineYear, RenjaLine, AgencyAnnualPlan, AnnualPlan, Renstra, MediumTermPlan,
                  IndicatorTarget, DocumentVersion, StageMove, ReviewNote, Verification, RenjaLine.history.model,
                  RenstraLineYear.history.model, Mission, Goal, Objective, Strategy, Indicator, RenstraGoal,
                  RenstraObjective, RenstraStrategy):
        rows = list(model.objects.order_by("pk").values_list())
        digest.update(f"{model.__name__}:{rows!r}".encode())
    return digest.hexdigest()


def writes(pw: PlanWorld) -> dict[str, tuple[set[str], Callable[[Any], Any]]]:
    renja = pw.renja["pupr"]
    renja_line = renja.lines.get()
    renstra_line = pw.renstra["pupr"].lines.get(level="sub_activity")
    year = pw.renstra["pupr"].start_year

    def doc(kind: str, pk: int) -> documents.Document:
        return documents.load(kind, pk)

    note = ReviewNote.objects.create(government=pw.gov, kind="renja", document_id=renja.pk, agency=pw.pupr,
                                     text="Perbaiki target.")
    data = excel.export_document(doc("renja", renja.pk))
    mission = Mission.objects.get(rpjmd=pw.rpjmd)
    objective = Objective.objects.get(goal__mission=mission)
    r_objective = RenstraObjective.objects.get(goal__renstra=pw.renstra["pupr"])
    return {
        "renja cell": (AGENCY_WRITERS, lambda u: cells.save_cell(u, "renja_line", renja_line.pk, "budget", "7")),
        "renstra cell": (AGENCY_WRITERS, lambda u: cells.save_cell(u, "renstra_line", renstra_line.pk, "name", "X")),
        "renstra year": (AGENCY_WRITERS, lambda u: cells.save_cell(u, "renstra_year", renstra_line.pk, "target", "9",
                                                                   year)),
        "rpjmd target": (BAPPEDA, lambda u: cells.save_cell(u, "indicator_target", pw.indicator.pk, "value", "80",
                                                            pw.rpjmd.start_year)),
        "rkpd theme": (BAPPEDA, lambda u: cells.save_cell(u, "rkpd", pw.rkpd.pk, "theme", "Tema baru")),
        "agency ceiling": (BAPPEDA, lambda u: cells.save_cell(u, "renja", renja.pk, "ceiling", "1")),
        "add renstra line": (AGENCY_WRITERS, lambda u: lines.add_renstra_line(u, doc("renstra", renstra_line.renstra_id),
                                                                              ROAD_NEW)),
        "add renja line": (AGENCY_WRITERS, lambda u: lines.add_renja_line(u, doc("renja", renja.pk), ROAD_NEW)),
        "delete renja line": (AGENCY_WRITERS, lambda u: lines.delete_line(u, doc("renja", renja.pk), renja_line.pk)),
        "submit renja": (AGENCY_WRITERS, lambda u: stages.move(u, doc("renja", renja.pk), PlanStage.DRAFT)),
        "move rkpd": (BAPPEDA, lambda u: stages.move(u, doc("rkpd", pw.rkpd.pk), PlanStage.DRAFT)),
        "add note": (BAPPEDA, lambda u: notes.add_note(u, doc("renja", renja.pk), "Catatan")),
        "answer note": (AGENCY_WRITERS, lambda u: notes.answer_note(u, note.pk, "Jawaban")),
        "verification": (BAPPEDA, lambda u: notes.set_verification(u, doc("renja", renja.pk), "needs_correction")),
        "import renja": (AGENCY_WRITERS, lambda u: excel.import_document(u, doc("renja", renja.pk), data)),
        "renja n+1 target": (AGENCY_WRITERS, lambda u: cells.save_cell(u, "renja_line", renja_line.pk,
                                                                        "forward_target", "4")),
        "renja note": (AGENCY_WRITERS, lambda u: cells.save_cell(u, "renja_line", renja_line.pk, "note", "Catatan")),
        "rpjmd vision": (BAPPEDA, lambda u: cells.save_cell(u, "rpjmd", pw.rpjmd.pk, "vision", "Visi baru")),
        "rpjmd mission": (BAPPEDA, lambda u: cells.save_cell(u, "mission", mission.pk, "text", "Misi baru")),
        "add rpjmd goal": (BAPPEDA, lambda u: structure.add_item(u, doc("rpjmd", pw.rpjmd.pk), "tujuan", "Tujuan baru",
                                                                 parent_id=mission.pk)),
        "delete rpjmd objective": (BAPPEDA, lambda u: structure.delete_item(u, doc("rpjmd", pw.rpjmd.pk), "sasaran",
                                                                            objective.pk)),
        "renstra objective": (AGENCY_WRITERS, lambda u: cells.save_cell(u, "renstra_objective", r_objective.pk, "text",
                                                                        "Sasaran baru")),
        "add renstra strategy": (AGENCY_WRITERS, lambda u: structure.add_item(
            u, doc("renstra", r_objective.goal.renstra_id), "strategi", "Strategi baru", parent_id=r_objective.pk)),
    }


def attempt(write: Callable[[Any], Any], user: Any) -> str:
    before = checksum()
    try:
        with transaction.atomic():
            write(user)
            raise Rollback
    except Rollback:
        return "ok"
    except NotPermitted:
        assert checksum() == before, "a refused write changed the database"
        return "refused"


@pytest.fixture
def pw() -> PlanWorld:
    return build_plan_world()


def test_every_role_against_every_plan_write(pw):
    cases = writes(pw)
    failures = []
    for username in USERS:
        user = AnonymousUser() if username == "anonim" else pw.world.users[username]
        for name, (allowed, write) in cases.items():
            got = attempt(write, user)
            expected = "ok" if username in allowed else "refused"
            if got != expected:
                failures.append(f"{username} / {name}: {got}, expected {expected}")
    assert failures == []


def test_nothing_is_edited_in_penetapan(pw):
    for obj in (pw.renja["pupr"], pw.rkpd, pw.renstra["pupr"], pw.rpjmd):
        type(obj).objects.filter(pk=obj.pk).update(stage=PlanStage.ENACTED.value)
    cases = writes(pw)
    edits = [n for n in cases if n not in ("add note", "answer note", "verification", "submit renja", "move rkpd")]
    for username in ("perencana_pupr", "bappeda", "admin"):
        for name in edits:
            assert attempt(cases[name][1], pw.world.users[username]) == "refused", (username, name)
