"""Monev rows in the admin: viewed and searched only (writes go through the monev pages, which
keep the history and check the scope)."""

from __future__ import annotations

from django.contrib import admin

from selaras.web.evaluation.models import (
    IndicatorRealisation,
    QuarterClosure,
    Realisation,
    RealisationRevision,
)
from selaras.web.readonly_admin import ReadOnlyAdmin


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ("line", "quarter", "volume", "spent", "updated_by", "updated_at")
    list_filter = ("quarter",)
    search_fields = ("line__code", "line__name")
    list_select_related = ("line", "updated_by")


@admin.register(RealisationRevision)
class RealisationRevisionAdmin(ReadOnlyAdmin):
    list_display = ("line", "quarter", "volume", "spent", "source", "after_closing", "created_by", "created_at")
    list_filter = ("quarter", "source", "after_closing")
    search_fields = ("line__code", "reason")
    list_select_related = ("line", "created_by")


@admin.register(QuarterClosure)
class QuarterClosureAdmin(ReadOnlyAdmin):
    list_display = ("government", "year", "quarter", "closed_by", "closed_at")


@admin.register(IndicatorRealisation)
class IndicatorRealisationAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "year", "value", "source", "updated_at")
    search_fields = ("indicator__name", "indicator__key")
    list_select_related = ("indicator",)
