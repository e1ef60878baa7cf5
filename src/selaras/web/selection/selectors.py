"""Read queries of selection: runs, outcomes with reasons, comparison of two runs, a proposal's reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from selaras.domain.selection import Reason, ReasonCode, reason_text
from selaras.web.plans.models import LocalGovernment
from selaras.web.selection.models import RunKind, SelectionOutcome, SelectionRun

__all__ = [
    "runs_for",
    "outcome_reason",
    "outcomes_of",
    "RunComparison",
    "compare_runs",
    "reason_for_proposal",
    "district_names",
    "moved_rows",
]


GROUP_KINDS = {"kecamatan": "kecamatan", "perangkat_daerah": "perangkat daerah"}


def runs_for(government: LocalGovernment | None, year: int | None = None) -> QuerySet[SelectionRun]:
    qs = SelectionRun.objects.select_related("created_by", "base_run")
    if government is None:
        return qs.none()
    qs = qs.filter(government=government)
    return qs.filter(year=year) if year else qs


def outcome_reason(code: str, params: dict[str, Any]) -> str:
    """The Bahasa Indonesia sentence of a stored reason (unknown codes shown as they are)."""
    params = dict(params or {})
    group = params.get("group")
    if isinstance(group, str) and ":" in group:  # "kecamatan:32.16.01" -> "kecamatan 32.16.01"
        kind, _, key = group.partition(":")
        params["group"] = f"{GROUP_KINDS.get(kind, kind)} {key}"
    try:
        reason = Reason(ReasonCode(code), params)
    except ValueError:
        return code
    try:
        return reason_text(reason)
    except (ValueError, KeyError, TypeError):
        return code


def outcomes_of(run: SelectionRun, *, selected: bool | None = None, district: str = "", agency: int | None = None,
                query: str = "") -> QuerySet[SelectionOutcome]:
    """A run's outcomes with their proposals, selected first in selection order."""
    qs = SelectionOutcome.objects.filter(run=run).select_related("proposal", "agency")
    if selected is not None:
        qs = qs.filter(selected=selected)
    if district:
        qs = qs.filter(district_code=district)
    if agency:
        qs = qs.filter(agency_id=agency)
    if query:
        qs = qs.filter(Q(proposal__title__icontains=query) | Q(proposal__number__icontains=query))
    # outcomes are inserted in proposal order, so "id" orders without a join sort; with `selected`
    # fixed, the (run, selected, round) index already yields (round, id) order: no sort at all
    if selected is not None:
        return qs.order_by("round", "id")
    return qs.order_by("-selected", "round", "id")


def district_names(government: LocalGovernment, codes: list[str]) -> dict[str, str]:
    from selaras.web.reference.models import Region

    wanted = [c for c in codes if c]
    return dict(Region.objects.filter(edition=government.region_edition, code__in=wanted)
                .values_list("code", "name"))


@dataclass
class RunComparison:
    """Two runs side by side: totals, per kecamatan, and the proposals on which they differ."""

    a: SelectionRun
    b: SelectionRun
    only_a: list[int] = field(default_factory=list)  # proposal ids selected by a only (moved out)
    only_b: list[int] = field(default_factory=list)  # selected by b only (moved in)
    both: int = 0
    only_a_cost: int = 0
    only_b_cost: int = 0
    districts: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return len(self.only_a) + len(self.only_b)


def _selected(run: SelectionRun) -> dict[int, int]:
    return dict(SelectionOutcome.objects.filter(run=run, selected=True).values_list("proposal_id", "cost"))


def _side_by_side(rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]], limit_key: str) -> list[dict[str, Any]]:
    keys = sorted({r["code"] for r in rows_a} | {r["code"] for r in rows_b})
    index_a = {r["code"]: r for r in rows_a}
    index_b = {r["code"]: r for r in rows_b}
    out = []
    for key in keys:
        ra = index_a.get(key, {})
        rb = index_b.get(key, {})
        out.append({
            "code": key, "name": ra.get("name") or rb.get("name") or "",
            "a_count": ra.get("selected_count", 0), "b_count": rb.get("selected_count", 0),
            "a_cost": ra.get("selected_cost", 0), "b_cost": rb.get("selected_cost", 0),
            "a_limit": ra.get(limit_key), "b_limit": rb.get(limit_key),
            "delta": rb.get("selected_cost", 0) - ra.get("selected_cost", 0),
        })
    return out


def compare_runs(a: SelectionRun, b: SelectionRun) -> RunComparison:
    """What `b` selects that `a` does not (moved in), and the reverse (moved out)."""
    sa = _selected(a)
    sb = _selected(b)
    only_a = sorted(set(sa) - set(sb))
    only_b = sorted(set(sb) - set(sa))
    comparison = RunComparison(
        a=a, b=b, only_a=only_a, only_b=only_b, both=len(set(sa) & set(sb)),
        only_a_cost=sum(sa[p] for p in only_a), only_b_cost=sum(sb[p] for p in only_b),
        districts=_side_by_side(a.totals.get("districts", []), b.totals.get("districts", []), "floor"),
        agencies=_side_by_side(a.totals.get("agencies", []), b.totals.get("agencies", []), "ceiling"),
    )
    names = district_names(a.government, [r["code"] for r in comparison.districts])
    for row in comparison.districts:
        row["name"] = names.get(row["code"], "")
    return comparison


def moved_rows(comparison: RunComparison, ids: list[int]) -> list[dict[str, Any]]:
    """Proposals (by id) with the outcome and reason of each run, for the comparison table."""
    if not ids:
        return []
    rows: dict[int, dict[str, Any]] = {}
    for run_key, run in (("a", comparison.a), ("b", comparison.b)):
        for o in SelectionOutcome.objects.filter(run=run, proposal_id__in=ids).select_related("proposal"):
            row = rows.setdefault(o.proposal_id, {"proposal": o.proposal})
            row[run_key] = {"selected": o.selected, "reason": outcome_reason(o.reason_code, o.reason_params),
                            "round": o.round}
    return [rows[i] for i in ids if i in rows]


def reason_for_proposal(proposal: Any) -> dict[str, Any] | None:
    """The latest selection run's outcome for a proposal (what-if simulations are skipped).

    Returns None when no run has judged the proposal yet, else a dict: selected (bool), reason
    (Bahasa Indonesia sentence), reason_code, round, score, run_id, rule, rule_label, run_date,
    year.
    """
    pk = getattr(proposal, "pk", proposal)
    outcome = (
        SelectionOutcome.objects.filter(proposal_id=pk, run__kind=RunKind.RUN)
        .select_related("run").order_by("-run__created_at", "-run_id").first()
    )
    if outcome is None:
        return None
    run = outcome.run
    return {
        "selected": outcome.selected,
        "reason": outcome_reason(outcome.reason_code, outcome.reason_params),
        "reason_code": outcome.reason_code,
        "round": outcome.round,
        "score": outcome.score,
        "run_id": run.pk,
        "rule": run.rule,
        "rule_label": run.rule_label,
        "run_date": run.created_at,
        "year": run.year,
    }
