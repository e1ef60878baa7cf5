"""Reads for the drafting pages: the documents a user drafts or verifies, and the editor grids."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from selaras.domain.plan_documents import DocumentKind
from selaras.domain.roles import Role
from selaras.domain.scope import WHOLE_GOVERNMENT_ROLES
from selaras.web.http import AnyUser
from selaras.web.planning import grid
from selaras.web.planning.cells import RowKind
from selaras.web.planning.documents import Document
from selaras.web.planning.models import NoteStatus, ReviewNote, Verification, VerificationStatus
from selaras.web.planning.scope import can_edit
from selaras.web.planning.versions import rpjpd_years
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    AnnualPlan,
    Indicator,
    LongTermPlan,
    MediumTermPlan,
    RenjaLine,
    Renstra,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
)
from selaras.web.proposals.permissions import actor_for

__all__ = ["DocumentRow", "documents_for", "renstra_rows", "renja_rows", "renja_summary", "rpjmd_rows", "rpjpd_rows",
           "rkpd_rows", "LINES_PER_PAGE"]

LINES_PER_PAGE = 150


@dataclass
class DocumentRow:
    kind: str
    pk: int
    title: str
    stage: str
    stage_label: str
    verification: str
    open_notes: int
    agency: str = ""


def _rows(kind: DocumentKind, queryset: QuerySet[Any]) -> list[DocumentRow]:
    objects = list(queryset)
    ids = [o.pk for o in objects]
    verification = dict(Verification.objects.filter(kind=kind.value, document_id__in=ids).values_list(
        "document_id", "status"))
    notes = dict(ReviewNote.objects.filter(kind=kind.value, document_id__in=ids).exclude(
        status=NoteStatus.RESOLVED).values("document_id").annotate(n=Count("id")).values_list("document_id", "n"))
    labels = dict(VerificationStatus.choices)
    rows = []
    for obj in objects:
        doc = Document(kind, obj)
        rows.append(DocumentRow(kind.value, obj.pk, doc.title, doc.stage.value, doc.stage_label,
                                str(labels.get(verification.get(obj.pk, "not_verified"), "")),
                                notes.get(obj.pk, 0), str(getattr(obj, "agency", "") or "")))
    return rows


def documents_for(user: AnyUser, government_id: int) -> dict[str, list[DocumentRow]]:
    """The documents the user drafts (an agency: its own) or verifies (Bappeda: all), by kind."""
    actor = actor_for(user)
    whole = actor.is_superuser or actor.role in WHOLE_GOVERNMENT_ROLES
    renstras = Renstra.objects.filter(agency__government_id=government_id).select_related("agency").order_by(
        "agency__code", "-start_year")
    renjas = AgencyAnnualPlan.objects.filter(rkpd__government_id=government_id).select_related(
        "agency", "rkpd").order_by("-rkpd__year", "agency__code")
    result: dict[str, list[DocumentRow]] = {}
    if not whole:
        if actor.role is not Role.AGENCY_PLANNER or actor.agency_id is None:
            return result
        renstras = renstras.filter(agency_id=actor.agency_id)
        renjas = renjas.filter(agency_id=actor.agency_id)
    else:
        result["rpjpd"] = _rows(DocumentKind.RPJPD, LongTermPlan.objects.filter(
            government_id=government_id).order_by("-start_year"))
        result["rpjmd"] = _rows(DocumentKind.RPJMD, MediumTermPlan.objects.filter(
            government_id=government_id).order_by("-start_year"))
        result["rkpd"] = _rows(DocumentKind.RKPD, AnnualPlan.objects.filter(
            government_id=government_id).order_by("-year"))
    result["renstra"] = _rows(DocumentKind.RENSTRA, renstras)
    result["renja"] = _rows(DocumentKind.RENJA, renjas)
    return result


def _search(queryset: QuerySet[Any], term: str) -> QuerySet[Any]:
    if not term:
        return queryset
    return queryset.filter(Q(code__startswith=term) | Q(name__icontains=term))


def objective_options(renstra_id: int) -> tuple[tuple[str, str], ...]:
    """The Renstra's objectives (sasaran) as (id, 'number text') choices for its programme lines."""
    return tuple((str(pk), f"{number} {text[:60]}") for pk, number, text in RenstraObjective.objects.filter(
        goal__renstra_id=renstra_id).order_by("number", "id").values_list("id", "number", "text"))


def renstra_rows(doc: Document, *, editable: bool, term: str = "", page: int = 1) -> dict[str, Any]:
    renstra = doc.obj
    years = list(range(renstra.start_year, renstra.end_year + 1))
    lines_qs = _search(RenstraLine.objects.filter(renstra=renstra), term).order_by("code", "id")
    total = lines_qs.count()
    pages = max(1, -(-total // LINES_PER_PAGE))
    page = min(max(1, page), pages)
    lines = list(lines_qs[(page - 1) * LINES_PER_PAGE: page * LINES_PER_PAGE])
    entries: dict[int, dict[int, RenstraLineYear]] = defaultdict(dict)
    for entry in RenstraLineYear.objects.filter(line__in=[line.pk for line in lines]):
        entries[entry.line_id][entry.year] = entry
    rows = []
    r = RowKind.RENSTRA_LINE
    objectives = objective_options(renstra.pk)
    for line in lines:
        label = f"{line.code}"
        cells: dict[str, SafeString] = {
            "objective": grid.cell(r, line.pk, "objective", line.objective_id,
                                   editable=editable and line.level == "program", label=f"Sasaran {label}",
                                   options=objectives),
            "name": grid.cell(r, line.pk, "name", line.name, editable=editable, label=f"Nama {label}", size=30),
            "indicator": grid.cell(r, line.pk, "indicator", line.indicator, editable=editable,
                                   label=f"Indikator {label}", size=24),
            "unit": grid.cell(r, line.pk, "unit", line.unit, editable=editable, label=f"Satuan {label}", size=6),
            "direction": grid.cell(r, line.pk, "direction", line.direction, editable=editable,
                                   label=f"Arah {label}"),
            "baseline": grid.cell(r, line.pk, "baseline", line.baseline, editable=editable,
                                  label=f"Kondisi awal {label}", size=6),
            "end_target": grid.cell(r, line.pk, "end_target", line.end_target, editable=editable,
                                    label=f"Target akhir {label}", size=6),
            "responsible_unit": grid.cell(r, line.pk, "responsible_unit", line.responsible_unit, editable=editable,
                                          label=f"Unit penanggung jawab {label}", size=10),
            "location": grid.cell(r, line.pk, "location", line.location, editable=editable,
                                  label=f"Lokasi {label}", size=10),
        }
        year_cells = []
        for year in years:
            e = entries[line.pk].get(year)
            values = (e.target, e.target_min, e.target_max) if e else (None, None, None)
            year_cells.append((
                grid.target_cells(RowKind.RENSTRA_YEAR, line.pk, values, editable=editable, single="target",
                                  year=year, label=label),
                grid.cell(RowKind.RENSTRA_YEAR, line.pk, "budget", e.budget if e else 0, editable=editable,
                          year=year, label=f"Pagu {year} {label}", size=12)))
        rows.append({"line": line, "cells": cells, "years": year_cells})
    budget = RenstraLineYear.objects.filter(line__renstra=renstra).values("year").annotate(s=Sum("budget"))
    totals = {row["year"]: row["s"] or 0 for row in budget}
    indicator_rows = _indicator_rows(Indicator.objects.filter(renstra_objective__goal__renstra=renstra), years,
                                     editable=editable)
    return {"years": years, "rows": rows, "total": total, "page": page, "pages": pages,
            "indicator_rows": indicator_rows,
            "totals": [totals.get(y, 0) for y in years], "line_kind": "renstra_line",
            "note_options": note_options([(x.pk, x.code, x.name) for x in lines])}


def note_options(lines: list[tuple[int, str, str]]) -> SafeString:
    """The <option>s of the note form's line choice, built once in Python (a Renja may have 2,000)."""
    return mark_safe("".join(f'<option value="{pk}">{escape(code)} {escape(name[:60])}</option>'
                             for pk, code, name in lines))


def renja_rows(doc: Document, *, editable: bool, term: str = "", csrf: str = "") -> dict[str, Any]:
    """The Renja editor's rows as ready HTML (one string per row: fast for 2,000 lines)."""
    renja = doc.obj
    lines = list(_search(RenjaLine.objects.filter(renja=renja), term).order_by("code", "id").annotate(
        n_proposals=Count("proposals")))
    r = RowKind.RENJA_LINE
    cell, target, esc = grid.cell_html, grid.target_html, grid.escape
    delete_base = reverse("planning:delete_line", args=[doc.kind.value, doc.pk, 1]).removesuffix("1/hapus/")
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf)}">'
    auto = ' <span class="badge" title="Pagu mengikuti usulan yang diterima">otomatis</span>'
    rows = []
    for line in lines:
        label = line.code
        pk = line.pk
        code = esc(line.code)
        row = (
            f'<tr data-code="{code}"><td><code>{code}</code></td>'
            f"<td>{cell(r, pk, 'name', line.name, editable=editable, label=f'Nama {label}', size=30)}</td>"
            f"<td>{cell(r, pk, 'indicator', line.indicator, editable=editable, label=f'Indikator {label}', size=24)}</td>"
            f"<td>{cell(r, pk, 'unit', line.unit, editable=editable, label=f'Satuan {label}', size=6)}</td>"
            f"<td>{cell(r, pk, 'direction', line.direction, editable=editable, label=f'Arah {label}')}</td>"
            "<td>" + target(r, pk, (line.target, line.target_min, line.target_max), editable=editable,
                            single="target", label=label) + "</td>"
            f'<td class="num">{cell(r, pk, "budget", line.budget, editable=editable, label=f"Pagu {label}", size=12)}</td>'
            f"<td>{cell(r, pk, 'funding_source', line.funding_source, editable=editable, label=f'Sumber dana {label}', size=8)}</td>"
            f"<td>{cell(r, pk, 'location', line.location, editable=editable, label=f'Lokasi {label}', size=10)}</td>"
            f"<td>{cell(r, pk, 'note', line.note, editable=editable, label=f'Catatan penting {label}', size=12)}</td>"
            "<td>" + target(r, pk, (line.forward_target, line.forward_target_min, line.forward_target_max),
                            editable=editable, single="forward_target", low="forward_target_min",
                            high="forward_target_max", label=f"n+1 {label}") + "</td>"
            f'<td class="num">{cell(r, pk, "forward_estimate", line.forward_estimate, editable=editable, label=f"Prakiraan maju {label}", size=12)}</td>'
            f'<td class="num">{line.n_proposals}{auto if line.budget_from_proposals else ""}</td>'
        )
        if editable:
            row += (f'<td><form method="post" action="{delete_base}{pk}/hapus/" data-confirm="Hapus baris {code} '
                    f'beserta target dan pagunya?">{csrf_input}'
                    f'<button class="link" aria-label="Hapus baris {code}">Hapus</button></form></td>')
        rows.append(row + "</tr>")
    return {"rows": rows, "rows_html": mark_safe("".join(rows)), "summary": renja_summary(renja), "line_kind": "renja_line",
            "note_options": note_options([(x.pk, x.code, x.name) for x in lines])}


def renja_summary(renja: Any) -> dict[str, Any]:
    """The Renja editor's summary: ceiling, lines' total pagu, remaining pagu (sisa pagu, negative
    when the lines exceed the ceiling) and forward estimate; one query."""
    sums = RenjaLine.objects.filter(renja=renja).aggregate(b=Sum("budget"), f=Sum("forward_estimate"))
    total = sums["b"] or 0
    return {"ceiling": renja.ceiling, "total_budget": total, "total_forward": sums["f"] or 0,
            "remaining": renja.ceiling - total}


def _indicator_rows(indicators: QuerySet[Indicator], years: list[int], *, editable: bool) -> list[dict[str, Any]]:
    rows = []
    r = RowKind.INDICATOR
    for ind in indicators.select_related("objective", "renstra_objective").prefetch_related("targets").order_by(
            "objective__number", "renstra_objective__number", "id"):
        by_year = {t.year: t for t in ind.targets.all()}
        rows.append({"indicator": ind, "cells": {
            "name": grid.cell(r, ind.pk, "name", ind.name, editable=editable, label="Nama indikator", size=28),
            "unit": grid.cell(r, ind.pk, "unit", ind.unit, editable=editable, label=f"Satuan {ind.name}", size=6),
            "direction": grid.cell(r, ind.pk, "direction", ind.direction, editable=editable,
                                   label=f"Arah {ind.name}"),
            "baseline": grid.cell(r, ind.pk, "baseline", ind.baseline, editable=editable,
                                  label=f"Kondisi awal {ind.name}", size=6),
            "end_value": grid.cell(r, ind.pk, "end_value", ind.end_value, editable=editable,
                                   label=f"Kondisi akhir {ind.name}", size=6),
        }, "years": [grid.target_cells(RowKind.INDICATOR_TARGET, ind.pk, (
            (by_year[y].value, by_year[y].target_min, by_year[y].target_max) if y in by_year else (None, None, None)),
            editable=editable, single="value", year=y, label=ind.name) for y in years]})
    return rows


def rpjmd_rows(doc: Document, *, editable: bool, user: AnyUser | None = None) -> dict[str, Any]:
    rpjmd = doc.obj
    years = list(range(rpjmd.start_year, rpjmd.end_year + 1))
    indicators = Indicator.objects.filter(rpjmd=rpjmd) | Indicator.objects.filter(objective__goal__mission__rpjmd=rpjmd)
    return {"years": years, "rows": _indicator_rows(indicators, years, editable=editable),
            **rpjmd_programmes(doc, years, user)}


def rpjmd_programmes(doc: Document, years: list[int], user: AnyUser | None) -> dict[str, Any]:
    """The RPJMD's priority programmes with their funding per year and the responsible agency
    (T-C.14): the programme lines of the agencies' Renstra, edited in place by whoever may edit
    that Renstra (Bappeda, until the Renstra is enacted)."""
    renstras = {r.pk: r for r in Renstra.objects.filter(rpjmd=doc.obj).select_related("agency__government")}
    editable = {pk: can_edit(user, Document(DocumentKind.RENSTRA, r)) for pk, r in renstras.items()}
    lines = list(RenstraLine.objects.filter(renstra_id__in=list(renstras), level="program").order_by(
        "renstra__agency__code", "code", "id"))
    entries: dict[int, dict[int, RenstraLineYear]] = defaultdict(dict)
    for entry in RenstraLineYear.objects.filter(line__in=[line.pk for line in lines]):
        entries[entry.line_id][entry.year] = entry
    rows = []
    totals = dict.fromkeys(years, 0)
    for line in lines:
        renstra = renstras[line.renstra_id]
        can = editable[line.renstra_id]
        label = f"{line.code} {renstra.agency}"
        year_cells = []
        for year in years:
            e = entries[line.pk].get(year)
            totals[year] += e.budget if e else 0
            year_cells.append((
                grid.target_cells(RowKind.RENSTRA_YEAR, line.pk, (e.target, e.target_min, e.target_max) if e else (
                    None, None, None), editable=can, single="target", year=year, label=label),
                grid.cell(RowKind.RENSTRA_YEAR, line.pk, "budget", e.budget if e else 0, editable=can, year=year,
                          label=f"Pagu {year} {label}", size=12)))
        rows.append({"line": line, "renstra": renstra, "years": year_cells,
                     "total": sum(entries[line.pk][y].budget for y in years if y in entries[line.pk]),
                     "indicator": grid.cell(RowKind.RENSTRA_LINE, line.pk, "indicator", line.indicator, editable=can,
                                            label=f"Indikator {label}", size=24),
                     "end_target": grid.cell(RowKind.RENSTRA_LINE, line.pk, "end_target", line.end_target,
                                             editable=can, label=f"Target akhir {label}", size=6)})
    return {"programmes": rows, "programme_totals": [totals[y] for y in years],
            "programme_total": sum(totals.values())}


def rpjpd_rows(doc: Document, *, editable: bool) -> dict[str, Any]:
    """The RPJPD's long-term indicators with a target at the end of each five-year period."""
    years = rpjpd_years(doc.obj)
    return {"years": years, "rows": _indicator_rows(Indicator.objects.filter(long_term_plan=doc.obj), years,
                                                    editable=editable)}


def rkpd_rows(doc: Document, *, editable: bool) -> dict[str, Any]:
    """The RKPD page: theme and regional ceiling, each agency's ceiling and Renja (stage, total)."""
    rkpd = doc.obj
    totals = dict(RenjaLine.objects.filter(renja__rkpd=rkpd).values("renja_id").annotate(
        s=Sum("budget")).values_list("renja_id", "s"))
    renjas = list(AgencyAnnualPlan.objects.filter(rkpd=rkpd).select_related("agency").order_by("agency__code"))
    rows = [{"renja": renja, "total": totals.get(renja.pk) or 0,
             "ceiling": grid.cell(RowKind.RENJA, renja.pk, "ceiling", renja.ceiling, editable=editable,
                                  label=f"Pagu indikatif {renja.agency}", size=14)} for renja in renjas]
    return {"rows": rows, "programs": list(rkpd.priority_programs.order_by("code")),
            "theme": grid.cell(RowKind.RKPD, rkpd.pk, "theme", rkpd.theme, editable=editable, label="Tema RKPD",
                               size=60),
            "priorities": grid.cell(RowKind.RKPD, rkpd.pk, "priorities", rkpd.priorities, editable=editable,
                                    label="Prioritas pembangunan daerah (satu per baris)"),
            "ceiling": grid.cell(RowKind.RKPD, rkpd.pk, "ceiling", rkpd.ceiling, editable=editable,
                                 label="Pagu indikatif daerah", size=16),
            "total_budget": sum(r["total"] for r in rows)}
