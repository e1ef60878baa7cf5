"""Derive the mapping between two editions of a code list (pure; no database).

Each code of the old edition gets a kind of change and a confidence (0..1):

- `unchanged`: same code, same name after normalisation (case, punctuation, "Kab." = "Kabupaten").
- `renamed`: same code, name changed. Only a change of spelling is accepted automatically:
  case, punctuation, spaces ("Kerjasama" = "Kerja Sama", "Suka Maju" = "Sukamaju"), known
  variants ("obyek" = "objek") and, in proper names (regions), a word spelt slightly differently
  ("Dalem" = "Dalam"). A word added, dropped or replaced ("Evaluasi Pelaksanaan Kebijakan" ->
  "Pelaksanaan Kebijakan", "... Provinsi" -> "... Kabupaten/Kota", "Sukamaju I" -> "Sukamaju II")
  and a name that now means something else (11.02.03.2002 Kisam -> Kuta Buluh) always wait for a
  person (`review`), however similar the letters: they never map silently.
- `moved`: the code is gone and the same name is found under the successor of its parent (or,
  when unique, anywhere on the same level: 92.01 Kab. Sorong -> 96.01), or a similar name
  under the successor parent (for review).
- `split`: the official previous-code column names the code for several new codes.
- `merged`: several old codes lead to one new code.
- `removed`: no successor found.

Sources, strongest first: the official previous-code column (confidence 1, status
`official`), code + normalised name, the same name under the same or a new parent, and name
similarity. Rows whose confidence is below AUTO wait in the review list (`status="review"`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["AUTO", "CHANGE_KINDS", "MAPPING_VERSION", "SPELLING", "Entry", "Mapped", "derive_mapping", "name_change",
           "normalise_name", "nomenclature_entries", "region_entries", "summary"]

# Bump when derive_mapping judges differently: databases then derive their packaged pairs again
# (the later edition of each pair reloads once, see web/reference/services.edition_checksum).
MAPPING_VERSION = "3"
SPELLING = 0.8  # same code, names at least this similar (bigram Dice): a spelling change
AUTO = 0.85  # confidence from which a derived row is accepted without a person
CHANGE_KINDS = ("unchanged", "renamed", "moved", "split", "merged", "removed")

_ABBREVIATIONS = ((re.compile(r"\bkab\b\.?"), "kabupaten"), (re.compile(r"\bkep\b\.?"), "kepulauan"),
                  (re.compile(r"\badm\b\.?"), "administrasi"), (re.compile(r"\bsdm\b"), "sumber daya manusia"))
_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Spellings of one word that official lists use interchangeably (standard and older forms).
_VARIANTS = frozenset(frozenset(pair) for pair in (
    ("obyek", "objek"), ("propinsi", "provinsi"), ("survei", "survey"), ("ijin", "izin"),
    ("perijinan", "perizinan"), ("sistim", "sistem"), ("praktek", "praktik"), ("resiko", "risiko"),
    ("kwalitas", "kualitas"), ("nasehat", "nasihat"), ("apotik", "apotek"), ("jadual", "jadwal"),
    ("tehnis", "teknis"), ("tehnik", "teknik"), ("analisa", "analisis"), ("aktifitas", "aktivitas"),
    ("kreatifitas", "kreativitas"), ("produktifitas", "produktivitas"), ("efektifitas", "efektivitas"),
    ("kordinasi", "koordinasi"),
))


def normalise_name(name: str) -> str:
    """Lower case, abbreviations written out, apostrophes dropped, other punctuation and repeated
    spaces made single spaces."""
    text = _APOSTROPHES.sub("", name.lower())
    for pattern, word in _ABBREVIATIONS:
        text = pattern.sub(word, text)
    return _NON_WORD.sub(" ", text).strip()


def _close_word(a: str, b: str) -> bool:
    """Two spellings of one proper-name word: long enough, same first letter, no digits, and at
    least 80 % of their letters in common order ("dalem" = "dalam"; "i" != "ii", "lor" != "kidul")."""
    if min(len(a), len(b)) < 4 or a[0] != b[0] or any(ch.isdigit() for ch in a + b):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SPELLING


def name_change(old: str, new: str, *, proper_names: bool = False) -> str:
    """How a normalised name changed: `same`, `spelling` (only spaces, joined or split words,
    known variants and, with `proper_names`, words spelt slightly differently) or `wording`
    (a word added, dropped or replaced: the meaning may have changed, a person decides)."""
    if old == new:
        return "same"
    if old.replace(" ", "") == new.replace(" ", ""):
        return "spelling"
    a, b = old.split(), new.split()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" or "".join(a[i1:i2]) == "".join(b[j1:j2]):
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            return "wording"
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            if x != y and frozenset((x, y)) not in _VARIANTS and not (proper_names and _close_word(x, y)):
                return "wording"
    return "spelling"


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    name: str
    parent: str
    depth: int  # 0 = top level
    # Nomenclature: (government level, name) of each level the code appears for, in level order
    # (sectors and programs, and since 2023 activities and sub-activities, may differ per level).
    names_by_level: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Mapped:
    from_code: str
    from_name: str
    change: str  # one of CHANGE_KINDS
    to_codes: tuple[str, ...]
    to_names: tuple[str, ...]
    confidence: float
    status: str  # official | auto | review
    reason: str  # official | same_name | spelling | wording_changed | name_changed | same_name_new_parent |
    #              same_name_ambiguous |
    #              same_name_elsewhere | similar_name | no_successor | official_not_in_old


def region_entries(records: Iterable[object]) -> list[Entry]:
    """Entries from region records (anything with code, name, parent_code, level)."""
    return [Entry(r.code, r.name, r.parent_code, r.level - 1) for r in records]  # type: ignore[attr-defined]


_NOMENCLATURE_DEPTH = {"affair": 0, "sector": 1, "program": 2, "activity": 3, "sub_activity": 4}


def nomenclature_entries(records: Iterable[object]) -> list[Entry]:
    """One entry per code, named by its first government level; a code that appears once per level
    (with `government_level` on the records) keeps every level's name, so that names are compared
    level by level (4.01.02 is "Penataan Organisasi" for provinces, another program for kab/kota)."""
    first: dict[str, object] = {}
    by_level: dict[str, dict[str, str]] = defaultdict(dict)
    for r in records:
        code = r.code  # type: ignore[attr-defined]
        first.setdefault(code, r)
        by_level[code].setdefault(getattr(r, "government_level", "") or "", r.name)  # type: ignore[attr-defined]
    result = []
    for code, r in first.items():
        # levels in a fixed order ("" < kab/kota < provinsi), whatever the order of the records
        levels = tuple(sorted(by_level[code].items()))
        result.append(Entry(code, levels[0][1], r.parent_code, _NOMENCLATURE_DEPTH[r.level],  # type: ignore[attr-defined]
                            levels))
    return result


def _name_pairs(old: Entry, new: Entry) -> list[tuple[str, str]]:
    """The names to compare for one code in both editions: level by level where both editions
    name the levels, otherwise every old name against the new one of its level (or the first)."""
    if not old.names_by_level and not new.names_by_level:
        return [(old.name, new.name)]
    new_names = dict(new.names_by_level)
    olds = old.names_by_level or (("", old.name),)
    return [(name, new_names.get(level, new.name)) for level, name in olds]


def _grams(text: str) -> Counter[str]:
    padded = f" {text} "
    return Counter(padded[i:i + 2] for i in range(len(padded) - 1))


def _dice(a: Counter[str], b: Counter[str]) -> float:
    """Similarity of two names: the Dice coefficient of their character bigrams (0..1)."""
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _similarity(a: str, b: str) -> float:
    return _dice(_grams(a), _grams(b))


def _closest_code(code: str, candidates: list[str]) -> str:
    """The candidate sharing the most trailing parts with `code` (at least the last two, i.e. the
    item's own number and its parent's), if exactly one does; else ""."""
    parts = code.split(".")

    def shared(other: str) -> int:
        n = 0
        for a, b in zip(reversed(parts), reversed(other.split(".")), strict=False):
            if a != b:
                break
            n += 1
        return n

    scored = sorted(((shared(c), c) for c in candidates), reverse=True)
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return ""
    return scored[0][1]


def derive_mapping(old: list[Entry], new: list[Entry],
                   official: Mapping[str, Iterable[str]] | None = None,
                   official_names: Mapping[str, str] | None = None, *,
                   proper_names: bool = False) -> list[Mapped]:
    """The mapping of every old code (plus official pairs whose old code is not in `old`),
    in old-code order by depth. `official` maps an old code to its new codes as published.
    `proper_names` (regions): a word spelt slightly differently is still a spelling change;
    otherwise (the nomenclature, ordinary words where one letter changes the meaning:
    "penataan"/"pendataan") every changed word waits for a person."""
    ranks = {"same": 0, "spelling": 1, "wording": 2}
    published: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (official or {}).items()}
    new_by_code = {e.code: e for e in new}
    old_codes = {e.code for e in old}
    new_norm = {e.code: normalise_name(e.name) for e in new}
    children: dict[str, list[Entry]] = defaultdict(list)
    by_name: dict[tuple[int, str], list[str]] = defaultdict(list)
    for e in new:
        children[e.parent].append(e)
        by_name[(e.depth, new_norm[e.code])].append(e.code)
    successors: dict[str, tuple[str, ...]] = {}
    unsure: dict[str, float] = {}  # old codes whose mapping waits for a person: its confidence
    result: list[Mapped] = []

    def names(codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new_by_code[c].name if c in new_by_code else "" for c in codes)

    def emit(e: Entry, change: str, to: tuple[str, ...], confidence: float, reason: str,
             status: str | None = None, to_names: tuple[str, ...] | None = None) -> None:
        confidence = round(confidence, 3)
        result.append(Mapped(e.code, e.name, change, to, to_names or names(to), confidence,
                             status or ("auto" if confidence >= AUTO else "review"), reason))
        successors[e.code] = to
        if result[-1].status == "review":
            unsure[e.code] = confidence

    for e in sorted(old, key=lambda x: (x.depth, x.code)):
        if e.code in published:
            to = published[e.code]
            change = "split" if len(to) > 1 else ("renamed" if to == (e.code,) else "moved")
            emit(e, change, to, 1.0, "official", "official")
            continue
        norm = normalise_name(e.name)
        parents = successors.get(e.parent, (e.parent,)) if e.parent else ("",)
        siblings = [c for p in parents for c in children.get(p, ())]
        same = new_by_code.get(e.code)
        if same is not None:
            compared = _name_pairs(e, same)
            own = (compared[0][1],)  # the new name at the level of the old entry's name
            pairs = [(normalise_name(a), normalise_name(b)) for a, b in compared]
            change = max((name_change(a, b, proper_names=proper_names) for a, b in pairs), key=ranks.__getitem__)
            similarity = min(_similarity(a, b) for a, b in pairs)
            if change == "same":
                emit(e, "unchanged", (e.code,), 1.0, "same_name", to_names=own)
                continue
            if change == "spelling":
                # only spaces, joined words or known variants: as sure as an unchanged name
                spaces_only = all(a.replace(" ", "") == b.replace(" ", "") for a, b in pairs)
                emit(e, "renamed", (e.code,), max(similarity, 0.95) if spaces_only else similarity, "spelling",
                     to_names=own)
                continue
            if similarity >= SPELLING:
                # similar letters, other words: never carried on without a person
                emit(e, "renamed", (e.code,), min(similarity, 0.8), "wording_changed", "review", to_names=own)
                continue
            elsewhere = [c.code for c in siblings if c.code != e.code and new_norm[c.code] == norm]
            if len(elsewhere) == 1:
                emit(e, "moved", (elsewhere[0],), 0.8, "same_name_elsewhere", "review")
            else:
                emit(e, "renamed", (e.code,), min(similarity, 0.5), "name_changed", "review", to_names=own)
            continue
        # The code is gone: look for its name under its parent's successor, then on its level.
        found = [c.code for c in siblings if new_norm[c.code] == norm]
        if len(found) == 1:
            # no surer than the parent's own mapping: under a parent waiting for a person, it waits too
            emit(e, "moved", (found[0],), min(0.95, unsure.get(e.parent, 1.0)), "same_name_new_parent")
            continue
        candidates = [c for c in by_name.get((e.depth, norm), ()) if c not in old_codes]
        if len(candidates) == 1:
            emit(e, "moved", (candidates[0],), 0.9, "same_name_elsewhere")
            continue
        best, best_score = "", 0.0
        grams = _grams(norm)
        for c in siblings:
            if c.code in old_codes:
                continue
            score = _dice(grams, _grams(new_norm[c.code]))
            if score > best_score:
                best, best_score = c.code, score
        if best and best_score >= 0.75:
            emit(e, "moved", (best,), best_score * 0.9, "similar_name", "review")
            continue
        # The same name on several codes (or on a code that was there already): offer the one
        # whose code ends like the old one (4.01.01.1.16.0002 -> X.XX.01.1.16.0002), for a person.
        likely = _closest_code(e.code, [c for c in by_name.get((e.depth, norm), ()) if c != e.code])
        if likely:
            emit(e, "moved", (likely,), 0.6, "same_name_ambiguous", "review")
            continue
        emit(e, "removed", (), 0.9, "no_successor", "auto")

    for code, to in sorted(published.items()):
        if code not in old_codes:
            name = (official_names or {}).get(code, "")
            result.append(Mapped(code, name, "split" if len(to) > 1 else "moved", to, names(to), 1.0,
                                 "official", "official_not_in_old"))

    targets = Counter(c for m in result if m.change in ("moved", "renamed") for c in m.to_codes)
    targets.update(c for m in result if m.change == "unchanged" for c in m.to_codes)
    merged = {c for c, n in targets.items() if n > 1}
    if merged:
        result = [Mapped(m.from_code, m.from_name, "merged", m.to_codes, m.to_names, m.confidence, m.status, m.reason)
                  if m.change in ("moved", "renamed") and set(m.to_codes) & merged and m.status != "official" else m
                  for m in result]
    return result


def summary(mapped: Iterable[Mapped], new_codes: Iterable[str] = ()) -> dict[str, int]:
    """Counts by kind of change, rows waiting for review, and codes added in the new edition."""
    rows = list(mapped)
    counts = Counter(m.change for m in rows)
    result = {kind: counts.get(kind, 0) for kind in CHANGE_KINDS}
    result["review"] = sum(1 for m in rows if m.status == "review")
    reached = {c for m in rows for c in m.to_codes}
    result["added"] = sum(1 for c in new_codes if c not in reached)
    return result
