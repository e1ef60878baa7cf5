"""Input and output types of the selection engine (arrays inside, plain values outside)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from selaras.domain.errors import InvalidInput
from selaras.domain.selection import Reason

__all__ = [
    "Group",
    "SelectionInstance",
    "ProjectOutcome",
    "FloorShortfall",
    "SelectionResult",
    "SelectionError",
    "Outcomes",
]

MONEY_LIMIT = 2**62  # budget, ceilings, floors and the sum of all costs stay below it (int64 kernels)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class SelectionError(InvalidInput):
    """The input cannot be selected from (bad ids, negative costs, ...); still a `ValueError`."""

    code = "selection_invalid"


@dataclass(frozen=True)
class Group:
    """A set of projects with an optional ceiling (at most) and floor (at least), in rupiah.

    `key` names the group in reasons, e.g. "perangkat_daerah:1.02.01" or "kecamatan:3201010".
    """

    key: str
    members: tuple[str, ...]
    ceiling: int | None = None
    floor: int | None = None


@dataclass(frozen=True, eq=False)
class SelectionInstance:
    """Projects, money and supporters as arrays. Build it with `SelectionInstance.build`.

    Ballots are stored as CSR: voter v supports `items[indptr[v]:indptr[v+1]]` (project indices,
    in ballot order, which is the rank for ordinal ballots). Voters with an empty ballot count
    (they hold a share of the budget under equal shares).
    """

    project_ids: tuple[str, ...]
    costs: IntArray
    budget: int
    indptr: IntArray
    items: IntArray
    weights: IntArray
    scores: FloatArray | None = None
    groups: tuple[Group, ...] = ()
    mandatory: frozenset[str] = frozenset()
    ineligible: Mapping[str, str] = field(default_factory=dict)
    # per group: the member project indices, sorted and unique (filled by `build`)
    group_indices: tuple[IntArray, ...] = ()

    @staticmethod
    def build(
        project_ids: Sequence[str],
        costs: Sequence[int] | IntArray,
        budget: int,
        ballots: Sequence[Sequence[str]] | None = None,
        *,
        ballot_indices: tuple[IntArray, IntArray] | None = None,
        weights: Sequence[int] | IntArray | None = None,
        scores: Sequence[float] | FloatArray | None = None,
        groups: Sequence[Group] = (),
        mandatory: Sequence[str] = (),
        ineligible: Mapping[str, str] | None = None,
    ) -> SelectionInstance:
        """Validate and pack an instance.

        `ballots` lists, per voter, the supported project ids (duplicates are dropped, first
        position kept). Large inputs may pass `ballot_indices=(indptr, items)` instead.
        `ineligible` maps a project id to the eligibility rule it fails.
        """
        ids = tuple(str(p) for p in project_ids)
        index = {p: i for i, p in enumerate(ids)}
        if len(index) != len(ids):
            raise SelectionError("id proyek ganda")
        cost_arr = np.array(costs, dtype=np.int64)
        if cost_arr.shape != (len(ids),):
            raise SelectionError("jumlah biaya tidak sama dengan jumlah proyek")
        if len(ids) and int(cost_arr.min()) < 0:
            raise SelectionError("biaya negatif")
        if budget < 0:
            raise SelectionError("anggaran negatif")
        amounts = [budget, sum(cost_arr.tolist())]  # exact (no int64 overflow)
        amounts += [a for g in groups for a in (g.ceiling, g.floor) if a is not None]
        if max(amounts) >= MONEY_LIMIT:
            raise SelectionError("jumlah uang terlalu besar: anggaran, pagu, batas bawah dan jumlah biaya usulan "
                                 "harus di bawah 4,6 juta triliun")
        if ballot_indices is not None:
            indptr = np.asarray(ballot_indices[0], dtype=np.int64)
            items = np.asarray(ballot_indices[1], dtype=np.int64)
        else:
            ptr = [0]
            flat: list[int] = []
            for ballot in ballots or ():
                seen: set[int] = set()
                for pid in ballot:
                    j = index.get(pid)
                    if j is None:
                        raise SelectionError(f"surat suara menyebut proyek tak dikenal: {pid}")
                    if j not in seen:
                        seen.add(j)
                        flat.append(j)
                ptr.append(len(flat))
            indptr = np.asarray(ptr, dtype=np.int64)
            items = np.asarray(flat, dtype=np.int64)
        n_voters = len(indptr) - 1
        if len(items) and (int(items.min()) < 0 or int(items.max()) >= len(ids)):
            raise SelectionError("indeks proyek di luar jangkauan")
        w = (
            np.ones(n_voters, dtype=np.int64)
            if weights is None
            else np.array(weights, dtype=np.int64)
        )
        if w.shape != (n_voters,) or (n_voters and int(w.min()) < 0):
            raise SelectionError("bobot pemilih tidak sah")
        score_arr = None if scores is None else np.array(scores, dtype=np.float64)
        group_indices = []
        for g in groups:
            try:
                found = [index[m] for m in g.members]
            except KeyError as e:
                raise SelectionError(f"kelompok {g.key} menyebut proyek tak dikenal: {e.args[0]}") from None
            group_indices.append(np.unique(np.asarray(found, dtype=np.int64)))
        for m in mandatory:
            if m not in index:
                raise SelectionError(f"proyek wajib tak dikenal: {m}")
        return SelectionInstance(
            project_ids=ids,
            costs=cost_arr,
            budget=int(budget),
            indptr=indptr,
            items=items,
            weights=w,
            scores=score_arr,
            groups=tuple(groups),
            mandatory=frozenset(mandatory),
            ineligible=dict(ineligible or {}),
            group_indices=tuple(group_indices),
        )

    @property
    def n_projects(self) -> int:
        """Number of projects."""
        return len(self.project_ids)

    @property
    def n_voters(self) -> int:
        """Number of voters (ballots), empty ballots included."""
        return len(self.indptr) - 1


class ProjectOutcome(NamedTuple):
    """The decision on one project with its reason."""

    project_id: str
    selected: bool
    cost: int
    reason: Reason
    order: int | None = None  # position in the selection order (1-based), None if rejected


class Outcomes(Mapping[str, ProjectOutcome]):
    """The outcome of every project by id, in id order; each `ProjectOutcome` is made on access
    (a district has ~163,000 of them, most never looked at)."""

    def __init__(
        self,
        ids: tuple[str, ...],
        index: Mapping[str, int],
        id_order: list[int],
        selected: list[bool],
        costs: list[int],
        reasons: Mapping[int, Reason],
        order: Mapping[int, int],
    ) -> None:
        self._ids = ids
        self._index = index
        self._id_order = id_order
        self._selected = selected
        self._costs = costs
        self._reasons = reasons
        self._order = order

    def __getitem__(self, project_id: str) -> ProjectOutcome:
        p = self._index[project_id]
        return ProjectOutcome(
            self._ids[p], self._selected[p], self._costs[p], self._reasons[p], self._order.get(p)
        )

    def __iter__(self) -> Iterator[str]:
        ids = self._ids
        return (ids[p] for p in self._id_order)

    def __len__(self) -> int:
        return len(self._id_order)

    def __repr__(self) -> str:
        return f"Outcomes({len(self)} proyek)"


@dataclass(frozen=True)
class FloorShortfall:
    """A floor that could not be met (budget, ceilings or too few eligible projects)."""

    group: str
    floor: int
    achieved: int


@dataclass(frozen=True)
class SelectionResult:
    """Outcome of `select`: the chosen projects in selection order, and a reason per project."""

    rule: str
    completion: str | None
    selected: tuple[str, ...]
    cost: int
    budget: int
    outcomes: Mapping[str, ProjectOutcome]
    tie_breaking: str
    floor_shortfalls: tuple[FloorShortfall, ...] = ()
    ceiling_violations: tuple[str, ...] = ()
    seconds: float = 0.0
    details: Mapping[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "rule": self.rule,
            "completion": self.completion,
            "selected": list(self.selected),
            "cost": self.cost,
            "budget": self.budget,
            "tie_breaking": self.tie_breaking,
            "seconds": self.seconds,
            "floor_shortfalls": [
                {"group": f.group, "floor": f.floor, "achieved": f.achieved}
                for f in self.floor_shortfalls
            ],
            "ceiling_violations": list(self.ceiling_violations),
            "details": dict(self.details),
            "projects": [
                {
                    "id": o.project_id,
                    "selected": o.selected,
                    "cost": o.cost,
                    "order": o.order,
                    "reason": o.reason.as_dict(),
                }
                for o in self.outcomes.values()
            ],
        }
