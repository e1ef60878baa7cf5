"""Selection vocabulary: rules, completions and the reasons given for every project.

A reason is machine-readable data (`Reason(code, params)`); its Bahasa Indonesia text is produced
here, in one place, by `reason_text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

__all__ = [
    "Rule",
    "Completion",
    "Utility",
    "RULE_NAMES",
    "RULE_TEXTS",
    "COMPLETION_STEPS",
    "COMPLETION_TEXTS",
    "LEFTOVER_FILLED",
    "LEFTOVER_KEPT",
    "completion_text",
    "ReasonCode",
    "Reason",
    "REASON_LABELS",
    "SCORE_RULES",
    "NEEDS_A_WEIGHT",
    "reason_text",
    "format_rupiah",
]


class Rule(StrEnum):
    """Budget rules of the selection engine."""

    GREEDY = "greedy"  # by approvals, cost-blind (pabutools greedy with Cost_Sat)
    GREEDY_COST = "greedy-cost"  # by approvals per rupiah (pabutools greedy with Cardinality_Sat)
    GREEDY_SCORE = "greedy-score"  # by score, cost-blind
    GREEDY_SCORE_COST = "greedy-score-cost"  # by score per rupiah
    MES = "mes"  # Method of Equal Shares
    EES = "ees"  # Exact Equal Shares (Kraiczy, Robinson, Elkind 2025): payers pay exactly equal shares
    PHRAGMEN = "phragmen"  # sequential Phragmén
    EXACT = "exact"  # maximum total score under all constraints (MILP, HiGHS)


#: rules that choose by the priority score: with every criterion weight at 0 all choices would be equal
SCORE_RULES = frozenset({Rule.GREEDY_SCORE, Rule.GREEDY_SCORE_COST, Rule.EXACT})
NEEDS_A_WEIGHT = "aturan ini memilih menurut skor: paling sedikit satu bobot kriteria harus lebih dari 0"


class Completion(StrEnum):
    """What follows the Method of Equal Shares when money is left."""

    NONE = "none"
    GREEDY = "greedy"
    ADD1 = "add1"  # raise every voter's budget by one unit while feasible, then greedy
    ADD_OPT = "add-opt"  # Exact Equal Shares: jump to the next budget at which the outcome changes


class Utility(StrEnum):
    """Voter utilities for the Method of Equal Shares."""

    COST = "cost"  # a supporter values a project at its cost (pabutools Cost_Sat)
    APPROVAL = "approval"  # a supporter values every supported project at 1


# What the rules and completions do, in the words a planner reads: the one table of each, for the
# command line (help texts, output), the web pages (labels, the job page's step) and the engine's
# variant descriptions. The keys are the values typed and stored (`Rule`, `Completion`), unchanged;
# no research library and no English rule name here (docs/selection.md tells where each comes from).

#: What a completion that fills the leftover does, and what the others say instead.
LEFTOVER_FILLED = "sisa anggaran diisi menurut dukungan terbanyak"
LEFTOVER_KEPT = "sisa anggaran tidak diisi"

#: A rule's short name ("Metode Bagi Rata"), as a label, in a sentence or a line of output.
RULE_NAMES: dict[str, str] = {
    Rule.MES.value: "Metode Bagi Rata",
    Rule.EES.value: "Metode Bagi Rata Eksak",
    Rule.GREEDY.value: "urut dukungan terbanyak",
    Rule.GREEDY_COST.value: "urut dukungan per rupiah",
    Rule.GREEDY_SCORE.value: "urut skor tertinggi",
    Rule.GREEDY_SCORE_COST.value: "urut skor per rupiah",
    Rule.PHRAGMEN.value: "pembagian beban berurutan (Phragmén)",
    Rule.EXACT.value: "pilihan optimal",
}

#: What a rule does (a help text): its name, then how it chooses.
RULE_TEXTS: dict[str, str] = {
    Rule.MES.value: f"{RULE_NAMES['mes']}: anggaran dibagi rata kepada para pendukung, usulan terpilih bila "
                    "pendukungnya sanggup membiayainya bersama",
    Rule.EES.value: f"{RULE_NAMES['ees']}: seperti Bagi Rata, tetapi setiap pendukung suatu usulan membayar "
                    "bagian yang sama persis",
    Rule.GREEDY.value: f"{RULE_NAMES['greedy']} sampai anggaran habis",
    Rule.GREEDY_COST.value: f"{RULE_NAMES['greedy-cost']} sampai anggaran habis",
    Rule.GREEDY_SCORE.value: f"{RULE_NAMES['greedy-score']} sampai anggaran habis",
    Rule.GREEDY_SCORE_COST.value: f"{RULE_NAMES['greedy-score-cost']} sampai anggaran habis",
    Rule.PHRAGMEN.value: f"{RULE_NAMES['phragmen']}: biaya dipikul bersama para pendukung, beban terberat "
                         "dijaga sekecil mungkin",
    Rule.EXACT.value: f"{RULE_NAMES['exact']}: nilai total tertinggi dalam anggaran dan semua batas, dihitung eksak",
}

#: The completion's own step (what follows it, filling the leftover or not, is `completion_text`).
COMPLETION_STEPS: dict[str, str] = {
    Completion.NONE.value: LEFTOVER_KEPT,
    Completion.GREEDY.value: LEFTOVER_FILLED,
    Completion.ADD1.value: "jatah tiap pendukung dinaikkan bertahap",
    Completion.ADD_OPT.value: "jatah tiap pendukung langsung dinaikkan ke titik terbaik",
}


def completion_text(completion: Completion | str, *, fill: bool = True) -> str:
    """What a completion does: raising the shares is followed by filling the leftover (`fill`, as
    every run without a named variant does) or not."""
    step = COMPLETION_STEPS[Completion(completion).value]
    if Completion(completion) in (Completion.ADD1, Completion.ADD_OPT):
        return f"{step}, lalu {LEFTOVER_FILLED}" if fill else f"{step}, {LEFTOVER_KEPT}"
    return step


#: What `--completion` (and the web form's completion) does, by its value.
COMPLETION_TEXTS: dict[str, str] = {c.value: completion_text(c) for c in Completion}


class ReasonCode(StrEnum):
    """Stable codes of selection reasons."""

    SELECTED_MANDATORY = "selected_mandatory"
    SELECTED_FLOOR = "selected_floor"
    SELECTED_GREEDY = "selected_greedy"
    SELECTED_EQUAL_SHARES = "selected_equal_shares"
    SELECTED_COMPLETION = "selected_completion"
    SELECTED_PHRAGMEN = "selected_phragmen"
    SELECTED_OPTIMAL = "selected_optimal"
    REJECTED_BUDGET = "rejected_budget"
    REJECTED_CEILING = "rejected_ceiling"
    REJECTED_SUPPORTERS_BUDGET = "rejected_supporters_budget"
    REJECTED_LOWER_SCORE = "rejected_lower_score"
    REJECTED_NOT_OPTIMAL = "rejected_not_optimal"
    REJECTED_PHRAGMEN_STOPPED = "rejected_phragmen_stopped"
    REJECTED_NO_SUPPORT = "rejected_no_support"
    REJECTED_INELIGIBLE = "rejected_ineligible"
    REJECTED_MES_OVERSPEND = "rejected_mes_overspend"


#: a short label per reason code (counts in a run's summary; the full text is `reason_text`)
REASON_LABELS: dict[ReasonCode, str] = {
    ReasonCode.SELECTED_MANDATORY: "Terpilih: usulan wajib",
    ReasonCode.SELECTED_FLOOR: "Terpilih: batas bawah kecamatan",
    ReasonCode.SELECTED_GREEDY: "Terpilih: urutan ukuran",
    ReasonCode.SELECTED_EQUAL_SHARES: "Terpilih: dibiayai bagi rata oleh pendukungnya",
    ReasonCode.SELECTED_COMPLETION: "Terpilih: pelengkap sisa anggaran",
    ReasonCode.SELECTED_PHRAGMEN: "Terpilih: metode Phragmén",
    ReasonCode.SELECTED_OPTIMAL: "Terpilih: bagian dari pilihan optimal",
    ReasonCode.REJECTED_BUDGET: "Tidak terpilih: anggaran tidak cukup",
    ReasonCode.REJECTED_CEILING: "Tidak terpilih: pagu perangkat daerah penuh",
    ReasonCode.REJECTED_SUPPORTERS_BUDGET: "Tidak terpilih: bagian dana pendukungnya tidak cukup",
    ReasonCode.REJECTED_LOWER_SCORE: "Tidak terpilih: skor lebih rendah",
    ReasonCode.REJECTED_NOT_OPTIMAL: "Tidak terpilih: di luar pilihan optimal",
    ReasonCode.REJECTED_PHRAGMEN_STOPPED: "Tidak terpilih: metode Phragmén berhenti",
    ReasonCode.REJECTED_NO_SUPPORT: "Tidak terpilih: tanpa pendukung",
    ReasonCode.REJECTED_INELIGIBLE: "Tidak terpilih: tidak memenuhi syarat",
    ReasonCode.REJECTED_MES_OVERSPEND: "Tidak terpilih: melampaui anggaran bagi rata",
}

ParamValue = str | int | float | bool | None
_EMPTY: Mapping[str, ParamValue] = MappingProxyType({})


class Reason(NamedTuple):
    """Why a project was or was not selected: a stable code plus JSON-friendly parameters.

    Treat `params` as read-only.
    """

    code: ReasonCode
    params: Mapping[str, ParamValue] = _EMPTY

    @property
    def selected(self) -> bool:
        """True for the codes that mean "selected"."""
        return self.code.value.startswith("selected")

    def as_dict(self) -> dict[str, object]:
        """Plain dict for JSON: {"code": ..., "params": {...}}."""
        return {"code": self.code.value, "params": dict(self.params)}


def format_rupiah(amount: float | int | None) -> str:
    """Rp 1.234.567 (Indonesian thousands separator, rounded to whole rupiah)."""
    if amount is None:
        return "-"
    value = round(float(amount))
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {abs(value):,}".replace(",", ".")


def _p(params: Mapping[str, ParamValue], key: str) -> ParamValue:
    return params.get(key)


def reason_text(reason: Reason) -> str:
    """The Bahasa Indonesia sentence for a reason (the only place these texts are written)."""
    p = reason.params
    code = reason.code
    if code is ReasonCode.SELECTED_MANDATORY:
        return "Dipilih lebih dahulu karena bersifat wajib (mandatory)."
    if code is ReasonCode.SELECTED_FLOOR:
        return (
            f"Dipilih untuk memenuhi batas bawah kelompok {_p(p, 'group')} "
            f"(minimal {format_rupiah(_num(p, 'floor'))})."
        )
    if code is ReasonCode.SELECTED_GREEDY:
        return (
            f"Dipilih pada urutan ke-{_p(p, 'round')} menurut {_measure(p)} "
            f"(nilai {_fmt(_p(p, 'value'))})."
        )
    if code is ReasonCode.SELECTED_EQUAL_SHARES:
        capped = _p(p, "capped")
        extra = (
            f"; {capped} pendukung membayar seluruh sisa bagiannya" if capped else ""
        )
        return (
            f"Dipilih pada putaran ke-{_p(p, 'round')} Metode Bagi Rata (Equal Shares): "
            f"{_p(p, 'supporters')} pendukung membayar masing-masing paling banyak "
            f"{format_rupiah(_num(p, 'payment'))}{extra}."
        )
    if code is ReasonCode.SELECTED_COMPLETION:
        return (
            f"Dipilih pada tahap pelengkap (urutan ke-{_p(p, 'round')}) dengan sisa anggaran "
            f"menurut {_measure(p)}."
        )
    if code is ReasonCode.SELECTED_PHRAGMEN:
        return (
            f"Dipilih pada putaran ke-{_p(p, 'round')} metode Phragmén; beban tiap pendukung "
            f"menjadi {format_rupiah(_num(p, 'load'))}."
        )
    if code is ReasonCode.SELECTED_OPTIMAL:
        return "Dipilih dalam susunan dengan nilai total tertinggi yang memenuhi semua batas."
    if code is ReasonCode.REJECTED_BUDGET:
        return (
            f"Tidak dipilih: sisa anggaran {format_rupiah(_num(p, 'remaining'))} tidak cukup "
            f"untuk biaya {format_rupiah(_num(p, 'cost'))}."
        )
    if code is ReasonCode.REJECTED_CEILING:
        return (
            f"Tidak dipilih: pagu kelompok {_p(p, 'group')} sudah habis terpakai "
            f"(sisa {format_rupiah(_num(p, 'remaining'))}, biaya {format_rupiah(_num(p, 'cost'))})."
        )
    if code is ReasonCode.REJECTED_SUPPORTERS_BUDGET:
        return (
            f"Tidak dipilih: sisa bagian anggaran para pendukungnya "
            f"({format_rupiah(_num(p, 'available'))}) tidak cukup untuk biaya "
            f"{format_rupiah(_num(p, 'cost'))}; mereka telah membayar usulan lain yang "
            f"didahulukan."
        )
    if code is ReasonCode.REJECTED_LOWER_SCORE:
        return (
            f"Tidak dipilih: {_measure(p)} ({_fmt(_p(p, 'value'))}) lebih rendah daripada "
            f"usulan terakhir yang dipilih ({_fmt(_p(p, 'last_selected_value'))})."
        )
    if code is ReasonCode.REJECTED_NOT_OPTIMAL:
        return (
            "Tidak dipilih: susunan dengan nilai total tertinggi di bawah semua batas "
            "tidak memuat usulan ini."
        )
    if code is ReasonCode.REJECTED_PHRAGMEN_STOPPED:
        return (
            "Tidak dipilih: metode Phragmén berhenti karena usulan berikutnya "
            f"({_p(p, 'blocking')}) tidak muat dalam anggaran."
        )
    if code is ReasonCode.REJECTED_NO_SUPPORT:
        return "Tidak dipilih: tidak ada pendukung."
    if code is ReasonCode.REJECTED_INELIGIBLE:
        return f"Tidak dipilih: tidak memenuhi syarat ({_p(p, 'rule')})."
    if code is ReasonCode.REJECTED_MES_OVERSPEND:
        return (
            "Tidak dipilih: dengan bagian pemilih yang dinaikkan lagi, hasilnya akan "
            "melampaui anggaran."
        )
    raise ValueError(f"kode alasan tidak dikenal: {code}")


def _num(params: Mapping[str, ParamValue], key: str) -> float | None:
    value = params.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _fmt(value: ParamValue) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


_MEASURES = {
    "approvals": "jumlah dukungan",
    "approvals_per_cost": "dukungan per rupiah",
    "score": "skor",
    "score_per_cost": "skor per rupiah",
}


def _measure(params: Mapping[str, ParamValue]) -> str:
    key = params.get("measure")
    return _MEASURES.get(str(key), str(key))
