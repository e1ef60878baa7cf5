"""Forms of the proposal pages (input shape only; the rules are the domain's entry checks, run by
the services). Which channels and channel fields a form offers comes from the channel registry."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from selaras.domain.channels import CHANNELS
from selaras.domain.findings import Finding, Location
from selaras.domain.lifecycle import allowed_outcomes
from selaras.domain.proposal_entry import MAX_DESCRIPTION, MAX_RANK, check_cost, check_volume
from selaras.domain.proposals import OUTCOME_LABELS, STAGE_LABELS, Channel, Stage
from selaras.domain.roles import Role
from selaras.domain.units import UNIT_LABELS
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency
from selaras.web.plans.templatetags.selaras_format import isian
from selaras.web.proposals.messages import sentence
from selaras.web.proposals.permissions import membership_of
from selaras.web.proposals.reasons import MAX_REASON, limit_help, too_long

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M"]


class _TypedNumber(forms.TextInput):
    """A number box as people type numbers ('2,5', '1.500', '150.000.000'): a text box with the
    phone's number keyboard (`inputmode`), not a number box (Chromium's number box empties
    '150.000.000' and '2,5', and Django refused them too). A stored number is shown the way it
    reads back ('2,5', not '2.50')."""

    def __init__(self, inputmode: str) -> None:
        super().__init__(attrs={"inputmode": inputmode, "autocomplete": "off"})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return isian(value)
        return super().format_value(value)


#: Longest number text read (the largest cost, 9.000.000.000.000.000.000, has 25 characters).
_NUMBER_CHARS = 40
VOLUME_HELP = "Boleh dengan koma desimal dan titik ribuan, mis. 2,5 atau 1.500."
COST_HELP = "Boleh dengan titik ribuan, mis. 150.000.000."


def volume_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=_NUMBER_CHARS, required=required,
                           widget=_TypedNumber("decimal"), help_text=VOLUME_HELP)


def cost_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=_NUMBER_CHARS, required=required,
                           widget=_TypedNumber("numeric"), help_text=COST_HELP)


def read_number(check: Callable[..., tuple[Any, list[Finding]]], typed: str, column: str) -> Any:
    """`typed` read by the domain's entry check of its column (`check_volume`, `check_cost`: the one
    reading of numbers for the form, the service and the import); None when left empty. A number
    that cannot be used is a ValidationError in Bahasa Indonesia naming the field."""
    if not typed:
        return None
    number, problems = check(typed, Location(column=column))  # never raises, '1e99999999' too
    if problems or number is None:
        raise ValidationError(sentence(problems[0]) if problems else "Isi angkanya.")
    return number


class _WhereAndHowMuch(forms.Form):
    """Fields a proposer enters and may correct after a return: where, how much, at what cost."""

    address = forms.CharField(label="Alamat / lokasi", max_length=300, required=False)
    latitude = forms.DecimalField(label="Lintang (opsional)", max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label="Bujur (opsional)", max_digits=9, decimal_places=6, required=False)
    volume = volume_field("Volume")
    unit = forms.ChoiceField(label="Satuan", choices=list(UNIT_LABELS.items()))
    estimated_cost = cost_field("Perkiraan biaya (Rp)")
    priority_rank = forms.IntegerField(label="Peringkat prioritas desa", min_value=1, max_value=MAX_RANK,
                                       required=False, error_messages={
                                           "max_value": "Peringkat paling besar 1.000.000."})

    def clean_volume(self) -> Decimal | None:
        return cast(Decimal | None, read_number(check_volume, self.cleaned_data["volume"], "volume"))

    def clean_estimated_cost(self) -> int | None:
        return cast(int | None, read_number(check_cost, self.cleaned_data["estimated_cost"], "estimated_cost"))


class _Longest(MaxLengthValidator):
    """Too long, said with both lengths the Indonesian way (`reasons.too_long`; Django's sentence
    read 'paling banyak 5000 karakter (sekarang 299999 karakter)')."""

    def __call__(self, value: Any) -> None:
        if len(value) > self.limit_value:
            raise ValidationError(too_long(len(value), self.limit_value), code="max_length")


def _show_length_limits(form: forms.Form) -> None:
    """Text limits are said under the field and checked by the server with the length typed; the
    browser's maxlength would cut a pasted text silently, so it is not used."""
    for name in ("title", "description", "address", "councillor_name", "reason", "internal_note"):
        field = form.fields.get(name)
        if isinstance(field, forms.CharField) and field.max_length and not field.disabled:
            field.widget.attrs.pop("maxlength", None)
            limit = limit_help(field.max_length)
            field.help_text = f"{field.help_text} {limit}".strip() if field.help_text else limit
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.validators.append(_Longest(field.max_length))


class ProposalForm(_WhereAndHowMuch):
    # the shared fields stand after the district (base-class fields would otherwise come first)
    field_order = ["channel", "year", "title", "description", "village_code", "district_code",
                   *_WhereAndHowMuch.base_fields]

    channel = forms.ChoiceField(label="Jalur usulan")
    year = forms.IntegerField(label="Tahun rencana", min_value=2000, max_value=2100)
    title = forms.CharField(label="Usulan (apa yang diusulkan)", max_length=300)
    description = forms.CharField(label="Alasan / permasalahan (mengapa)", widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=MAX_DESCRIPTION, required=False)
    village_code = forms.CharField(label="Kode desa/kelurahan", max_length=13, required=False,
                                   help_text="Contoh 32.16.05.2001")
    district_code = forms.CharField(label="Kode kecamatan", max_length=13, required=False,
                                    help_text="Boleh kosong bila desa diisi")
    agency = forms.ModelChoiceField(label="Perangkat daerah tujuan", queryset=Agency.objects.none(), required=False)
    sub_activity_code = forms.CharField(label="Kode sub kegiatan (bila diketahui)", max_length=24, required=False)
    councillor_name = forms.CharField(label="Anggota DPRD (untuk Pokir)", max_length=200, required=False)
    # one key per form shown: the same form sent twice stores one proposal (services.create_proposal)
    entry_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, user: AnyUser, government: Any, channels: list[Channel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry_key"].initial = uuid.uuid4().hex
        cast(forms.ChoiceField, self.fields["channel"]).choices = [(c.value, CHANNELS[c].label) for c in channels]
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(
            government=government).order_by("code")
        membership = membership_of(user)
        role = Role(membership.role) if membership is not None else None
        # Fields fixed by the user's scope are shown but not editable (a role implies a membership).
        if role is Role.VILLAGE_OPERATOR and membership is not None:
            self._fix("village_code", membership.region_code)
            self.fields.pop("district_code")
        if role is Role.DISTRICT_OPERATOR and membership is not None:
            self._fix("district_code", membership.region_code)
        if role is Role.AGENCY_PLANNER and membership is not None:
            self._fix("agency", membership.agency)
        if role is Role.COUNCILLOR and membership is not None:
            self._fix("councillor_name", membership.councillor_name)
        # A field only some channels need is shown to those who may enter such a channel.
        needed = {name for c in channels for name in CHANNELS[c].required}
        if role is not None and "councillor_name" not in needed:
            self.fields.pop("councillor_name", None)
        if len(channels) == 1:
            self.fields["channel"].initial = channels[0].value
            self.fields["channel"].widget = forms.HiddenInput()
        _show_length_limits(self)

    def _fix(self, name: str, value: Any) -> None:
        self.fields[name].initial = value
        self.fields[name].disabled = True


class CorrectionForm(_WhereAndHowMuch):
    """What a proposer may correct after the proposal was returned."""

    field_order = ["title", "description"]

    title = forms.CharField(label="Usulan (apa yang diusulkan)", max_length=300)
    description = forms.CharField(label="Alasan / permasalahan", widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=MAX_DESCRIPTION, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _show_length_limits(self)


class DecisionForm(forms.Form):
    stage = forms.ChoiceField(label="Tahap")
    outcome = forms.ChoiceField(label="Keputusan")
    reason = forms.CharField(label="Alasan (tampil untuk publik)", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=MAX_REASON)  # the limit is said under it (_show_length_limits)
    new_volume = volume_field("Volume baru", required=False)
    new_cost = cost_field("Biaya baru (Rp)", required=False)
    merged_into = forms.CharField(label="Digabung ke usulan nomor", max_length=32, required=False)
    postponed_to_year = forms.IntegerField(label="Ditunda ke tahun", required=False, min_value=2000, max_value=2100)
    sub_activity_code = forms.CharField(label="Kode sub kegiatan (bila belum ada atau tidak berlaku)", max_length=24,
                                        required=False)
    internal_note = forms.CharField(label="Catatan internal (tidak publik)", widget=forms.Textarea(attrs={"rows": 2}),
                                    required=False, max_length=MAX_REASON)  # the reason's limit, said under it

    def __init__(self, *args: Any, stages: list[Stage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [(s.value, STAGE_LABELS[s]) for s in stages]
        outcomes: list[Any] = []
        for stage in stages:
            outcomes += [o for o in allowed_outcomes(stage) if o not in outcomes]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [(o.value, OUTCOME_LABELS[o]) for o in outcomes]
        if len(stages) == 1:
            self.fields["stage"].initial = stages[0].value
            self.fields["stage"].widget = forms.HiddenInput()
        _show_length_limits(self)

    def clean_new_volume(self) -> Decimal | None:
        return cast(Decimal | None, read_number(check_volume, self.cleaned_data["new_volume"], "new_volume"))

    def clean_new_cost(self) -> int | None:
        return cast(int | None, read_number(check_cost, self.cleaned_data["new_cost"], "new_cost"))


class WindowForm(forms.Form):
    stage = forms.ChoiceField(label="Tahap", choices=[(s.value, label) for s, label in STAGE_LABELS.items()])
    opens_at = forms.DateTimeField(label="Dibuka", widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label="Ditutup", widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label="Ditutup pada", widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(label="Perangkat daerah", queryset=Agency.objects.none(), required=False)
    sub_activity_code = forms.CharField(label="Kode sub kegiatan", max_length=24, required=False)

    def __init__(self, *args: Any, government: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(
            government=government).order_by("code")
