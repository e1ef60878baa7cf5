"""Sparse text features: character 3-grams and whole words of normalised text, TF-IDF weighted.

Normalised text holds only ``a-z``, ``0-9`` and single spaces, so a 3-gram has an exact id below
37**3; a word is hashed (FNV-1a, deterministic) into the ids after that. Rows are kept as CSR
arrays (`indptr`, `indices` sorted within a row, `weights` L2-normalised) and compared with
numba kernels. No vocabulary to download or fit: the ids are fixed, only the IDF is learned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["DIMENSION", "Features", "cosine_pairs", "encode", "fit_idf", "row_cosines", "vectorize"]

_ALPHABET = 37
GRAM_IDS = _ALPHABET ** 3
WORD_BUCKETS = 1 << 18
DIMENSION = GRAM_IDS + WORD_BUCKETS

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]
U8 = npt.NDArray[np.uint8]


def encode(texts: Sequence[str]) -> tuple[U8, I64]:
    """Normalised texts as one byte array with row offsets (characters outside the alphabet of
    normalised text become spaces)."""
    joined = "".join(texts).encode("ascii", "replace")
    data = np.frombuffer(joined, dtype=np.uint8).copy() if joined else np.zeros(0, np.uint8)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return data, offsets


@numba.njit(cache=True, inline="always")
def _code(c: int) -> int:
    if 97 <= c <= 122:
        return c - 96
    if 48 <= c <= 57:
        return c - 48 + 27
    return 0


@numba.njit(cache=True)
def _raw_features(data: U8, offsets: I64) -> tuple[I64, I32, F32]:  # pragma: no cover - numba
    n = offsets.shape[0] - 1
    # upper bound: per row (len+2) 3-grams plus at most len/2+1 words
    cap = 0
    for r in range(n):
        length = offsets[r + 1] - offsets[r]
        if length > 0:
            cap += length + length // 2 + 3
    out_idx = np.empty(cap, dtype=np.int32)
    out_val = np.empty(cap, dtype=np.float32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    pos = 0
    buf = np.empty(1024, dtype=np.int32)
    for r in range(n):
        start, end = offsets[r], offsets[r + 1]
        length = end - start
        if length == 0:
            indptr[r + 1] = pos
            continue
        need = length + length // 2 + 3
        if buf.shape[0] < need:
            buf = np.empty(need * 2, dtype=np.int32)
        k = 0
        # 3-grams over " text "
        prev2 = 0
        prev1 = _code(data[start])
        for i in range(start + 1, end + 1):
            cur = _code(data[i]) if i < end else 0
            buf[k] = (prev2 * _ALPHABET + prev1) * _ALPHABET + cur
            k += 1
            prev2, prev1 = prev1, cur
        # words (FNV-1a)
        h = np.uint32(2166136261)
        in_word = False
        for i in range(start, end + 1):
            c = data[i] if i < end else 32
            if _code(c) != 0:
                h = (h ^ np.uint32(c)) * np.uint32(16777619)
                in_word = True
            elif in_word:
                buf[k] = GRAM_IDS + int(h % np.uint32(WORD_BUCKETS))
                k += 1
                h = np.uint32(2166136261)
                in_word = False
        row = np.sort(buf[:k])
        j = 0
        while j < k:
            v = row[j]
            count = 1
            while j + count < k and row[j + count] == v:
                count += 1
            out_idx[pos] = v
            out_val[pos] = 1.0 + np.log(np.float32(count))
            pos += 1
            j += count
        indptr[r + 1] = pos
    return indptr, out_idx[:pos].copy(), out_val[:pos].copy()


@dataclass(frozen=True, slots=True)
class Features:
    """CSR rows of L2-normalised TF-IDF weights."""

    indptr: I64
    indices: I32
    weights: F32

    @property
    def rows(self) -> int:
        return int(self.indptr.shape[0] - 1)


def fit_idf(raw: Features) -> F32:
    """Smoothed inverse document frequency of every feature id over the rows of `raw`."""
    n = raw.rows
    df = np.bincount(raw.indices, minlength=DIMENSION).astype(np.float32)
    result: F32 = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    return result


@numba.njit(cache=True)
def _weigh(indptr: I64, indices: I32, values: F32, idf: F32) -> F32:  # pragma: no cover - numba
    out = np.empty_like(values)
    for r in range(indptr.shape[0] - 1):
        s = 0.0
        for p in range(indptr[r], indptr[r + 1]):
            w = values[p] * idf[indices[p]]
            out[p] = w
            s += w * w
        if s > 0:
            norm = np.float32(1.0 / np.sqrt(s))
            for p in range(indptr[r], indptr[r + 1]):
                out[p] *= norm
    return out


def raw_features(texts: Sequence[str]) -> Features:
    """Term frequencies (1 + log tf) of the 3-grams and words of normalised `texts`."""
    data, offsets = encode(texts)
    indptr, indices, values = _raw_features(data, offsets)
    return Features(indptr, indices, values)


def vectorize(texts: Sequence[str], idf: F32 | None = None) -> tuple[Features, F32]:
    """TF-IDF rows of normalised `texts` (IDF fitted on them unless given) and the IDF used."""
    raw = raw_features(texts)
    if idf is None:
        idf = fit_idf(raw)
    return Features(raw.indptr, raw.indices, _weigh(raw.indptr, raw.indices, raw.weights, idf)), idf


@numba.njit(cache=True, inline="always")
def _dot(ind: I32, w: F32, a0: int, a1: int, b0: int, b1: int) -> float:
    s = 0.0
    i, j = a0, b0
    while i < a1 and j < b1:
        x, y = ind[i], ind[j]
        if x == y:
            s += w[i] * w[j]
            i += 1
            j += 1
        elif x < y:
            i += 1
        else:
            j += 1
    return s


@numba.njit(cache=True)
def cosine_pairs(indptr: I64, indices: I32, weights: F32, left: I64, right: I64) -> F32:  # pragma: no cover
    """Cosine of rows left[k] and right[k] for every k."""
    out = np.empty(left.shape[0], dtype=np.float32)
    for k in range(left.shape[0]):
        a, b = left[k], right[k]
        out[k] = _dot(indices, weights, indptr[a], indptr[a + 1], indptr[b], indptr[b + 1])
    return out


@numba.njit(cache=True)
def row_cosines(q_ind: I32, q_w: F32, indptr: I64, indices: I32, weights: F32,
                rows: I64) -> F32:  # pragma: no cover - numba
    """Cosine of one query row (sorted ids, weights) with each of `rows`."""
    out = np.empty(rows.shape[0], dtype=np.float32)
    for k in range(rows.shape[0]):
        r = rows[k]
        s = 0.0
        i, j = 0, indptr[r]
        end = indptr[r + 1]
        while i < q_ind.shape[0] and j < end:
            x, y = q_ind[i], indices[j]
            if x == y:
                s += q_w[i] * weights[j]
                i += 1
                j += 1
            elif x < y:
                i += 1
            else:
                j += 1
        out[k] = s
    return out
