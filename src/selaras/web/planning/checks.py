"""The sinkronisasi errors that concern one plan document (they block its checked stage moves)."""

from __future__ import annotations

from dataclasses import dataclass

from selaras.domain.findings import Finding, Severity
from selaras.domain.plan_documents import DocumentKind
from selaras.engines.alignment.runner import run_alignment
from selaras.web.alignment import messages
from selaras.web.alignment.selectors import agency_names, default_config
from selaras.web.alignment.snapshot import build_plan_set
from selaras.web.planning.documents import Document

__all__ = ["Blocking", "blocking_findings", "check_year", "document_labels"]


@dataclass(frozen=True)
class Blocking:
    code: str
    text: str
    line: str
    document: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "line": self.line, "document": self.document}


def check_year(doc: Document) -> int:
    """The year whose plan set is checked: the plan year, or the first year of a five-year plan."""
    return doc.year


def document_labels(doc: Document) -> frozenset[str]:
    """How sinkronisasi findings name this document (`engines.alignment.index` *_document)."""
    obj = doc.obj
    if doc.kind is DocumentKind.RENJA:
        return frozenset({f"Renja {obj.agency.code} {obj.rkpd.year}"})
    if doc.kind is DocumentKind.RENSTRA:
        return frozenset({f"Renstra {obj.agency.code} {obj.start_year}-{obj.end_year}"})
    if doc.kind is DocumentKind.RKPD:
        codes = obj.renjas.values_list("agency__code", flat=True)
        return frozenset({f"RKPD {obj.year}", *(f"Renja {code} {obj.year}" for code in codes)})
    if doc.kind is DocumentKind.RPJMD:
        return frozenset({f"RPJMD {obj.start_year}-{obj.end_year}"})
    return frozenset()


def blocking_findings(doc: Document) -> list[Blocking]:
    """Errors (not warnings) of the sinkronisasi check that lie in this document."""
    labels = document_labels(doc)
    if not labels:
        return []
    government = doc.government
    plan = build_plan_set(government, check_year(doc))
    findings: list[Finding] = [f for f in run_alignment(plan, default_config())
                               if f.severity is Severity.ERROR and f.location.document in labels]
    names = agency_names(government)
    return [Blocking(f.code, messages.message(f, names), f.location.line, f.location.document) for f in findings]
