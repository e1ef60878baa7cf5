"""The lists agreed at a forum, read from the proposals and their append-only decisions:
the priorities of a Musrenbang Kecamatan (T-D.4) and the proposals a Forum Perangkat Daerah accepted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch

from selaras.domain.proposals import Outcome, Stage
from selaras.web.documents.builders.common import nomenclature_names, program_code, region_names
from selaras.web.plans.models import Agency, LocalGovernment, PriorityProgram
from selaras.web.proposals.models import Decision, Proposal

#: Outcomes at a forum that put a proposal on its agreed list.
AGREED = frozenset({Outcome.FORWARDED.value, Outcome.ACCEPTED.value, Outcome.ACCEPTED_WITH_CHANGES.value})


@dataclass(frozen=True)
class AgreedItem:
    """One proposal on a forum's agreed list, with the volume and cost the forum agreed."""

    number: str
    title: str
    description: str
    village: str
    district: str
    volume: Decimal
    unit: str
    cost: int
    outcome: str
    reason: str
    agency: str
    sub_activity_code: str
    sub_activity: str
    program: str
    priority: str
    objective: str
    decided_on: str


def _latest_at(proposal: Proposal, stage: Stage) -> Decision | None:
    found = [d for d in proposal.decisions.all() if d.stage == stage.value]
    return found[-1] if found else None


def agreed_items(government: LocalGovernment, year: int, stage: Stage, *, district_code: str = "",
                 agency: Agency | None = None) -> list[AgreedItem]:
    """Proposals whose latest decision at `stage` puts them on the agreed list, in priority order."""
    # a semi-join on the decisions' proposal index: a join with DISTINCT over every proposal column
    # once took PostgreSQL 770 s on freshly loaded tables (a plan from missing statistics)
    decided = Decision.objects.filter(proposal=OuterRef("pk"), stage=stage.value)
    qs = Proposal.objects.filter(Exists(decided), government=government, year=year)
    if district_code:
        qs = qs.filter(district_code=district_code)
    if agency is not None:
        qs = qs.filter(agency=agency)
    qs = qs.select_related("agency", "renja_line__renstra_line__objective").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("created_at", "id")))
    chosen: list[tuple[Proposal, Decision]] = []
    for proposal in qs:
        decision = _latest_at(proposal, stage)
        if decision is not None and decision.outcome in AGREED:
            chosen.append((proposal, decision))
    chosen.sort(key=lambda pd: (pd[0].district_rank is None, pd[0].district_rank or 0,
                                pd[0].priority_rank is None, pd[0].priority_rank or 0, pd[0].number))
    places = region_names(government, [c for p, _ in chosen for c in (p.village_code, p.district_code)])
    codes = [c for p, _ in chosen for c in (p.sub_activity_code, program_code(p.sub_activity_code))]
    names = nomenclature_names(government, codes)
    priorities = dict(PriorityProgram.objects.filter(rkpd__government=government, rkpd__year=year)
                      .values_list("code", "name"))
    items = []
    for proposal, decision in chosen:
        objective = ""
        line = proposal.renja_line
        if line is not None and line.renstra_line is not None and line.renstra_line.objective is not None:
            objective = line.renstra_line.objective.text
        program = program_code(proposal.sub_activity_code)
        items.append(AgreedItem(
            number=proposal.number, title=proposal.title, description=proposal.description,
            village=places.get(proposal.village_code, proposal.village_code),
            district=places.get(proposal.district_code, proposal.district_code),
            volume=decision.new_volume if decision.new_volume is not None else proposal.volume,
            unit=proposal.unit,
            cost=decision.new_cost if decision.new_cost is not None else proposal.estimated_cost,
            outcome=decision.get_outcome_display(), reason=decision.reason,
            agency=(proposal.agency.name if proposal.agency else ""),
            sub_activity_code=proposal.sub_activity_code,
            sub_activity=names.get(proposal.sub_activity_code, ""),
            program=names.get(program, program),
            priority=priorities.get(program, ""),
            objective=objective,
            decided_on=decision.created_at.date().isoformat(),
        ))
    return items
