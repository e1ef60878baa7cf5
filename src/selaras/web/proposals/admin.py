"""Admin of proposals (view only), decisions (read-only: append-only log) and stage windows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from selaras.web.proposals.models import Decision, Proposal, StageWindow


class DecisionInline(admin.TabularInline):
    model = Decision
    fk_name = "proposal"
    extra = 0
    can_delete = False
    fields = ("created_at", "stage", "outcome", "reason", "actor", "actor_role", "new_volume", "new_cost",
              "merged_into", "postponed_to_year")
    readonly_fields = fields
    verbose_name = "keputusan"
    verbose_name_plural = "jejak keputusan (hanya baca)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    """View only: a proposal's title, cost, agency, place, year, stage and status change through the
    lifecycle (services: windows, scope and a decision for each step), never in the admin."""

    list_display = ("number", "title", "year", "channel", "stage", "status", "village_code", "agency",
                    "estimated_cost")
    list_filter = ("year", "channel", "stage", "status", "government")
    search_fields = ("number", "title", "village_code", "district_code", "councillor_name")
    raw_id_fields = ("agency",)
    inlines = [DecisionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Proposal._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # proposals are entered or imported through the services

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # proposals are never deleted: their history is public

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str,
                          extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied  # no revert to an old version: the lifecycle owns every change
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("proposal", "stage", "outcome", "actor", "actor_role", "created_at")
    list_filter = ("stage", "outcome")
    search_fields = ("proposal__number", "reason")
    readonly_fields = [f.name for f in Decision._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # decisions are recorded by the services, with scope and schedule checks

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(StageWindow)
class StageWindowAdmin(SimpleHistoryAdmin):
    list_display = ("government", "year", "stage", "opens_at", "closes_at", "closed_manually")
    list_filter = ("year", "stage", "government")
    readonly_fields = ("updated_by", "updated_at")
