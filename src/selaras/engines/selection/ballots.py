"""Ballot rules: who supports which proposal, in which order, with what weight; who may compete.

These are planning rules (the forums of the Musrenbang, the councillors' Pokir, the agencies'
Pra-Renja), so they live here as plain array code that a test can check by hand, apart from
the database query that feeds them (`selaras.web.selection.building`).

Supporters (voters of the selection rules), one kind at a time, in this order:
- each village forum (Musrenbang Desa/Kelurahan) supports the proposals located in its village;
- each kecamatan forum (Musrenbang Kecamatan) supports the proposals located in its kecamatan;
- each councillor supports his or her own Pokir (names compared without case and extra spaces);
- each agency supports its own Pra-Renja drafts.
Within a kind, supporters are numbered in the sorted order of their key (village code, kecamatan
code, normalised name, agency key). A ballot lists the supporter's eligible proposals in priority
order: forum rank first (unranked last), then score (highest first), then row order (the caller
passes rows in proposal-number order). Each kind has a weight; weight 0 leaves the kind out, and a
supporter with no eligible proposal has no ballot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selaras.domain.proposals import STATUS_LABELS, Channel, ProposalStatus
from selaras.engines.selection.model import Group

__all__ = [
    "SUPPORTER_KINDS",
    "DEFAULT_SUPPORTER_WEIGHTS",
    "ProposalColumns",
    "ForumRanks",
    "Ballots",
    "forum_ranks",
    "supporters",
    "ballot_positions",
    "ballots",
    "ineligible_reasons",
    "groups",
    "agency_group_key",
    "district_group_key",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: The kinds of supporter, in the order their ballots are laid out.
SUPPORTER_KINDS: tuple[str, ...] = ("village_forum", "district_forum", "councillor", "agency")
#: Every kind counts once unless a run says otherwise.
DEFAULT_SUPPORTER_WEIGHTS: Mapping[str, int] = {kind: 1 for kind in SUPPORTER_KINDS}


@dataclass(frozen=True)
class ProposalColumns:
    """The columns of the proposals the ballot rules read; row i is project i.

    Blank strings mean "none" (no village, no councillor, no agency); ranks of 0 or None mean
    "not ranked by that forum". `agency_keys` identify the proposing agency (any text, e.g. its id).
    """

    channels: Sequence[str]
    village_codes: Sequence[str]
    district_codes: Sequence[str]
    village_ranks: Sequence[int | None]
    district_ranks: Sequence[int | None]
    councillor_names: Sequence[str]
    agency_keys: Sequence[str]

    def __len__(self) -> int:
        return len(self.channels)


@dataclass(frozen=True, eq=False)
class ForumRanks:
    """Each proposal's forum rank (0 = unranked) and an integer id of the forum that gave it."""

    rank: IntArray
    forum: IntArray


@dataclass(frozen=True, eq=False)
class Ballots:
    """Ballots as CSR (voter v supports `items[indptr[v]:indptr[v+1]]`), a weight per voter and
    the number of voters of each kind."""

    indptr: IntArray
    items: IntArray
    weights: IntArray
    voter_counts: dict[str, int]


def _dense(values: Sequence[str]) -> IntArray:
    """Dense integer ids of non-blank values (in sorted order of the values), -1 for blank."""
    keys = [v or "" for v in values]
    # `sorted` orders strings by code point; "" sorts first and becomes -1
    distinct = sorted(set(keys))
    first = -1 if distinct and distinct[0] == "" else 0
    index = {value: first + i for i, value in enumerate(distinct)}
    return np.fromiter(map(index.__getitem__, keys), dtype=np.int64, count=len(keys))


def forum_ranks(columns: ProposalColumns) -> ForumRanks:
    """The kecamatan forum's rank when it ranked the proposal, else the village forum's.

    Forum ids: villages 0.., kecamatan after every possible village id, -1 for no village.
    """
    district_rank = np.asarray([r or 0 for r in columns.district_ranks], dtype=np.int64)
    village_rank = np.asarray([r or 0 for r in columns.village_ranks], dtype=np.int64)
    by_district = district_rank > 0
    village = _dense(columns.village_codes)
    district = _dense(columns.district_codes)
    forum = np.where(by_district, district + len(village) + 1, village)
    return ForumRanks(rank=np.where(by_district, district_rank, village_rank), forum=forum)


def supporters(columns: ProposalColumns) -> list[tuple[str, IntArray]]:
    """Per kind of supporter: the supporter id of each row's supporter of that kind (-1 none)."""
    channel = np.asarray(columns.channels, dtype=object)
    councillor = _dense([" ".join(name.split()).lower() for name in columns.councillor_names])
    agency = _dense(columns.agency_keys)
    return [
        ("village_forum", _dense(columns.village_codes)),
        ("district_forum", _dense(columns.district_codes)),
        ("councillor", np.where(channel == Channel.POKIR.value, councillor, -1)),
        ("agency", np.where(channel == Channel.AGENCY_DRAFT.value, agency, -1)),
    ]


def ballot_positions(rank: IntArray, scores: FloatArray) -> IntArray:
    """Each row's place in ballot order: rank (unranked last), score (high first), row order."""
    n = len(rank)
    position = np.empty(n, dtype=np.int64)
    unranked_last = np.where(rank > 0, rank, np.iinfo(np.int64).max)
    position[np.lexsort((np.arange(n), -scores, unranked_last))] = np.arange(n)
    return position


def ballots(columns: ProposalColumns, scores: FloatArray, eligible: BoolArray,
            weights_by_kind: Mapping[str, int], ranks: ForumRanks | None = None) -> Ballots:
    """The ballots of every supporter over the eligible rows, with their weights (`ranks`: the
    rows' `forum_ranks`, when the caller has them already)."""
    position = ballot_positions((ranks or forum_ranks(columns)).rank, scores)
    voter_parts: list[IntArray] = []
    item_parts: list[IntArray] = []
    weight_parts: list[IntArray] = []
    counts: dict[str, int] = {}
    offset = 0
    for kind, key in supporters(columns):
        weight = int(weights_by_kind.get(kind, 0))
        rows = np.flatnonzero((key >= 0) & eligible)
        if weight <= 0 or len(rows) == 0:
            counts[kind] = 0
            continue
        used, dense = np.unique(key[rows], return_inverse=True)  # voters with an empty ballot drop out
        voter_parts.append(dense.astype(np.int64) + offset)
        item_parts.append(rows.astype(np.int64))
        weight_parts.append(np.full(len(used), weight, dtype=np.int64))
        counts[kind] = len(used)
        offset += len(used)
    if not voter_parts:
        empty = np.zeros(0, dtype=np.int64)
        return Ballots(np.zeros(1, dtype=np.int64), empty, empty.copy(), counts)
    voters = np.concatenate(voter_parts)
    items = np.concatenate(item_parts)
    order = np.lexsort((position[items], voters))
    voters, items = voters[order], items[order]
    indptr = np.zeros(offset + 1, dtype=np.int64)
    np.cumsum(np.bincount(voters, minlength=offset), out=indptr[1:])
    return Ballots(indptr, items, np.concatenate(weight_parts), counts)


def ineligible_reasons(numbers: Sequence[str], statuses: Sequence[str], has_agency: Sequence[bool],
                       allowed_statuses: Sequence[str], require_agency: bool) -> dict[str, str]:
    """Proposals that may not compete, by number, with the rule each fails (Bahasa, shown as is)."""
    allowed = set(allowed_statuses)
    out: dict[str, str] = {}
    for number, status, agency in zip(numbers, statuses, has_agency, strict=True):
        if status not in allowed:
            known = status in ProposalStatus._value2member_map_
            label = STATUS_LABELS.get(ProposalStatus(status), status) if known else status
            out[number] = f"status usulan {label}"
        elif require_agency and not agency:
            out[number] = "belum ditetapkan perangkat daerah pelaksana"
    return out


def agency_group_key(code: str) -> str:
    """The group of an agency's proposals (its ceiling), as named in reasons."""
    return f"perangkat_daerah:{code}"


def district_group_key(code: str) -> str:
    """The group of a kecamatan's proposals (its floor), as named in reasons."""
    return f"kecamatan:{code}"


def groups(numbers: Sequence[str], agency_codes: Sequence[str], district_codes: Sequence[str],
           ceilings: Mapping[str, int], floors: Mapping[str, int]) -> list[Group]:
    """An agency group for each agency with a ceiling, a kecamatan group for each non-zero floor."""
    by_agency: dict[str, list[str]] = {}
    by_district: dict[str, list[str]] = {}
    for number, code, district in zip(numbers, agency_codes, district_codes, strict=True):
        if code:
            by_agency.setdefault(code, []).append(number)
        if district:
            by_district.setdefault(district, []).append(number)
    out = [Group(agency_group_key(code), tuple(members), ceiling=ceilings.get(code))
           for code, members in sorted(by_agency.items()) if code in ceilings]
    out += [Group(district_group_key(code), tuple(members), floor=floors[code])
            for code, members in sorted(by_district.items()) if floors.get(code)]
    return out
