"""Forms of the selection pages (input shape only; the services hold the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from selaras.domain.errors import InvalidInput
from selaras.domain.proposal_entry import loose_point, parse_number
from selaras.domain.proposals import CHANNEL_LABELS
from selaras.domain.selection import NEEDS_A_WEIGHT, SCORE_RULES, Completion, Rule
from selaras.engines.scoring import DEFAULT_WEIGHTS, Criterion
from selaras.engines.selection.model import MONEY_LIMIT
from selaras.engines.selection.variants import PRESETS
from selaras.web.errors.messages import error_text
from selaras.web.plans.models import LocalGovernment
from selaras.web.plans.templatetags.selaras_format import format_number
from selaras.web.proposals.models import Proposal
from selaras.web.proposals.reasons import limit_help, too_long
from selaras.web.selection.models import COMPLETION_LABELS, RULE_LABELS, UnselectedOutcome
from selaras.web.selection.parameters import (
    CRITERION_LABELS,
    FLOOR_SPREAD_CHOICES,
    MAX_CEILING_SCALE,
    MAX_SUPPORTER_WEIGHT,
    PRESET_LABELS,
    SUPPORTER_KINDS,
    SUPPORTER_LABELS,
    TOO_MUCH_MONEY,
    RunParameters,
    check_locus_villages,
)

#: The Equal Shares variant that raises the shares to the best point (add-opt): Exact Equal Shares only.
EXACT_VARIANT = next(name for name, options in PRESETS.items() if options.completion is Completion.ADD_OPT)


class _NumberBox(forms.TextInput):
    """A number box as people type numbers ('1.000.000.000', '90,5'): a text box with the phone's
    number keyboard (`inputmode`), not a browser number box (Chromium turned '1.000.000.000' into
    '1.000000000', read as Rp 1, and '90,5' into 905). A number is shown the Indonesian way
    ('5.036.000.000.000', '90,5'); a year without the thousands point."""

    def __init__(self, inputmode: str, grouped: bool = True) -> None:
        super().__init__(attrs={"inputmode": inputmode, "autocomplete": "off"})
        self.grouped = grouped

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return format_number(value) if self.grouped else str(value)
        return super().format_value(value)


#: Longest number text read; a longer one is not a number anyone typed.
_NUMBER_CHARS = 40
#: Longest typed text quoted back in a message.
_QUOTED = 30


def _quoted(text: str) -> str:
    return text if len(text) <= _QUOTED else f"{text[:_QUOTED - 10]}\u2026 ({format_number(len(text))} karakter)"


class NumberField(forms.Field):
    """A number typed the Indonesian way, read by the product's one rule (`proposal_entry.parse_number`:
    thousands points, decimal comma, 'Rp'), held to [`low`, `high`]; every refusal in Bahasa Indonesia
    naming the field. A whole field gives an int, else a Decimal; empty gives None."""

    def __init__(self, *, label: str, name: str, high: int, too_big: str, whole: bool = False, low: int = 0,
                 example: str = "1.500", grouped: bool = True, required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _NumberBox("numeric" if whole else "decimal", grouped))
        super().__init__(label=label, required=required,
                         error_messages={"required": f"{name} wajib diisi."}, **kwargs)
        self.said, self.low, self.high, self.too_big = name, low, high, too_big
        self.whole, self.example, self.grouped = whole, example, grouped

    def to_python(self, value: Any) -> int | Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        number = parse_number(text) if len(text) <= _NUMBER_CHARS else None
        if number is None:
            raise ValidationError(f"{self.said}: \u201c{_quoted(text)}\u201d bukan angka. Tulis angkanya saja, "
                                  f"mis. {self.example}.", code="invalid")
        if number < 0 <= self.low:
            raise ValidationError(f"{self.said} tidak boleh negatif.", code="min_value")
        if number < self.low:
            raise ValidationError(f"{self.said} paling kecil {format_number(self.low) if self.grouped else self.low}.", code="min_value")
        if number > self.high:
            raise ValidationError(self.too_big, code="max_value")
        if self.whole and (number != number.to_integral_value() or loose_point(text)):
            raise ValidationError(f"{self.said} harus bilangan bulat, tanpa desimal; tulis ribuan dengan titik tiap "
                                  f"tiga angka, mis. {self.example}.", code="invalid")
        return int(number) if self.whole else number


def _money(label: str, name: str, what: str, *, required: bool = True, **kwargs: Any) -> NumberField:
    return NumberField(label=label, name=name, high=MONEY_LIMIT - 1, whole=True, required=required,
                       too_big=TOO_MUCH_MONEY.format(what=what) + ".", example="1.500.000.000", **kwargs)


def _percent(label: str, name: str, high: int, **kwargs: Any) -> NumberField:
    return NumberField(label=label, name=name, high=high, example="90,5",
                       too_big=f"{name} paling besar {format_number(high)} persen.", **kwargs)


class _Longest(MaxLengthValidator):
    """Too long, said the product's way (`reasons.too_long`: 'Terlalu panjang: 301 karakter, paling banyak 300.')."""

    def __call__(self, value: Any) -> None:
        if len(value) > self.limit_value:
            raise ValidationError(too_long(len(value), self.limit_value), code="max_length")


def _note_field() -> forms.CharField:
    """The run's note: its limit said under it and checked with the length typed (the browser's
    maxlength would cut a pasted text silently)."""
    field = forms.CharField(label="Catatan", required=False, help_text=limit_help(MAX_NOTE))
    field.validators.append(_Longest(MAX_NOTE))
    return field


#: Longest note of a run or a simulation.
MAX_NOTE = 300
#: Largest weight of a scoring criterion (a weight is relative; a larger one only overflowed).
MAX_CRITERION_WEIGHT = 1_000_000


def _codes(text: str) -> list[str]:
    """Locus village codes typed one per line (or separated by spaces or commas), each once."""
    return list(dict.fromkeys(c.strip() for c in text.replace(",", " ").split() if c.strip()))


class RunForm(forms.Form):
    """Start a selection run: rule, completion, budget, channels, criteria and supporter weights."""

    year = NumberField(label="Tahun rencana", name="Tahun rencana", low=2000, high=2100, whole=True, grouped=False,
                       example="2026", too_big="Tahun rencana paling besar 2100.")
    rule = forms.ChoiceField(label="Aturan seleksi", choices=list(RULE_LABELS.items()), initial=Rule.MES.value)
    completion = forms.ChoiceField(label="Pelengkap (khusus Metode Bagi Rata)",
                                   # add-one is hopeless at rupiah scale (docs/selection-cycle.md)
                                   choices=[(k, v) for k, v in COMPLETION_LABELS.items()
                                            if k not in (Completion.ADD1.value, Completion.ADD_OPT.value)],
                                   initial=Completion.GREEDY.value,
                                   required=False)
    budget = _money("Anggaran (Rp)", "Anggaran", "Anggaran", required=False,
                    help_text="Boleh dengan titik ribuan, mis. 1.500.000.000. "
                              "Kosongkan untuk memakai pagu indikatif daerah RKPD.")
    channels = forms.MultipleChoiceField(label="Jalur usulan yang diikutkan", widget=forms.CheckboxSelectMultiple,
                                         choices=[(c.value, label) for c, label in CHANNEL_LABELS.items()])
    ceiling_scale_percent = _percent("Skala pagu perangkat daerah dari Renja (%)", "Skala pagu", MAX_CEILING_SCALE,
                                     initial=100, help_text="Boleh dengan koma desimal, mis. 90,5.")
    floor_share_percent = _percent("Porsi minimal kecamatan dari anggaran (%)", "Porsi minimal kecamatan", 100,
                                   initial=5, help_text="Boleh dengan koma desimal, mis. 2,5.")
    floor_spread = forms.ChoiceField(label="Sebaran porsi kecamatan", choices=FLOOR_SPREAD_CHOICES)
    locus_villages = forms.CharField(label="Kode desa lokus stunting/kemiskinan (satu per baris)", required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    require_agency = forms.BooleanField(label="Hanya usulan yang sudah punya perangkat daerah pelaksana",
                                        required=False, initial=True)
    preset = forms.ChoiceField(label="Varian Metode Bagi Rata", required=False, initial="",
                               choices=[("", "Standar (pelengkap di atas)"),
                                        *((key, PRESET_LABELS.get(key, key)) for key in PRESETS)],
                               help_text="Cara menaikkan jatah yang dipakai kota-kota lain (kenaikan bertahap "
                                         "berhenti setelah 1.000 langkah; kenaikan ke titik terbaik berhenti "
                                         "setelah 2 menit dan memakai hasil terakhir yang muat anggaran).")
    note = _note_field()

    #: fields with long choices take a whole row of the form's grid
    wide = ("rule", "completion", "channels", "preset")

    def __init__(self, *args: Any, government: LocalGovernment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.government = government
        channels = cast(forms.MultipleChoiceField, self.fields["channels"])
        channels.initial = [c for c, _ in cast("list[tuple[str, str]]", channels.choices)]
        for criterion in Criterion:
            label = CRITERION_LABELS[criterion.value]
            self.fields[f"w_{criterion.value}"] = NumberField(
                label=label, name=f"Bobot {label}", high=MAX_CRITERION_WEIGHT, example="0,25",
                too_big=f"Bobot kriteria paling besar {format_number(MAX_CRITERION_WEIGHT)}.",
                initial=DEFAULT_WEIGHTS[criterion])
        for kind, weight in SUPPORTER_KINDS.items():
            self.fields[f"s_{kind}"] = NumberField(
                label=SUPPORTER_LABELS[kind], name=f"Bobot {SUPPORTER_LABELS[kind]}", high=MAX_SUPPORTER_WEIGHT,
                whole=True, example="2", initial=weight,
                too_big=f"Bobot pendukung paling besar {format_number(MAX_SUPPORTER_WEIGHT)}.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._match_rule_and_variant(data)
        weights = [data.get(f"w_{c.value}") for c in Criterion]
        if data.get("rule") in SCORE_RULES and all(w is not None and w == 0 for w in weights):
            self.add_error(None, NEEDS_A_WEIGHT[0].upper() + NEEDS_A_WEIGHT[1:] + ".")
        year = data.get("year")
        if self.government is not None and year and not Proposal.objects.filter(
                government=self.government, year=year).exists():
            # a run over nothing finished "0 usulan terpilih" after the wait, with no word why
            self.add_error("year", f"Belum ada usulan untuk tahun {year}; pilih tahun rencana yang berisi usulan.")
        if self.government is not None and "locus_villages" in data:
            try:
                check_locus_villages(self.government, _codes(data.get("locus_villages") or ""))
            except InvalidInput as exc:
                text = error_text(exc)
                self.add_error("locus_villages", text[0].upper() + text[1:] + ".")
        return data

    def _match_rule_and_variant(self, data: dict[str, Any]) -> None:
        """The exact variant (raise to the best point) belongs to Exact Equal Shares and the step-by-step
        variants to Equal Shares: picking the exact variant under Equal Shares runs Exact Equal Shares
        (the variant says what is meant); a step-by-step variant under Exact Equal Shares is refused
        here, not by a failed job after the wait."""
        rule, variant = data.get("rule"), data.get("preset") or ""
        if variant == EXACT_VARIANT and rule == Rule.MES.value:
            data["rule"] = Rule.EES.value
        elif rule == Rule.EES.value and variant not in ("", EXACT_VARIANT):
            self.add_error("preset", "Varian ini hanya untuk Metode Bagi Rata. Untuk Bagi Rata Eksak pilih "
                                     "varian standar atau \u201c" + PRESET_LABELS[EXACT_VARIANT] + "\u201d.")

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[f"w_{c.value}"] for c in Criterion]

    def supporter_fields(self) -> list[forms.BoundField]:
        return [self[f"s_{k}"] for k in SUPPORTER_KINDS]

    def parameters(self) -> RunParameters:
        data = self.cleaned_data
        return RunParameters(
            budget=data.get("budget"),
            channels=list(data["channels"]),
            weights={c.value: float(data[f"w_{c.value}"]) for c in Criterion},
            supporter_weights={k: int(data[f"s_{k}"]) for k in SUPPORTER_KINDS},
            ceiling_scale_percent=float(data["ceiling_scale_percent"]),
            floor_share_percent=float(data["floor_share_percent"]),
            floor_spread=data["floor_spread"],
            locus_villages=_codes(data.get("locus_villages") or ""),
            require_agency=bool(data.get("require_agency")),
        )


class WhatIfForm(forms.Form):
    """Change agency ceilings (and the budget) of a base run; one field per agency."""

    budget = _money("Anggaran (Rp)", "Anggaran", "Anggaran", help_text="Boleh dengan titik ribuan, mis. 1.500.000.000.")
    note = _note_field()

    def __init__(self, *args: Any, agencies: list[dict[str, Any]], budget: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget"].initial = budget
        self.agency_rows = agencies
        for i, row in enumerate(agencies):
            self.fields[f"c_{i}"] = _money(f"{row['code']} {row.get('name') or ''}".strip(), f"Pagu {row['code']}",
                                           "Pagu", required=False, initial=row.get("ceiling"))

    def head_fields(self) -> list[forms.BoundField]:
        return [self["budget"], self["note"]]

    def ceiling_fields(self) -> list[tuple[dict[str, Any], forms.BoundField]]:
        return [(row, self[f"c_{i}"]) for i, row in enumerate(self.agency_rows)]

    def changed_ceilings(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, row in enumerate(self.agency_rows):
            value = self.cleaned_data.get(f"c_{i}")
            if value is not None and value != row.get("ceiling"):
                out[row["code"]] = int(value)
        return out


class ApplyForm(forms.Form):
    """Confirm applying a run: what the proposals it did not select get, and (when another run's
    application is in force) that this one replaces it."""

    unselected = forms.ChoiceField(label="Keputusan untuk usulan yang memenuhi syarat tetapi tidak terpilih",
                                   choices=UnselectedOutcome.choices, initial=UnselectedOutcome.POSTPONED)
    replace = forms.BooleanField(label="Gantikan penerapan yang sedang berlaku (hanya usulan yang hasilnya berubah "
                                       "mendapat keputusan baru)", required=False)
    confirm = forms.BooleanField(label="Saya memahami bahwa setiap usulan yang terdampak mendapat keputusan baru "
                                       "yang tidak dapat dihapus", required=False)

    def __init__(self, *args: Any, replaceable: bool = False, posting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.replaceable = replaceable
        self.posting = posting
        if not replaceable:
            del self.fields["replace"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.posting:
            if not data.get("confirm"):
                self.add_error("confirm", "Centang konfirmasi untuk menerapkan hasil seleksi.")
            if self.replaceable and not data.get("replace"):
                self.add_error("replace", "Penerapan lain masih berlaku: centang bahwa penerapan ini menggantikannya.")
        return data
