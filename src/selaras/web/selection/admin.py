"""Read-only admin for selection runs (runs are append-only: they are started from /seleksi/)."""

from __future__ import annotations

from django.contrib import admin

from selaras.web.readonly_admin import ReadOnlyAdmin
from selaras.web.selection.models import SelectionRun


@admin.register(SelectionRun)
class SelectionRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "government", "year", "kind", "rule", "completion", "selected_count", "selected_cost",
                    "budget", "seconds", "created_by", "created_at")
    list_filter = ("kind", "rule", "year", "government")
    readonly_fields = [f.name for f in SelectionRun._meta.fields]
