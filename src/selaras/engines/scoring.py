"""Scoring proposals by weighted criteria, from plain per-proposal arrays.

A score says how strongly the plan wants a proposal, independent of the money: the greedy-score
and exact selection rules rank by it. Every criterion maps each proposal to a value in [0, 1];
the score is the weighted mean of the criteria times 100, so it lies in [0, 100].

Criteria (identifiers are stable; the web layer shows their Bahasa Indonesia labels):

``urgency``
    The forum's priority rank (1 = most urgent) within its ranking group (the village or
    kecamatan forum that ranked it): ``(R - r + 1) / R`` where ``R`` is the largest rank in the
    group. An unranked proposal gets 0.
``priority_program``
    1 when the proposal's program (sub-activity code cut to ``U.BB.PP``) is a priority program of
    the RKPD/RPJMD, else 0.
``spm``
    1 when the proposal serves a minimum service standard (SPM) affair, else 0.
``locus``
    1 when the proposal lies in a stunting or poverty locus village, else 0.
``beneficiaries``
    A proxy for the people served (e.g. the population of the village or kecamatan), on a log
    scale between the smallest and largest known value; unknown (NaN or negative) values get the
    median of the known ones, so a missing figure neither helps nor hurts.
``cost``
    Cheaper is better: ``1 - (log c - log c_min) / (log c_max - log c_min)`` over positive costs;
    a cost of 0 gets 1. All-equal costs give 1 to everybody.

Weights are non-negative numbers; a criterion with weight 0 (or absent) does not count. If every
weight is 0 the score is 0 for all. Scores are rounded to 6 decimals so that the order of
proposals does not depend on the last bits of floating-point sums. Same input, same output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = [
    "Criterion",
    "DEFAULT_WEIGHTS",
    "SPM_SECTOR_PREFIXES",
    "ScoringInput",
    "Scores",
    "criterion_values",
    "score",
    "program_match",
    "prefix_match",
    "member_match",
    "normalise_weights",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DECIMALS = 6


class Criterion(StrEnum):
    """Scoring criteria (see the module docstring for the formulas)."""

    URGENCY = "urgency"
    PRIORITY_PROGRAM = "priority_program"
    SPM = "spm"
    LOCUS = "locus"
    BENEFICIARIES = "beneficiaries"
    COST = "cost"


#: Default weights: the forum's urgency and the plan's priorities first, money last.
DEFAULT_WEIGHTS: Mapping[Criterion, float] = {
    Criterion.URGENCY: 3.0,
    Criterion.PRIORITY_PROGRAM: 3.0,
    Criterion.SPM: 2.0,
    Criterion.LOCUS: 2.0,
    Criterion.BENEFICIARIES: 1.0,
    Criterion.COST: 1.0,
}

#: Sector codes (bidang urusan) of the six SPM affairs (PP 2/2018): education, health, public
#: works, housing, public order and social affairs.
SPM_SECTOR_PREFIXES: tuple[str, ...] = ("1.01", "1.02", "1.03", "1.04", "1.05", "1.06")


@dataclass(frozen=True, eq=False)
class ScoringInput:
    """Per-proposal arrays, all of the same length n.

    `rank`: forum priority rank, 0 when unranked. `rank_group`: an integer id of the forum that
    ranked the proposal (ranks are compared only within a group). `beneficiaries`: NaN when
    unknown. `cost`: int rupiah.
    """

    rank: IntArray
    rank_group: IntArray
    priority_program: BoolArray
    spm: BoolArray
    locus: BoolArray
    beneficiaries: FloatArray
    cost: IntArray

    @staticmethod
    def build(
        *,
        cost: Sequence[int] | IntArray,
        rank: Sequence[int] | IntArray | None = None,
        rank_group: Sequence[int] | IntArray | None = None,
        priority_program: Sequence[bool] | BoolArray | None = None,
        spm: Sequence[bool] | BoolArray | None = None,
        locus: Sequence[bool] | BoolArray | None = None,
        beneficiaries: Sequence[float] | FloatArray | None = None,
    ) -> ScoringInput:
        """Pack and validate arrays; missing ones default to "no information" (0, False, NaN)."""
        cost_arr = np.asarray(cost, dtype=np.int64).reshape(-1)
        n = len(cost_arr)

        def ints(values: Sequence[int] | IntArray | None) -> IntArray:
            arr = np.zeros(n, dtype=np.int64) if values is None else np.asarray(values, dtype=np.int64)
            return arr.reshape(-1)

        def bools(values: Sequence[bool] | BoolArray | None) -> BoolArray:
            arr = np.zeros(n, dtype=bool) if values is None else np.asarray(values, dtype=bool)
            return arr.reshape(-1)

        ben = (
            np.full(n, np.nan, dtype=np.float64)
            if beneficiaries is None
            else np.asarray(beneficiaries, dtype=np.float64).reshape(-1)
        )
        out = ScoringInput(
            rank=ints(rank),
            rank_group=ints(rank_group),
            priority_program=bools(priority_program),
            spm=bools(spm),
            locus=bools(locus),
            beneficiaries=ben,
            cost=cost_arr,
        )
        for name in ("rank", "rank_group", "priority_program", "spm", "locus", "beneficiaries"):
            if len(getattr(out, name)) != n:
                raise ValueError(f"panjang larik {name} tidak sama dengan jumlah usulan ({n})")
        if n and int(cost_arr.min()) < 0:
            raise ValueError("biaya negatif")
        if n and int(out.rank.min()) < 0:
            raise ValueError("peringkat negatif")
        return out

    def __len__(self) -> int:
        return len(self.cost)


@dataclass(frozen=True, eq=False)
class Scores:
    """The total score (0..100) and each criterion's value (0..1) per proposal."""

    total: FloatArray
    parts: Mapping[Criterion, FloatArray]
    weights: Mapping[Criterion, float]


def normalise_weights(weights: Mapping[str, float] | Mapping[Criterion, float]) -> dict[Criterion, float]:
    """Known criteria with finite non-negative weights; unknown names raise ValueError."""
    out: dict[Criterion, float] = {}
    for key, value in weights.items():
        try:
            criterion = Criterion(key)
        except ValueError as exc:
            raise ValueError(f"kriteria tidak dikenal: {key}") from exc
        w = float(value)
        if not np.isfinite(w) or w < 0:
            raise ValueError(f"bobot kriteria {criterion.value} harus angka tidak negatif")
        out[criterion] = w
    return out


def _urgency(rank: IntArray, group: IntArray) -> FloatArray:
    n = len(rank)
    out = np.zeros(n, dtype=np.float64)
    ranked = rank > 0
    if not ranked.any():
        return out
    groups, inverse = np.unique(group[ranked], return_inverse=True)
    top = np.zeros(len(groups), dtype=np.int64)
    np.maximum.at(top, inverse, rank[ranked])
    r = rank[ranked].astype(np.float64)
    big = top[inverse].astype(np.float64)
    out[ranked] = (big - r + 1.0) / big
    return out


def _beneficiaries(values: FloatArray) -> FloatArray:
    n = len(values)
    known = np.isfinite(values) & (values >= 0)
    if not known.any():
        return np.zeros(n, dtype=np.float64)
    logs = np.log1p(np.where(known, values, 0.0))
    filled = np.where(known, logs, float(np.median(logs[known])))
    lo = float(logs[known].min())
    hi = float(logs[known].max())
    if hi <= lo:
        return np.ones(n, dtype=np.float64)
    return np.clip((filled - lo) / (hi - lo), 0.0, 1.0)


def _cheapness(cost: IntArray) -> FloatArray:
    n = len(cost)
    out = np.ones(n, dtype=np.float64)
    positive = cost > 0
    if not positive.any():
        return out
    logs = np.log(cost[positive].astype(np.float64))
    lo = float(logs.min())
    hi = float(logs.max())
    if hi > lo:
        out[positive] = 1.0 - (logs - lo) / (hi - lo)
    return out


def criterion_values(data: ScoringInput) -> dict[Criterion, FloatArray]:
    """Each criterion's value in [0, 1] for every proposal."""
    return {
        Criterion.URGENCY: _urgency(data.rank, data.rank_group),
        Criterion.PRIORITY_PROGRAM: data.priority_program.astype(np.float64),
        Criterion.SPM: data.spm.astype(np.float64),
        Criterion.LOCUS: data.locus.astype(np.float64),
        Criterion.BENEFICIARIES: _beneficiaries(data.beneficiaries),
        Criterion.COST: _cheapness(data.cost),
    }


def score(
    data: ScoringInput, weights: Mapping[str, float] | Mapping[Criterion, float] | None = None
) -> Scores:
    """Weighted mean of the criteria, times 100, rounded to 6 decimals (see module docstring)."""
    w = normalise_weights(DEFAULT_WEIGHTS if weights is None else weights)
    parts = criterion_values(data)
    total = np.zeros(len(data), dtype=np.float64)
    weight_sum = 0.0
    # fixed order of the sum (the enum's), whatever the order of the weights mapping
    for criterion in Criterion:
        wc = w.get(criterion, 0.0)
        if wc > 0:
            total += wc * parts[criterion]
            weight_sum += wc
    if weight_sum > 0:
        total = np.round(total * (100.0 / weight_sum), DECIMALS)
    return Scores(total=total, parts=parts, weights=w)


def prefix_match(codes: Iterable[str], prefixes: Iterable[str]) -> BoolArray:
    """True where a code equals a prefix or starts with prefix + "." (dotted code grammar)."""
    wanted = tuple(sorted({p.strip().rstrip(".") for p in prefixes if p and p.strip()}))
    dotted = tuple(p + "." for p in wanted)
    memo: dict[str, bool] = {}

    def hit(code: str) -> bool:
        found = memo.get(code)
        if found is None:
            found = memo[code] = bool(code) and (code in wanted or code.startswith(dotted))
        return found

    return np.asarray([hit(c) for c in codes], dtype=bool)


def program_match(sub_activity_codes: Iterable[str], program_codes: Iterable[str]) -> BoolArray:
    """True where the program part (first three segments, U.BB.PP) of a code is listed."""
    programs = {".".join(p.strip().split(".")[:3]) for p in program_codes if p and p.strip()}
    memo: dict[str, bool] = {}

    def hit(code: str) -> bool:
        found = memo.get(code)
        if found is None:
            found = memo[code] = bool(code) and ".".join(code.split(".")[:3]) in programs
        return found

    return np.asarray([hit(c) for c in sub_activity_codes], dtype=bool)


def member_match(values: Iterable[str], members: Iterable[str]) -> BoolArray:
    """True where a value (e.g. a village code) is one of `members` (blank values never match)."""
    wanted = {m.strip() for m in members if m and m.strip()}
    return np.asarray([bool(v) and v in wanted for v in values], dtype=bool)
