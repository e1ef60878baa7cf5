"""The variants of Equal Shares that cities run, as one frozen set of options, and named presets.

`MesOptions` says everything that can change an Equal Shares outcome besides the instance:

- `completion`: what happens when MES leaves money unspent. `none`; `greedy` (utilitarian: by
  number of supporters, every project that still fits); `add1` (raise every voter's share by
  `increment` money units and rerun while the outcome stays within the budget); `add-opt`
  (Exact Equal Shares only: jump straight to the next share at which the outcome changes).
- `add1_stop`: when Add1 stops. `exhaustive-or-overspend` (as soon as no unselected project
  fits in the money left, or when the next share would overspend; pabutools 1.2.3 and
  equalshares.net since August 2023) or `overspend` (only when the next share would overspend;
  equalshares.net before August 2023).
- `final_greedy`: after Add1 / add-opt, a utilitarian greedy pass over what still fits.
- `integral_start`: Add1 starts from the whole-unit share floor(B / n) instead of B / n.
- `increment`: money units added to each voter's share per Add1 step.
- `comparison`: after everything, compare with the plain greedy outcome built from scratch and
  switch to it if more voters prefer it: `satisfaction` (a voter prefers the outcome with more
  of its supported projects) or `exclusion` (a voter prefers the outcome in which it has at
  least one supported project when the other gives it none). The counts are reported.
- `tie_breaking`: criteria in order, each deciding among the projects still tied: `votes` (more
  supporters first), `cost` (cheaper first), `cost-desc` (dearer first), `number` (ids compared
  as numbers, ids that are not numbers after them), `list` (the order of `tie_order`, listed
  projects first), `id` (ids compared as strings; always applied last, so ties never remain).

`PRESETS` names the common combinations; `MesOptions.as_dict()` is what runs record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

from selaras.domain.errors import InvalidInput
from selaras.domain.selection import (
    COMPLETION_STEPS,
    LEFTOVER_FILLED,
    LEFTOVER_KEPT,
    RULE_NAMES,
    Completion,
    Rule,
    Utility,
)

__all__ = [
    "Add1Stop",
    "Comparison",
    "MesOptions",
    "PRESETS",
    "PRESET_TEXTS",
    "TIE_CRITERIA",
    "TIE_TEXTS",
    "tie_steps",
    "preset",
    "OfficialVariant",
    "official_variant",
]


class Add1Stop(StrEnum):
    """When the Add1 loop stops."""

    EXHAUSTIVE_OR_OVERSPEND = "exhaustive-or-overspend"
    OVERSPEND = "overspend"


class Comparison(StrEnum):
    """The optional final comparison with the greedy outcome."""

    OFF = "off"
    SATISFACTION = "satisfaction"
    EXCLUSION = "exclusion"


TIE_CRITERIA = ("votes", "cost", "cost-desc", "number", "list", "id")


class OptionsError(InvalidInput):
    """Options that do not make sense together; still a `ValueError`."""

    code = "selection_options_invalid"


@dataclass(frozen=True)
class MesOptions:
    """One Equal Shares variant (see the module docstring for each field)."""

    completion: Completion = Completion.GREEDY
    add1_stop: Add1Stop = Add1Stop.EXHAUSTIVE_OR_OVERSPEND
    final_greedy: bool = True
    integral_start: bool = False
    increment: int = 1
    comparison: Comparison = Comparison.OFF
    tie_breaking: tuple[str, ...] = ("id",)
    tie_order: tuple[str, ...] = ()
    utility: Utility = Utility.COST
    #: add-opt only: stop raising after this many seconds and keep the last run that fits (None: no limit)
    max_seconds: float | None = None
    preset: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "completion", Completion(self.completion))
        object.__setattr__(self, "add1_stop", Add1Stop(self.add1_stop))
        object.__setattr__(self, "comparison", Comparison(self.comparison))
        object.__setattr__(self, "utility", Utility(self.utility))
        object.__setattr__(self, "tie_breaking", tuple(self.tie_breaking))
        object.__setattr__(self, "tie_order", tuple(str(p) for p in self.tie_order))
        if self.increment < 1:
            raise OptionsError("kenaikan (increment) harus bilangan bulat positif")
        if self.max_seconds is not None and not (isinstance(self.max_seconds, int | float) and self.max_seconds > 0):
            raise OptionsError("batas waktu (max_seconds) harus angka positif")
        bad = [c for c in self.tie_breaking if c not in TIE_CRITERIA]
        if bad:
            raise OptionsError(f"kriteria pemutus seri tidak dikenal: {', '.join(bad)}")
        if "list" in self.tie_breaking and not self.tie_order:
            raise OptionsError("pemutus seri 'list' memerlukan urutan proyek (tie_order)")

    @property
    def tie_key(self) -> tuple[str, ...]:
        """The criteria as applied: `id` always closes the order."""
        crit = tuple(c for c in self.tie_breaking if c != "id")
        return (*crit, "id")

    @property
    def default_ties(self) -> bool:
        """True when ties go by id alone (the order every other rule uses)."""
        return self.tie_key == ("id",)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, as recorded in every run (enum values as strings)."""
        out: dict[str, object] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else (v.value if isinstance(v, StrEnum) else v)
        return out

    @staticmethod
    def from_dict(data: Mapping[str, object]) -> MesOptions:
        """The inverse of `as_dict` (unknown keys are an error)."""
        known = {f.name for f in fields(MesOptions)}
        extra = sorted(set(data) - known)
        if extra:
            raise OptionsError(f"opsi tidak dikenal: {', '.join(extra)}")
        kw: dict[str, object] = {}
        for k, v in data.items():
            kw[k] = tuple(v) if isinstance(v, list) else v
        return MesOptions(**kw)  # type: ignore[arg-type]

    def describe(self) -> str:
        """A short Bahasa Indonesia description of the variant."""
        parts = [COMPLETION_STEPS[self.completion.value]]
        if self.completion in (Completion.ADD1, Completion.ADD_OPT):
            if self.completion is Completion.ADD1:
                parts.append(
                    "berhenti bila tidak ada lagi usulan yang muat atau langkah berikutnya melampaui anggaran"
                    if self.add1_stop is Add1Stop.EXHAUSTIVE_OR_OVERSPEND
                    else "berhenti hanya bila langkah berikutnya melampaui anggaran"
                )
                parts.append(f"naik {self.increment} satuan uang per pendukung setiap langkah")
                if self.integral_start:
                    parts.append("jatah awal dibulatkan")
            if self.completion is Completion.ADD_OPT and self.max_seconds is not None:
                parts.append(f"paling lama {self.max_seconds:g} detik")
            parts.append(f"lalu {LEFTOVER_FILLED}" if self.final_greedy else LEFTOVER_KEPT)
        if self.comparison is not Comparison.OFF:
            parts.append(f"lalu dibandingkan dengan hasil {RULE_NAMES[Rule.GREEDY.value]}; yang dipakai hasil yang "
                         f"lebih disukai para pendukung ({_COMPARISON_TEXT[self.comparison]})")
        parts.append("bila sama kuat, didahulukan " + tie_steps(self.tie_key))
        return "; ".join(parts)


# The words of `describe()` (what `selaras pb select --json` prints as "variant"): planner words,
# no research library, no option value; the values themselves are in the run's "options".
_COMPARISON_TEXT = {
    Comparison.SATISFACTION: "dihitung dari banyaknya usulan dukungannya yang terpilih",
    Comparison.EXCLUSION: "dihitung dari ada-tidaknya usulan dukungannya yang terpilih",
}

#: Each tie-break criterion in planner words: the one table for the variant's description, its
#: label and the sentence a result records (`ties.tie_text`); "didahulukan ..." precedes each.
TIE_TEXTS: dict[str, str] = {
    "votes": "yang pendukungnya lebih banyak",
    "cost": "yang lebih murah",
    "cost-desc": "yang lebih mahal",
    "number": "yang nomornya lebih kecil",
    "list": "yang lebih dahulu dalam urutan yang diberikan",
    "id": "yang kodenya lebih dahulu menurut urutan huruf dan angka",
}


def tie_steps(criteria: tuple[str, ...] | list[str]) -> str:
    """"yang pendukungnya lebih banyak, lalu yang lebih murah": criteria in order, in words."""
    return ", lalu ".join(TIE_TEXTS[c] for c in criteria)


PRESETS: dict[str, MesOptions] = {
    # pabutools 1.2.3: method_of_equal_shares(voter_budget_increment=1) then greedy
    "pabutools": MesOptions(completion=Completion.ADD1, preset="pabutools"),
    # the compute tool behind equalshares.net as configured today ("add1eu": exhaustive stop,
    # integral start, utilitarian completion); ties by votes, then cost, then id
    "equalshares": MesOptions(
        completion=Completion.ADD1,
        integral_start=True,
        tie_breaking=("votes", "cost"),
        preset="equalshares",
    ),
    # equalshares.net before August 2023: no exhaustive stop
    "equalshares-2023": MesOptions(
        completion=Completion.ADD1,
        add1_stop=Add1Stop.OVERSPEND,
        integral_start=True,
        tie_breaking=("votes", "cost"),
        preset="equalshares-2023",
    ),
    # Assen 2024 (official outcome): Add1, exhaustive stop, no final completion
    "assen": MesOptions(
        completion=Completion.ADD1,
        final_greedy=False,
        tie_breaking=("votes", "cost"),
        preset="assen",
    ),
    # Exact Equal Shares with the add-opt completion (Kraiczy, Robinson, Elkind 2025)
    "ees-add-opt": MesOptions(completion=Completion.ADD_OPT, final_greedy=False, preset="ees-add-opt"),
}



def _preset_text(options: MesOptions) -> str:
    """What a named variant does, in one line, said from its options (so it cannot say otherwise)."""
    if options.completion is Completion.ADD_OPT:
        raised = f"{RULE_NAMES[Rule.EES.value]}: {COMPLETION_STEPS[Completion.ADD_OPT.value]}"
    else:
        start = "jatah awal dibulatkan dan" if options.integral_start else "jatah tiap pendukung"
        raised = (f"{start} terus dinaikkan sampai langkah berikutnya melampaui anggaran"
                  if options.add1_stop is Add1Stop.OVERSPEND
                  else f"{start} dinaikkan bertahap sampai tidak ada lagi usulan yang muat")
    text = f"{raised}, lalu {LEFTOVER_FILLED}" if options.final_greedy else f"{raised}, {LEFTOVER_KEPT}"
    if not options.default_ties:  # the closing criterion (codes) goes without saying in a label
        text += "; bila sama kuat, didahulukan " + tie_steps(options.tie_key[:-1])
    return text[0].upper() + text[1:]


#: What each preset does, in planner words (the keys stay the values typed; which site or city
#: used a variant is told in docs/selection.md and may be said in a help sentence, never in the label).
PRESET_TEXTS: dict[str, str] = {name: _preset_text(options) for name, options in PRESETS.items()}


def preset(name: str, **changes: object) -> MesOptions:
    """A named preset, optionally with some fields changed."""
    try:
        base = PRESETS[name]
    except KeyError:
        raise OptionsError(f"preset tidak dikenal: {name} (ada: {', '.join(PRESETS)})") from None
    return replace(base, **changes) if changes else base  # type: ignore[arg-type]


@dataclass(frozen=True)
class OfficialVariant:
    """What a .pb file's metadata names, as the engine can run it."""

    rule: str  # "mes" or "greedy"
    options: MesOptions | None
    why: str


def official_variant(meta: Mapping[str, str]) -> OfficialVariant:
    """The variant a pabulib file's `rule` (and date, where the variant changed) names.

    Raises `OptionsError` for a rule that cannot be reproduced (said plainly, never guessed).
    """
    rule = (meta.get("rule") or "").strip().lower()
    if rule in ("greedy", "greedy-utilitarian"):
        return OfficialVariant("greedy", None, f"berkas menyebut aturan {RULE_NAMES[Rule.GREEDY.value]}")
    if rule == "equalshares/add1":
        unit = (meta.get("unit") or "").strip().lower()
        year = _year(meta.get("date_end") or meta.get("date_begin") or meta.get("instance") or "")
        if unit == "assen":
            return OfficialVariant("mes", PRESETS["assen"], "hasil resmi Assen: jatah dinaikkan bertahap, "
                                   f"{LEFTOVER_KEPT}")
        when = _date_key(meta.get("date_end") or meta.get("date_begin") or "")
        if when is not None and when < (2023, 8):
            return OfficialVariant(
                "mes", PRESETS["equalshares-2023"],
                "aturan berkas sebelum Agustus 2023: jatah terus dinaikkan sampai langkah berikutnya "
                "melampaui anggaran",
            )
        if when is None and year is None:
            raise OptionsError("berkas tidak bertanggal: cara hitung aturannya (sebelum atau sejak Agustus 2023) "
                               "tidak dapat dipastikan")
        return OfficialVariant(
            "mes", PRESETS["pabutools"],
            "aturan berkas sejak Agustus 2023: jatah dinaikkan bertahap sampai tidak ada lagi usulan yang "
            f"muat, lalu {LEFTOVER_FILLED}",
        )
    if not rule:
        raise OptionsError("berkas tidak menyebut aturan seleksinya (baris 'rule'); tidak ada hasil resmi "
                           "untuk diulang")
    raise OptionsError(f"aturan resmi '{rule}' belum dapat diulang oleh Selaras")


def _date_key(text: str) -> tuple[int, int] | None:
    """(year, month) of a pabulib date (dd.mm.yyyy or yyyy-mm-dd), None if unreadable."""
    t = text.strip()
    for sep in (".", "-", "/"):
        parts = t.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            if len(parts[0]) == 4:
                return int(parts[0]), int(parts[1])
            return int(parts[2]), int(parts[1])
    return None


def _year(text: str) -> int | None:
    digits = "".join(ch for ch in text[:4] if ch.isdigit())
    return int(digits) if len(digits) == 4 else None
