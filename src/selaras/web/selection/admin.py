"""Read-only admin for selection runs (runs are append-only: they are started from /seleksi/)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from selaras.web.selection.models import SelectionRun


@admin.register(SelectionRun)
class SelectionRunAdmin(admin.ModelAdmin):
    list_display = ("id", "government", "year", "kind", "rule", "completion", "selected_count", "selected_cost",
                    "budget", "seconds", "created_by", "created_at")
    list_filter = ("kind", "rule", "year", "government")
    readonly_fields = [f.name for f in SelectionRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
