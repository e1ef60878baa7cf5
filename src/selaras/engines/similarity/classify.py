"""Classification suggestions: the likely agencies and sub-activities of a free-text proposal.

A nearest-centroid model on the same TF-IDF features as the duplicate detector (character
3-grams and words of normalised text). Each sub-activity's centroid is the mean of the decided
proposals of earlier years that named it, plus its own nomenclature name (and kamus usulan
entries when a government has them), so a government with no history still gets suggestions from
the nomenclature. An agency scores by its own centroid (history) or by the best sub-activity of
the sectors it carries. An agency bound to one kecamatan (a kecamatan office) is suggested only
for proposals of that kecamatan when the proposal's kecamatan is known, and is preferred there
over agencies that carry the same sub-activity for the whole district: every kecamatan office
carries the same nomenclature, so only the place tells them apart. Confidence is a softmax of the
cosine scores; the words that led to a suggestion are the query words with the largest share of
the dot product.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from selaras.engines.similarity.features import DIMENSION, Features, vectorize
from selaras.engines.similarity.normalize import normalize_title, word_pairs

__all__ = ["Choice", "Classifier", "Example", "Suggestion"]

TEMPERATURE = 0.05
TOP_FEATURES = 400  # features kept per centroid (the rest carry little weight)
NOMENCLATURE_WEIGHT = 2.0  # a nomenclature name counts as this many examples
#: Added to the score of the kecamatan office of the proposal's kecamatan (a tie-break over the
#: agencies that carry the same sub-activity for the whole district).
LOCAL_OFFICE_BONUS = np.float32(0.02)

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Example:
    """A decided proposal (or kamus usulan entry): its text and where it went."""

    text: str
    agency_code: str = ""
    sub_activity_code: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    name: str
    confidence: float  # 0..1
    words: tuple[str, ...]  # words of the text that led here


@dataclass(frozen=True, slots=True)
class Suggestion:
    agencies: tuple[Choice, ...]
    sub_activities: tuple[Choice, ...]

    def is_empty(self) -> bool:
        return not self.agencies and not self.sub_activities


@numba.njit(cache=True)
def _scores(q_idx: I32, q_w: F32, post_ptr: I64, post_label: I32, post_w: F32,
            n_labels: int) -> F32:  # pragma: no cover - numba
    out = np.zeros(n_labels, dtype=np.float32)
    for k in range(q_idx.shape[0]):
        f = q_idx[k]
        w = q_w[k]
        for p in range(post_ptr[f], post_ptr[f + 1]):
            out[post_label[p]] += w * post_w[p]
    return out


@numba.njit(cache=True)
def _top_many(indptr: I64, indices: I32, weights: F32, post_ptr: I64, post_label: I32, post_w: F32,
              n_labels: int, k: int) -> tuple[I32, F32]:  # pragma: no cover - numba
    n = indptr.shape[0] - 1
    top = np.full((n, k), -1, dtype=np.int32)
    val = np.zeros((n, k), dtype=np.float32)
    for r in range(n):
        s = _scores(indices[indptr[r]:indptr[r + 1]], weights[indptr[r]:indptr[r + 1]], post_ptr, post_label,
                    post_w, n_labels)
        # the k best labels in one pass (ties: the lower label first), not a sort of all labels
        filled = 0
        for label in range(n_labels):
            v = s[label]
            if filled == k and v <= val[r, k - 1]:
                continue
            j = filled if filled < k else k - 1
            while j > 0 and val[r, j - 1] < v:
                top[r, j] = top[r, j - 1]
                val[r, j] = val[r, j - 1]
                j -= 1
            top[r, j] = label
            val[r, j] = v
            if filled < k:
                filled += 1
    return top, val


@numba.njit(cache=True)
def _all_scores(indptr: I64, indices: I32, weights: F32, post_ptr: I64, post_label: I32, post_w: F32,
                n_labels: int) -> F32:  # pragma: no cover - numba
    n = indptr.shape[0] - 1
    out = np.zeros((n, n_labels), dtype=np.float32)
    for r in range(n):
        out[r] = _scores(indices[indptr[r]:indptr[r + 1]], weights[indptr[r]:indptr[r + 1]], post_ptr, post_label,
                         post_w, n_labels)
    return out


def _centroids(rows: Features, labels: I64, n_labels: int, extra: F32 | None = None) -> tuple[I64, I32, F32]:
    """Per-label centroid (sum of rows, L2-normalised, top features kept) as postings by feature."""
    counts = np.diff(rows.indptr)
    row_of = np.repeat(np.arange(rows.rows), counts)
    lab = labels[row_of]
    w = rows.weights * (extra[row_of] if extra is not None else 1.0)
    keep = lab >= 0
    lab, feat, w = lab[keep], rows.indices[keep].astype(np.int64), w[keep]
    key = lab * DIMENSION + feat
    uniq, inv = np.unique(key, return_inverse=True)
    sums = np.bincount(inv, weights=w).astype(np.float32)
    ulab = (uniq // DIMENSION).astype(np.int64)
    ufeat = (uniq % DIMENSION).astype(np.int32)
    norms = np.sqrt(np.bincount(ulab, weights=sums.astype(np.float64) ** 2, minlength=n_labels))
    sums = (sums / np.maximum(norms[ulab], 1e-12)).astype(np.float32)
    # keep the strongest features of each label
    order = np.lexsort((-sums, ulab))
    ulab, ufeat, sums = ulab[order], ufeat[order], sums[order]
    start = np.searchsorted(ulab, np.arange(n_labels))
    rank = np.arange(ulab.shape[0]) - start[ulab]
    keep = rank < TOP_FEATURES
    ulab, ufeat, sums = ulab[keep], ufeat[keep], sums[keep]
    by_feat = np.argsort(ufeat, kind="stable")
    post_ptr = np.zeros(DIMENSION + 1, dtype=np.int64)
    np.cumsum(np.bincount(ufeat, minlength=DIMENSION), out=post_ptr[1:])
    return post_ptr, ulab[by_feat].astype(np.int32), sums[by_feat]


class Classifier:
    """Trained nearest-centroid model; `train` builds it, `suggest` uses it, `to_bytes` keeps it."""

    def __init__(self, idf: F32, sub_codes: list[str], sub_names: list[str], agency_codes: list[str],
                 agency_names: list[str], sub_post: tuple[I64, I32, F32], agency_post: tuple[I64, I32, F32],
                 agency_of_sub: I64, trained_on: int, agency_districts: Sequence[str] = ()) -> None:
        self.idf = idf
        self.sub_codes, self.sub_names = sub_codes, sub_names
        self.agency_codes, self.agency_names = agency_codes, agency_names
        self.sub_post, self.agency_post = sub_post, agency_post
        # agency_of_sub: (n_sub, n_agency) 0/1 of which agency may carry which sub-activity
        self.agency_of_sub = agency_of_sub
        self.trained_on = trained_on
        # the kecamatan an agency is bound to ("" for an agency of the whole district)
        self.agency_districts = list(agency_districts) or [""] * len(agency_codes)
        self._district_ids = {d: i for i, d in enumerate(sorted({d for d in self.agency_districts if d}))}
        self._district_of = np.asarray([self._district_ids.get(d, -1) for d in self.agency_districts], dtype=np.int64)
        self._bound = self._district_of >= 0

    # -- training ----------------------------------------------------------------------------

    @classmethod
    def train(cls, examples: Iterable[Example], nomenclature: Iterable[tuple[str, str]],
              agencies: Mapping[str, tuple[str, Sequence[str]]],
              agency_districts: Mapping[str, str] | None = None) -> Classifier:
        """`nomenclature`: (sub-activity code, name) in force; `agencies`: code → (name, sector codes);
        `agency_districts`: code → the kecamatan code an agency is bound to (kecamatan offices)."""
        subs: dict[str, str] = {}
        for code, name in nomenclature:
            subs.setdefault(code, name)
        examples = [e for e in examples if e.text.strip()]
        for e in examples:
            if e.sub_activity_code:
                subs.setdefault(e.sub_activity_code, e.sub_activity_code)
        sub_codes = sorted(subs)
        sub_index = {c: i for i, c in enumerate(sub_codes)}
        agency_codes = sorted(agencies)
        agency_index = {c: i for i, c in enumerate(agency_codes)}
        texts = [normalize_title(subs[c]) for c in sub_codes] + [normalize_title(e.text) for e in examples]
        rows, idf = vectorize(texts)
        n_nom = len(sub_codes)
        sub_labels = np.concatenate([np.arange(n_nom, dtype=np.int64), np.asarray(
            [sub_index.get(e.sub_activity_code, -1) for e in examples], dtype=np.int64)])
        weight = np.ones(rows.rows, dtype=np.float32)
        weight[:n_nom] = NOMENCLATURE_WEIGHT
        sub_post = _centroids(rows, sub_labels, len(sub_codes), weight)
        agency_labels = np.concatenate([np.full(n_nom, -1, dtype=np.int64), np.asarray(
            [agency_index.get(e.agency_code, -1) for e in examples], dtype=np.int64)])
        agency_post = _centroids(rows, agency_labels, len(agency_codes))
        carry = np.zeros((len(sub_codes), len(agency_codes)), dtype=np.int64)
        for code, i in sub_index.items():
            sector = ".".join(code.split(".")[:2])
            for a, (_, sectors) in agencies.items():
                if sector in sectors or code.startswith("X."):
                    carry[i, agency_index[a]] = 1
        for e in examples:  # what the government did counts too
            if e.sub_activity_code in sub_index and e.agency_code in agency_index:
                carry[sub_index[e.sub_activity_code], agency_index[e.agency_code]] = 1
        return cls(idf, sub_codes, [subs[c] for c in sub_codes], agency_codes,
                   [agencies[c][0] for c in agency_codes], sub_post, agency_post, carry, len(examples),
                   [(agency_districts or {}).get(c, "") for c in agency_codes])

    # -- use ---------------------------------------------------------------------------------

    def _agency_scores(self, sub_s: F32, agency_s: F32, district_code: str = "") -> F32:
        out: F32 = agency_s
        if self.agency_of_sub.size:
            via = (self.agency_of_sub * sub_s[:, None]).max(axis=0).astype(np.float32) * np.float32(0.9)
            out = np.maximum(agency_s, via)
        placed: F32 = self._place(out[None, :], [district_code])[0]
        return placed

    def _place(self, scores: F32, district_codes: Sequence[str]) -> F32:
        """Agency scores (rows: proposals) with the place applied: a kecamatan office of another
        kecamatan drops out, the office of the proposal's own kecamatan gets `LOCAL_OFFICE_BONUS`."""
        if not self._bound.any() or not any(district_codes):
            return scores
        # a kecamatan no office is bound to counts as known (-2): every office drops out there
        districts = np.asarray([self._district_ids.get(d, -2) if d else -1 for d in district_codes], dtype=np.int64)
        known = (districts != -1)[:, None]
        same = self._district_of[None, :] == districts[:, None]
        bound = self._bound[None, :]
        out: F32 = np.where(known & bound & ~same, np.float32(0.0),
                            np.where(known & same & (scores > 0), scores + LOCAL_OFFICE_BONUS, scores)
                            ).astype(np.float32)
        return out

    def suggest(self, text: str, k: int = 3, explain: bool = True, district_code: str = "") -> Suggestion:
        """Top `k` agencies and sub-activities for `text` (of a proposal in kecamatan
        `district_code` when known); empty when the text says nothing."""
        norm = normalize_title(text)
        if not norm or not self.sub_codes:
            return Suggestion((), ())
        q, _ = vectorize([norm], self.idf)
        sub_s = _scores(q.indices, q.weights, *self.sub_post, len(self.sub_codes))
        agency_s = _scores(q.indices, q.weights, *self.agency_post, len(self.agency_codes))
        agency_s = self._agency_scores(sub_s, agency_s, district_code)
        if float(sub_s.max(initial=0.0)) < 0.15 and float(agency_s.max(initial=0.0)) < 0.15:
            return Suggestion((), ())  # nothing in the text resembles anything known
        agencies = self._choices(text, agency_s, self.agency_codes, self.agency_names, self.agency_post, k, explain)
        if explain and self.agency_of_sub.size:
            # an agency that scored through a sub-activity it carries: that sub-activity's words
            agency_index = {c: i for i, c in enumerate(self.agency_codes)}
            named = []
            for choice in agencies:
                if not choice.words:
                    best = int(np.argmax(self.agency_of_sub[:, agency_index[choice.code]] * sub_s))
                    words = self._words(text, best, self.sub_post, len(self.sub_codes))
                    choice = Choice(choice.code, choice.name, choice.confidence, words)
                named.append(choice)
            agencies = tuple(named)
        return Suggestion(agencies, self._choices(text, sub_s, self.sub_codes, self.sub_names, self.sub_post, k,
                                                  explain))

    def _choices(self, text: str, scores: F32, codes: list[str], names: list[str],
                 post: tuple[I64, I32, F32], k: int, explain: bool) -> tuple[Choice, ...]:
        if scores.size == 0 or float(scores.max()) <= 0:
            return ()
        top = np.argsort(-scores, kind="stable")[:k]
        exp = np.exp((scores - scores.max()) / TEMPERATURE)
        conf = exp / exp.sum()
        out = []
        for label in top:
            if scores[label] <= 0:
                break
            words = self._words(text, int(label), post, len(codes)) if explain else ()
            out.append(Choice(codes[label], names[label], round(float(conf[label]), 4), words))
        return tuple(out)

    def _words(self, text: str, label: int, post: tuple[I64, I32, F32], n_labels: int) -> tuple[str, ...]:
        pairs = word_pairs(text)
        if not pairs:
            return ()
        rows, _ = vectorize([same for _, same in pairs], self.idf)
        gains: list[tuple[float, int]] = []
        for i in range(rows.rows):
            a, b = rows.indptr[i], rows.indptr[i + 1]
            s = _scores(rows.indices[a:b], rows.weights[a:b], *post, n_labels)
            gains.append((float(s[label]), i))
        gains.sort(key=lambda g: (-g[0], g[1]))
        seen: list[str] = []
        for gain, i in gains:
            shown = pairs[i][0]
            if gain > 0.05 and shown not in seen:
                seen.append(shown)
            if len(seen) == 3:
                break
        return tuple(seen)

    def top_many(self, texts: Sequence[str], k: int = 3,
                 district_codes: Sequence[str] | None = None) -> tuple[I32, I32]:
        """Top-k sub-activity and agency label indexes for many texts (of proposals in the
        kecamatans `district_codes` when given), for measurement and bulk review."""
        norms = [normalize_title(t) for t in texts]
        rows, _ = vectorize(norms, self.idf)
        sub_top, sub_val = _top_many(rows.indptr, rows.indices, rows.weights, *self.sub_post, len(self.sub_codes),
                                     max(k, 25))
        agency_s = _all_scores(rows.indptr, rows.indices, rows.weights, *self.agency_post, len(self.agency_codes))
        # combine agency scores with the best sub-activities they carry (as `suggest` does)
        carry = self.agency_of_sub.astype(np.float32)
        if carry.size:
            for start in range(0, len(texts), 4096):
                part = slice(start, start + 4096)
                tops = np.maximum(sub_top[part], 0)
                via = (carry[tops] * sub_val[part][:, :, None]).max(axis=1) * np.float32(0.9)
                agency_s[part] = np.maximum(agency_s[part], via)
        if district_codes is not None:
            for start in range(0, len(texts), 4096):
                part = slice(start, start + 4096)
                agency_s[part] = self._place(agency_s[part], district_codes[part])
        agency_out = np.argsort(-agency_s, axis=1, kind="stable")[:, :k].astype(np.int32)
        return sub_top[:, :k], agency_out

    # -- storage -----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf, idf=self.idf, sub_codes=np.asarray(self.sub_codes), sub_names=np.asarray(self.sub_names),
            agency_codes=np.asarray(self.agency_codes), agency_names=np.asarray(self.agency_names),
            sp0=self.sub_post[0], sp1=self.sub_post[1], sp2=self.sub_post[2], ap0=self.agency_post[0],
            ap1=self.agency_post[1], ap2=self.agency_post[2], carry=self.agency_of_sub,
            trained_on=np.asarray([self.trained_on]), agency_districts=np.asarray(self.agency_districts))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Classifier:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        return cls(z["idf"], [str(x) for x in z["sub_codes"]], [str(x) for x in z["sub_names"]],
                   [str(x) for x in z["agency_codes"]], [str(x) for x in z["agency_names"]],
                   (z["sp0"], z["sp1"], z["sp2"]), (z["ap0"], z["ap1"], z["ap2"]), z["carry"],
                   int(z["trained_on"][0]),
                   [str(x) for x in z["agency_districts"]] if "agency_districts" in z.files else ())
