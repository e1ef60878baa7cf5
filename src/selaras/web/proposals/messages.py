"""Bahasa Indonesia text of every proposal finding code: one catalogue for the form, service and import.

Why: the entry checks (`domain.proposal_entry`) and the import table (`formats.proposal_table`)
return findings with stable codes; the text people read is made here, once. A finding from a
row of a file reads "Baris 5, kolom 'Volume': volume harus lebih dari 0 (-4)."; the same finding
from a form reads as a sentence naming the field ("Volume harus lebih dari 0 (-4).").
"""

from __future__ import annotations

import re
from typing import Any

from selaras.domain.findings import Finding
from selaras.domain.proposals import CHANNEL_LABELS, Channel
from selaras.web.errors.messages import TABLE_TEXTS
from selaras.web.plans.templatetags.selaras_format import format_number

__all__ = ["MESSAGES", "FIELD_NAMES", "describe", "sentence"]

#: The file-level texts ("table.*") are the error catalogue's (`TABLE_TEXTS`): a `TableError` that
#: reaches a page reads the same as the finding listed by the import.
MESSAGES: dict[str, str] = {
    **TABLE_TEXTS,
    "header.missing": "Kolom wajib '{header}' tidak ditemukan di baris judul. Gunakan templat dari "
                      "Selaras; kolom yang diharapkan: {expected_text}.",
    "header.duplicate": "Kolom '{header}' muncul lebih dari sekali di baris judul.",
    "header.unknown": "Kolom '{header}' tidak dikenal dan diabaikan.",
    "row.required": "wajib diisi.",
    "row.channel_requires": "usulan {channel_label} harus menyebut {field_name}.",
    "row.too_long": "terlalu panjang ({length} karakter; paling banyak {max}).",
    "row.not_number": "'{value}' bukan angka.",
    "row.not_integer": "biaya harus rupiah bulat tanpa desimal ({value}).",
    "row.volume_not_positive": "volume harus lebih dari 0 ({value}).",
    "row.cost_negative": "biaya tidak boleh negatif ({value}).",
    "row.number_too_large": "angka terlalu besar ({value}).",
    "row.too_many_decimals": "paling banyak 2 angka desimal ({value}).",
    "row.rank_invalid": "peringkat harus bilangan bulat 1 sampai 1.000.000 ({value}).",
    "row.code_invalid": "kode {kind_name} '{value}' tidak sah (contoh {example}).",
    "row.village_unknown": "kode desa/kelurahan '{value}' tidak ada di wilayah pemerintah daerah ini.",
    "row.district_unknown": "kode kecamatan '{value}' tidak ada di wilayah pemerintah daerah ini.",
    "row.village_district_mismatch": "desa {village} tidak terletak di kecamatan {district}.",
    "row.outside_government": "lokasi usulan berada di luar wilayah pemerintah daerah ini.",
    "row.sub_activity_unknown": "kode sub kegiatan '{value}' tidak ada dalam nomenklatur.",
    "row.sub_activity_not_regency": "sub kegiatan '{value}' tidak berlaku untuk tingkat pemerintah daerah ini atau sudah tidak aktif.",
    "row.agency_unknown": "kode perangkat daerah '{value}' tidak terdaftar.",
    "row.unit_unknown": "satuan '{value}' tidak dikenal; pilih dari daftar satuan.",
    "row.coordinate_invalid": "koordinat {value} di luar wilayah {area} ({low} s.d. {high}).",
    "row.coordinates_half": "isi lintang dan bujur bersama-sama, atau kosongkan keduanya.",
    "row.plausibility.cost_above_cap": "biaya Rp {value} tidak masuk akal: satu usulan paling banyak Rp {cap}. "
                                       "Periksa jumlah nolnya.",
    "row.plausibility.cost_above_budget": "biaya Rp {value} melebihi seluruh pagu indikatif daerah tahun ini "
                                          "(Rp {budget}). Periksa jumlah nolnya.",
    "row.plausibility.cost_zero": "perkiraan biaya Rp 0: usulan tanpa biaya tidak dapat dinilai; isi perkiraan "
                                  "biayanya bila sudah diketahui.",
    "row.plausibility.cost_share_high": "biaya Rp {value} sama dengan {share}% pagu indikatif daerah "
                                        "(Rp {budget}); pastikan angkanya benar.",
    "row.plausibility.unit_cost_low": "biaya per {unit} hanya Rp {per_unit}, jauh di bawah kisaran wajar "
                                      "(Rp {low} s.d. Rp {high}); periksa volume dan biayanya.",
    "row.plausibility.unit_cost_high": "biaya per {unit} Rp {per_unit}, jauh di atas kisaran wajar "
                                       "(Rp {low} s.d. Rp {high}); periksa volume dan biayanya.",
    "row.plausibility.volume_high": "volume {value} {unit} jauh di atas yang wajar untuk satu usulan "
                                    "(paling banyak {limit} {unit}); periksa volumenya.",
    "row.out_of_scope": "{reason}",
    "import.not_permitted": "{reason}",
    "import.stage_closed": "{reason}",
}

#: How a form sentence names a field of a proposal.
FIELD_NAMES: dict[str, str] = {
    "title": "judul usulan", "volume": "volume", "unit": "satuan", "estimated_cost": "perkiraan biaya",
    "village_code": "desa/kelurahan", "district_code": "kecamatan", "councillor_name": "anggota DPRD pengusul",
    "agency": "perangkat daerah", "latitude": "lintang", "longitude": "bujur", "address": "alamat/lokasi",
    "sub_activity_code": "sub kegiatan", "priority_rank": "peringkat prioritas",
    "description": "alasan/permasalahan",
    # The decision form's boxes, named as the user sees them ("Volume baru: angka terlalu besar ...").
    "new_volume": "volume baru", "new_cost": "biaya baru",
}

# Kind of code -> (name, example) for row.code_invalid.
_CODE_KINDS = {
    "village": ("desa/kelurahan", "32.16.05.2001"),
    "district": ("kecamatan", "32.16.05"),
    "sub_activity": ("sub kegiatan", "1.03.03.2.01.0001"),
}

# Codes whose text does not name the field: a form sentence puts the field's name first.
_NAMELESS = frozenset({"row.not_number", "row.number_too_large", "row.too_many_decimals", "row.too_long"})


#: Longest value quoted in a message: '1e999999' is a number of a million digits, said in full once.
_QUOTED = 40


#: Codes whose `value` (and `low`, `high`) is a number quoted by the entry checks
#: (`proposal_entry.shown`: '-2.5', '1500', '1e99999999'), read here the Indonesian way.
_QUOTED_NUMBERS = frozenset({"row.volume_not_positive", "row.number_too_large", "row.too_many_decimals",
                             "row.not_integer", "row.cost_negative", "row.rank_invalid", "row.coordinate_invalid"})
_SHOWN = re.compile(r"(-?\d+(?:\.\d+)?)(e-?\d+)?")


def _number(text: str) -> str:
    """A quoted number the Indonesian way, by the product's one rule (`format_number`): '-2.5' ->
    '-2,5', '1500000' -> '1.500.000'; an exponent stays as typed ('1e99999999'); anything else as is."""
    found = _SHOWN.fullmatch(text)
    if found is None:
        return text
    return format_number(found.group(1)) + (found.group(2) or "")


def _params(finding: Finding) -> dict[str, Any]:
    params = dict(finding.params)
    for name in ("value", "low", "high") if finding.code in _QUOTED_NUMBERS else ():
        if type(params.get(name)) is str and len(params[name]) <= _QUOTED:
            params[name] = _number(params[name])
    value = params.get("value")
    if type(value) is str and len(value) > _QUOTED:
        params["value"] = f"{value[:_QUOTED - 10]}… ({len(value):,} karakter)".replace(",", ".")
    for name in ("length", "max"):  # counts read the Indonesian way: 10.000, not 10000
        if type(params.get(name)) is int:
            params[name] = f"{params[name]:,}".replace(",", ".")
    if "expected" in params:
        params["expected_text"] = ", ".join(params["expected"])
    if "field" in params:
        params["field_name"] = FIELD_NAMES.get(params["field"], params["field"])
    if "channel" in params:
        try:
            params["channel_label"] = CHANNEL_LABELS[Channel(params["channel"])]
        except ValueError:
            params["channel_label"] = params["channel"]
    if "kind" in params:
        params["kind_name"], params["example"] = _CODE_KINDS.get(params["kind"], (params["kind"], ""))
    return params


def _text(finding: Finding) -> str:
    template = MESSAGES.get(finding.code, finding.code)
    try:
        return template.format(**_params(finding))
    except (KeyError, IndexError, ValueError):
        return template


def describe(finding: Finding) -> str:
    """Text of a finding, with its row and column when it comes from a row of a file."""
    text = _text(finding)
    loc = finding.location
    if loc.row is not None and loc.row > 1 and finding.code.startswith("row."):
        column = f", kolom '{loc.column}'" if loc.column else ""
        return f"Baris {loc.row}{column}: {text}"
    return text


def sentence(finding: Finding) -> str:
    """Text of a finding about one proposal entered by hand: a sentence, naming the field if needed."""
    text = _text(finding)
    field = str(finding.params.get("field") or finding.location.column)
    if field and (finding.code == "row.required" or finding.code in _NAMELESS):
        name = FIELD_NAMES.get(field, field)
        text = f"{name} {text}" if finding.code == "row.required" else f"{name}: {text}"
    return text[:1].upper() + text[1:]
