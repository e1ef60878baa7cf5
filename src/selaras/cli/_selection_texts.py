"""What the selection options of `selaras select run` and `selaras pb select` mean, in the words a
planner reads (the command line speaks Bahasa Indonesia, as the web pages do).

The values typed stay the identifiers the engine knows (`--preset pabutools`, `--rule mes` ...:
`engines.selection.variants.PRESETS`, `domain.selection.Rule` and `Completion`); only their
descriptions are here. Where a variant comes from (the research library, the site or the city
whose results it reproduces, the benchmarks it was compared with) is told in docs/selection.md,
never in a help text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["COMPLETION_TEXTS", "PRESET_TEXTS", "RULE_NAMES", "RULE_TEXTS", "UTILITY_TEXTS", "choices_help", "preset_label",
           "rule_label"]

#: The named Equal Shares variants (`--preset`), by the engine's key.
PRESET_TEXTS: dict[str, str] = {
    "pabutools": "jatah tiap pendukung dinaikkan bertahap sampai tidak ada lagi usulan yang muat, "
                 "lalu sisa anggaran diisi menurut jumlah pendukung",
    "equalshares": "jatah awal dibulatkan dan dinaikkan bertahap sampai tidak ada lagi usulan yang muat, "
                   "lalu sisa anggaran diisi; bila sama kuat, didahulukan yang pendukungnya lebih banyak, "
                   "lalu yang lebih murah",
    "equalshares-2023": "seperti equalshares, tetapi jatah terus dinaikkan sampai langkah berikutnya "
                        "melampaui anggaran (cara sebelum Agustus 2023)",
    "assen": "jatah dinaikkan bertahap sampai tidak ada lagi usulan yang muat, sisa anggaran tidak diisi; "
             "bila sama kuat, didahulukan yang pendukungnya lebih banyak, lalu yang lebih murah",
    "ees-add-opt": "Metode Bagi Rata Eksak: jatah langsung dinaikkan ke titik terbaik, sisa anggaran tidak diisi",
}

#: The selection rules (`--rule`).
RULE_TEXTS: dict[str, str] = {
    "mes": "Metode Bagi Rata: anggaran dibagi rata kepada para pendukung, usulan terpilih bila "
           "pendukungnya sanggup membiayainya bersama",
    "ees": "Metode Bagi Rata Eksak: seperti Bagi Rata, tetapi setiap pendukung suatu usulan membayar "
           "bagian yang sama persis",
    "greedy": "urut dukungan terbanyak sampai anggaran habis",
    "greedy-cost": "urut dukungan per rupiah sampai anggaran habis",
    "greedy-score": "urut skor tertinggi sampai anggaran habis",
    "greedy-score-cost": "urut skor per rupiah sampai anggaran habis",
    "phragmen": "pembagian beban berurutan (Phragmén): biaya dipikul bersama para pendukung, "
                "beban terberat dijaga sekecil mungkin",
    "exact": "optimal: nilai total tertinggi dalam anggaran, dihitung eksak",
}

#: A rule's short name, for a line of output ("Metode Bagi Rata (mes)").
RULE_NAMES: dict[str, str] = {
    "mes": "Metode Bagi Rata", "ees": "Metode Bagi Rata Eksak", "greedy": "urut dukungan terbanyak",
    "greedy-cost": "urut dukungan per rupiah", "greedy-score": "urut skor tertinggi",
    "greedy-score-cost": "urut skor per rupiah", "phragmen": "pembagian beban berurutan (Phragmén)",
    "exact": "optimal",
}

#: What Equal Shares does with the money it leaves (`--completion`).
COMPLETION_TEXTS: dict[str, str] = {
    "none": "sisa anggaran dibiarkan",
    "greedy": "sisa anggaran diisi menurut urutan dukungan",
    "add1": "jatah dinaikkan bertahap, lalu sisa diisi menurut urutan dukungan",
    "add-opt": "jatah dinaikkan ke titik terbaik",
}

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
