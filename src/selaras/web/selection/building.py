"""From a government's proposals for one year to a `SelectionInstance` (arrays, built in numpy).

One `values_list` query reads the proposals; everything else (scores, ballots, groups) is array
work, so that a regency's 160,000 proposals take a second or two, not minutes.

Supporters (voters of the rules):
- each village forum (Musrenbang Desa/Kelurahan) supports the proposals located in its village;
- each kecamatan forum (Musrenbang Kecamatan) supports the proposals located in its kecamatan;
- each councillor supports his or her own Pokir;
- each agency supports its own Pra-Renja drafts.
A ballot lists the forum's proposals in priority order: forum rank first (unranked last), then
score (highest first), then proposal number. Each kind of supporter has a weight (0 leaves it out).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selaras.domain.proposals import STATUS_LABELS, Channel, ProposalStatus
from selaras.engines.scoring import ScoringInput, member_match, prefix_match, program_match, score
from selaras.engines.selection import Group, SelectionInstance
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.models import Proposal
from selaras.web.selection.parameters import RunParameters, resolve

__all__ = ["BuiltInstance", "build_instance", "agency_group_key", "district_group_key"]

IntArray = npt.NDArray[np.int64]


def agency_group_key(code: str) -> str:
    return f"perangkat_daerah:{code}"


def district_group_key(code: str) -> str:
    return f"kecamatan:{code}"


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


FIELDS = ("id", "number", "channel", "status", "village_code", "district_code", "estimated_cost",
          "priority_rank", "district_rank", "councillor_name", "agency_id", "sub_activity_code")


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
    channel_arr = np.asarray(channel, dtype=object)
    costs = np.asarray(cost, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    agency_list: list[int | None] = list(agency_id)
    agency_code_list = [agencies.get(a, "") if a is not None else "" for a in agency_list]

    # forum rank: the kecamatan forum's rank when it ranked the proposal, else the village's
    drank_arr = np.asarray([r or 0 for r in drank], dtype=np.int64)
    prank_arr = np.asarray([r or 0 for r in prank], dtype=np.int64)
    use_district = drank_arr > 0
    rank = np.where(use_district, drank_arr, prank_arr)
    village_id = _codes(village)
    district_id = _codes(district)
    rank_group = np.where(use_district, district_id + len(village_id) + 1, village_id)

    population = _population(government, list(village) + list(district))
    beneficiaries = np.asarray(
        [population.get(v) or population.get(d) or np.nan for v, d in zip(village, district, strict=True)],
        dtype=np.float64)
    scoring = ScoringInput.build(
        cost=costs, rank=rank, rank_group=rank_group,
        priority_program=program_match(sub_activity, params.priority_programs or []),
        spm=prefix_match(sub_activity, params.spm_prefixes),
        locus=member_match(village, params.locus_villages),
        beneficiaries=beneficiaries,
    )
    scores = score(scoring, params.weights).total if n else np.zeros(0, dtype=np.float64)

    ineligible = _ineligible(numbers, status, agency_list, params)
    eligible = np.asarray([num not in ineligible for num in numbers], dtype=bool)
    # ballot order: forum rank (unranked last), score (high first), number (rows are by number)
    position = np.empty(n, dtype=np.int64)
    position[np.lexsort((np.arange(n), -scores, np.where(rank > 0, rank, np.iinfo(np.int64).max)))] = np.arange(n)

    voter_keys: list[tuple[str, IntArray]] = [
        ("village_forum", village_id),
        ("district_forum", district_id),
        ("councillor", np.where(channel_arr == Channel.POKIR.value,
                                _codes([" ".join(c.split()).lower() for c in councillor]), -1)),
        ("agency", np.where(channel_arr == Channel.AGENCY_DRAFT.value,
                            _codes([str(a) if a is not None else "" for a in agency_list]), -1)),
    ]
    indptr, items, weights, voter_counts = _ballots(voter_keys, params.supporter_weights, eligible, position)

    groups = _groups(numbers, agency_code_list, district, params)
    instance = SelectionInstance.build(
        list(numbers), costs.tolist(), params.budget or 0, ballot_indices=(indptr, items),
        weights=weights.tolist(), scores=scores.tolist(), groups=groups, ineligible=ineligible,
    )
    return BuiltInstance(
        instance=instance, parameters=params, proposal_ids=np.asarray(ids, dtype=np.int64),
        numbers=list(numbers), agency_ids=agency_list, district_codes=list(district), costs=costs,
        scores=scores, agency_codes=agencies, ineligible=ineligible, voter_counts=voter_counts,
    )


def _codes(values: tuple[str, ...] | list[str]) -> IntArray:
    """Dense integer ids of non-blank values (in sorted order of the values), -1 for blank."""
    ids = {v: i for i, v in enumerate(sorted({v for v in values if v}))}
    return np.fromiter((ids.get(v, -1) if v else -1 for v in values), dtype=np.int64, count=len(values))


def _population(government: LocalGovernment, codes: list[str]) -> dict[str, int]:
    from selaras.web.reference.models import Region

    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    rows = Region.objects.filter(edition=government.region_edition, code__in=wanted,
                                 population__isnull=False).values_list("code", "population")
    return {code: int(pop) for code, pop in rows}


def _ineligible(numbers: tuple[str, ...], status: tuple[str, ...], agency: list[int | None],
                params: RunParameters) -> dict[str, str]:
    allowed = set(params.statuses)
    out: dict[str, str] = {}
    for num, st, ag in zip(numbers, status, agency, strict=True):
        if st not in allowed:
            label = STATUS_LABELS.get(ProposalStatus(st), st) if st in ProposalStatus._value2member_map_ else st
            out[num] = f"status usulan {label}"
        elif params.require_agency and ag is None:
            out[num] = "belum ditetapkan perangkat daerah pelaksana"
    return out


def _ballots(
    voter_keys: list[tuple[str, IntArray]], weights_by_kind: dict[str, int], eligible: npt.NDArray[np.bool_],
    position: IntArray,
) -> tuple[IntArray, IntArray, IntArray, dict[str, int]]:
    voter_parts: list[IntArray] = []
    item_parts: list[IntArray] = []
    weight_parts: list[IntArray] = []
    counts: dict[str, int] = {}
    offset = 0
    for kind, key in voter_keys:
        w = int(weights_by_kind.get(kind, 0))
        rows = np.flatnonzero((key >= 0) & eligible)
        if w <= 0 or len(rows) == 0:
            counts[kind] = 0
            continue
        used, dense = np.unique(key[rows], return_inverse=True)  # voters with an empty ballot drop out
        voter_parts.append(dense.astype(np.int64) + offset)
        item_parts.append(rows.astype(np.int64))
        weight_parts.append(np.full(len(used), w, dtype=np.int64))
        counts[kind] = len(used)
        offset += len(used)
    if not voter_parts:
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), counts
    voters = np.concatenate(voter_parts)
    items = np.concatenate(item_parts)
    order = np.lexsort((position[items], voters))
    voters, items = voters[order], items[order]
    indptr = np.zeros(offset + 1, dtype=np.int64)
    np.cumsum(np.bincount(voters, minlength=offset), out=indptr[1:])
    return indptr, items, np.concatenate(weight_parts), counts


def _groups(numbers: tuple[str, ...], agency_codes: list[str], district: tuple[str, ...],
            params: RunParameters) -> list[Group]:
    by_agency: dict[str, list[str]] = {}
    by_district: dict[str, list[str]] = {}
    for num, code, kec in zip(numbers, agency_codes, district, strict=True):
        if code:
            by_agency.setdefault(code, []).append(num)
        if kec:
            by_district.setdefault(kec, []).append(num)
    ceilings = params.ceilings or {}
    floors = params.floors or {}
    groups = [Group(agency_group_key(code), tuple(members), ceiling=ceilings.get(code))
              for code, members in sorted(by_agency.items()) if code in ceilings]
    groups += [Group(district_group_key(code), tuple(members), floor=floors[code])
               for code, members in sorted(by_district.items()) if floors.get(code)]
    return groups
