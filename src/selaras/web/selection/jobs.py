"""Selection runs, what-if reruns and applying a run, as background jobs (`selaras.web.jobs`).

The pages submit a job and send the user to its status page, which polls and then links to the
result. A double click starts one job (`dedupe_key` from the request's parameters). Permissions
are checked when the job is submitted and again when it runs (as the submitting user).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from selaras.domain.errors import NotFound
from selaras.web.jobs.models import STEP_UNIT
from selaras.web.jobs.registry import JobContext, JobOutcome, handler
from selaras.web.plans.models import LocalGovernment
from selaras.web.selection import services
from selaras.web.selection.models import SelectionRun
from selaras.web.selection.parameters import RunParameters

__all__ = ["RUN", "WHAT_IF", "APPLY", "dedupe_key"]

RUN = "selection.run"
WHAT_IF = "selection.what_if"
APPLY = "selection.apply"


def dedupe_key(params: dict[str, Any]) -> str:
    """The same request twice gives the same key (a double click starts one job)."""
    text = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _steps(ctx: JobContext) -> Callable[[str, int, int], None]:
    """A run reports its steps (read, compute, store), not proposals: the page says "Langkah 2 dari 3"."""
    return lambda phase, done, total: ctx.progress(phase, done, total, unit=STEP_UNIT)


def _apply_counts(ctx: JobContext) -> Callable[[str, int, int], None]:
    """Applying a run counts proposals, then the decisions it records."""
    return lambda phase, done, total: ctx.progress(
        phase, done, total, unit="keputusan" if phase.startswith("Mencatat keputusan") else "usulan")


def _run_of(run_id: Any) -> SelectionRun:
    run = SelectionRun.objects.select_related("government").filter(pk=int(run_id)).first()
    if run is None:
        raise NotFound(what="selection_run")
    return run


@handler(RUN, label="Seleksi usulan")
def run_selection(ctx: JobContext) -> JobOutcome:
    p = ctx.params
    government = LocalGovernment.objects.get(pk=int(ctx.government_id or 0))
    run = services.start_run(
        government, int(p["year"]), rule=p["rule"], completion=p.get("completion") or None,
        params=RunParameters.from_json(p.get("parameters") or {}), user=ctx.user, note=p.get("note") or "",
        options=p.get("preset") or None, progress=_steps(ctx),
    )
    return JobOutcome(message=f"Seleksi #{run.pk} selesai: {run.selected_count:,} usulan terpilih.".replace(",", "."),
                      result_url=reverse("selection:detail", args=[run.pk]), data={"run": run.pk})


@handler(WHAT_IF, label="Simulasi pagu seleksi")
def run_what_if(ctx: JobContext) -> JobOutcome:
    p = ctx.params
    base = _run_of(p["base"])
    ceilings = {str(k): int(v) for k, v in (p.get("ceilings") or {}).items()}
    budget = p.get("budget")
    run = services.what_if(base, ceilings=ceilings, budget=int(budget) if budget is not None else None,
                           user=ctx.user, note=p.get("note") or "", progress=_steps(ctx))
    return JobOutcome(message=f"Simulasi #{run.pk} selesai ({len(ceilings)} pagu diubah).",
                      result_url=reverse("selection:compare") + f"?a={base.pk}&b={run.pk}", data={"run": run.pk})


@handler(APPLY, label="Penerapan hasil seleksi")
def run_apply(ctx: JobContext) -> JobOutcome:
    from selaras.web.selection import apply

    p = ctx.params
    run = _run_of(p["run"])
    application = apply.apply_run(ctx.user, run, unselected=p.get("unselected") or "postponed",
                                  replaces=p.get("replaces"), progress=_apply_counts(ctx))
    return JobOutcome(
        message=f"Hasil seleksi #{run.pk} diterapkan: {application.decisions:,} keputusan dicatat.".replace(",", "."),
        result_url=reverse("selection:applied", args=[application.pk]), data={"application": application.pk})
