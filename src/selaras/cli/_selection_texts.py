"""What the selection options of `selaras select run` and `selaras pb select` mean, in the words a
planner reads (the command line speaks Bahasa Indonesia, as the web pages do).

The values typed stay the identifiers the engine knows (`--preset pabutools`, `--rule mes` ...:
`engines.selection.variants.PRESETS`, `domain.selection.Rule` and `Completion`); only their
descriptions are said. They are the product's one table of each (rules and completions:
`domain.selection`; named variants: `engines.selection.variants.PRESET_TEXTS`), which the web
pages show too; only the utility's words are the command line's own. Where a variant comes from
(the research library, the site or the city whose results it reproduces, the benchmarks it was
compared with) is told in docs/selection.md, never in a help text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from selaras.domain.selection import COMPLETION_TEXTS, RULE_NAMES, RULE_TEXTS
from selaras.engines.selection.variants import PRESET_TEXTS

__all__ = ["COMPLETION_TEXTS", "PRESET_TEXTS", "RULE_NAMES", "RULE_TEXTS", "UTILITY_TEXTS", "choices_help", "preset_label",
           "rule_label"]

#: How much a supported project is worth to its supporter (`--utility`).
UTILITY_TEXTS: dict[str, str] = {
    "cost": "usulan yang didukung bernilai sebesar biayanya",
    "approval": "setiap usulan yang didukung bernilai sama",
}


def choices_help(title: str, texts: Mapping[str, str], keys: Iterable[str] | None = None,
                 default: str | None = None) -> str:
    """A help text listing each value with what it means: "Title: a = …; b = … (bawaan)"."""
    parts = [f"{key} = {texts[key]}" + (" (bawaan)" if key == default else "") for key in (keys or texts)]
    return f"{title}: " + "; ".join(parts) + "."


def rule_label(rule: str) -> str:
    """"Metode Bagi Rata (mes)": a rule's name for a planner, the value typed in brackets."""
    return f"{RULE_NAMES[rule]} ({rule})" if rule in RULE_NAMES else rule


def preset_label(preset: str | None) -> str:
    """What a named variant does ("" for none; an unknown name as it is)."""
    return PRESET_TEXTS.get(preset or "", preset or "")
