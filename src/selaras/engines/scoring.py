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
    scale between the smallest and largest known value; unknown values (NaN) get the median of
    the known ones, so a missing figure neither helps nor hurts.
``cost``
    Cheaper is better: ``1 - (log c - log c_min) / (log c_max - log c_min)`` over positive costs;
    a cost of 0 gets 1. All-equal costs give 1 to everybody.

Weights are finite non-negative numbers, from subnormal (5e-324) to the largest float; only
their ratios matter. A criterion with weight 0 (or absent) does not count. If every weight is 0
the score is 0 for all. Scores are rounded to 6 decimals so that the order of proposals does not
depend on the last bits of floating-point sums. Same input, same output.

Hostile input is refused, never turned into a score: NaN, infinite or negative weights, costs,
ranks and beneficiaries (NaN beneficiaries excepted: it means "unknown"), non-integral costs and
ranks, unknown criteria and arrays of different lengths raise a `ScoringInputError` (an
`InvalidInput` with a stable code, params and a Bahasa Indonesia message). So every score that
comes out is finite and in [0, 100].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from selaras.domain.errors import InvalidInput

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
    "ScoringInputError", "UnknownCriterion", "InvalidWeight", "InvalidScoringValue", "ScoringLengthMismatch",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DECIMALS = 6

_INT64_MIN = -(2**63)
_INT64_LIMIT = 2**63  # first integer that int64 cannot hold

#: Bahasa Indonesia names of the input arrays, for messages (params keep the identifiers).
FIELD_LABELS: Mapping[str, str] = {
    "cost": "biaya", "rank": "peringkat", "rank_group": "kelompok peringkat",
    "priority_program": "program prioritas", "spm": "SPM", "locus": "lokus",
    "beneficiaries": "penerima manfaat",
}


class ScoringInputError(InvalidInput):
    """Scoring input that cannot give a meaningful score; callers may catch this one class."""

    code = "scoring_invalid_input"


class UnknownCriterion(ScoringInputError):
    """A weight names no criterion (a typo would otherwise silently drop it)."""

    code = "scoring_unknown_criterion"

    def __init__(self, criterion: object) -> None:
        super().__init__(f"kriteria tidak dikenal: {criterion}", criterion=str(criterion))


class InvalidWeight(ScoringInputError):
    """A weight that is not a finite non-negative number (NaN or inf would poison every score)."""

    code = "scoring_invalid_weight"

    def __init__(self, criterion: str, value: object) -> None:
        super().__init__(f"bobot kriteria {criterion} harus angka tidak negatif yang terhingga (bukan {value})",
                         criterion=criterion, value=str(value))


class InvalidScoringValue(ScoringInputError):
    """One per-proposal value out of its domain; `index` says which proposal (None: not known)."""

    code = "scoring_invalid_value"

    def __init__(self, field: str, index: int | None, value: object, expected: str) -> None:
        where = f" usulan ke-{index + 1}" if index is not None else ""
        super().__init__(f"nilai {FIELD_LABELS.get(field, field)}{where} harus {expected} (bukan {value})",
                         field=field, index=index, value=str(value))


class ScoringLengthMismatch(ScoringInputError):
    """Arrays of different lengths: values would be paired with the wrong proposals."""

    code = "scoring_length_mismatch"

    def __init__(self, field: str, length: int, expected: int) -> None:
        super().__init__(f"panjang larik {FIELD_LABELS.get(field, field)} ({length}) tidak sama dengan "
                         f"jumlah usulan ({expected})", field=field, length=length, expected=expected)


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
        """Pack and validate arrays; missing ones default to "no information" (0, False, NaN).

        Raises `ScoringInputError` for values no formula can use (see the module docstring).
        """
        cost_arr = _integers("cost", cost)
        n = len(cost_arr)
        _refuse_negative("cost", cost_arr, "bilangan bulat tidak negatif (rupiah)")
        out = ScoringInput(
            rank=np.zeros(n, dtype=np.int64) if rank is None else _integers("rank", rank),
            rank_group=np.zeros(n, dtype=np.int64) if rank_group is None else _integers("rank_group", rank_group),
            priority_program=_flags("priority_program", priority_program, n),
            spm=_flags("spm", spm, n),
            locus=_flags("locus", locus, n),
            beneficiaries=_amounts("beneficiaries", beneficiaries, n),
            cost=cost_arr,
        )
        for name in ("rank", "rank_group", "priority_program", "spm", "locus", "beneficiaries"):
            length = len(getattr(out, name))
            if length != n:
                raise ScoringLengthMismatch(name, length, n)
        _refuse_negative("rank", out.rank, "bilangan bulat tidak negatif (0 = tanpa peringkat)")
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
    """Known criteria with finite non-negative weights; anything else raises `ScoringInputError`."""
    out: dict[Criterion, float] = {}
    for key, value in weights.items():
        try:
            criterion = Criterion(key)
        except ValueError as exc:
            raise UnknownCriterion(key) from exc
        try:
            w = float(value)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidWeight(criterion.value, value) from exc
        if not math.isfinite(w) or w < 0:
            raise InvalidWeight(criterion.value, value)
        out[criterion] = w
    return out


def _integers(name: str, values: Sequence[int] | IntArray) -> IntArray:
    """An int64 array, or `InvalidScoringValue` naming the first value that is not an integer
    int64 can hold (NaN, inf, 1.5, 10**30 or text would otherwise be truncated or crash)."""
    try:
        arr = np.asarray(values).reshape(-1)
    except ValueError as exc:  # ragged
        raise InvalidScoringValue(name, None, "larik tidak rata", "bilangan bulat") from exc
    if arr.dtype.kind in "bi" or (arr.dtype.kind == "u" and not (arr >= np.uint64(_INT64_LIMIT)).any()):
        return arr.astype(np.int64, copy=False)
    out = np.empty(len(arr), dtype=np.int64)  # floats, huge or odd values: one by one
    for i, v in enumerate(arr.tolist()):
        try:
            exact = int(v)
            if exact != v or not _INT64_MIN <= exact < _INT64_LIMIT:
                raise ValueError(v)
        except (TypeError, ValueError, OverflowError):
            raise InvalidScoringValue(name, i, v, "bilangan bulat") from None
        out[i] = exact
    return out


def _refuse_negative(name: str, arr: IntArray, expected: str) -> None:
    negative = np.flatnonzero(arr < 0)
    if len(negative):
        raise InvalidScoringValue(name, int(negative[0]), int(arr[negative[0]]), expected)


def _flags(name: str, values: Sequence[bool] | BoolArray | None, n: int) -> BoolArray:
    """Booleans; a NaN or inf flag is refused (bool(NaN) is True, which nobody means)."""
    if values is None:
        return np.zeros(n, dtype=bool)
    arr = np.asarray(values).reshape(-1)
    if arr.dtype.kind in "fc":
        bad = np.flatnonzero(~np.isfinite(arr))
        if len(bad):
            raise InvalidScoringValue(name, int(bad[0]), arr[bad[0]], "benar atau salah")
    return arr.astype(bool)


def _amounts(name: str, values: Sequence[float] | FloatArray | None, n: int) -> FloatArray:
    """Non-negative finite floats, NaN meaning unknown; inf and negatives are refused."""
    if values is None:
        return np.full(n, np.nan, dtype=np.float64)
    try:
        arr = np.asarray(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidScoringValue(name, None, "?", "angka") from exc
    bad = np.flatnonzero(np.isinf(arr) | (arr < 0))
    if len(bad):
        raise InvalidScoringValue(
            name, int(bad[0]), arr[bad[0]], "angka tidak negatif yang terhingga (NaN = tidak diketahui)")
    return arr


def _urgency(rank: IntArray, group: IntArray) -> FloatArray:
    n = len(rank)
    out = np.zeros(n, dtype=np.float64)
    ranked = rank > 0
    if not ranked.any():
        return out
    groups, inverse = np.unique(group[ranked], return_inverse=True)
    top = np.zeros(len(groups), dtype=np.int64)
    np.maximum.at(top, inverse, rank[ranked])
    # (R - r + 1) in integers: exact, and never above R, so the ratio stays <= 1 for any int64
    big = top[inverse]
    out[ranked] = (big - rank[ranked] + 1).astype(np.float64) / big.astype(np.float64)
    return out


def _beneficiaries(values: FloatArray) -> FloatArray:
    n = len(values)
    known = np.isfinite(values) & (values >= 0)  # build() refuses the rest; NaN = unknown
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
    """Weighted mean of the criteria, times 100, rounded to 6 decimals (see module docstring).

    The weights are first scaled by a power of two that brings the largest into [0.5, 1): the
    scaling is exact, so ordinary weights give bit for bit the scores of the plain formula, while
    a subnormal weight (2.2e-308) no longer makes 100 / sum overflow to inf (inf * 0 = NaN) and
    huge weights (1e308 + 1e308) no longer overflow the sum.
    """
    w = normalise_weights(DEFAULT_WEIGHTS if weights is None else weights)
    parts = criterion_values(data)
    total = np.zeros(len(data), dtype=np.float64)
    largest = max((wc for wc in w.values() if wc > 0), default=0.0)
    if largest == 0.0:
        return Scores(total=total, parts=parts, weights=w)
    _, exponent = math.frexp(largest)
    weight_sum = 0.0
    # fixed order of the sum (the enum's), whatever the order of the weights mapping
    for criterion in Criterion:
        wc = math.ldexp(w.get(criterion, 0.0), -exponent)
        if wc > 0:
            total += wc * parts[criterion]
            weight_sum += wc
    # weight_sum is in [0.5, 6) and every part in [0, 1]: the product is finite and at most
    # 100 up to the last bit, which the clip removes.
    total = np.clip(np.round(total * (100.0 / weight_sum), DECIMALS), 0.0, 100.0)
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
