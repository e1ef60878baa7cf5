"""The proposals and decisions of a demo district, through the product's bulk writer.

The generated cycle (160,000+ proposals and as many decisions at the Bekasi scale) is written in
the generator's order, so ids follow it, with the generator's stages, statuses, times and the
decisions' actor roles. Numbers come from the product's numbering (the generator's numbers only
fix the order: each channel's series counts up in generation order, as the generator's does).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from selaras.demo.model import DemoDistrict
from selaras.web.demo.plans import DistrictPlans
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals.bulk import BulkWriter

__all__ = ["LOADER_ROLE", "write_proposals"]

LOADER_ROLE = "Pemuat data contoh"
"""Actor role of decisions that do not name their own (every generated decision does)."""

PROPOSAL_FIELDS = (
    "year", "channel", "stage", "status", "title", "description", "village_code", "district_code",
    "address", "volume", "unit", "estimated_cost", "priority_rank", "proposer_name", "proposer_role",
    "councillor_name", "agency", "sub_activity_code", "renja_line", "created_at",
)
DECISION_FIELDS = (
    "proposal", "stage", "outcome", "reason", "actor_role", "new_volume", "new_cost", "merged_into",
    "postponed_to_year", "created_at",
)


def write_proposals(government: LocalGovernment, district: DemoDistrict, plans: DistrictPlans,
                    report: Any) -> None:
    """Write the district's proposals, then its decisions; `report(stage, done, total)`."""
    writer = BulkWriter(government, actor=None, actor_role=LOADER_ROLE, history_reason="dimuat dari data contoh")
    p, d = district.proposals, district.decisions
    report("usulan", 0, len(p))
    proposal_id = writer.add_proposals(_proposal_rows(district, plans), PROPOSAL_FIELDS,
                                       report=lambda done, total: report("usulan", done, total), total=len(p))
    report("keputusan", 0, len(d))

    def decision_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(len(d)):
            merged = d.merged_into[i]
            yield (proposal_id[d.proposal[i]], d.stage[i], d.outcome[i], d.reason[i], d.actor_role[i],
                   d.new_volume[i], d.new_cost[i], proposal_id[merged] if merged is not None else None,
                   d.postponed_to_year[i], d.created_at[i])

    writer.add_decisions(decision_rows(), DECISION_FIELDS,
                         report=lambda done, total: report("keputusan", done, total), total=len(d))


def _proposal_rows(district: DemoDistrict, plans: DistrictPlans) -> Iterator[tuple[Any, ...]]:
    p = district.proposals
    agency_id = {code: a.pk for code, a in plans.agencies.items()}
    renja_id = {key: line.pk for key, line in plans.renja_lines.items()}
    year = district.rkpd.year
    accepted = "accepted"
    for i in range(len(p)):
        agency_code = p.agency_code[i]
        code = p.sub_activity_code[i]
        renja = renja_id.get((agency_code, code)) if p.status[i] == accepted else None
        yield (year, p.channel[i], p.stage[i], p.status[i], p.title[i], p.description[i], p.village_code[i],
               p.district_code[i], p.address[i], p.volume[i], p.unit[i], p.estimated_cost[i], p.priority_rank[i],
               p.proposer_name[i], p.proposer_role[i], p.councillor_name[i], agency_id.get(agency_code), code,
               renja, p.created_at[i])
