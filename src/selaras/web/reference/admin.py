"""Admin for reference data: read-mostly (rows come from `selaras reference load`), searchable.

Regions, nomenclature rows and editions are read-only here; a correction belongs in a new
edition of the packaged data. Code mappings between editions may be entered by hand.
"""

from __future__ import annotations

from django.contrib import admin

from selaras.web.readonly_admin import ReadOnlyAdmin
from selaras.web.reference.models import CodeMapping, Edition, EditionMove, NomenclatureItem, Region


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "regulation", "row_count", "loaded_at"]
    list_filter = ["kind"]
    search_fields = ["key", "regulation"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "kind", "population", "area_km2", "edition"]
    list_filter = ["level", "kind", "edition"]
    search_fields = ["code", "name"]
    list_per_page = 50
    show_full_result_count = False


@admin.register(NomenclatureItem)
class NomenclatureItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "government_level", "active", "edition"]
    list_filter = ["level", "government_level", "active", "edition"]
    search_fields = ["code", "name"]
    list_per_page = 50
    show_full_result_count = False


@admin.register(CodeMapping)
class CodeMappingAdmin(admin.ModelAdmin):
    list_display = ["kind", "from_edition", "from_code", "to_edition", "to_code", "change", "confidence", "status",
                    "reviewed_by", "reviewed_at"]
    list_filter = ["kind", "status", "change", "from_edition", "to_edition"]
    readonly_fields = ["reviewed_by", "reviewed_at"]
    list_per_page = 50
    show_full_result_count = False


@admin.register(EditionMove)
class EditionMoveAdmin(ReadOnlyAdmin):
    list_display = ["government_name", "kind", "from_edition", "to_edition", "user", "applied_at"]
    list_filter = ["kind", "to_edition"]
    exclude = ["changes"]
    search_fields = ["from_code", "to_code", "note"]
