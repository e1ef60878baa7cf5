"""From a government's proposals for one year to a `SelectionInstance` (arrays, built in numpy).

One `values_list` query reads the proposals; everything else (scores, ballots, groups) is array
work, so that a regency's 160,000 proposals take a second or two, not minutes. Who supports what,
in which order and with what weight is decided in `selaras.engines.selection.ballots`; this
module only queries and packs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selaras.engines.memory import gc_paused
from selaras.engines.scoring import ScoringInput, member_match, prefix_match, program_match, score
from selaras.engines.selection import SelectionInstance
from selaras.engines.selection.ballots import (
    ProposalColumns,
    ballots,
    forum_ranks,
    groups,
    ineligible_reasons,
)
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.models import Proposal
from selaras.web.selection.parameters import RunParameters, resolve

__all__ = ["BuiltInstance", "build_instance"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class BuiltInstance:
    """The instance plus the per-proposal columns the run is stored with (row i = project i)."""

    instance: SelectionInstance
    parameters: RunParameters  # resolved
    proposal_ids: IntArray
    numbers: list[str]
    agency_ids: list[int | None]
    district_codes: list[str]
    costs: IntArray
    scores: npt.NDArray[np.float64]
    agency_codes: dict[int, str]
    ineligible: dict[str, str]
    voter_counts: dict[str, int]
    district_population: dict[str, int]  # per kecamatan code (reference data), where known


FIELDS = ("id", "number", "channel", "status", "village_code", "district_code", "estimated_cost",
          "priority_rank", "district_rank", "councillor_name", "agency_id", "sub_activity_code")


@gc_paused()  # millions of row values: no cyclic garbage (engines/memory.py)
def build_instance(government: LocalGovernment, year: int, params: RunParameters | None = None) -> BuiltInstance:
    """Read the proposals of `government` for `year` in the chosen channels and pack them."""
    params = params or RunParameters()
    rows = list(
        Proposal.objects.filter(government=government, year=year, channel__in=list(params.channels))
        .order_by("id").values_list(*FIELDS))
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(FIELDS)
    (ids, numbers, channel, status, village, district, cost, prank, drank, councillor, agency_id,
     sub_activity) = cols
    n = len(rows)
    params = resolve(government, year, params, sorted(set(district)))
    agencies = dict(Agency.objects.filter(government=government).values_list("id", "code"))
    costs = np.asarray(cost, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    agency_list: list[int | None] = list(agency_id)
    columns = ProposalColumns(
        channels=channel, village_codes=village, district_codes=district, village_ranks=prank,
        district_ranks=drank, councillor_names=councillor,
        agency_keys=[str(a) if a is not None else "" for a in agency_list],
    )
    ranks = forum_ranks(columns)

    population = _population(government, list(village) + list(district))
    beneficiaries = np.asarray(
        [population.get(v) or population.get(d) or np.nan for v, d in zip(village, district, strict=True)],
        dtype=np.float64)
    scoring = ScoringInput.build(
        cost=costs, rank=ranks.rank, rank_group=ranks.forum,
        priority_program=program_match(sub_activity, params.priority_programs or []),
        spm=prefix_match(sub_activity, params.spm_prefixes),
        locus=member_match(village, params.locus_villages),
        beneficiaries=beneficiaries,
    )
    scores = score(scoring, params.weights).total if n else np.zeros(0, dtype=np.float64)

    ineligible = ineligible_reasons(numbers, status, [a is not None for a in agency_list], params.statuses,
                                    params.require_agency)
    eligible = np.asarray([num not in ineligible for num in numbers], dtype=bool)
    cast = ballots(columns, scores, eligible, params.supporter_weights, ranks)
    agency_codes = [agencies.get(a, "") if a is not None else "" for a in agency_list]
    instance = SelectionInstance.build(
        list(numbers), costs, params.budget or 0, ballot_indices=(cast.indptr, cast.items),
        weights=cast.weights, scores=scores,
        groups=groups(numbers, agency_codes, district, params.ceilings or {}, params.floors or {}),
        ineligible=ineligible,
    )
    return BuiltInstance(
        instance=instance, parameters=params, proposal_ids=np.asarray(ids, dtype=np.int64),
        numbers=list(numbers), agency_ids=agency_list, district_codes=list(district), costs=costs,
        scores=scores, agency_codes=agencies, ineligible=ineligible, voter_counts=cast.voter_counts,
        district_population={d: population[d] for d in set(district) if d and d in population},
    )


def _population(government: LocalGovernment, codes: list[str]) -> dict[str, int]:
    from selaras.web.reference.models import Region

    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    # the government's own regions (a few hundred rows), not an IN list of every code asked for
    rows = Region.objects.filter(edition=government.region_edition, code__startswith=f"{government.region_code}.",
                                 population__isnull=False).values_list("code", "population")
    found = {code: int(pop) for code, pop in rows if pop is not None and code in wanted}
    missing = wanted - found.keys() - {c for c in wanted if c.startswith(f"{government.region_code}.")}
    if missing:  # codes outside the government's own (rare): asked for by name
        found.update((code, int(pop)) for code, pop in Region.objects.filter(
            edition=government.region_edition, code__in=sorted(missing), population__isnull=False,
        ).values_list("code", "population") if pop is not None)
    return found
