"""Moving a plan document to its next stage: who may, what blocks it, and what is kept.

Every move stores an immutable version of the document (before it changes stage) and a
`StageMove` row. Moves into a checked stage (rancangan akhir, penetapan) are refused while the
document has sinkronisasi errors, unless Bappeda overrides them with a written reason, which
is kept on the move with the errors it passed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from selaras.domain.errors import Conflict, InvalidInput
from selaras.domain.plan_documents import CHECKED_STAGES, next_stages
from selaras.domain.plans import PLAN_STAGE_LABELS, PlanStage
from selaras.web.errors.messages import error_text
from selaras.web.http import AnyUser
from selaras.web.planning import documents, versions
from selaras.web.planning.checks import Blocking, blocking_findings
from selaras.web.planning.documents import Document
from selaras.web.planning.messages import text
from selaras.web.planning.models import StageMove
from selaras.web.planning.scope import check_move, check_override, move_permission
from selaras.web.proposals.audit import stamp

__all__ = ["move", "MoveBlocked", "preview", "MIN_REASON", "next_stages_of", "stage_of", "movable_stages"]

MIN_REASON = 10


#: A move held back by sinkronisasi errors is a Conflict (409) whose `params['findings']` lists them
#: (no subclass: the error catalogue keeps one code per family member, and this needs none of its own).
MoveBlocked = Conflict


@dataclass(frozen=True)
class Preview:
    doc: Document
    targets: tuple[PlanStage, ...]
    blocking: list[Blocking]
    #: The next stages this user may move the document to (`scope.move_permission`), and why not
    #: for the others.
    allowed: tuple[PlanStage, ...] = ()
    refusals: tuple[str, ...] = ()
    #: Allowed stages the documents' state holds back now (the plan it follows not far enough, the
    #: verification open, a Renja over its ceiling), with the reason: said before any form is filled.
    held: tuple[tuple[PlanStage, str], ...] = ()

    @property
    def choices(self) -> list[tuple[str, str]]:
        waiting = {stage for stage, _ in self.held}
        return [(s.value, PLAN_STAGE_LABELS[s]) for s in self.allowed if s not in waiting]

    @property
    def held_reasons(self) -> list[str]:
        return list(dict.fromkeys(reason for _, reason in self.held))


def movable_stages(user: AnyUser | None, doc: Document) -> tuple[PlanStage, ...]:
    """The next stages `user` may move `doc` to (the same rule as `move`)."""
    return tuple(s for s in next_stages(doc.kind, doc.stage) if move_permission(user, doc, s) is None)


def preview(doc: Document, user: AnyUser | None = None) -> Preview:
    """What moving the document now would meet: its next stages (those the user may choose) and,
    if checked, its errors."""
    targets = next_stages(doc.kind, doc.stage)
    refusals = {s: move_permission(user, doc, s) for s in targets}
    allowed = tuple(s for s in targets if refusals[s] is None)
    checked = any(t in CHECKED_STAGES for t in allowed)
    held: list[tuple[PlanStage, str]] = []
    for stage in allowed:
        try:
            check_move(user, doc, stage)
        except Conflict as exc:  # the state of the documents, not who asks: `move` would answer 409
            held.append((stage, error_text(exc)))
    return Preview(doc, targets, blocking_findings(doc) if checked else [], allowed,
                   tuple(dict.fromkeys(r for r in refusals.values() if r is not None)), tuple(held))


def move(user: AnyUser | None, doc: Document, to: PlanStage | str, *, override_reason: str = "") -> StageMove:
    """Move `doc` to stage `to`; raises NotPermitted, InvalidInput or MoveBlocked."""
    to = stage_of(str(to))
    check_move(user, doc, to)
    reason = " ".join(override_reason.split())
    blocking: list[Blocking] = blocking_findings(doc) if to in CHECKED_STAGES else []
    if blocking:
        if not reason:
            raise MoveBlocked(text("plan.blocked", to_stage=PLAN_STAGE_LABELS[to], count=len(blocking)),
                              findings=[b.as_json() for b in blocking])
        check_override(user)
        if len(reason) < MIN_REASON:
            raise InvalidInput(text("plan.override_reason_short"))
    with transaction.atomic():
        locked = documents.load(doc.kind, doc.pk, lock=True)
        if locked.stage is not doc.stage:
            raise Conflict("Tahap dokumen sudah berubah; muat ulang halaman.")
        locked.obj.stage = to.value
        stamp(locked.obj, user, f"tahap: {PLAN_STAGE_LABELS[to]}")
        locked.obj.save(update_fields=["stage"])
        version = versions.store_version(user, locked, f"pindah ke {PLAN_STAGE_LABELS[to]}")
        return StageMove.objects.create(
            government_id=locked.government_id, kind=locked.kind.value, document_id=locked.pk,
            agency_id=locked.agency_id, from_stage=doc.stage.value, to_stage=to.value, version=version,
            blocking_findings=[b.as_json() for b in blocking], override_reason=reason if blocking else "",
            moved_by=user if user is not None and user.is_authenticated else None)


def next_stages_of(doc: Document) -> tuple[PlanStage, ...]:
    return next_stages(doc.kind, doc.stage)


def stage_of(raw: str) -> PlanStage:
    try:
        return PlanStage(raw)
    except ValueError:
        raise InvalidInput("Tahap tujuan tidak dikenal.") from None
