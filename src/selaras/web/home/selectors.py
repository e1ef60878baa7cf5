"""Read queries for the home page of each role (beranda): a few aggregates and short lists, never thousands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, F, Q, QuerySet, Sum

from selaras.domain.proposals import (
    CHANNEL_LABELS,
    STATUS_LABELS,
    Channel,
    ProposalStatus,
    Stage,
)
from selaras.domain.roles import ROLE_LABELS, Role
from selaras.web.planning.models import NoteStatus, ReviewNote, Verification, VerificationStatus
from selaras.web.plans import selectors as plan_selectors
from selaras.web.plans.models import Agency, AgencyAnnualPlan, AnnualPlan, LocalGovernment, Renstra
from selaras.web.proposals.models import Proposal
from selaras.web.proposals.selectors import schedule
from selaras.web.proposals.windows import planning_year
from selaras.web.reference.models import Region

if TYPE_CHECKING:  # the home page is behind login: its user has signed in
    from django.contrib.auth.models import User

    from selaras.web.accounts.models import Membership

__all__ = ["home_for", "plan_year", "StatusCount"]

LIST_LIMIT = 30

# The stage window each role watches on its home page.
ROLE_STAGE: dict[str, Stage] = {
    Role.VILLAGE_OPERATOR.value: Stage.VILLAGE,
    Role.DISTRICT_OPERATOR.value: Stage.DISTRICT,
    Role.AGENCY_PLANNER.value: Stage.AGENCY_VERIFICATION,
    Role.COUNCILLOR.value: Stage.POKIR_SUBMISSION,
    Role.BUDGET_TEAM.value: Stage.BUDGET_TEAM,
}


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    cost: int


def _membership(user: User) -> Membership | None:
    try:
        return user.membership
    except Exception:  # RelatedObjectDoesNotExist: a user without a role
        return None


def plan_year(government: LocalGovernment | None, requested: object = None) -> int:
    """The year a home page shows: the requested one, else the government's open cycle (the same
    year the forms and lists default to, read from its data: `windows.planning_year`)."""
    if requested not in (None, "") and str(requested).isdigit():
        return int(str(requested))
    return planning_year(government)


def _status_counts(proposals: QuerySet[Proposal]) -> tuple[list[StatusCount], int, int]:
    # One row of conditional aggregates rather than GROUP BY status: grouping would tempt SQLite
    # into walking the (government, year, status) index instead of the narrower one.
    aggregates: dict[str, Any] = {}
    for s in STATUS_LABELS:
        aggregates[f"n_{s.value}"] = Count("id", filter=Q(status=s.value))
        aggregates[f"cost_{s.value}"] = Sum("estimated_cost", filter=Q(status=s.value))
    row = proposals.aggregate(**aggregates)
    counts = [StatusCount(s.value, label, row[f"n_{s.value}"], int(row[f"cost_{s.value}"] or 0))
              for s, label in STATUS_LABELS.items() if row[f"n_{s.value}"]]
    return counts, sum(c.count for c in counts), sum(c.cost for c in counts)


def _short_list(proposals: QuerySet[Proposal], *order: Any) -> list[Proposal]:
    return list(proposals.select_related("agency").order_by(*order)[:LIST_LIMIT])


def _region_name(government: LocalGovernment, code: str) -> str:
    if not code:
        return ""
    name = (Region.objects.filter(edition=government.region_edition, code=code)
            .values_list("name", flat=True).first())
    return name or ""


def _in_government(government: LocalGovernment) -> QuerySet[Proposal]:
    """Proposals of the government, filtered so that the database prefers a narrower index.

    SQLite, without statistics, would pick the (government, year, ...) indexes and walk every
    proposal of the year; comparing an expression leaves the village index free to be chosen.
    """
    return Proposal.objects.alias(owner=F("government_id") + 0).filter(owner=government.pk)


def _village(government: LocalGovernment, membership: Any, year: int) -> dict[str, object]:
    """The village operator's own work: the proposals of its Musrenbang Desa/Kelurahan, in the
    forum's order (ranked first, then by number). Proposals of other channels that are merely
    located in the village (Pokir, Pra-Renja, aspirations) are counted and linked, not listed."""
    code = membership.region_code
    in_village = _in_government(government).filter(year=year, village_code=code)
    own = in_village.filter(channel=Channel.VILLAGE_MUSRENBANG.value)
    counts, total, cost = _status_counts(own)
    others = in_village.exclude(channel=Channel.VILLAGE_MUSRENBANG.value).count()
    return {"region_code": code, "region_name": _region_name(government, code), "status_counts": counts,
            "total": total, "total_cost": cost, "channel_label": CHANNEL_LABELS[Channel.VILLAGE_MUSRENBANG],
            "channel": Channel.VILLAGE_MUSRENBANG.value, "other_channels": others,
            # ranked first (NULLs sort first on SQLite, last on PostgreSQL: say it explicitly)
            "proposals": _short_list(own, F("priority_rank").asc(nulls_last=True), "id")}


def _district(government: LocalGovernment, membership: Any, year: int) -> dict[str, object]:
    code = membership.region_code
    in_district = Proposal.objects.filter(government=government, year=year, district_code=code)
    waiting = in_district.filter(stage=Stage.DISTRICT.value,
                                 status__in=[ProposalStatus.IN_REVIEW.value, ProposalStatus.RETURNED.value])
    # rows of values(): a "name" is added below, so they are plain dicts rather than the stubs' TypedDict
    per_village: list[dict[str, Any]] = list(cast("QuerySet[Any, dict[str, Any]]", waiting.values("village_code")
                                                  .annotate(n=Count("id"), cost=Sum("estimated_cost"),
                                                            ranked=Count("id", filter=Q(district_rank__isnull=False)))
                                                  .order_by("village_code")))
    names = dict(Region.objects.filter(edition=government.region_edition,
                                       code__in=[r["village_code"] for r in per_village])
                 .values_list("code", "name"))
    for row in per_village:
        row["name"] = names.get(row["village_code"], "")
    counts, total, cost = _status_counts(in_district)
    return {"region_code": code, "region_name": _region_name(government, code), "status_counts": counts,
            "total": total, "total_cost": cost, "per_village": per_village,
            "waiting_count": sum(r["n"] for r in per_village),
            "waiting_cost": sum(int(r["cost"] or 0) for r in per_village),
            "waiting_ranked": sum(r["ranked"] for r in per_village),
            "proposals": _short_list(waiting, "district_rank", "village_code", "priority_rank", "id")}


def _agency_plans(agency: Agency, year: int) -> dict[str, object]:
    renstra = Renstra.objects.filter(agency=agency).order_by("-start_year", "-id").first()
    renja = (AgencyAnnualPlan.objects.filter(agency=agency, rkpd__year=year).select_related("rkpd")
             .annotate(line_count=Count("lines"), line_budget=Sum("lines__budget")).first())
    return {"agency": agency, "renstra": renstra, "renja": renja,
            "renja_review": _review("renja", renja.pk) if renja is not None else None,
            "renstra_review": _review("renstra", renstra.pk) if renstra is not None else None}


def _review(kind: str, document_id: int) -> dict[str, object]:
    """Bappeda's verification of one of the agency's documents: its status and the notes still to
    answer or resolve, so the agency sees on its home that its Renja was returned."""
    status = (Verification.objects.filter(kind=kind, document_id=document_id).values_list("status", flat=True)
              .first()) or VerificationStatus.NOT_VERIFIED
    notes = ReviewNote.objects.filter(kind=kind, document_id=document_id).exclude(status=NoteStatus.RESOLVED)
    return {"status": status, "label": VerificationStatus(status).label,
            "returned": status == VerificationStatus.NEEDS_CORRECTION,
            "open_notes": notes.filter(status=NoteStatus.OPEN).count(),
            "answered_notes": notes.filter(status=NoteStatus.ANSWERED).count()}


def _agency(government: LocalGovernment, membership: Any, year: int) -> dict[str, object]:
    agency = membership.agency
    if agency is None:
        return {"agency": None}
    # The agency belongs to the government, so the (agency, year) index alone narrows it.
    proposals = Proposal.objects.filter(agency=agency, year=year)
    waiting = proposals.filter(stage=Stage.AGENCY_VERIFICATION.value, status=ProposalStatus.IN_REVIEW.value)
    counts, total, cost = _status_counts(proposals)
    agg = waiting.aggregate(n=Count("id"), cost=Sum("estimated_cost"))
    return {**_agency_plans(agency, year), "status_counts": counts, "total": total, "total_cost": cost,
            "waiting_count": agg["n"], "waiting_cost": int(agg["cost"] or 0),
            "proposals": _short_list(waiting, "district_rank", "id")}


def _councillor(government: LocalGovernment, membership: Any, year: int) -> dict[str, object]:
    proposals = Proposal.objects.filter(government=government, year=year, channel=Channel.POKIR.value,
                                        councillor_name=membership.councillor_name)
    counts, total, cost = _status_counts(proposals)
    return {"councillor_name": membership.councillor_name, "status_counts": counts, "total": total,
            "total_cost": cost, "proposals": _short_list(proposals, "-id")}


def _budget(government: LocalGovernment, membership: Any, year: int) -> dict[str, object]:
    return {"rkpd_view": plan_selectors.rkpd_detail(government, year)}


def _planning(government: LocalGovernment, membership: Any, year: int) -> dict[str, object]:
    rows = (Proposal.objects.filter(government=government, year=year)
            .values("channel", "status").annotate(n=Count("id"), cost=Sum("estimated_cost")))
    cells: dict[tuple[str, str], int] = {}
    channel_cost: dict[str, int] = {}
    for r in rows:
        cells[(r["channel"], r["status"])] = r["n"]
        channel_cost[r["channel"]] = channel_cost.get(r["channel"], 0) + int(r["cost"] or 0)
    statuses = [(s.value, label) for s, label in STATUS_LABELS.items()]
    table: list[dict[str, Any]] = []
    for channel, label in CHANNEL_LABELS.items():
        counts = [cells.get((channel.value, s), 0) for s, _ in statuses]
        if any(counts):
            table.append({"label": label, "counts": counts, "total": sum(counts),
                          "cost": channel_cost.get(channel.value, 0)})
    status_totals = [sum(row["counts"][i] for row in table) for i in range(len(statuses))]
    agencies = Agency.objects.filter(government=government).aggregate(
        n=Count("id", distinct=True),
        with_renstra=Count("id", filter=Q(renstras__isnull=False), distinct=True))
    rkpd = AnnualPlan.objects.filter(government=government, year=year).annotate(renja_count=Count("renjas")).first()
    return {"channel_table": table, "statuses": [label for _, label in statuses], "status_totals": status_totals,
            "total": sum(status_totals), "total_cost": sum(channel_cost.values()),
            "agency_count": agencies["n"], "agencies_with_renstra": agencies["with_renstra"], "rkpd": rkpd,
            "rpjmd": plan_selectors.current_rpjmd(government)}


SECTIONS = {
    Role.VILLAGE_OPERATOR.value: _village,
    Role.DISTRICT_OPERATOR.value: _district,
    Role.AGENCY_PLANNER.value: _agency,
    Role.PLANNING_AGENCY.value: _planning,
    Role.ADMIN.value: _planning,
    Role.COUNCILLOR.value: _councillor,
    Role.BUDGET_TEAM.value: _budget,
}


def home_for(user: User, requested_year: object = None, chosen_government: object = None) -> dict[str, object]:
    """Everything the home page of `user` shows, by role."""
    membership = _membership(user)
    if membership is None:
        if not user.is_superuser:
            return {"role": "", "role_label": "Tanpa peran"}
        role = "superuser"
        context: dict[str, object] = {"role": role, "role_label": "Administrator sistem"}
        government = plan_selectors.government_for(user, chosen_government)
    else:
        role = Role(membership.role).value
        context = {"role": role, "role_label": ROLE_LABELS[Role(role)]}
        government = membership.government
    if government is None:
        return context
    year = plan_year(government, requested_year)
    section = SECTIONS.get(role, _planning)
    watched = ROLE_STAGE.get(role)
    windows = schedule(government, year)
    context.update({
        "government": government, "year": year,
        "windows": windows,
        "watched_window": next((w for w in windows if w.stage == watched), None) if watched else None,
        "open_windows": [w for w in windows if w.state == "open"],
        **section(government, membership, year),
    })
    return context
