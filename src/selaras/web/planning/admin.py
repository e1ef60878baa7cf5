"""Drafting records in the admin: read only (versions and stage moves are immutable; notes are
written and answered in /penyusunan/)."""

from __future__ import annotations

from django.contrib import admin

from selaras.web.planning.models import DocumentVersion, ReviewNote, StageMove, Verification
from selaras.web.readonly_admin import ReadOnlyAdmin


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["kind", "document_id", "number", "stage", "agency", "created_by", "created_at"]
    list_filter = ["kind", "stage"]
    exclude = ["payload"]
    list_select_related = ["agency", "created_by"]


@admin.register(StageMove)
class StageMoveAdmin(ReadOnlyAdmin):
    list_display = ["kind", "document_id", "from_stage", "to_stage", "agency", "moved_by", "moved_at"]
    list_filter = ["kind", "to_stage"]
    list_select_related = ["agency", "moved_by"]


@admin.register(ReviewNote)
class ReviewNoteAdmin(ReadOnlyAdmin):
    list_display = ["kind", "document_id", "line_code", "verdict", "status", "agency", "created_at"]
    list_filter = ["kind", "status", "verdict"]
    search_fields = ["text", "answer", "line_code"]
    list_select_related = ["agency"]


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "document_id", "status", "agency", "updated_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["agency"]
