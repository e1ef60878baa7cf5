"""Coverage summary: how much of the plan is cascaded, targeted and linked."""

from __future__ import annotations

from dataclasses import dataclass

from selaras.domain.cascade import PlanSet
from selaras.engines.alignment.index import PlanIndex

__all__ = ["Share", "Coverage", "coverage"]


@dataclass(frozen=True, slots=True)
class Share:
    done: int
    total: int

    @property
    def percent(self) -> float:
        """Share in percent, one decimal; 100 when there is nothing to cover."""
        return 100.0 if self.total == 0 else round(100.0 * self.done / self.total, 1)


@dataclass(frozen=True, slots=True)
class Coverage:
    rpjmd_objectives_served: Share
    renstra_objectives_linked: Share
    indicators_complete: Share
    renja_lines_in_renstra: Share
    proposals_linked: Share

    def as_dict(self) -> dict[str, dict[str, float | int]]:
        return {name: {"done": share.done, "total": share.total, "percent": share.percent}
                for name, share in (
                    ("rpjmd_objectives_served", self.rpjmd_objectives_served),
                    ("renstra_objectives_linked", self.renstra_objectives_linked),
                    ("indicators_complete", self.indicators_complete),
                    ("renja_lines_in_renstra", self.renja_lines_in_renstra),
                    ("proposals_linked", self.proposals_linked))}


def coverage(plan: PlanSet) -> Coverage:
    """Shares of objectives cascaded, indicators with full targets and proposals linked."""
    ix = PlanIndex(plan)
    served = ix.served_objective_ids
    objective_ids = ix.objective_ids
    complete = 0
    for indicator in plan.indicators:
        years = {year for year, _ in indicator.targets}
        if indicator.unit.strip() and indicator.baseline is not None and set(ix.indicator_years(indicator)) <= years:
            complete += 1
    in_renstra = 0
    for rline in plan.renja_lines:
        backing = ix.renstra_line_of_renja_line(rline)
        if backing is not None and backing.code == rline.code and backing.year(plan.year) is not None:
            in_renstra += 1
    linked = sum(1 for p in plan.proposals if p.renja_line_id is not None and p.renja_line_id in ix.renja_lines)
    return Coverage(
        rpjmd_objectives_served=Share(len(served & objective_ids), len(objective_ids)),
        renstra_objectives_linked=Share(
            sum(1 for o in plan.renstra_objectives if o.rpjmd_objective_id in objective_ids),
            len(plan.renstra_objectives)),
        indicators_complete=Share(complete, len(plan.indicators)),
        renja_lines_in_renstra=Share(in_renstra, len(plan.renja_lines)),
        proposals_linked=Share(linked, len(plan.proposals)),
    )
