"""Pages of selection under /seleksi/ (thin: forms in, services run, selectors read)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from selaras.domain.errors import SelarasError
from selaras.web.errors.messages import error_text
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.jobs.service import submit
from selaras.web.params import code_param, id_param, page_param, text_param, year_param
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals.selectors import government_of
from selaras.web.proposals.windows import planning_year
from selaras.web.selection import apply, jobs, selectors, services
from selaras.web.selection.forms import ApplyForm, RunForm, WhatIfForm
from selaras.web.selection.models import RunApplication, SelectionRun, UnselectedOutcome

PAGE_SIZE = 50


def _government(request: AuthenticatedHttpRequest) -> LocalGovernment:
    government = government_of(request.user)
    if government is None:
        raise PermissionDenied("Akun Anda belum memiliki peran di pemerintah daerah mana pun.")
    return government


def _run(request: AuthenticatedHttpRequest, pk: int) -> SelectionRun:
    run = get_object_or_404(SelectionRun.objects.select_related("government", "created_by", "base_run"), pk=pk)
    if not request.user.is_superuser and run.government_id != _government(request).pk:
        raise Http404("Seleksi tidak ditemukan.")
    return run


def _year(request: AuthenticatedHttpRequest) -> int | None:
    return year_param(request, "tahun")


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    year = _year(request)
    page = Paginator(selectors.runs_for(government, year), PAGE_SIZE).get_page(page_param(request, "hal"))
    return render(request, "selection/index.html", {
        "government": government, "year": year, "page": page,
        "may_select": services.can_select(request.user, government),
    })


@login_required
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    if not services.can_select(request.user, government):
        raise PermissionDenied("Hanya Bappeda, administrator, atau TAPD yang dapat menjalankan seleksi.")
    form = RunForm(request.POST or None, initial={"year": planning_year(government)}, government=government)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {"year": data["year"], "rule": data["rule"], "completion": data.get("completion") or "",
                  "preset": data.get("preset") or "", "parameters": form.parameters().as_json(),
                  "note": data.get("note") or ""}
        try:
            job = submit(jobs.RUN, user=request.user, label=f"Seleksi usulan {data['year']}", params=params,
                         government_id=government.pk, dedupe_key=jobs.dedupe_key(params),
                         back_url=reverse("selection:index"))
        except SelarasError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("jobs:status", token=job.token)
    return render(request, "selection/new.html", {"government": government, "form": form})


def _rows_with_names(run: SelectionRun, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = selectors.district_names(run.government, [r["code"] for r in rows])
    return [{**r, "name": names.get(r["code"], "")} for r in rows]


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    show = text_param(request, "tampil", max_length=20, default="terpilih")
    selected = {"terpilih": True, "tidak": False}.get(show)
    district = code_param(request, "kecamatan") or ""
    query = text_param(request, "q")
    outcomes = selectors.outcomes_of(run, selected=selected, district=district, query=query)
    page: Any = Paginator(outcomes, PAGE_SIZE).get_page(page_param(request, "hal"))  # type: ignore[arg-type]
    rows = [{"o": o, "reason": o.reason} for o in page.object_list]
    totals = run.totals or {}
    others = selectors.runs_for(run.government, run.year).exclude(pk=run.pk)[:50]
    return render(request, "selection/detail.html", {
        "run": run, "totals": totals, "page": page, "rows": rows, "show": show, "district": district,
        "query": query, "districts": _rows_with_names(run, totals.get("districts", [])),
        "agencies": [{**a, "room": a["ceiling"] - a["selected_cost"] if a.get("ceiling") is not None else None}
                     for a in totals.get("agencies", [])],
        "others": others,
        "may_select": services.can_select(request.user, run.government),
        "may_apply": apply.may_apply(request.user, run),
        "fairness": selectors.fairness_view(run),
        "application": run.applications.order_by("-created_at").first(),
        "reason_counts": selectors.reason_counts(totals),
        "voter_counts": selectors.voter_counts(totals),
        "tie_breaking": selectors.tie_breaking_text(totals),
        "parameter_rows": selectors.parameter_rows(run.parameters or {}),
        "parameters_json": json.dumps(run.parameters or {}, ensure_ascii=False, indent=2),
    })


@login_required
def compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    a_id, b_id = id_param(request, "a"), id_param(request, "b")
    if a_id is None or b_id is None or a_id == b_id:
        government = _government(request)
        runs = selectors.runs_for(government)[:100]
        error = "Pilih dua seleksi yang berbeda untuk dibandingkan." if a_id is not None and a_id == b_id else ""
        return render(request, "selection/compare_pick.html", {"runs": runs, "error": error})
    a, b = _run(request, a_id), _run(request, b_id)
    comparison = selectors.compare_runs(a, b)
    show = text_param(request, "tampil", max_length=20, default="masuk")
    ids = comparison.only_b if show == "masuk" else comparison.only_a
    page = Paginator(ids, PAGE_SIZE).get_page(page_param(request, "hal"))
    return render(request, "selection/compare.html", {
        "c": comparison, "a": a, "b": b, "runs": [("A", a), ("B", b)], "show": show, "page": page,
        "fairness": selectors.fairness_view(a, b),
        "moved": selectors.moved_rows(comparison, list(page.object_list)),
    })


@login_required
def what_if(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    base = _run(request, pk)
    if not services.can_select(request.user, base.government):
        raise PermissionDenied("Hanya Bappeda, administrator, atau TAPD yang dapat menjalankan simulasi.")
    agencies = [r for r in (base.totals or {}).get("agencies", []) if r.get("code")]
    form = WhatIfForm(request.POST or None, agencies=agencies, budget=base.budget)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_ceilings()
        budget = form.cleaned_data["budget"]
        params = {"base": base.pk, "ceilings": changed, "budget": budget if budget != base.budget else None,
                  "note": form.cleaned_data.get("note") or ""}
        try:
            job = submit(jobs.WHAT_IF, user=request.user, label=f"Simulasi dari seleksi #{base.pk}", params=params,
                         government_id=base.government_id, dedupe_key=jobs.dedupe_key(params),
                         back_url=reverse("selection:detail", args=[base.pk]))
        except SelarasError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("jobs:status", token=job.token)
    return render(request, "selection/what_if.html", {"run": base, "form": form})


@login_required
def apply_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What applying the run would decide (per agency and kecamatan), then one confirmation."""
    run = _run(request, pk)
    if not apply.may_apply(request.user, run):
        raise PermissionDenied("Hanya Bappeda atau administrator yang dapat menerapkan hasil seleksi (bukan simulasi).")
    force = apply.in_force(run.government_id, run.year)
    form = ApplyForm(request.POST or request.GET or None, replaceable=force is not None and force.run_id != run.pk,
                     posting=request.method == "POST")
    error = ""
    if force is not None and force.run_id == run.pk:
        error = f"Hasil seleksi ini sudah diterapkan (penerapan #{force.pk})."
    if request.method == "POST" and form.is_valid() and not error:
        params = {"run": run.pk, "unselected": form.cleaned_data["unselected"],
                  "replaces": force.pk if force is not None and form.cleaned_data.get("replace") else None}
        try:
            job = submit(jobs.APPLY, user=request.user, label=f"Penerapan hasil seleksi #{run.pk}", params=params,
                         government_id=run.government_id, dedupe_key=jobs.dedupe_key(params),
                         back_url=reverse("selection:apply", args=[run.pk]))
        except SelarasError as exc:
            error = error_text(exc)
        else:
            return redirect("jobs:status", token=job.token)
    unselected = form.cleaned_data.get("unselected") if form.is_bound and form.is_valid() else None
    preview = apply.plan(run, unselected=unselected or UnselectedOutcome.POSTPONED,
                         replaces=force if force is not None and force.run_id != run.pk else None)
    return render(request, "selection/apply.html", {
        "run": run, "form": form, "preview": preview, "force": force, "error": error,
        "stage_label": apply.stage_label(),
    })


@login_required
def applied(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(RunApplication.objects.select_related("run", "created_by", "replaces"), pk=pk)
    _run(request, application.run_id)  # the same visibility as the run
    summary = application.summary or {}
    return render(request, "selection/applied.html", {
        "application": application, "run": application.run, "summary": summary,
        "skipped": [(apply.SKIP_LABELS.get(k, k), n) for k, n in (summary.get("skipped") or {}).items()],
        "stage_label": apply.stage_label(),
    })
