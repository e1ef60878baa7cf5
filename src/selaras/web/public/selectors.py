"""Public read queries for the proposal tracker (no login).

Only public fields ever leave this module: queries name their columns explicitly, so the
proposer's and councillor's names, coordinates, the users who acted (actor, created_by) and
decisions' internal notes are never loaded, let alone shown. Decisions show the role that
decided, never the person.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from selaras.domain.proposals import (
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    Channel,
    Outcome,
    ProposalStatus,
    Stage,
)
from selaras.domain.roles import ROLE_LABELS, Role
from selaras.web.plans.models import LocalGovernment, RenjaLine
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.reference.models import NomenclatureItem, Region

__all__ = ["PublicDecision", "PublicProposal", "public_proposal", "village_proposals", "governments",
           "districts_of", "villages_of", "region", "PUBLIC_PROPOSAL_FIELDS", "NOT_FUNDED_OUTCOMES"]

#: The only Proposal columns the tracker reads.
PUBLIC_PROPOSAL_FIELDS = ("id", "number", "year", "channel", "stage", "status", "title", "description",
                          "village_code", "district_code", "region_edition", "address", "volume", "unit",
                          "estimated_cost", "sub_activity_code", "agency__name", "government__name",
                          "government__nomenclature_edition", "renja_line_id", "created_at")
_DECISION_FIELDS = ("stage", "outcome", "reason", "actor_role", "new_volume", "new_cost",
                    "merged_into__number", "postponed_to_year", "created_at")
NOT_FUNDED_OUTCOMES = (Outcome.REJECTED.value, Outcome.POSTPONED.value, Outcome.MERGED.value)
_NOT_PUBLIC = (ProposalStatus.DRAFT.value,)


def _label(enum: Any, labels: dict[Any, str], value: str) -> str:
    try:
        return labels[enum(value)]
    except (ValueError, KeyError):
        return value


def _role_label(value: str) -> str:
    """A role value ('planning_agency') as its label; stored labels pass through unchanged."""
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return value


@dataclass
class PublicDecision:
    stage: str
    stage_label: str
    outcome: str
    outcome_label: str
    role: str
    at: datetime
    reason: str
    new_volume: Decimal | None = None
    new_cost: int | None = None
    merged_into: str = ""
    postponed_to_year: int | None = None


@dataclass(kw_only=True)
class PlanLine:
    code: str
    name: str
    agency: str
    year: int | None = None
    budget: int


@dataclass
class PublicProposal:
    number: str
    year: int
    government: str
    channel: str
    channel_label: str
    stage_label: str
    status: str
    status_label: str
    title: str
    description: str
    district_code: str
    district_name: str
    village_code: str
    village_name: str
    address: str
    volume: Decimal
    unit: str
    estimated_cost: int
    sub_activity_code: str
    sub_activity_name: str
    agency: str
    submitted_at: datetime
    trail: list[PublicDecision]
    plan_line: PlanLine | None = None
    not_funded_reason: str = ""
    not_funded_outcome: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _region_names(edition: str, codes: list[str]) -> dict[str, str]:
    codes = [c for c in codes if c]
    if not codes:
        return {}
    return dict(Region.objects.filter(edition=edition, code__in=codes).values_list("code", "name"))


def _public(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return qs.exclude(status__in=_NOT_PUBLIC)


def public_proposal(number: str) -> PublicProposal | None:
    """A proposal as the public sees it, with its whole decision trail, or None."""
    row = _public(Proposal.objects.filter(number=number.strip())).values(*PUBLIC_PROPOSAL_FIELDS).first()
    if row is None:
        return None
    names = _region_names(row["region_edition"], [row["village_code"], row["district_code"]])
    sub_name = ""
    if row["sub_activity_code"]:
        sub_name = (NomenclatureItem.objects.filter(edition=row["government__nomenclature_edition"],
                                                    code=row["sub_activity_code"], level="sub_activity")
                    .values_list("name", flat=True).first() or "")
    proposal = PublicProposal(
        number=row["number"], year=row["year"], government=row["government__name"], channel=row["channel"],
        channel_label=_label(Channel, CHANNEL_LABELS, row["channel"]),
        stage_label=_label(Stage, STAGE_LABELS, row["stage"]), status=row["status"],
        status_label=_label(ProposalStatus, STATUS_LABELS, row["status"]), title=row["title"],
        description=row["description"], district_code=row["district_code"],
        district_name=names.get(row["district_code"], ""), village_code=row["village_code"],
        village_name=names.get(row["village_code"], ""), address=row["address"], volume=row["volume"],
        unit=row["unit"], estimated_cost=row["estimated_cost"], sub_activity_code=row["sub_activity_code"],
        sub_activity_name=sub_name, agency=row["agency__name"] or "", submitted_at=row["created_at"], trail=[],
    )
    decisions = Decision.objects.filter(proposal_id=row["id"]).order_by("created_at", "id").values(*_DECISION_FIELDS)
    for d in decisions:
        proposal.trail.append(PublicDecision(
            stage=d["stage"], stage_label=_label(Stage, STAGE_LABELS, d["stage"]), outcome=d["outcome"],
            outcome_label=_label(Outcome, OUTCOME_LABELS, d["outcome"]), role=_role_label(d["actor_role"]),
            at=d["created_at"], reason=d["reason"], new_volume=d["new_volume"], new_cost=d["new_cost"],
            merged_into=d["merged_into__number"] or "", postponed_to_year=d["postponed_to_year"]))
    if row["renja_line_id"]:
        line = (RenjaLine.objects.filter(pk=row["renja_line_id"])
                .values("code", "name", "budget", "renja__agency__name", "renja__rkpd__year").first())
        if line:
            proposal.plan_line = PlanLine(code=line["code"], name=line["name"], agency=line["renja__agency__name"],
                                          year=line["renja__rkpd__year"], budget=line["budget"])
    if proposal.status in (ProposalStatus.REJECTED.value, ProposalStatus.POSTPONED.value,
                           ProposalStatus.MERGED.value):
        last = next((d for d in reversed(proposal.trail) if d.outcome in NOT_FUNDED_OUTCOMES), None)
        if last is not None:
            proposal.not_funded_reason = last.reason
            proposal.not_funded_outcome = last.outcome_label
    return proposal


@dataclass
class VillageRow:
    number: str
    year: int
    title: str
    channel_label: str
    status: str
    status_label: str
    stage_label: str
    estimated_cost: int


def village_proposals(village_code: str, *, after_id: int | None = None, size: int = 50,
                      year: int | None = None) -> tuple[list[VillageRow], int | None]:
    """Public proposals located in a village, newest first; returns (rows, id for the next page)."""
    qs = _public(Proposal.objects.filter(village_code=village_code))
    if year:
        qs = qs.filter(year=year)
    if after_id:
        qs = qs.filter(id__lt=after_id)
    rows = list(qs.order_by("-id").values("id", "number", "year", "title", "channel", "status", "stage",
                                           "estimated_cost")[: size + 1])
    next_id = rows[size - 1]["id"] if len(rows) > size else None
    return [VillageRow(number=r["number"], year=r["year"], title=r["title"],
                       channel_label=_label(Channel, CHANNEL_LABELS, r["channel"]), status=r["status"],
                       status_label=_label(ProposalStatus, STATUS_LABELS, r["status"]),
                       stage_label=_label(Stage, STAGE_LABELS, r["stage"]), estimated_cost=r["estimated_cost"])
            for r in rows[:size]], next_id


def governments() -> list[LocalGovernment]:
    return list(LocalGovernment.objects.order_by("region_code"))


def region(code: str, edition: str | None = None) -> Region | None:
    qs = Region.objects.filter(code=code)
    if edition:
        qs = qs.filter(edition=edition)
    return qs.order_by("-edition").first()


def districts_of(government: LocalGovernment) -> list[tuple[str, str, int]]:
    """(code, name, number of public proposals) for each kecamatan of a government."""
    counts = dict(_public(Proposal.objects.filter(government=government)).order_by()
                  .values_list("district_code").annotate(n=Count("id")).values_list("district_code", "n"))
    regions = Region.objects.filter(edition=government.region_edition, level=3,
                                    code__startswith=government.region_code + ".").order_by("code")
    return [(code, name, counts.get(code, 0)) for code, name in regions.values_list("code", "name")]


def villages_of(district: Region) -> list[tuple[str, str, str, int]]:
    """(code, name, kind, number of public proposals) for each village of a kecamatan."""
    counts = dict(_public(Proposal.objects.filter(village_code__startswith=district.code + ".")).order_by()
                  .values_list("village_code").annotate(n=Count("id")).values_list("village_code", "n"))
    regions = Region.objects.filter(edition=district.edition, level=4, parent_code=district.code).order_by("code")
    return [(code, name, kind, counts.get(code, 0)) for code, name, kind in regions.values_list("code", "name", "kind")]
