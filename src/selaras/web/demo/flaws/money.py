"""Flaws in money (ceilings and indicative budgets) and in accepted proposals' links to the Renja."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Sum

from selaras.domain.proposals import Outcome, ProposalStatus, Stage
from selaras.web.demo.flaws.planter import Planter, take_line
from selaras.web.plans.models import Agency, AgencyAnnualPlan, RenjaLine, RenstraLineYear
from selaras.web.proposals.models import Decision, Proposal


def plant_money_flaws(p: Planter) -> None:
    # A Renja over its agency's ceiling.
    renjas = list(AgencyAnnualPlan.objects.filter(rkpd=p.rkpd).select_related("agency").annotate(
        total=Sum("lines__budget")).order_by("id"))
    renja = p.pick([r for r in renjas if (r.total or 0) > 1_000_000_000])
    if renja is not None:
        renja.ceiling = (renja.total // 1_000_000 - 100) * 1_000_000
        renja.save(update_fields=["ceiling"])
        p.plant("money.renja_over_ceiling", f"renja:{renja.pk}", p.year, renja.agency.code,
                f"Pagu indikatif {renja.agency} diturunkan di bawah total Renja-nya.")

    # The RKPD over the regional ceiling.
    total = RenjaLine.objects.filter(renja__rkpd=p.rkpd).aggregate(total=Sum("budget"))["total"] or 0
    if total > 0:
        p.rkpd.ceiling = (total // 1_000_000_000 - 1) * 1_000_000_000
        p.rkpd.save(update_fields=["ceiling"])
        p.plant("money.rkpd_over_ceiling", f"rkpd:{p.rkpd.pk}", p.year, "",
                "Pagu indikatif daerah diturunkan di bawah total seluruh Renja.")

    # A Renja line over its Renstra line's indicative budget for the year.
    line = take_line(p, "money")
    if line is not None:
        RenstraLineYear.objects.filter(line=line.renstra_line, year=p.year).update(
            budget=max(0, line.budget - 25_000_000))
        p.plant("money.renja_over_renstra_budget", f"renja_line:{line.pk}", p.year, line.renja.agency.code,
                f"Pagu Renstra {p.year} untuk {line.code} {line.renja.agency} diturunkan di bawah pagu Renja.")


def plant_proposal_flaws(p: Planter) -> None:
    accepted = Proposal.objects.filter(government=p.government, year=p.year, status=ProposalStatus.ACCEPTED.value,
                                       renja_line__isnull=False, agency__isnull=False)
    # The cost that counts is the latest decided one, else the estimate (as in the snapshot).
    cost = dict(accepted.values_list("pk", "estimated_cost"))
    for proposal_id, decided in Decision.objects.filter(proposal__in=accepted, new_cost__isnull=False).order_by(
            "created_at", "id").values_list("proposal_id", "new_cost"):
        cost[proposal_id] = decided or 0  # never None here: filtered on new_cost
    line_of = dict(accepted.values_list("pk", "renja_line_id"))
    totals: Counter[int] = Counter()
    for proposal_id, line_id in line_of.items():
        totals[line_id] += cost[proposal_id]
    budgets = dict(RenjaLine.objects.filter(pk__in=list(totals)).values_list("pk", "budget"))
    # Lines within budget: changing one proposal on them changes exactly one thing.
    fitting = sorted(line for line, total in totals.items() if total <= budgets[line] and line not in p.used_lines)
    # Accepted proposals with a Renja line and an agency (the filter above): typed loosely on purpose.
    proposals: list[Any] = list(accepted.filter(renja_line__in=fitting).select_related("agency", "renja_line__renja__agency")
                     .order_by("id"))
    if not proposals:
        return

    # Accepted proposals now costing more than their line's budget (a decision raised one cost).
    proposal = p.choose(proposals)
    line = proposal.renja_line
    new_cost = line.budget - totals[line.pk] + cost[proposal.pk] + 10_000_000
    Decision.objects.create(proposal=proposal, stage=Stage.AGENCY_FORUM.value,
                            outcome=Outcome.ACCEPTED_WITH_CHANGES.value, actor_role="agency",
                            reason="Volume ditambah sesuai kebutuhan lapangan", new_cost=new_cost)
    p.plant("proposals.over_line_budget", f"renja_line:{line.pk}", p.year, line.renja.agency.code,
            f"Biaya usulan {proposal.number} dinaikkan sehingga melebihi pagu baris Renja {line.code}.")
    rest = [x for x in proposals if x.renja_line_id != line.pk]

    def take() -> Any | None:
        chosen = p.pick(rest)
        if chosen is not None:
            rest.remove(chosen)
        return chosen

    proposal = take()
    if proposal is not None:
        proposal.renja_line = None
        proposal.save(update_fields=["renja_line"])
        p.plant("proposals.accepted_unlinked", f"proposal:{proposal.pk}", p.year, proposal.agency.code,
                f"Usulan {proposal.number} diterima tetapi kaitannya ke baris Renja dilepas.")

    proposal = take()
    if proposal is not None:
        other = Agency.objects.filter(government=p.government).exclude(
            pk=proposal.renja_line.renja.agency_id).order_by("id").first()
        if other is not None:
            original = proposal.renja_line.renja.agency
            proposal.agency = other
            proposal.save(update_fields=["agency"])
            p.plant("proposals.wrong_agency", f"proposal:{proposal.pk}", p.year, other.code,
                    f"Usulan {proposal.number} dipindah ke {other} padahal baris Renja-nya milik {original}.")

    proposal = take()
    if proposal is not None:
        code = proposal.renja_line.code.rsplit(".", 1)[0] + ".9998"
        proposal.sub_activity_code = code
        proposal.save(update_fields=["sub_activity_code"])
        p.plant("proposals.wrong_sub_activity", f"proposal:{proposal.pk}", p.year, proposal.agency.code,
                f"Sub kegiatan usulan {proposal.number} diubah sehingga tidak sama dengan baris Renja-nya.")
