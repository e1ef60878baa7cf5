"""Authorisation of every plan write: the domain's rules applied to a Django user and document."""

from __future__ import annotations

from selaras.domain.errors import Conflict, NotPermitted
from selaras.domain.plan_documents import (
    DOCUMENT_KIND_LABELS,
    PARENT_KINDS,
    STATE_REFUSALS,
    answer_refusal,
    ceiling_excess,
    edit_refusal,
    move_refusal,
    note_refusal,
    override_refusal,
    parent_stage_needed,
)
from selaras.domain.plans import PLAN_STAGE_LABELS, PlanStage
from selaras.web.http import AnyUser
from selaras.web.planning.documents import Document
from selaras.web.planning.messages import text
from selaras.web.plans.templatetags.selaras_format import format_rupiah
from selaras.web.proposals.permissions import actor_for

__all__ = ["check_edit", "check_move", "check_override", "check_note", "check_answer", "can_edit", "can_note",
           "move_permission"]


def _raise(code: str | None, **params: object) -> None:
    if code is not None:
        raise NotPermitted(text(code, **params), reason=code)


def check_edit(user: AnyUser | None, doc: Document) -> None:
    _raise(edit_refusal(actor_for(user), doc.facts))


def can_edit(user: AnyUser | None, doc: Document) -> bool:
    return edit_refusal(actor_for(user), doc.facts) is None


def move_permission(user: AnyUser | None, doc: Document, to: PlanStage) -> str | None:
    """Why the user may never make this move (the refusal text of `check_move`'s NotPermitted), or
    None when it is theirs to make; the documents' state (parent plan, verification, ceiling) is
    left to the move itself, which answers it with its reason. Pages offer a move only on None."""
    code = move_refusal(actor_for(user), doc.facts, to)
    if code is None or code in STATE_REFUSALS:
        return None
    return text(code, from_stage=PLAN_STAGE_LABELS[doc.stage], to_stage=PLAN_STAGE_LABELS[to])


def check_move(user: AnyUser | None, doc: Document, to: PlanStage) -> None:
    """Raise NotPermitted (who may not), or Conflict when the documents' state forbids the move now
    (the plan it follows is not far enough, or a Renja's lines exceed its ceiling)."""
    facts = doc.move_facts()
    code = move_refusal(actor_for(user), facts, to)
    params: dict[str, object] = {"from_stage": PLAN_STAGE_LABELS[doc.stage], "to_stage": PLAN_STAGE_LABELS[to]}
    if code in STATE_REFUSALS:
        needed = parent_stage_needed(doc.kind, to)
        parent_kind = PARENT_KINDS.get(doc.kind)
        params.update(
            document=DOCUMENT_KIND_LABELS[doc.kind], parent=doc.parent_title or (
                DOCUMENT_KIND_LABELS[parent_kind] if parent_kind else ""),
            needed_stage=PLAN_STAGE_LABELS[needed] if needed else "",
            parent_stage=PLAN_STAGE_LABELS[facts.parent_stage] if facts.parent_stage else "belum ada",
            ceiling=format_rupiah(facts.ceiling), total=format_rupiah(facts.budget_total),
            excess=format_rupiah(ceiling_excess(facts.ceiling, facts.budget_total)),
            verification_state=_verification_state(facts.open_notes, facts.needs_correction))
        raise Conflict(text(code, **params), reason=code)
    _raise(code, **params)


def _verification_state(open_notes: int, needs_correction: bool) -> str:
    parts = [f"{open_notes} catatan verifikasi belum diselesaikan"] if open_notes else []
    if needs_correction:
        parts.append("status verifikasi: Perlu perbaikan")
    return "; ".join(parts)


def check_override(user: AnyUser | None) -> None:
    _raise(override_refusal(actor_for(user)))


def check_note(user: AnyUser | None, doc: Document) -> None:
    _raise(note_refusal(actor_for(user), doc.facts))


def can_note(user: AnyUser | None, doc: Document) -> bool:
    return note_refusal(actor_for(user), doc.facts) is None


def check_answer(user: AnyUser | None, doc: Document) -> None:
    _raise(answer_refusal(actor_for(user), doc.facts))
