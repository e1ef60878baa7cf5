"""Forms of the selection pages (input shape only; the services hold the rules)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from selaras.domain.errors import InvalidInput
from selaras.domain.proposals import CHANNEL_LABELS
from selaras.domain.selection import NEEDS_A_WEIGHT, SCORE_RULES, Completion, Rule
from selaras.engines.scoring import DEFAULT_WEIGHTS, Criterion
from selaras.engines.selection.model import MONEY_LIMIT
from selaras.engines.selection.variants import PRESETS
from selaras.web.errors.messages import error_text
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals.models import Proposal
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


def _codes(text: str) -> list[str]:
    """Locus village codes typed one per line (or separated by spaces or commas), each once."""
    return list(dict.fromkeys(c.strip() for c in text.replace(",", " ").split() if c.strip()))


class RunForm(forms.Form):
    """Start a selection run: rule, completion, budget, channels, criteria and supporter weights."""

    year = forms.IntegerField(label="Tahun rencana", min_value=2000, max_value=2100)
    rule = forms.ChoiceField(label="Aturan seleksi", choices=list(RULE_LABELS.items()), initial=Rule.MES.value)
    completion = forms.ChoiceField(label="Pelengkap (khusus Metode Bagi Rata)",
                                   # add-one is hopeless at rupiah scale (docs/selection-cycle.md)
                                   choices=[(k, v) for k, v in COMPLETION_LABELS.items()
                                            if k not in (Completion.ADD1.value, Completion.ADD_OPT.value)],
                                   initial=Completion.GREEDY.value,
                                   required=False)
    budget = forms.IntegerField(label="Anggaran (Rp)", min_value=0, max_value=MONEY_LIMIT - 1, required=False,
                                error_messages={"max_value": TOO_MUCH_MONEY.format(what="Anggaran") + "."},
                                help_text="Kosongkan untuk memakai pagu indikatif daerah RKPD.")
    channels = forms.MultipleChoiceField(label="Jalur usulan yang diikutkan", widget=forms.CheckboxSelectMultiple,
                                         choices=[(c.value, label) for c, label in CHANNEL_LABELS.items()])
    ceiling_scale_percent = forms.FloatField(label="Skala pagu perangkat daerah dari Renja (%)", min_value=0,
                                             max_value=MAX_CEILING_SCALE, initial=100, error_messages={
                                                 "max_value": "Skala pagu paling besar 1.000 persen."})
    floor_share_percent = forms.FloatField(label="Porsi minimal kecamatan dari anggaran (%)", min_value=0,
                                           max_value=100, initial=5)
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
    note = forms.CharField(label="Catatan", max_length=300, required=False)

    #: fields with long choices take a whole row of the form's grid
    wide = ("rule", "completion", "channels", "preset")

    def __init__(self, *args: Any, government: LocalGovernment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.government = government
        channels = cast(forms.MultipleChoiceField, self.fields["channels"])
        channels.initial = [c for c, _ in cast("list[tuple[str, str]]", channels.choices)]
        for criterion in Criterion:
            self.fields[f"w_{criterion.value}"] = forms.FloatField(
                label=CRITERION_LABELS[criterion.value], min_value=0, initial=DEFAULT_WEIGHTS[criterion])
        for kind, weight in SUPPORTER_KINDS.items():
            self.fields[f"s_{kind}"] = forms.IntegerField(
                label=SUPPORTER_LABELS[kind], min_value=0, max_value=MAX_SUPPORTER_WEIGHT, initial=weight,
                error_messages={"max_value": "Bobot pendukung paling besar 1.000.000."})

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

    budget = forms.IntegerField(label="Anggaran (Rp)", min_value=0, max_value=MONEY_LIMIT - 1,
                                error_messages={"max_value": TOO_MUCH_MONEY.format(what="Anggaran") + "."})
    note = forms.CharField(label="Catatan", max_length=300, required=False)

    def __init__(self, *args: Any, agencies: list[dict[str, Any]], budget: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget"].initial = budget
        self.agency_rows = agencies
        for i, row in enumerate(agencies):
            self.fields[f"c_{i}"] = forms.IntegerField(
                label=f"{row['code']} {row.get('name') or ''}".strip(), min_value=0, max_value=MONEY_LIMIT - 1,
                error_messages={"max_value": TOO_MUCH_MONEY.format(what="Pagu") + "."}, required=False,
                initial=row.get("ceiling"))

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
