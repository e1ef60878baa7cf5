"""A plan document by (kind, id): its row, government, agency, stage and title, loaded in one place."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.db.models import Sum

from selaras.domain.errors import InvalidInput, NotFound
from selaras.domain.plan_documents import DOCUMENT_KIND_LABELS, DocumentFacts, DocumentKind
from selaras.domain.plans import PLAN_STAGE_LABELS, PlanStage
from selaras.web.planning.models import NoteStatus, ReviewNote, Verification, VerificationStatus
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    AnnualPlan,
    LongTermPlan,
    MediumTermPlan,
    RenjaLine,
    Renstra,
)

__all__ = ["Document", "load", "of", "MODELS"]

MODELS: dict[DocumentKind, type[models.Model]] = {
    DocumentKind.RPJPD: LongTermPlan,
    DocumentKind.RPJMD: MediumTermPlan,
    DocumentKind.RENSTRA: Renstra,
    DocumentKind.RKPD: AnnualPlan,
    DocumentKind.RENJA: AgencyAnnualPlan,
}
_RELATED: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.RPJPD: ("government",),
    DocumentKind.RPJMD: ("government",),
    DocumentKind.RENSTRA: ("agency__government", "rpjmd"),
    DocumentKind.RKPD: ("government", "rpjmd"),
    DocumentKind.RENJA: ("agency", "rkpd__government"),
}


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    obj: Any

    @property
    def pk(self) -> int:
        return int(self.obj.pk)

    @property
    def government(self) -> Any:
        if self.kind is DocumentKind.RENSTRA:
            return self.obj.agency.government
        if self.kind is DocumentKind.RENJA:
            return self.obj.rkpd.government
        return self.obj.government

    @property
    def government_id(self) -> int:
        if self.kind is DocumentKind.RENSTRA:
            return int(self.obj.agency.government_id)
        if self.kind is DocumentKind.RENJA:
            return int(self.obj.rkpd.government_id)
        return int(self.obj.government_id)

    @property
    def agency_id(self) -> int | None:
        return int(self.obj.agency_id) if self.kind in (DocumentKind.RENSTRA, DocumentKind.RENJA) else None

    @property
    def stage(self) -> PlanStage:
        return PlanStage(self.obj.stage)

    @property
    def stage_label(self) -> str:
        return PLAN_STAGE_LABELS[self.stage]

    @property
    def facts(self) -> DocumentFacts:
        return DocumentFacts(self.kind, self.government_id, self.stage, self.agency_id)

    @property
    def parent(self) -> Any:
        """The plan this document follows (`PARENT_KINDS`: a Renja's RKPD, a Renstra's RPJMD, an
        RKPD's RPJMD: the one it names, else the government's RPJMD whose period holds its year)."""
        if self.kind is DocumentKind.RENJA:
            return self.obj.rkpd
        if self.kind is DocumentKind.RENSTRA:
            return self.obj.rpjmd
        if self.kind is DocumentKind.RKPD:
            return self.obj.rpjmd or MediumTermPlan.objects.filter(
                government_id=self.obj.government_id, start_year__lte=self.obj.year,
                end_year__gte=self.obj.year).order_by("-start_year").first()
        return None

    @property
    def parent_title(self) -> str:
        parent = self.parent
        if parent is None:
            return ""
        if self.kind is DocumentKind.RENJA:
            return f"RKPD {parent.year}"
        return f"RPJMD {parent.start_year}–{parent.end_year}"

    def move_facts(self) -> DocumentFacts:
        """`facts` with what a stage move also needs: the parent plan's stage, the state of Bappeda's
        verification (unresolved notes, "perlu perbaikan") and, for a Renja, its ceiling and the sum
        of its lines' pagu (one query)."""
        parent = self.parent
        open_notes = ReviewNote.objects.filter(kind=self.kind.value, document_id=self.pk).exclude(
            status=NoteStatus.RESOLVED).count()
        needs_correction = Verification.objects.filter(
            kind=self.kind.value, document_id=self.pk, status=VerificationStatus.NEEDS_CORRECTION).exists()
        facts = replace(self.facts, parent_stage=PlanStage(parent.stage) if parent is not None else None,
                        open_notes=open_notes, needs_correction=needs_correction)
        if self.kind is DocumentKind.RENJA:
            total = RenjaLine.objects.filter(renja_id=self.pk).aggregate(s=Sum("budget"))["s"] or 0
            facts = replace(facts, ceiling=int(self.obj.ceiling), budget_total=int(total))
        return facts

    @property
    def year(self) -> int:
        """The plan year (RKPD/Renja) or the first year of the period."""
        if self.kind is DocumentKind.RENJA:
            return int(self.obj.rkpd.year)
        if self.kind is DocumentKind.RKPD:
            return int(self.obj.year)
        return int(self.obj.start_year)

    @property
    def title(self) -> str:
        label = DOCUMENT_KIND_LABELS[self.kind]
        if self.kind is DocumentKind.RENSTRA:
            return f"{label} {self.obj.agency} {self.obj.start_year}–{self.obj.end_year}"
        if self.kind is DocumentKind.RENJA:
            return f"{label} {self.obj.agency} {self.obj.rkpd.year}"
        if self.kind is DocumentKind.RKPD:
            return f"{label} {self.obj.year}"
        return f"{label} {self.obj.start_year}–{self.obj.end_year}"


def parse_kind(raw: str) -> DocumentKind:
    try:
        return DocumentKind(raw)
    except ValueError:
        raise InvalidInput("Jenis dokumen tidak dikenal.", kind=raw[:20]) from None


def load(kind: DocumentKind | str, pk: int, *, lock: bool = False) -> Document:
    """The document, or NotFound."""
    kind = parse_kind(str(kind))
    qs = MODELS[kind].objects.select_related(*_RELATED[kind])  # type: ignore[attr-defined]
    if lock:
        qs = qs.select_for_update(of=("self",))
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{DOCUMENT_KIND_LABELS[kind]} tidak ditemukan.")
    return Document(kind, obj)


def of(obj: models.Model) -> Document:
    """The document a plan row is (Renstra, Renja, ...)."""
    for kind, model in MODELS.items():
        if isinstance(obj, model):
            return Document(kind, obj)
    raise TypeError(f"not a plan document: {type(obj).__name__}")
