"""Admin for higher-level targets, with an Excel import on the plan list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from selaras.web.alignment import services
from selaras.web.alignment.models import (
    HigherLevelIndicator,
    HigherLevelPlan,
    HigherLevelTarget,
    IndicatorMapping,
)


class TargetInline(admin.TabularInline):
    model = HigherLevelTarget
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = HigherLevelIndicator
    extra = 0
    show_change_link = True


class ImportForm(forms.Form):
    workbook = forms.FileField(label="Berkas Excel (.xlsx)")

    def clean_workbook(self) -> Any:
        """The upload limit of the proposal import (SELARAS_IMPORT_MAX_UPLOAD_MB) applies here too."""
        from django.conf import settings

        upload = self.cleaned_data["workbook"]
        limit = int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 50))
        if upload.size is not None and upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(f"Berkas terlalu besar: paling besar {limit} MB.")
        return upload


@admin.register(HigherLevelPlan)
class HigherLevelPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "region_code", "start_year", "end_year")
    list_filter = ("level", "kind")
    search_fields = ("name",)
    inlines = [IndicatorInline]
    change_list_template = "alignment/admin_plan_changelist.html"

    def get_urls(self) -> list[URLPattern]:
        extra = [path("impor/", self.admin_site.admin_view(self.import_view), name="alignment_higher_import")]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = services.import_higher_targets(form.cleaned_data["workbook"].file)
            for finding in result.findings:
                messages.error(request, services.import_message(finding))
            messages.info(request, f"Diimpor: {result.plans} rencana, {result.indicators} indikator, "
                                   f"{result.targets} target tahunan.")
            return redirect("admin:alignment_higherlevelplan_changelist")
        return render(request, "alignment/admin_import.html",
                      {**self.admin_site.each_context(request), "form": form, "columns": services.IMPORT_COLUMNS,
                       "title": "Impor target rencana tingkat atas"})


@admin.register(HigherLevelIndicator)
class HigherLevelIndicatorAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "plan", "unit", "direction")
    list_filter = ("plan", "direction")
    search_fields = ("key", "name")
    inlines = [TargetInline]


@admin.register(IndicatorMapping)
class IndicatorMappingAdmin(admin.ModelAdmin):
    list_display = ("government", "higher_indicator", "local_key")
    list_filter = ("government",)
    search_fields = ("local_key", "higher_indicator__key")

