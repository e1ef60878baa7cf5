"""Plan documents: their kinds, the stage path (Permendagri 86/2017) and who may do what.

One place for the rules of drafting: which stage may follow which, who may move a document,
who may edit it (and that a document in penetapan is edited only through a perubahan), who
writes and answers Bappeda's review notes. Functions return a stable refusal code (text in
`web/planning/messages.py`) or None when permitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from selaras.domain.plans import PlanStage
from selaras.domain.roles import Role
from selaras.domain.scope import WHOLE_GOVERNMENT_ROLES, Actor

__all__ = [
    "DocumentKind", "DOCUMENT_KIND_LABELS", "DocumentFacts", "next_stages", "is_editable_stage",
    "edit_refusal", "move_refusal", "override_refusal", "note_refusal", "answer_refusal", "CHECKED_STAGES",
    "AGENCY_KINDS", "AMENDABLE_KINDS", "PARENT_KINDS", "parent_stage_needed", "ceiling_excess",
    "STATE_REFUSALS", "VERIFIED_STAGES",
]


class DocumentKind(StrEnum):
    RPJPD = "rpjpd"
    RPJMD = "rpjmd"
    RENSTRA = "renstra"
    RKPD = "rkpd"
    RENJA = "renja"


DOCUMENT_KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.RPJPD: "RPJPD",
    DocumentKind.RPJMD: "RPJMD",
    DocumentKind.RENSTRA: "Renstra",
    DocumentKind.RKPD: "RKPD",
    DocumentKind.RENJA: "Renja",
}

#: Documents an agency drafts (the others are Bappeda's).
AGENCY_KINDS = frozenset({DocumentKind.RENSTRA, DocumentKind.RENJA})
#: Documents that may be amended (perubahan) after penetapan.
AMENDABLE_KINDS = frozenset({DocumentKind.RKPD, DocumentKind.RENJA})
#: Stages whose entry is checked by sinkronisasi (errors block unless Bappeda overrides).
CHECKED_STAGES = frozenset({PlanStage.FINAL_DRAFT, PlanStage.ENACTED})

_FORWARD: dict[PlanStage, PlanStage] = {
    PlanStage.INITIAL_DRAFT: PlanStage.DRAFT,
    PlanStage.DRAFT: PlanStage.FINAL_DRAFT,
    PlanStage.FINAL_DRAFT: PlanStage.ENACTED,
    PlanStage.AMENDMENT: PlanStage.ENACTED,
}


#: The plan each document follows (DOMAIN.md: "Renja PD follows the same rhythm" as the
#: RKPD, "final draft after the RKPD"; the Renstra's "final draft follows the issued RPJMD"; the
#: RKPD is drafted "from RPJMD year N" and cascades from it).
PARENT_KINDS: dict[DocumentKind, DocumentKind] = {
    DocumentKind.RENJA: DocumentKind.RKPD,
    DocumentKind.RENSTRA: DocumentKind.RPJMD,
    DocumentKind.RKPD: DocumentKind.RPJMD,
}
#: (document, stage it moves to) -> the stage its parent plan must be in. A Renja's final draft
#: is written on the enacted RKPD and enacted after it; its perubahan opens while the RKPD is being
#: amended and is enacted once the amended RKPD is. A Renstra's final draft and penetapan follow
#: the enacted RPJMD, and so do the RKPD's (its perubahan does not wait: the RPJMD has none).
_PARENT_NEEDS: dict[tuple[DocumentKind, PlanStage], PlanStage] = {
    (DocumentKind.RENJA, PlanStage.FINAL_DRAFT): PlanStage.ENACTED,
    (DocumentKind.RENJA, PlanStage.ENACTED): PlanStage.ENACTED,
    (DocumentKind.RENJA, PlanStage.AMENDMENT): PlanStage.AMENDMENT,
    (DocumentKind.RENSTRA, PlanStage.FINAL_DRAFT): PlanStage.ENACTED,
    (DocumentKind.RENSTRA, PlanStage.ENACTED): PlanStage.ENACTED,
    (DocumentKind.RKPD, PlanStage.FINAL_DRAFT): PlanStage.ENACTED,
    (DocumentKind.RKPD, PlanStage.ENACTED): PlanStage.ENACTED,
}
#: Stages a document enters only with its verification in order: no review note left unresolved
#: and Bappeda's verification status not "perlu perbaikan".
VERIFIED_STAGES = frozenset({PlanStage.ENACTED})
#: Refusals that come from the state of the documents (not from who asks): the move may be made
#: later, once the parent plan, the verification or the Renja's lines are in order.
STATE_REFUSALS = frozenset({"plan.parent_stage", "plan.over_ceiling", "plan.verification_open"})


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What the rules need to know of a document.

    `parent_stage`: the stage of the plan it follows (`PARENT_KINDS`; None when unknown, which
    refuses every move that needs it). `ceiling` and `budget_total`: a Renja's indicative ceiling
    (pagu indikatif) and the sum of its lines' pagu. `open_notes`: review notes not yet resolved;
    `needs_correction`: Bappeda's verification status is "perlu perbaikan".
    """

    kind: DocumentKind
    government_id: int
    stage: PlanStage
    agency_id: int | None = None
    parent_stage: PlanStage | None = None
    ceiling: int = 0
    budget_total: int = 0
    open_notes: int = 0
    needs_correction: bool = False


def next_stages(kind: DocumentKind, stage: PlanStage) -> tuple[PlanStage, ...]:
    """The stages a document may move to from `stage` (forward, or a perubahan after penetapan)."""
    if stage is PlanStage.ENACTED:
        return (PlanStage.AMENDMENT,) if kind in AMENDABLE_KINDS else ()
    if stage is PlanStage.AMENDMENT and kind not in AMENDABLE_KINDS:
        return ()  # a document that has no perubahan cannot leave one (a stray stored stage)
    following = _FORWARD.get(stage)
    return (following,) if following is not None else ()


def parent_stage_needed(kind: DocumentKind, to: PlanStage) -> PlanStage | None:
    """The stage the parent plan must be in before the document may move to `to` (None: no need)."""
    return _PARENT_NEEDS.get((kind, to))


def ceiling_excess(ceiling: int, budget_total: int) -> int:
    """How far a Renja's lines exceed its indicative ceiling: the negative remaining pagu (sisa
    pagu) the editor shows, as a positive amount; 0 when within. A ceiling Bappeda has not set yet
    (0) leaves no room: the lines cannot be submitted before it is set."""
    return max(0, budget_total - ceiling)


def is_editable_stage(stage: PlanStage) -> bool:
    """A document in penetapan is locked; a perubahan opens it again."""
    return stage is not PlanStage.ENACTED


def _scope_refusal(actor: Actor, doc: DocumentFacts) -> str | None:
    """Whether the actor works on this document at all (government, role, agency)."""
    if actor.is_superuser:
        return None
    if actor.role is None:
        return "plan.no_role"
    if actor.government_id is None or actor.government_id != doc.government_id:
        return "plan.other_government"
    if actor.role in WHOLE_GOVERNMENT_ROLES:
        return None
    if actor.role is Role.AGENCY_PLANNER and doc.kind in AGENCY_KINDS:
        if actor.agency_id is None or actor.agency_id != doc.agency_id:
            return "plan.other_agency"
        return None
    if actor.role is Role.AGENCY_PLANNER:
        return "plan.bappeda_document"
    return "plan.role_cannot_edit"


def edit_refusal(actor: Actor, doc: DocumentFacts) -> str | None:
    """Why the actor may not change the document's content now, or None."""
    refused = _scope_refusal(actor, doc)
    if refused is not None:
        return refused
    if not is_editable_stage(doc.stage):
        return "plan.enacted_locked"
    return None


def move_refusal(actor: Actor, doc: DocumentFacts, to: PlanStage) -> str | None:
    """Why the actor may not move the document to stage `to`, or None.

    The path is fixed (`next_stages`). An agency planner submits its own Renstra or Renja from
    rancangan awal to rancangan; every other move is Bappeda's (or the administrator's). A
    document never runs ahead of the plan it follows (`parent_stage_needed`), and a Renja is not
    submitted while its lines exceed its indicative ceiling (negative remaining pagu), nor enacted
    while its verification is unfinished (`VERIFIED_STAGES`: open notes, or "perlu perbaikan").
    """
    refused = _scope_refusal(actor, doc)
    if refused is not None:
        return refused
    if to not in next_stages(doc.kind, doc.stage):
        return "plan.stage_not_next"
    whole = actor.is_superuser or actor.role in WHOLE_GOVERNMENT_ROLES
    if not whole and not (doc.stage is PlanStage.INITIAL_DRAFT and to is PlanStage.DRAFT):
        return "plan.move_bappeda_only"
    needed = parent_stage_needed(doc.kind, to)
    if needed is not None and doc.parent_stage is not needed:
        return "plan.parent_stage"
    if to in VERIFIED_STAGES and (doc.open_notes > 0 or doc.needs_correction):
        return "plan.verification_open"
    if (doc.kind is DocumentKind.RENJA and doc.stage is PlanStage.INITIAL_DRAFT and to is PlanStage.DRAFT
            and ceiling_excess(doc.ceiling, doc.budget_total) > 0):
        return "plan.over_ceiling"
    return None


def override_refusal(actor: Actor) -> str | None:
    """Only Bappeda (or the administrator) may move a document past sinkronisasi errors."""
    if actor.is_superuser or actor.role in WHOLE_GOVERNMENT_ROLES:
        return None
    return "plan.override_bappeda_only"


def note_refusal(actor: Actor, doc: DocumentFacts) -> str | None:
    """Review notes are written by Bappeda (verification) on any document of its government."""
    if actor.is_superuser:
        return None
    if actor.role is None:
        return "plan.no_role"
    if actor.government_id != doc.government_id:
        return "plan.other_government"
    if actor.role in WHOLE_GOVERNMENT_ROLES:
        return None
    return "plan.note_bappeda_only"


def answer_refusal(actor: Actor, doc: DocumentFacts) -> str | None:
    """Notes are answered and resolved by the document's owner (the agency) or by Bappeda."""
    return _scope_refusal(actor, doc)
