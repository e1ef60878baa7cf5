"""Proposal rules: accepted proposals sit on a Renja line of the right agency and sub-activity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from selaras.domain.cascade import AcceptedProposal, RenjaLineSnap
from selaras.domain.findings import Location, Severity
from selaras.engines.alignment.index import PlanIndex, ref
from selaras.engines.alignment.registry import AlignmentConfig, Hit, rule


def _location(proposal: AcceptedProposal, year: int) -> Location:
    return Location(document="Usulan", line=ref("proposal", proposal.id),
                    code=proposal.sub_activity_code, year=year)


def _accepted(ix: PlanIndex) -> list[AcceptedProposal]:
    return sorted(ix.plan.proposals, key=lambda p: p.id)


def _accepted_on_lines(ix: PlanIndex) -> Iterator[tuple[AcceptedProposal, RenjaLineSnap]]:
    """Accepted proposals whose line is in this year's Renja, with that line (the rules that
    compare a proposal with its line skip the others: `line_of_other_year` reports them)."""
    for proposal in _accepted(ix):
        line = ix.renja_lines.get(proposal.renja_line_id) if proposal.renja_line_id is not None else None
        if line is not None:
            yield proposal, line


def _hit(ix: PlanIndex, proposal: AcceptedProposal, **params: Any) -> Hit:
    """A finding on one proposal: its location, its agency and number, then the rule's own params."""
    return _location(proposal, ix.year), {"agency": ix.agency_code(proposal.agency_id),
                                          "number": proposal.number, **params}


@rule("proposals.accepted_unlinked", Severity.ERROR, "An accepted proposal has no Renja line.")
def accepted_unlinked(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for proposal in _accepted(ix):
        if proposal.renja_line_id is None:
            yield _hit(ix, proposal)


@rule("proposals.line_of_other_year", Severity.ERROR,
      "An accepted proposal is linked to a Renja line outside this year's Renja.")
def line_of_other_year(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for proposal in _accepted(ix):
        if proposal.renja_line_id is not None and proposal.renja_line_id not in ix.renja_lines:
            yield _hit(ix, proposal, renja_line=proposal.renja_line_id)


@rule("proposals.wrong_agency", Severity.ERROR,
      "An accepted proposal's Renja line belongs to another agency.")
def wrong_agency(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for proposal, line in _accepted_on_lines(ix):
        if proposal.agency_id is None:
            continue
        agency = ix.agency_of_renja_line(line)
        if agency is None or agency.id != proposal.agency_id:
            yield _hit(ix, proposal, line_agency=agency.code if agency else "", renja_line=line.id)


@rule("proposals.wrong_sub_activity", Severity.ERROR,
      "An accepted proposal's sub-activity differs from its Renja line's code.")
def wrong_sub_activity(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    for proposal, line in _accepted_on_lines(ix):
        if proposal.sub_activity_code and line.code != proposal.sub_activity_code:
            yield _hit(ix, proposal, line_code=line.code, renja_line=line.id)


@rule("proposals.over_line_budget", Severity.ERROR,
      "Accepted proposals on a Renja line cost more than the line's budget.")
def over_line_budget(ix: PlanIndex, config: AlignmentConfig) -> Iterator[Hit]:
    cost: dict[int, int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    for proposal in ix.plan.proposals:
        if proposal.renja_line_id is not None:
            cost[proposal.renja_line_id] += proposal.cost
            count[proposal.renja_line_id] += 1
    for line_id in sorted(cost):
        line = ix.renja_lines.get(line_id)
        if line is None or cost[line_id] <= line.budget:
            continue
        agency = ix.agency_of_renja_line(line)
        yield (ix.renja_line_location(line),
               {"agency": agency.code if agency else "", "cost": cost[line_id], "budget": line.budget,
                "proposals": count[line_id], "excess": cost[line_id] - line.budget})
