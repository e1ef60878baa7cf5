"""Bappeda's verification: review notes on a line or a whole document, answered and resolved by
the agency, and the verification status of each document."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from selaras.domain.errors import Conflict, InvalidInput, NotFound
from selaras.web.http import AnyUser
from selaras.web.planning import documents
from selaras.web.planning.documents import Document
from selaras.web.planning.messages import text
from selaras.web.planning.models import (
    NoteStatus,
    NoteVerdict,
    ReviewNote,
    Verification,
    VerificationStatus,
)
from selaras.web.planning.scope import check_answer, check_note
from selaras.web.plans.models import RenjaLine, RenstraLine

__all__ = ["add_note", "answer_note", "resolve_note", "set_verification", "notes_of", "open_notes_by_agency",
           "verification_of", "MAX_NOTE", "open_notes"]

MAX_NOTE = 4000
_LINE_MODELS = {"renstra_line": RenstraLine, "renja_line": RenjaLine}


def _user(user: AnyUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _clean(raw: str, code: str) -> str:
    value = (raw or "").strip()
    if not value:
        raise InvalidInput(text(code))
    if len(value) > MAX_NOTE:
        raise InvalidInput(text("cell.too_long", max=MAX_NOTE))
    return value


def _line_code(doc: Document, line_kind: str, line_id: int | None) -> str:
    if not line_kind:
        return ""
    model = _LINE_MODELS.get(line_kind)
    if model is None or line_id is None:
        raise InvalidInput("Baris catatan tidak dikenal.")
    owner = "renstra" if line_kind == "renstra_line" else "renja"
    code = model.objects.filter(pk=line_id, **{f"{owner}_id": doc.pk}).values_list(  # type: ignore[attr-defined]
        "code", flat=True).first()
    if code is None:
        raise NotFound("Baris tidak ditemukan pada dokumen ini.")
    return str(code)


def add_note(user: AnyUser | None, doc: Document, note_text: str, *, verdict: str = NoteVerdict.NEEDS_CORRECTION,
             line_kind: str = "", line_id: int | None = None) -> ReviewNote:
    """Bappeda writes a note on the document or one of its lines."""
    check_note(user, doc)
    if verdict not in NoteVerdict.values:
        raise InvalidInput("Penilaian catatan tidak dikenal.")
    body = _clean(note_text, "note.empty")
    code = _line_code(doc, line_kind, line_id)
    with transaction.atomic():
        note = ReviewNote.objects.create(
            government_id=doc.government_id, kind=doc.kind.value, document_id=doc.pk, agency_id=doc.agency_id,
            line_kind=line_kind, line_id=line_id if line_kind else None, line_code=code, verdict=verdict,
            text=body, created_by=_user(user),
            status=NoteStatus.OPEN if verdict == NoteVerdict.NEEDS_CORRECTION else NoteStatus.RESOLVED)
        if verdict == NoteVerdict.NEEDS_CORRECTION:
            _set_status(user, doc, VerificationStatus.NEEDS_CORRECTION)
    return note


def _note(note_id: int) -> tuple[ReviewNote, Document]:
    note = ReviewNote.objects.select_for_update().filter(pk=note_id).first()
    if note is None:
        raise NotFound("Catatan verifikasi tidak ditemukan.")
    return note, documents.load(note.kind, note.document_id)


def answer_note(user: AnyUser | None, note_id: int, answer: str, *, resolve: bool = False) -> ReviewNote:
    """The agency answers a note (and may mark it resolved in the same step)."""
    body = _clean(answer, "note.answer_empty")
    with transaction.atomic():
        note, doc = _note(note_id)
        check_answer(user, doc)
        if note.status == NoteStatus.RESOLVED:
            raise Conflict(text("note.resolved"))
        note.answer, note.answered_by, note.answered_at = body, _user(user), timezone.now()
        note.status = NoteStatus.ANSWERED
        if resolve:
            note.status, note.resolved_by, note.resolved_at = NoteStatus.RESOLVED, _user(user), timezone.now()
        note.save()
    return note


def resolve_note(user: AnyUser | None, note_id: int) -> ReviewNote:
    with transaction.atomic():
        note, doc = _note(note_id)
        check_answer(user, doc)
        if note.status == NoteStatus.RESOLVED:
            raise Conflict(text("note.resolved"))
        note.status, note.resolved_by, note.resolved_at = NoteStatus.RESOLVED, _user(user), timezone.now()
        note.save()
    return note


def _set_status(user: AnyUser | None, doc: Document, status: str) -> Verification:
    verification, _ = Verification.objects.update_or_create(
        kind=doc.kind.value, document_id=doc.pk,
        defaults={"government_id": doc.government_id, "agency_id": doc.agency_id, "status": status,
                  "updated_by": _user(user)})
    return verification


def set_verification(user: AnyUser | None, doc: Document, status: str) -> Verification:
    """Bappeda sets the document's verification status; 'verified' needs every note resolved."""
    check_note(user, doc)
    if status not in VerificationStatus.values:
        raise InvalidInput("Status verifikasi tidak dikenal.")
    if status == VerificationStatus.VERIFIED and notes_of(doc).exclude(status=NoteStatus.RESOLVED).exists():
        raise Conflict("Dokumen belum dapat dinyatakan terverifikasi: masih ada catatan yang belum selesai.")
    return _set_status(user, doc, status)


def verification_of(doc: Document) -> str:
    found = Verification.objects.filter(kind=doc.kind.value, document_id=doc.pk).values_list(
        "status", flat=True).first()
    return found or VerificationStatus.NOT_VERIFIED


def notes_of(doc: Document) -> QuerySet[ReviewNote]:
    return ReviewNote.objects.filter(kind=doc.kind.value, document_id=doc.pk).select_related(
        "created_by", "answered_by")


def open_notes_by_agency(government_id: int) -> list[dict[str, object]]:
    """Per agency: the notes not yet resolved (open or answered), for Bappeda's list."""
    rows = (ReviewNote.objects.filter(government_id=government_id).exclude(status=NoteStatus.RESOLVED)
            .values("agency_id", "agency__name", "agency__short_name", "status").annotate(n=Count("id"))
            .order_by("agency__name"))
    table: dict[object, dict[str, object]] = {}
    for row in rows:
        entry = table.setdefault(row["agency_id"], {
            "agency_id": row["agency_id"], "name": row["agency__short_name"] or row["agency__name"] or "Bappeda",
            "open": 0, "answered": 0})
        entry["open" if row["status"] == NoteStatus.OPEN else "answered"] = row["n"]
    return list(table.values())


def open_notes(government_id: int, agency_id: int | None = None) -> QuerySet[ReviewNote]:
    """The unresolved notes of the government (of one agency when given), oldest first."""
    found = ReviewNote.objects.filter(government_id=government_id).exclude(status=NoteStatus.RESOLVED)
    if agency_id is not None:
        found = found.filter(agency_id=agency_id)
    return found.select_related("agency").order_by("created_at", "id")
