"""Django admin for the plan cascade, in Bahasa Indonesia, with edit history (simple_history).

Django's admin cannot nest inlines, so each level carries the next one inline and links down
(`show_change_link`): RPJMD → misi → tujuan → sasaran → strategi → arah kebijakan; indikator with
their yearly targets; Renstra → tujuan → sasaran; baris Renstra with yearly targets and budgets;
RKPD with priority programs and Renja; Renja with its lines.

Foreign keys into large tables (lines, indicators, objectives) use raw id or autocomplete widgets,
and list pages of large tables skip the full count, so pages stay fast for a whole province.

A document in penetapan (RPJPD, RPJMD, Renstra, RKPD, Renja) and every row under it are shown
read only: no change, addition, deletion or revert to an old version, the rule the plan editor
applies (`domain.plan_documents.is_editable_stage`); a perubahan opens the document again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from selaras.domain.plan_documents import is_editable_stage
from selaras.domain.plans import PLAN_STAGE_LABELS, PlanStage
from selaras.web.plans import models as m

# Labels for foreign keys whose model field carries no verbose name (models are owned elsewhere;
# changing verbose names there would need a migration).
FIELD_LABELS: dict[str, str] = {
    "government": "pemerintah daerah",
    "long_term_plan": "RPJPD",
    "rpjmd": "RPJMD",
    "mission": "misi",
    "goal": "tujuan",
    "objective": "sasaran",
    "strategy": "strategi",
    "indicator": "indikator",
    "renstra_objective": "sasaran Renstra",
    "agency": "perangkat daerah",
    "renstra": "Renstra",
    "parent": "induk",
    "nomenclature_edition": "edisi nomenklatur",
    "line": "baris Renstra",
    "rkpd": "RKPD",
    "renja": "Renja",
    "renstra_line": "baris Renstra",
}


class LabelledMixin:
    """Gives form fields an Indonesian label where the model field has only its default name."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        default_name = db_field.name.replace("_", " ")
        if formfield is not None and db_field.verbose_name == default_name and db_field.name in FIELD_LABELS:
            formfield.label = FIELD_LABELS[db_field.name].capitalize()
        return formfield


def column(path: str, label: str) -> Callable[[Any], Any]:
    """A list_display column that follows `a__b` (select it with list_select_related)."""

    @admin.display(description=label, ordering=path)
    def show(obj: Any) -> Any:
        return _follow(obj, path)

    return show


def titled(field: str, title: str, base: type[admin.FieldListFilter] = admin.RelatedOnlyFieldListFilter
           ) -> tuple[str, type[admin.FieldListFilter]]:
    """A list filter on `field` with an Indonesian title."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)
        self.title = title

    return field, type(f"Titled{base.__name__}", (base,), {"__init__": __init__})


# --- documents in penetapan are read only ------------------------------------------------------

_INDICATOR_DOCUMENT = ("long_term_plan", "rpjmd", "objective__goal__mission__rpjmd", "renstra_objective__goal__renstra")
#: How a plan row reaches the document it belongs to ("" = the row is the document); the first
#: path that leads to a row wins (an indicator belongs to an RPJPD, an RPJMD or a Renstra).
DOCUMENT_PATHS: dict[type[models.Model], tuple[str, ...]] = {
    m.LongTermPlan: ("",),
    m.MediumTermPlan: ("",),
    m.Renstra: ("",),
    m.AnnualPlan: ("",),
    m.AgencyAnnualPlan: ("",),
    m.Mission: ("rpjmd",),
    m.Goal: ("mission__rpjmd",),
    m.Objective: ("goal__mission__rpjmd",),
    m.Strategy: ("objective__goal__mission__rpjmd",),
    m.PolicyDirection: ("strategy__objective__goal__mission__rpjmd",),
    m.Indicator: _INDICATOR_DOCUMENT,
    m.IndicatorTarget: tuple(f"indicator__{path}" for path in _INDICATOR_DOCUMENT),
    m.RenstraGoal: ("renstra",),
    m.RenstraObjective: ("goal__renstra",),
    m.RenstraStrategy: ("objective__goal__renstra",),
    m.RenstraPolicyDirection: ("strategy__objective__goal__renstra",),
    m.RenstraLine: ("renstra",),
    m.RenstraLineYear: ("line__renstra",),
    m.PriorityProgram: ("rkpd",),
    m.RenjaLine: ("renja",),
}

ISSUED_NOTE = (f"Dokumen ini sudah ditetapkan (tahap {PLAN_STAGE_LABELS[PlanStage.ENACTED]}): isinya hanya "
               "dapat dilihat di sini, tidak dapat diubah, ditambah atau dihapus. Perubahan dilakukan melalui "
               f"tahap {PLAN_STAGE_LABELS[PlanStage.AMENDMENT]} di halaman Penyusunan.")


def _follow(obj: Any, path: str) -> Any:
    """obj.a.b for the path `a__b`; None where a step is missing."""
    value = obj
    for part in filter(None, path.split("__")):
        try:
            value = getattr(value, part)
        except ObjectDoesNotExist:  # a required parent not chosen yet (an add form)
            return None
        if value is None:
            return None
    return value


def document_of(obj: Any) -> Any:
    """The plan document (RPJPD, RPJMD, Renstra, RKPD, Renja) a plan row belongs to or is, or None."""
    for path in DOCUMENT_PATHS.get(type(obj), ()):
        document = _follow(obj, path)
        if document is not None:
            return document
    return None


def issued_document(obj: Any) -> Any:
    """The document in penetapan that `obj` belongs to or is (None: the row may be changed)."""
    document = document_of(obj) if obj is not None else None
    if document is None or is_editable_stage(PlanStage(document.stage)):
        return None
    return document


class PlanForm(forms.ModelForm):
    """Refuses a row added to (or moved into) a document in penetapan."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        document = issued_document(self.instance)
        if document is not None and document is not self.instance:
            self.add_error(None, ISSUED_NOTE)


class PlanAdmin(LabelledMixin, SimpleHistoryAdmin):
    list_per_page = 50
    form = PlanForm

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return issued_document(obj) is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return issued_document(obj) is None and super().has_delete_permission(request, obj)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "GET" and issued_document(self.get_object(request, unquote(object_id))) is not None:
            self.message_user(request, ISSUED_NOTE, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return issued_document(obj) is not None or bool(super().revert_disabled(request, obj))

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str,
                          extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # the stored row decides: an old version of an issued document may predate its penetapan
        if request.method != "GET" and issued_document(self.get_object(request, unquote(object_id))) is not None:
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(request, object_id, version_id, extra_context)
        return response


class BigTableAdmin(PlanAdmin):
    show_full_result_count = False


class IssuedInlineMixin:
    """Rows shown inline under a document in penetapan (or a row of one) are read only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return issued_document(obj) is None and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return issued_document(obj) is None and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return issued_document(obj) is None and super().has_delete_permission(request, obj)  # type: ignore[misc]


class Tabular(IssuedInlineMixin, LabelledMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class Stacked(IssuedInlineMixin, LabelledMixin, admin.StackedInline):
    extra = 0
    show_change_link = True


# --- inlines ---------------------------------------------------------------------------------

class AgencyInline(Tabular):
    model = m.Agency
    fields = ["code", "name", "short_name", "district_code"]


class MissionInline(Tabular):
    model = m.Mission
    fields = ["number", "text"]


class GoalInline(Tabular):
    model = m.Goal
    fields = ["number", "text"]


class ObjectiveInline(Tabular):
    model = m.Objective
    fields = ["number", "text"]


class StrategyInline(Tabular):
    model = m.Strategy
    fields = ["text"]


class PolicyDirectionInline(Tabular):
    model = m.PolicyDirection
    fields = ["text"]


class IndicatorInline(Tabular):
    model = m.Indicator
    fields = ["key", "name", "unit", "direction", "baseline", "end_value"]


class KeyIndicatorInline(IndicatorInline):
    fk_name = "rpjmd"
    verbose_name = "indikator kinerja utama"
    verbose_name_plural = "indikator kinerja utama"


class ObjectiveIndicatorInline(IndicatorInline):
    fk_name = "objective"


class RenstraObjectiveIndicatorInline(IndicatorInline):
    fk_name = "renstra_objective"


class IndicatorTargetInline(Tabular):
    model = m.IndicatorTarget
    fields = ["year", "value", "target_min", "target_max"]
    show_change_link = False


class RenstraGoalInline(Tabular):
    model = m.RenstraGoal
    fields = ["number", "text"]


class RenstraObjectiveInline(Tabular):
    model = m.RenstraObjective
    fields = ["number", "text", "rpjmd_objective"]
    raw_id_fields = ["rpjmd_objective"]


class RenstraLineInline(Tabular):
    """Lines shown for orientation; each is edited on its own page (with its yearly values)."""

    model = m.RenstraLine
    fk_name = "renstra"
    fields = readonly_fields = ("level", "code", "name", "indicator", "unit")
    can_delete = False
    verbose_name_plural = "baris Renstra (ubah per baris)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RenstraLineYearInline(Tabular):
    model = m.RenstraLineYear
    fields = ["year", "target", "target_min", "target_max", "budget"]
    show_change_link = False


class PriorityProgramInline(Tabular):
    model = m.PriorityProgram
    fields = ["code", "name"]
    show_change_link = False


class RenjaInline(Tabular):
    """Renja of the year with their ceilings, for orientation; each is edited on its own page."""

    model = m.AgencyAnnualPlan
    fields = readonly_fields = ("agency", "stage", "ceiling")
    can_delete = False
    verbose_name_plural = "Renja (ubah per perangkat daerah)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.AgencyAnnualPlan]:
        return super().get_queryset(request).select_related("agency", "rkpd")


class RenjaLineInline(Tabular):
    model = m.RenjaLine
    fields = ["code", "name", "indicator", "unit", "direction", "target", "target_min", "target_max", "budget",
              "forward_estimate", "district_code", "renstra_line"]
    readonly_fields = ["renstra_line"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.RenjaLine]:
        return super().get_queryset(request).select_related("renstra_line")


# --- model admins ----------------------------------------------------------------------------

@admin.register(m.LocalGovernment)
class LocalGovernmentAdmin(PlanAdmin):
    list_display = ["region_code", "name", "level", column("parent__name", "provinsi induk"),
                    "nomenclature_edition"]
    list_select_related = ["parent"]
    list_filter = ["level"]
    search_fields = ["name", "region_code"]
    autocomplete_fields = ["parent"]
    inlines = [AgencyInline]


@admin.register(m.Agency)
class AgencyAdmin(PlanAdmin):
    list_display = ["code", "name", "short_name", column("government__name", "pemerintah daerah"),
                    "district_code"]
    list_select_related = ["government"]
    list_filter = [titled("government", "pemerintah daerah")]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["government"]


@admin.register(m.LongTermPlan)
class LongTermPlanAdmin(PlanAdmin):
    list_display = ["__str__", column("government__name", "pemerintah daerah"), "start_year", "end_year"]
    list_select_related = ["government"]
    search_fields = ["government__name", "vision"]
    autocomplete_fields = ["government"]


@admin.register(m.MediumTermPlan)
class MediumTermPlanAdmin(PlanAdmin):
    list_display = ["__str__", column("government__name", "pemerintah daerah"), "start_year", "end_year"]
    list_select_related = ["government"]
    list_filter = [titled("government", "pemerintah daerah")]
    search_fields = ["government__name", "vision"]
    autocomplete_fields = ["government", "long_term_plan"]
    inlines = [MissionInline, KeyIndicatorInline]


@admin.register(m.Mission)
class MissionAdmin(PlanAdmin):
    list_display = ["__str__", column("rpjmd", "RPJMD")]
    list_select_related = ["rpjmd__government"]
    search_fields = ["text"]
    autocomplete_fields = ["rpjmd"]
    inlines = [GoalInline]


@admin.register(m.Goal)
class GoalAdmin(PlanAdmin):
    list_display = ["number", "text", column("mission", "misi")]
    list_select_related = ["mission"]
    search_fields = ["number", "text"]
    autocomplete_fields = ["mission"]
    inlines = [ObjectiveInline]


@admin.register(m.Objective)
class ObjectiveAdmin(PlanAdmin):
    list_display = ["number", "text", column("goal", "tujuan")]
    list_select_related = ["goal"]
    search_fields = ["number", "text"]
    autocomplete_fields = ["goal"]
    inlines = [StrategyInline, ObjectiveIndicatorInline]


@admin.register(m.Strategy)
class StrategyAdmin(PlanAdmin):
    list_display = ["__str__", column("objective", "sasaran")]
    list_select_related = ["objective"]
    search_fields = ["text"]
    autocomplete_fields = ["objective"]
    inlines = [PolicyDirectionInline]


@admin.register(m.PolicyDirection)
class PolicyDirectionAdmin(PlanAdmin):
    list_display = ["__str__", column("strategy", "strategi")]
    list_select_related = ["strategy"]
    search_fields = ["text"]
    autocomplete_fields = ["strategy"]


@admin.register(m.Indicator)
class IndicatorAdmin(BigTableAdmin):
    list_display = ["name", "unit", "baseline", "end_value", "direction", "key",
                    column("rpjmd", "RPJMD"), column("objective", "sasaran"),
                    column("renstra_objective", "sasaran Renstra")]
    list_select_related = ["rpjmd__government", "objective", "renstra_objective"]
    list_filter = ["direction"]
    search_fields = ["name", "key"]
    raw_id_fields = ["objective", "renstra_objective"]
    autocomplete_fields = ["rpjmd"]
    inlines = [IndicatorTargetInline]


@admin.register(m.IndicatorTarget)
class IndicatorTargetAdmin(BigTableAdmin):
    list_display = [column("indicator__name", "indikator"), "year", "value"]
    list_select_related = ["indicator"]
    list_filter = ["year"]
    search_fields = ["indicator__name"]
    raw_id_fields = ["indicator"]


@admin.register(m.Renstra)
class RenstraAdmin(PlanAdmin):
    list_display = ["__str__", column("agency__name", "perangkat daerah"), "start_year", "end_year"]
    list_select_related = ["agency", "rpjmd"]
    list_filter = [titled("agency__government", "pemerintah daerah"), "start_year"]
    search_fields = ["agency__name", "agency__short_name", "agency__code"]
    autocomplete_fields = ["agency", "rpjmd"]
    inlines = [RenstraGoalInline, RenstraLineInline]


@admin.register(m.RenstraGoal)
class RenstraGoalAdmin(PlanAdmin):
    list_display = ["number", "text", column("renstra", "Renstra")]
    list_select_related = ["renstra__agency"]
    search_fields = ["number", "text", "renstra__agency__name"]
    autocomplete_fields = ["renstra"]
    inlines = [RenstraObjectiveInline]


@admin.register(m.RenstraObjective)
class RenstraObjectiveAdmin(PlanAdmin):
    list_display = ["number", "text", column("goal", "tujuan Renstra"), "rpjmd_objective"]
    list_select_related = ["goal", "rpjmd_objective"]
    search_fields = ["number", "text"]
    autocomplete_fields = ["goal"]
    raw_id_fields = ["rpjmd_objective"]
    inlines = [RenstraObjectiveIndicatorInline]


@admin.register(m.RenstraStrategy)
class RenstraStrategyAdmin(PlanAdmin):
    list_display = ["__str__", column("objective", "sasaran Renstra")]
    list_select_related = ["objective"]
    search_fields = ["text"]
    autocomplete_fields = ["objective"]


@admin.register(m.RenstraPolicyDirection)
class RenstraPolicyDirectionAdmin(PlanAdmin):
    list_display = ["__str__", column("strategy", "strategi Renstra")]
    list_select_related = ["strategy"]
    search_fields = ["text"]
    autocomplete_fields = ["strategy"]


@admin.register(m.RenstraLine)
class RenstraLineAdmin(BigTableAdmin):
    list_display = ["code", "name", "level", "indicator", "unit", column("renstra__agency", "perangkat daerah")]
    list_select_related = ["renstra__agency"]
    list_filter = ["level", titled("renstra__agency__government", "pemerintah daerah")]
    search_fields = ["code", "name", "indicator"]
    raw_id_fields = ["renstra", "parent", "objective"]
    inlines = [RenstraLineYearInline]


@admin.register(m.RenstraLineYear)
class RenstraLineYearAdmin(BigTableAdmin):
    list_display = [column("line__code", "kode"), column("line__name", "baris Renstra"), "year",
                    "target", "budget"]
    list_select_related = ["line"]
    list_filter = ["year"]
    search_fields = ["line__code", "line__name"]
    raw_id_fields = ["line"]


@admin.register(m.AnnualPlan)
class AnnualPlanAdmin(PlanAdmin):
    list_display = ["__str__", column("government__name", "pemerintah daerah"), "year", "stage",
                    "ceiling", "theme"]
    list_select_related = ["government"]
    list_filter = ["stage", "year", titled("government", "pemerintah daerah")]
    search_fields = ["government__name", "theme"]
    autocomplete_fields = ["government", "rpjmd"]
    inlines = [PriorityProgramInline, RenjaInline]


@admin.register(m.PriorityProgram)
class PriorityProgramAdmin(PlanAdmin):
    list_display = ["code", "name", column("rkpd", "RKPD")]
    list_select_related = ["rkpd__government"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["rkpd"]


@admin.register(m.AgencyAnnualPlan)
class AgencyAnnualPlanAdmin(PlanAdmin):
    list_display = ["__str__", column("agency__name", "perangkat daerah"), column("rkpd__year", "tahun"),
                    "stage", "ceiling"]
    list_select_related = ["agency", "rkpd"]
    list_filter = ["stage", "rkpd__year", titled("agency__government", "pemerintah daerah")]
    search_fields = ["agency__name", "agency__short_name", "agency__code"]
    autocomplete_fields = ["rkpd", "agency"]
    inlines = [RenjaLineInline]


@admin.register(m.RenjaLine)
class RenjaLineAdmin(BigTableAdmin):
    list_display = ["code", "name", "unit", "target", "budget", "forward_estimate",
                    column("renja", "Renja")]
    list_select_related = ["renja__agency", "renja__rkpd"]
    list_filter = ["renja__rkpd__year"]
    search_fields = ["code", "name", "indicator"]
    raw_id_fields = ["renja", "renstra_line"]
