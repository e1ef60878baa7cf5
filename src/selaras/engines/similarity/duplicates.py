"""Duplicate candidates between proposals: advisory pairs with a score and readable reasons.

How it works (docs/duplicates.md, decision 0006):

1. Every proposal's title and problem text is normalised (`normalize`) and turned into TF-IDF
   weights of character 3-grams and words (`features`); identical normalised texts share a row.
2. Candidates are compared only inside *blocks* of plausible neighbours: the same village; with
   coordinates, the same ~500 m grid cell (two grids shifted by half a cell, so neighbours across
   a cell edge meet); for a proposal with neither (an agency's Pra-Renja line), the same agency
   and sub-activity in the same kecamatan (or none), where only pairs of similar cost are kept.
   Inside a block every pair is compared exactly (a numba kernel), which at district scale is
   faster than locality-sensitive hashing and misses nothing.
3. A pair's score starts from the text similarity and is raised or lowered by the place (RT/RW,
   kampung, address, distance; without a place: the same cost or unit price), the sub-activity and the cost; each adjustment is a `Reason`.

Nothing here decides: the caller shows the pairs to a person, who merges or dismisses them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numba
import numpy as np
import numpy.typing as npt

from selaras.domain.proposals import CHANNEL_LABELS, Channel
from selaras.engines.similarity.features import Features, cosine_pairs, row_cosines, vectorize
from selaras.engines.similarity.normalize import (
    PlaceHints,
    Speller,
    normalize_title,
    place_hints,
    word_pairs,
    words,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "DuplicateCandidate",
    "DuplicateIndex",
    "ProposalText",
    "Reason",
    "describe",
]

#: Score from which a pair is shown as a duplicate candidate (chosen on the demo benchmark).
DEFAULT_THRESHOLD = 0.9
#: Title similarity below which a pair is never a candidate, whatever else agrees.
MIN_TEXT = 0.5
#: Largest block compared pair by pair; a bigger one (a data error) is compared in windows.
MAX_BLOCK = 6000
GRID_DEGREES = 0.005  # about 550 m
# Weights of the place evidence (hand-set, checked on the demo's planted truth of two seeds with
# `benchmarks/duplicates.py --sweep`; docs/duplicates.md). Each is shown as a reason.
SAME_PLACE_BONUS = 0.1  # the same RT/kampung written in both addresses
NEIGHBOUR_PENALTY = 0.05  # the next RT of the same RW or kampung
OTHER_PLACE_PENALTY = 0.4  # another RT or kampung of the village
ONE_PLACE_PENALTY = 0.3  # an RT or kampung on one side, only the village on the other
VAGUE_PLACE_PENALTY = 0.15  # neither side names more than the village
#: Costs within this ratio (smaller / larger) count as similar.
SIMILAR_COST = 0.8
# Proposals with neither a village nor coordinates (an agency's Pra-Renja lines) are compared
# only with lines of the same agency and sub-activity in the same kecamatan, where the text is
# often a nomenclature name repeated by unrelated lines: the cost has to tell them apart.
NO_PLACE_PENALTY = 0.3  # neither side has a place
SAME_COST_BONUS = 0.25  # (no place) the same cost to the rupiah, or the same unit price
#: Unit prices (cost / volume) within this relative difference count as the same (costs are
#: often rounded to the thousand rupiah).
SAME_UNIT_PRICE = 2e-4
_NON_WORD = re.compile(r"[^a-z0-9]+")

I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ProposalText:
    """What the detector sees of a proposal (never its decisions or any planted truth)."""

    key: int
    title: str
    description: str = ""
    village_code: str = ""
    district_code: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    agency_code: str = ""
    sub_activity_code: str = ""
    estimated_cost: int = 0
    year: int = 0
    channel: str = ""
    volume: float = 0.0


@dataclass(frozen=True, slots=True)
class Reason:
    """One readable reason of a score: a stable code and its values (text by `describe`)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    """An advisory pair of similar proposals (`a` and `b` are the callers' keys)."""

    a: int
    b: int
    score: float
    reasons: tuple[Reason, ...] = field(default=())

    def text(self) -> str:
        return describe(self.reasons)


def _fmt(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def describe(reasons: Iterable[Reason]) -> str:
    """Reasons in Bahasa Indonesia, joined by semicolons."""
    parts: list[str] = []
    for r in reasons:
        p = dict(r.params)
        match r.code:
            case "title":
                shared = p.get("shared", "")
                parts.append(f"judul mirip {p['score']}" + (f": '{shared}'" if shared else ""))
            case "description":
                parts.append(f"uraian masalah mirip {p['score']}")
            case "same_village":
                parts.append("desa sama")
            case "other_village":
                parts.append("desa berbeda")
            case "distance":
                parts.append(f"lokasi berjarak {p['metres']} m")
            case "same_rt":
                parts.append(f"RT sama ({p['rt']})")
            case "other_rt":
                parts.append(f"RT berbeda ({p['a']} dan {p['b']})")
            case "same_hamlet":
                parts.append(f"{p['hamlet']} sama")
            case "other_hamlet":
                parts.append("kampung/dusun berbeda")
            case "same_address":
                parts.append("alamat sama")
            case "one_place_vague":
                parts.append("hanya satu usulan menyebut RT/kampung")
            case "same_sub_activity":
                parts.append("sub kegiatan sama")
            case "related_sub_activity":
                parts.append("sub kegiatan serumpun")
            case "other_sub_activity":
                parts.append("sub kegiatan berbeda")
            case "same_agency":
                parts.append("perangkat daerah sama")
            case "no_place":
                parts.append("tanpa desa/lokasi (perangkat daerah dan sub kegiatan sama)")
            case "same_cost":
                parts.append("biaya sama persis")
            case "same_unit_price":
                parts.append(f"harga satuan sama (volume {p['a']} dan {p['b']})")
            case "similar_cost":
                parts.append(f"biaya mirip (selisih {p['percent']}%)")
            case "other_cost":
                parts.append(f"biaya jauh berbeda (selisih {p['percent']}%)")
            case "other_channel":
                parts.append(f"jalur berbeda: {p['a']} dan {p['b']}")
            case "other_year":
                parts.append(f"tahun berbeda: {p['a']} dan {p['b']}")
            case _:
                parts.append(r.code)
    return "; ".join(parts)


class _Interner:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {"": -1}

    def __call__(self, value: str) -> int:
        got = self.ids.get(value)
        if got is None:
            got = len(self.ids) - 1
            self.ids[value] = got
        return got


_ADDRESS_WORDS = {"kp": "kampung", "kmp": "kampung", "dsn": "dusun", "ds": "desa", "kel": "kelurahan", "gg": "gang",
                  "jl": "jalan", "jln": "jalan"}


def _address_key(address: str) -> str:
    """An address compared as written, less case, punctuation, leading zeros and abbreviations
    ("RT 003/RW 004, Kp. Sukamaju" and "rt 3 rw 4 kampung sukamaju" are the same)."""
    out: list[str] = []
    for token in _NON_WORD.split(address.lower()):
        if token:
            token = token.lstrip("0") or "0" if token.isdigit() else _ADDRESS_WORDS.get(token, token)
            out.append(token)
    return " ".join(out)


def _activity(code: str) -> str:
    parts = code.split(".")
    return ".".join(parts[:5]) if len(parts) >= 6 else ""


def _sector(code: str) -> str:
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else ""


@dataclass
class _Attrs:
    """Per-proposal attributes as numpy columns (row i is record i)."""

    title_row: I64
    desc_row: I64
    village: I64
    district: I64
    rt: I64
    rw: I64
    hamlet: I64
    address: I64
    lat: F64
    lon: F64
    agency: I64
    sub: I64
    activity: I64
    sector: I64
    cost: F64
    year: I64
    volume: F64


@numba.njit(cache=True)
def _block_pairs(rows: I64, text_row: I64, indptr: I64, indices: npt.NDArray[np.int32], weights: F32,
                 min_text: float, cost: F64, min_cost_ratio: float) -> tuple[I64, I64, F32]:  # pragma: no cover
    """Pairs of `rows` whose title rows have cosine >= min_text (and, when `min_cost_ratio` > 0,
    both costs given and within that ratio). Rows with the same title row are grouped first, so
    each distinct text pair is compared once."""
    keyed = np.empty(rows.shape[0], dtype=np.int64)
    m = 0
    for x in range(rows.shape[0]):
        if text_row[rows[x]] >= 0:
            keyed[m] = rows[x]
            m += 1
    keyed = keyed[:m]
    order = np.argsort(text_row[keyed], kind="mergesort")
    members = keyed[order]
    texts = text_row[members]
    # group boundaries
    starts = np.empty(m + 1, dtype=np.int64)
    g = 0
    for x in range(m):
        if x == 0 or texts[x] != texts[x - 1]:
            starts[g] = x
            g += 1
    starts[g] = m
    cap = 1024
    left = np.empty(cap, dtype=np.int64)
    right = np.empty(cap, dtype=np.int64)
    cos = np.empty(cap, dtype=np.float32)
    k = 0
    for gx in range(g):
        ta = texts[starts[gx]]
        a0, a1 = indptr[ta], indptr[ta + 1]
        for gy in range(gx, g):
            if gy == gx:
                s = 1.0
            else:
                tb = texts[starts[gy]]
                s = 0.0
                i, j = a0, indptr[tb]
                b1 = indptr[tb + 1]
                while i < a1 and j < b1:
                    u, v = indices[i], indices[j]
                    if u == v:
                        s += weights[i] * weights[j]
                        i += 1
                        j += 1
                    elif u < v:
                        i += 1
                    else:
                        j += 1
            if s < min_text:
                continue
            for x in range(starts[gx], starts[gx + 1]):
                y0 = x + 1 if gy == gx else starts[gy]
                for y in range(y0, starts[gy + 1]):
                    if min_cost_ratio > 0:
                        ca, cb = cost[members[x]], cost[members[y]]
                        if ca <= 0 or cb <= 0 or min(ca, cb) < min_cost_ratio * max(ca, cb):
                            continue
                    if k == cap:
                        cap *= 2
                        left2 = np.empty(cap, dtype=np.int64)
                        right2 = np.empty(cap, dtype=np.int64)
                        cos2 = np.empty(cap, dtype=np.float32)
                        left2[:k] = left[:k]
                        right2[:k] = right[:k]
                        cos2[:k] = cos[:k]
                        left, right, cos = left2, right2, cos2
                    a, b = members[x], members[y]
                    left[k] = a if a < b else b
                    right[k] = b if a < b else a
                    cos[k] = s
                    k += 1
    return left[:k], right[:k], cos[:k]


def _same_cost(cl: F64, cr: F64, vl: F64, vr: F64) -> I64:
    """2: the same cost; 1: another cost (within `SIMILAR_COST`) but the same unit price (a line
    re-submitted with another volume); 0: neither."""
    equal = (cl > 0) & (cl == cr)
    with np.errstate(divide="ignore", invalid="ignore"):
        ul = np.where(vl > 0, cl / np.where(vl > 0, vl, 1.0), 0.0)
        ur = np.where(vr > 0, cr / np.where(vr > 0, vr, 1.0), 0.0)
    unit = ((ul > 0) & (ur > 0) & (np.abs(ul - ur) <= SAME_UNIT_PRICE * np.maximum(ul, ur))
            & (np.minimum(cl, cr) >= SIMILAR_COST * np.maximum(cl, cr)))
    out: I64 = np.where(equal, 2, np.where(unit, 1, 0)).astype(np.int64)
    return out


def _haversine(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: F64 = 2 * 6_371_000.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


@dataclass
class _Scored:
    score: F64
    text: F32
    desc: F32


class DuplicateIndex:
    """The proposals of a government (one or more years) ready for comparison, in memory.

    Build once (`build`), then list every candidate pair (`pairs`) or check one new proposal
    against all of them (`check`, a few milliseconds).
    """

    speller: Speller
    title_idf: F32
    desc_idf: F32

    def __init__(self, records: Sequence[ProposalText], *, like: DuplicateIndex | None = None) -> None:
        """`like`: an index whose IDF weights and speller to reuse, so that a small index of the
        proposals added since (`DuplicateIndex(new, like=big)`) scores exactly like `big` would."""
        self.records = list(records)
        n = len(self.records)
        titles: dict[str, int] = {}
        descs: dict[str, int] = {}
        title_row = np.full(n, -1, dtype=np.int64)
        desc_row = np.full(n, -1, dtype=np.int64)
        villages, districts, hamlets, addresses = _Interner(), _Interner(), _Interner(), _Interner()
        agencies, subs, activities, sectors = _Interner(), _Interner(), _Interner(), _Interner()
        cols: dict[str, list[int]] = {k: [] for k in ("village", "district", "rt", "rw", "hamlet", "address",
                                                       "agency", "sub", "activity", "sector", "year")}
        lat = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        cost = np.zeros(n)
        volume = np.zeros(n)
        norm_cache: dict[str, str] = {}
        hint_cache: dict[tuple[str, str], PlaceHints] = {}
        address_cache: dict[str, str] = {}
        normalised = []
        for r in self.records:
            t = norm_cache.get(r.title)
            if t is None:
                t = norm_cache[r.title] = normalize_title(r.title)
            normalised.append(t)
        # typos corrected against the words of these proposals ("pembanguann" -> "pembangunan")
        self.speller = like.speller if like is not None else Speller.learn(normalised)
        spelled: dict[str, str] = {}
        for i, t in enumerate(normalised):
            if t:
                fixed = spelled.get(t)
                if fixed is None:
                    fixed = spelled[t] = self.speller.text(t)
                title_row[i] = titles.setdefault(fixed, len(titles))
        del normalised, spelled
        for i, r in enumerate(self.records):
            d = norm_cache.get(r.description)
            if d is None:
                d = norm_cache[r.description] = normalize_title(r.description)
            if d:
                desc_row[i] = descs.setdefault(d, len(descs))
            hints = hint_cache.get((r.title, r.address))
            if hints is None:
                hints = hint_cache[(r.title, r.address)] = place_hints(r.title, r.address)
            address = address_cache.get(r.address)
            if address is None:
                address = address_cache[r.address] = _address_key(r.address)
            cols["village"].append(villages(r.village_code))
            cols["district"].append(districts(r.district_code))
            cols["rt"].append(-1 if hints.rt is None else hints.rt)
            cols["rw"].append(-1 if hints.rw is None else hints.rw)
            cols["hamlet"].append(hamlets(hints.hamlet))
            cols["address"].append(addresses(address))
            cols["agency"].append(agencies(r.agency_code))
            cols["sub"].append(subs(r.sub_activity_code))
            cols["activity"].append(activities(_activity(r.sub_activity_code)))
            cols["sector"].append(sectors(_sector(r.sub_activity_code)))
            cols["year"].append(r.year)
            if r.latitude is not None and r.longitude is not None:
                lat[i], lon[i] = float(r.latitude), float(r.longitude)
            cost[i] = max(0, int(r.estimated_cost or 0))
            volume[i] = max(0.0, float(r.volume or 0))
        self._interners = {"village": villages, "district": districts, "hamlet": hamlets, "address": addresses,
                           "agency": agencies, "sub": subs, "activity": activities, "sector": sectors}
        self.titles, self.title_idf = vectorize(list(titles), like.title_idf if like is not None else None)
        self.descs, self.desc_idf = vectorize(list(descs), like.desc_idf if like is not None else None)
        self._title_ids = titles
        self._desc_ids = descs
        self.attrs = _Attrs(
            title_row=title_row, desc_row=desc_row, lat=lat, lon=lon, cost=cost, volume=volume,
            **{k: np.asarray(v, dtype=np.int64) for k, v in cols.items()})
        self.blocks = self._blocks()

    @classmethod
    def build(cls, records: Iterable[ProposalText]) -> DuplicateIndex:
        return cls(list(records))

    def __len__(self) -> int:
        return len(self.records)

    # -- blocks ------------------------------------------------------------------------------

    @staticmethod
    def _block_keys(r: ProposalText, village: int, agency: int, district: int, lat: float,
                    lon: float, sub: int = -1) -> list[tuple[object, ...]]:
        keys: list[tuple[object, ...]] = []
        if village >= 0:
            keys.append(("v", village))
        if not math.isnan(lat):
            for shift in (0.0, 0.5):
                keys.append(("g", shift, math.floor(lat / GRID_DEGREES + shift), math.floor(lon / GRID_DEGREES + shift)))
        # a proposal with neither a village nor coordinates (an agency's Pra-Renja line): compared
        # with the lines of the same agency and sub-activity in the same kecamatan (or none)
        if not keys and (agency != -1 or sub != -1):
            keys.append(("s", agency, district, sub))
        return keys

    def _blocks(self) -> dict[tuple[object, ...], I64]:
        a = self.attrs
        groups: dict[tuple[object, ...], list[int]] = {}
        for i, r in enumerate(self.records):
            for key in self._block_keys(r, int(a.village[i]), int(a.agency[i]), int(a.district[i]),
                                        float(a.lat[i]), float(a.lon[i]), int(a.sub[i])):
                groups.setdefault(key, []).append(i)
        return {k: np.asarray(v, dtype=np.int64) for k, v in groups.items() if len(v) > 0}

    # -- scoring -----------------------------------------------------------------------------

    def _score(self, left: I64, right: I64, text: F32, desc: F32, other: _Attrs | None = None) -> F64:
        """Scores of pairs (left[k] of `other` or self, right[k] of self)."""
        a = self.attrs
        b = other if other is not None else a
        text64 = text.astype(np.float64)
        has_desc = desc >= 0
        base = np.where(has_desc, 0.85 * text64 + 0.15 * np.maximum(desc, 0), text64)
        pts = np.zeros(left.shape[0])
        vl, vr = b.village[left], a.village[right]
        pts -= np.where((vl >= 0) & (vr >= 0) & (vl != vr), 0.2, 0.0)
        # place detail: an RT or a named kampung/dusun; an address naming only the village says little
        # (-1: none written; -2, only for a checked new proposal: a kampung the index has not seen)
        spec_l = (b.rt[left] >= 0) | (b.hamlet[left] != -1)
        spec_r = (a.rt[right] >= 0) | (a.hamlet[right] != -1)
        al, ar = b.address[left], a.address[right]
        same_addr = (al >= 0) & (al == ar)
        both_spec = spec_l & spec_r
        rtl, rtr = b.rt[left], a.rt[right]
        same_rw = b.rw[left] == a.rw[right]
        hl, hr = b.hamlet[left], a.hamlet[right]
        same_hamlet = (hl >= 0) & (hl == hr)
        # the same RT (and RW), or the same kampung/dusun with an RT named on one side only
        same_place = ((rtl >= 0) & (rtl == rtr) & same_rw) | (same_hamlet & ((rtl < 0) | (rtr < 0)))
        # the next RT of the same RW or kampung: often one road or drain written from both ends
        neighbour = (rtl >= 0) & (rtr >= 0) & (np.abs(rtl - rtr) == 1) & (same_rw | same_hamlet)
        differs = both_spec & ~same_addr & ~same_place
        pts += np.where(same_addr & both_spec, SAME_PLACE_BONUS, 0.0)
        pts -= np.where(differs & neighbour, NEIGHBOUR_PENALTY, np.where(differs, OTHER_PLACE_PENALTY, 0.0))
        dist = _haversine(b.lat[left], b.lon[left], a.lat[right], a.lon[right])
        has_d = ~np.isnan(dist)
        near = has_d & (dist <= 250)
        # one side names an RT or kampung, the other only the village: the place cannot be told
        one_spec = (spec_l ^ spec_r) & ~same_addr & ~near
        no_place = (vl == -1) & (vr == -1) & np.isnan(b.lat[left]) & np.isnan(a.lat[right])
        pts -= np.where(no_place, NO_PLACE_PENALTY,
                        np.where(one_spec, ONE_PLACE_PENALTY, np.where(~both_spec & ~near, VAGUE_PLACE_PENALTY, 0.0)))
        pts += np.where(has_d & (dist <= 50), 0.1, np.where(near, 0.05, 0.0))
        pts -= np.where(has_d & (dist > 1000), 0.3, 0.0)
        sl, sr = b.sub[left], a.sub[right]
        both_sub = (sl >= 0) & (sr >= 0)
        pts += np.where(both_sub & (sl == sr), 0.03, 0.0)
        pts -= np.where(both_sub & (b.sector[left] != a.sector[right]), 0.2, 0.0)
        cl, cr = b.cost[left], a.cost[right]
        both_cost = (cl > 0) & (cr > 0)
        ratio = np.where(both_cost, np.minimum(cl, cr) / np.maximum(np.maximum(cl, cr), 1.0), 1.0)
        same_cost = no_place & both_cost & (_same_cost(cl, cr, b.volume[left], a.volume[right]) > 0)
        pts += np.where(same_cost, SAME_COST_BONUS,
                        np.where(both_cost & (ratio >= 0.95), 0.1,
                                 np.where(both_cost & (ratio >= SIMILAR_COST), 0.05, 0.0)))
        pts -= np.where(both_cost & (ratio < 0.5), 0.4, np.where(both_cost & (ratio < SIMILAR_COST), 0.25, 0.0))
        result: F64 = np.clip(base + pts, 0.0, 1.0)
        return result

    def _reasons(self, ia: int, ib: int, text: float, desc: float, other: _Attrs | None = None,
                 rec_a: ProposalText | None = None) -> tuple[Reason, ...]:
        a = self.attrs
        b = other if other is not None else a
        ra = rec_a if rec_a is not None else self.records[ia]
        rb = self.records[ib]
        out: list[Reason] = []
        spell = self.speller.word
        wb = {spell(w) for w in words(rb.title)}
        shared = [w for w, n in word_pairs(ra.title) if spell(n) in wb]
        out.append(Reason("title", (("score", _fmt(text)), ("shared", " ".join(shared)))))
        if desc >= 0.5:
            out.append(Reason("description", (("score", _fmt(desc)),)))
        va, vb = int(b.village[ia]), int(a.village[ib])
        if va >= 0 and vb >= 0:
            out.append(Reason("same_village" if va == vb else "other_village"))
        no_place = va == -1 and vb == -1 and math.isnan(b.lat[ia]) and math.isnan(a.lat[ib])
        if no_place:
            out.append(Reason("no_place"))
        if not math.isnan(b.lat[ia]) and not math.isnan(a.lat[ib]):
            d = float(_haversine(b.lat[ia:ia + 1], b.lon[ia:ia + 1], a.lat[ib:ib + 1], a.lon[ib:ib + 1])[0])
            out.append(Reason("distance", (("metres", str(round(d))),)))
        rta, rtb = int(b.rt[ia]), int(a.rt[ib])
        if rta >= 0 and rtb >= 0:
            out.append(Reason("same_rt", (("rt", f"RT {rta}"),)) if rta == rtb
                       else Reason("other_rt", (("a", f"RT {rta}"), ("b", f"RT {rtb}"))))
        ha, hb = int(b.hamlet[ia]), int(a.hamlet[ib])
        if ha != -1 and hb != -1:
            out.append(Reason("same_hamlet", (("hamlet", place_hints(ra.title, ra.address).hamlet),))
                       if ha == hb else Reason("other_hamlet"))
        same_address = int(b.address[ia]) >= 0 and int(b.address[ia]) == int(a.address[ib])
        if same_address:
            out.append(Reason("same_address"))
        elif (rta >= 0 or ha != -1) != (rtb >= 0 or hb != -1):
            out.append(Reason("one_place_vague"))
        sa, sb = int(b.sub[ia]), int(a.sub[ib])
        if sa >= 0 and sb >= 0:
            if sa == sb:
                out.append(Reason("same_sub_activity"))
            elif int(b.activity[ia]) == int(a.activity[ib]) >= 0:
                out.append(Reason("related_sub_activity"))
            else:
                out.append(Reason("other_sub_activity"))
        elif ra.agency_code and ra.agency_code == rb.agency_code:
            out.append(Reason("same_agency"))
        ca, cb = float(b.cost[ia]), float(a.cost[ib])
        same = int(_same_cost(b.cost[ia:ia + 1], a.cost[ib:ib + 1], b.volume[ia:ia + 1], a.volume[ib:ib + 1])[0])
        if no_place and same == 2:
            out.append(Reason("same_cost"))
        elif no_place and same == 1:
            out.append(Reason("same_unit_price", (("a", _num(float(b.volume[ia]))), ("b", _num(float(a.volume[ib]))))))
        elif ca > 0 and cb > 0:
            diff = round(100 * abs(ca - cb) / max(ca, cb))
            if min(ca, cb) / max(ca, cb) >= SIMILAR_COST:
                out.append(Reason("similar_cost", (("percent", str(diff)),)))
            else:
                out.append(Reason("other_cost", (("percent", str(diff)),)))
        if ra.channel and rb.channel and ra.channel != rb.channel:
            out.append(Reason("other_channel", (("a", _channel(ra.channel)), ("b", _channel(rb.channel)))))
        if ra.year and rb.year and ra.year != rb.year:
            out.append(Reason("other_year", (("a", str(ra.year)), ("b", str(rb.year)))))
        return tuple(out)

    # -- queries -----------------------------------------------------------------------------

    def candidate_pairs(self, min_text: float = MIN_TEXT) -> tuple[I64, I64, F32]:
        """Every pair (row indexes, left < right) sharing a block with title similarity ≥ `min_text`."""
        t = self.titles
        ls: list[I64] = []
        rs: list[I64] = []
        cs: list[F32] = []
        for key, rows in self.blocks.items():
            if rows.shape[0] < 2:
                continue
            # lines without a place: only pairs whose costs are close can score high enough
            min_cost = SIMILAR_COST if key[0] == "s" else 0.0
            for start in range(0, rows.shape[0], MAX_BLOCK):
                window = rows[start:start + 2 * MAX_BLOCK] if rows.shape[0] > MAX_BLOCK else rows
                left, right, cos = _block_pairs(window, self.attrs.title_row, t.indptr, t.indices, t.weights, min_text,
                                                self.attrs.cost, min_cost)
                ls.append(left)
                rs.append(right)
                cs.append(cos)
                if rows.shape[0] <= MAX_BLOCK:
                    break
        if not ls:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy(), np.zeros(0, dtype=np.float32)
        left = np.concatenate(ls)
        right = np.concatenate(rs)
        cos = np.concatenate(cs)
        n = max(len(self.records), 1)
        _, first = np.unique(left * n + right, return_index=True)
        return left[first], right[first], cos[first]

    def _desc_cos(self, left_desc: I64, right_desc: I64, features: Features | None = None) -> F32:
        ok = (left_desc >= 0) & (right_desc >= 0)
        out = np.full(left_desc.shape[0], -1.0, dtype=np.float32)
        if ok.any():
            d = self.descs
            if features is None:
                out[ok] = cosine_pairs(d.indptr, d.indices, d.weights, left_desc[ok], right_desc[ok])
            else:
                q0, q1 = features.indptr[0], features.indptr[1]
                out[ok] = row_cosines(features.indices[q0:q1], features.weights[q0:q1], d.indptr, d.indices,
                                      d.weights, right_desc[ok])
        return out

    def pairs(self, threshold: float = DEFAULT_THRESHOLD, *, years: Iterable[int] | None = None,
              explain: bool = True) -> list[DuplicateCandidate]:
        """Candidate pairs scoring at least `threshold`, best first (at least one side in `years`)."""
        left, right, text = self.candidate_pairs()
        if years is not None:
            wanted = np.asarray(sorted(set(years)), dtype=np.int64)
            keep = np.isin(self.attrs.year[left], wanted) | np.isin(self.attrs.year[right], wanted)
            left, right, text = left[keep], right[keep], text[keep]
        desc = self._desc_cos(self.attrs.desc_row[left], self.attrs.desc_row[right])
        score = self._score(left, right, text, desc)
        keep = score >= threshold
        left, right, text, desc, score = left[keep], right[keep], text[keep], desc[keep], score[keep]
        order = np.lexsort((right, left, -score))
        out: list[DuplicateCandidate] = []
        for k in order:
            i, j = int(left[k]), int(right[k])
            reasons = self._reasons(i, j, float(text[k]), float(desc[k])) if explain else ()
            out.append(DuplicateCandidate(self.records[i].key, self.records[j].key, round(float(score[k]), 4), reasons))
        return out

    def pair_arrays(self, threshold: float = DEFAULT_THRESHOLD) -> tuple[I64, I64, F64]:
        """Row indexes and scores of every pair at or above `threshold` (for measurement)."""
        left, right, text = self.candidate_pairs()
        desc = self._desc_cos(self.attrs.desc_row[left], self.attrs.desc_row[right])
        score = self._score(left, right, text, desc)
        keep = score >= threshold
        return left[keep], right[keep], score[keep]

    def check(self, record: ProposalText, threshold: float = DEFAULT_THRESHOLD, limit: int = 10,
              exclude: Iterable[int] = ()) -> list[DuplicateCandidate]:
        """The indexed proposals that look like `record` (a new or edited proposal), best first.

        `record.key` and the keys in `exclude` are never returned. An empty or meaningless title
        gives no candidates (never an error)."""
        norm = self.speller.text(normalize_title(record.title)) if self.records else ""
        if not norm:
            return []
        q, _ = vectorize([norm], self.title_idf)
        hints = place_hints(record.title, record.address)
        ints = self._interners

        def look(name: str, value: str) -> int:
            return ints[name].ids.get(value, -2) if value else -1

        lat = float(record.latitude) if record.latitude is not None else math.nan
        lon = float(record.longitude) if record.longitude is not None else math.nan
        d_norm = normalize_title(record.description)
        one = _Attrs(
            title_row=np.zeros(1, np.int64), desc_row=np.asarray([0 if d_norm else -1], np.int64),
            village=np.asarray([look("village", record.village_code)], np.int64),
            district=np.asarray([look("district", record.district_code)], np.int64),
            rt=np.asarray([-1 if hints.rt is None else hints.rt], np.int64),
            rw=np.asarray([-1 if hints.rw is None else hints.rw], np.int64),
            hamlet=np.asarray([look("hamlet", hints.hamlet)], np.int64),
            address=np.asarray([look("address", _address_key(record.address))], np.int64),
            lat=np.asarray([lat]), lon=np.asarray([lon]),
            agency=np.asarray([look("agency", record.agency_code)], np.int64),
            sub=np.asarray([look("sub", record.sub_activity_code)], np.int64),
            activity=np.asarray([look("activity", _activity(record.sub_activity_code))], np.int64),
            sector=np.asarray([look("sector", _sector(record.sub_activity_code))], np.int64),
            cost=np.asarray([float(max(0, int(record.estimated_cost or 0)))]),
            year=np.asarray([record.year], np.int64),
            volume=np.asarray([max(0.0, float(record.volume or 0))]),
        )
        keys = self._block_keys(record, int(one.village[0]), int(one.agency[0]), int(one.district[0]), lat, lon,
                                int(one.sub[0]))
        if int(one.village[0]) == -2:
            keys = [k for k in keys if k[0] != "v"]
        found = [self.blocks[k] for k in keys if k in self.blocks]
        if not found:
            return []
        rows = np.unique(np.concatenate(found))
        skip = {record.key, *exclude}
        if skip:
            rows = rows[~np.isin(np.asarray([self.records[int(r)].key for r in rows], dtype=np.int64),
                                 np.asarray(sorted(skip), dtype=np.int64))]
        tr = self.attrs.title_row[rows]
        rows = rows[tr >= 0]
        if rows.shape[0] == 0:
            return []
        t = self.titles
        text = row_cosines(q.indices, q.weights, t.indptr, t.indices, t.weights, self.attrs.title_row[rows])
        desc = np.full(rows.shape[0], -1.0, dtype=np.float32)
        if d_norm:
            dq, _ = vectorize([d_norm], self.desc_idf)
            desc = self._desc_cos(np.zeros(rows.shape[0], np.int64), self.attrs.desc_row[rows], dq)
        left = np.zeros(rows.shape[0], dtype=np.int64)
        score = self._score(left, rows, text, desc, other=one)
        keep = (score >= threshold) & (text >= MIN_TEXT)
        rows, text, desc, score = rows[keep], text[keep], desc[keep], score[keep]
        order = np.argsort(-score, kind="stable")[:limit]
        return [DuplicateCandidate(record.key, self.records[int(rows[k])].key, round(float(score[k]), 4),
                                   self._reasons(0, int(rows[k]), float(text[k]), float(desc[k]), other=one,
                                                 rec_a=record))
                for k in order]


def _num(x: float) -> str:
    return (f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))).replace(".", ",")


def _channel(value: str) -> str:
    try:
        return CHANNEL_LABELS[Channel(value)]
    except ValueError:
        return value
