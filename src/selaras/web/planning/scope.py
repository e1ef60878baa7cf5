"""Authorisation of every plan write: the domain's rules applied to a Django user and document."""

from __future__ import annotations

from selaras.domain.errors import NotPermitted
from selaras.domain.plan_documents import (
    answer_refusal,
    edit_refusal,
    move_refusal,
    note_refusal,
    override_refusal,
)
from selaras.domain.plans import PLAN_STAGE_LABELS, PlanStage
from selaras.web.http import AnyUser
from selaras.web.planning.documents import Document
from selaras.web.planning.messages import text
from selaras.web.proposals.permissions import actor_for

__all__ = ["check_edit", "check_move", "check_override", "check_note", "check_answer", "can_edit", "can_note"]


def _raise(code: str | None, **params: object) -> None:
    if code is not None:
        raise NotPermitted(text(code, **params), reason=code)


def check_edit(user: AnyUser | None, doc: Document) -> None:
    _raise(edit_refusal(actor_for(user), doc.facts))


def can_edit(user: AnyUser | None, doc: Document) -> bool:
    return edit_refusal(actor_for(user), doc.facts) is None


def check_move(user: AnyUser | None, doc: Document, to: PlanStage) -> None:
    _raise(move_refusal(actor_for(user), doc.facts, to),
           from_stage=PLAN_STAGE_LABELS[doc.stage], to_stage=PLAN_STAGE_LABELS[to])


def check_override(user: AnyUser | None) -> None:
    _raise(override_refusal(actor_for(user)))


def check_note(user: AnyUser | None, doc: Document) -> None:
    _raise(note_refusal(actor_for(user), doc.facts))


def can_note(user: AnyUser | None, doc: Document) -> bool:
    return note_refusal(actor_for(user), doc.facts) is None


def check_answer(user: AnyUser | None, doc: Document) -> None:
    _raise(answer_refusal(actor_for(user), doc.facts))
