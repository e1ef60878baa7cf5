"""Read-only admin list of the planted flaws of demo districts."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from selaras.web.demo.models import PlantedFlaw


@admin.register(PlantedFlaw)
class PlantedFlawAdmin(admin.ModelAdmin):
    list_display = ("government", "code", "line", "year", "agency", "what")
    list_filter = ("government", "code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
