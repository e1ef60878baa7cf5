"""Indonesian normalisation of proposal text and places, for comparing and classifying proposals.

`normalize_title` turns what people type ("Pemb. jln lingk. RT.03 (lanjutan)") into the words
that carry meaning ("pembangunan jalan lingkungan"): lower case, punctuation gone, abbreviations and
spelling variants spelled out, reduplication ("gorong2") written out, filler words dropped.
Places (RT, RW, kampung, dusun) are taken out of the text into `PlaceHints`, so that "RT 3" and
"RT 003" are the same place and a different RT is a reason, not a text difference.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["PlaceHints", "Speller", "normalize_title", "place_hints", "word_pairs", "words"]

#: Abbreviations and spelling variants people write, and the word they mean.
VARIANTS: dict[str, str] = {
    # roads and structures
    "jln": "jalan", "jl": "jalan", "jalam": "jalan", "jaln": "jalan", "jlan": "jalan",
    "lingk": "lingkungan", "lingkgn": "lingkungan", "ling": "lingkungan", "lingkunga": "lingkungan",
    "gg": "gang", "jemb": "jembatan", "sal": "saluran", "drenase": "drainase", "drainasi": "drainase",
    "dranase": "drainase", "udit": "uditch", "u-ditch": "uditch", "tpt": "tembok penahan tanah",
    "talud": "turap", "talut": "turap", "senderan": "turap", "hotmix": "aspal", "hotmik": "aspal",
    "pengaspalan": "aspal", "aspalisasi": "aspal", "betonisasi": "beton", "pengecoran": "beton",
    "cor": "beton", "rabat": "beton", "rigid": "beton", "pavingisasi": "paving", "pavingblok": "paving",
    "pju": "penerangan jalan umum", "pjl": "penerangan jalan umum", "ipal": "instalasi pengolahan air limbah",
    "mck": "mandi cuci kakus", "rtlh": "rumah tidak layak huni", "rutilahu": "rumah tidak layak huni",
    "rkb": "ruang kelas baru", "paud": "pendidikan anak usia dini", "tps3r": "tps3r",
    "pustu": "puskesmas pembantu", "pmt": "pemberian makanan tambahan", "umkm": "usaha mikro",
    "apar": "alat pemadam api ringan", "tbm": "taman bacaan masyarakat", "rth": "ruang terbuka hijau",
    # verbs of what is done
    "rehab": "rehabilitasi", "rehabilitas": "rehabilitasi", "rehabilitasai": "rehabilitasi",
    "pemb": "pembangunan", "pembang": "pembangunan", "pembgn": "pembangunan", "pmbngn": "pembangunan",
    "pembangun": "pembangunan", "pembanguan": "pembangunan", "pembangunn": "pembangunan",
    "peningk": "peningkatan", "pen": "peningkatan", "pningkatan": "peningkatan",
    "perb": "perbaikan", "pebaikan": "perbaikan", "pemel": "pemeliharaan", "pemeliharan": "pemeliharaan",
    "pengad": "pengadaan", "pengadan": "pengadaan", "peng": "pengadaan", "bant": "bantuan",
    "bantuab": "bantuan", "pelat": "pelatihan", "normalisas": "normalisasi",
    # places
    "kp": "kampung", "kmp": "kampung", "kamp": "kampung", "dsn": "dusun", "ds": "desa", "kel": "kelurahan",
    "kec": "kecamatan", "kab": "kabupaten", "sdn": "sd negeri", "smpn": "smp negeri",
    # numbers of phases
    "thp": "tahap",
}

#: Words that name the kind of work but not its object: paraphrases people swap freely.
WORK_SYNONYMS: dict[str, str] = {
    "perbaikan": "rehabilitasi", "renovasi": "rehabilitasi", "pemeliharaan": "rehabilitasi",
    "peningkatan": "rehabilitasi", "pembuatan": "pembangunan", "pengerasan": "beton",
    "penambahan": "pembangunan", "pemasangan": "pengadaan", "penyediaan": "pengadaan",
    "bedah": "rehabilitasi",
}

#: Words that say nothing about what or where (filler) and are dropped.
FILLER: frozenset[str] = frozenset({
    "usulan", "kegiatan", "program", "di", "ke", "dan", "yang", "untuk", "dengan", "pada", "dari",
    "bagi", "serta", "atau", "dalam", "oleh", "tersebut", "lanjutan", "lanjut", "kelanjutan",
    "tahun", "ta", "anggaran", "tahap", "i", "ii", "iii", "iv", "v", "the", "of", "warga", "masyarakat",
    "setempat", "wilayah", "lokasi", "sekitar", "mohon", "permohonan", "pengajuan", "diusulkan",
    "usul", "ulang", "kembali", "sangat", "mendesak", "prioritas", "baru",
})

_PLACE_WORDS = frozenset({"rt", "rw", "kampung", "dusun", "desa", "kelurahan", "kecamatan", "blok", "no"})

_RT = re.compile(r"\brt\.?\s*[:.]?\s*0*(\d{1,3})\b")
_RW = re.compile(r"\brw\.?\s*[:.]?\s*0*(\d{1,3})\b")
_RT_RW = re.compile(r"\brt\s*/\s*rw\.?\s*0*(\d{1,3})\s*/\s*0*(\d{1,3})\b")
_NAMED = re.compile(r"\b(kp|kmp|kamp|kampung|dsn|dusun|gg|gang|blok)\.?\s+([a-z0-9]+(?:\s+[a-z0-9]+)?)")
_REDUP = re.compile(r"\b([a-z]{2,})2\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@dataclass(frozen=True, slots=True)
class PlaceHints:
    """Place details written in a title or address: RT and RW numbers, a named kampung/dusun."""

    rt: int | None = None
    rw: int | None = None
    hamlet: str = ""  # "kampung sukamaju", "dusun ii" (normalised)

    def is_empty(self) -> bool:
        return self.rt is None and self.rw is None and not self.hamlet


def place_hints(*texts: str) -> PlaceHints:
    """RT, RW and a named hamlet from the first of `texts` that mentions each ("RT 03/RW 002",
    "RT.3", "Kp. Sukamaju", "Dusun II")."""
    rt: int | None = None
    rw: int | None = None
    hamlet = ""
    for raw in texts:
        if not raw:
            continue
        text = _fold(raw)
        both = _RT_RW.search(text)
        if both and rt is None:
            rt, rw = int(both.group(1)), int(both.group(2))
        m = _RT.search(text)
        if m and rt is None:
            rt = int(m.group(1))
        m = _RW.search(text)
        if m and rw is None:
            rw = int(m.group(1))
        m = _NAMED.search(text)
        if m and not hamlet:
            kind = VARIANTS.get(m.group(1), m.group(1))
            hamlet = f"{kind} {m.group(2).strip()}"
    return PlaceHints(rt, rw, hamlet)


def word_pairs(text: str) -> list[tuple[str, str]]:
    """Each meaningful word as written out (abbreviations expanded) and as compared (work verbs
    folded to one synonym), in order; filler, places and repeats dropped."""
    if not text:
        return []
    t = _fold(text)
    t = _RT_RW.sub(" ", t)
    t = _RT.sub(" ", t)
    t = _RW.sub(" ", t)
    t = _REDUP.sub(r"\1 \1", t)
    out: list[tuple[str, str]] = []
    for token in _NON_WORD.split(t):
        if not token or token.isdigit() or _YEAR.match(token):
            continue
        expanded = VARIANTS.get(token, token)
        for word in expanded.split():
            same = WORK_SYNONYMS.get(word, word)
            if same in FILLER or same in _PLACE_WORDS or len(same) < 2:
                continue
            if out and out[-1][1] == same:
                continue  # "gorong gorong" compares like "gorong"
            out.append((word, same))
            for size in range(2, 6):  # "rumah tidak layak huni (rtlh)": a phrase and its expansion
                if len(out) >= 2 * size and [w for _, w in out[-size:]] == [w for _, w in out[-2 * size:-size]]:
                    del out[-size:]
                    break
    return out


def words(text: str, *, synonyms: bool = True) -> list[str]:
    """The meaningful words of `text`, normalised (see the module docstring); may be empty."""
    return [same if synonyms else word for word, same in word_pairs(text)]


def normalize_title(text: str, *, synonyms: bool = True) -> str:
    """`words(text)` joined by single spaces ("" when nothing meaningful is left)."""
    return " ".join(words(text, synonyms=synonyms))


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _edits(a: str, b: str, limit: int) -> int:
    """Edit distance with swapped neighbours counting once (optimal string alignment), or
    `limit + 1` as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class Speller:
    """Typos corrected against the words of the texts themselves: a rare word becomes the
    frequent word one edit away (a letter dropped, doubled, changed or two swapped; two edits
    for words of eight letters or more), so "pembanguann" and "salurran" compare like
    "pembangunan" and "saluran". Learnt from the government's own proposals, nothing shipped.

    `counts`: how many texts use each normalised word. Words used by more than `rare` texts and
    words shorter than five letters are kept as written.
    """

    MIN_FREQUENT = 5

    def __init__(self, counts: dict[str, int], rare: int = 2) -> None:
        self.counts = counts
        self.rare = rare
        self._by_delete: dict[str, list[str]] = {}
        for word, n in counts.items():
            if n >= self.MIN_FREQUENT and len(word) >= 4:
                for d in _deletes(word, 2 if len(word) >= 7 else 1):
                    self._by_delete.setdefault(d, []).append(word)
        self._cache: dict[str, str] = {}

    def word(self, word: str) -> str:
        """`word`, or the frequent word it is most likely a typo of."""
        got = self._cache.get(word)
        if got is not None:
            return got
        best = word
        n = self.counts.get(word, 0)
        if n <= self.rare and len(word) >= 5 and not word.isdigit():
            limit = 2 if len(word) >= 8 else 1
            found: set[str] = set()
            for d in _deletes(word, limit):
                found.update(self._by_delete.get(d, ()))
            best_key: tuple[int, int, str] | None = None
            for cand in found:
                c = self.counts[cand]
                if c < max(self.MIN_FREQUENT, 3 * n) or cand == word:
                    continue
                dist = _edits(word, cand, limit)
                if dist <= limit:
                    key = (dist, -c, cand)
                    if best_key is None or key < best_key:
                        best_key = key
            if best_key is not None:
                best = best_key[2]
        self._cache[word] = best
        return best

    def text(self, normalised: str) -> str:
        """A normalised text (words separated by single spaces) with its typos corrected."""
        return " ".join(self.word(w) for w in normalised.split())

    @classmethod
    def learn(cls, normalised: list[str], rare: int = 2) -> Speller:
        """A speller from normalised texts (each text counts a word once)."""
        counts: dict[str, int] = {}
        for text in normalised:
            for w in set(text.split()):
                counts[w] = counts.get(w, 0) + 1
        return cls(counts, rare)
