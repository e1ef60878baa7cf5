"""Public JSON API of the proposal tracker (mounted at /api/publik/)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from selaras.web.public import selectors

router = Router(tags=["Pelacak usulan (publik)"])


class DecisionOut(Schema):
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


class PlanLineOut(Schema):
    code: str
    name: str
    agency: str
    year: int | None = None
    budget: int


class ProposalOut(Schema):
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
    trail: list[DecisionOut]
    plan_line: PlanLineOut | None = None
    not_funded_reason: str = ""
    not_funded_outcome: str = ""


class VillageRowOut(Schema):
    number: str
    year: int
    title: str
    channel_label: str
    status: str
    status_label: str
    stage_label: str
    estimated_cost: int


class VillagePageOut(Schema):
    village_code: str
    village_name: str
    proposals: list[VillageRowOut]
    next_before_id: int | None = None


@router.get("/usulan/{number}", response=ProposalOut, summary="Satu usulan dan seluruh jejak keputusannya")
def proposal(request: HttpRequest, number: str) -> dict[str, object]:
    found = selectors.public_proposal(number)
    if found is None:
        raise Http404("Usulan tidak ditemukan.")
    return found.as_dict()


@router.get("/desa/{code}/usulan", response=VillagePageOut, summary="Usulan di satu desa/kelurahan")
def village(request: HttpRequest, code: str, before_id: int | None = None, year: int | None = None,
            limit: int = 50) -> dict[str, object]:
    region = selectors.region(code)
    if region is None or region.level != 4:
        raise Http404("Desa/kelurahan tidak ditemukan.")
    rows, next_id = selectors.village_proposals(code, after_id=before_id, size=max(1, min(limit, 200)), year=year)
    return {"village_code": code, "village_name": region.name, "proposals": [r.__dict__ for r in rows],
            "next_before_id": next_id}
