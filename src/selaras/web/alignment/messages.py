"""Bahasa Indonesia texts of the alignment findings: one title and one message per rule code.

The engines return codes and parameters only; this is the single place that turns them into
words (used by the page, the Excel export and the CLI). A test checks every registered rule has
its text here and in docs/alignment.md.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from selaras.domain.findings import Finding, Severity
from selaras.web.plans.templatetags.selaras_format import format_number

__all__ = ["FAMILY_TITLES", "RULE_TEXTS", "SEVERITY_LABELS", "message", "title"]

SEVERITY_LABELS = {Severity.ERROR: "Galat", Severity.WARNING: "Peringatan", Severity.INFO: "Info"}

FAMILY_TITLES = {
    "cascade": "Cascading rencana",
    "codes": "Kode nomenklatur",
    "targets": "Indikator dan target",
    "money": "Pagu dan anggaran",
    "proposals": "Usulan",
}

_REASONS = {
    "absent": "tidak ada di Renstra",
    "no_year": "Renstra tidak memuat tahun ini",
    "missing": "baris Renstra yang dirujuk tidak ditemukan",
    "agency": "baris Renstra milik perangkat daerah lain ({renstra_agency})",
    "code": "kode baris Renstra berbeda ({renstra_code})",
}
_DIRECTIONS = {"up": "semakin tinggi semakin baik", "down": "semakin rendah semakin baik",
               "band": "berada dalam rentang"}

# code -> (title, message template over the finding's params and location)
RULE_TEXTS: dict[str, tuple[str, str]] = {
    "cascade.renstra_objective_unlinked": (
        "Sasaran Renstra tidak terhubung ke sasaran RPJMD",
        "Sasaran Renstra {number} ({agency}) tidak merujuk sasaran RPJMD yang berlaku."),
    "cascade.rpjmd_objective_unserved": (
        "Sasaran RPJMD tanpa program Renstra",
        "Sasaran RPJMD {number} belum didukung oleh program Renstra perangkat daerah mana pun."),
    "cascade.renja_line_not_in_renstra": (
        "Baris Renja tidak ada di Renstra (baru)",
        "Sub kegiatan {loc_code} pada Renja {agency} {loc_year}: {reason_text}; ditandai sebagai baru."),
    "cascade.renja_line_renstra_mismatch": (
        "Baris Renja tidak cocok dengan baris Renstra",
        "Sub kegiatan {loc_code} pada Renja {agency}: {reason_text}."),
    "cascade.priority_program_without_renja": (
        "Program prioritas RKPD tanpa baris Renja",
        "Program prioritas {loc_code} ({name}) belum dijabarkan dalam Renja perangkat daerah mana pun."),
    "codes.unknown": (
        "Kode tidak ada dalam nomenklatur",
        "Kode {loc_code} ({agency}) tidak terdapat dalam nomenklatur edisi {edition}."),
    "codes.wrong_government_level": (
        "Kode untuk tingkat pemerintahan lain",
        "Kode {loc_code} ({agency}) adalah kegiatan tingkat {found_text}; seharusnya tingkat {expected_text}."),
    "codes.sector_not_of_agency": (
        "Sub kegiatan di luar bidang urusan perangkat daerah",
        "Sub kegiatan {loc_code} termasuk bidang urusan {sector}, bukan bidang {agency} ({agency_sectors})."),
    "codes.deactivated": (
        "Kode sudah dinonaktifkan",
        "Kode {loc_code} ({agency}) sudah dinonaktifkan dalam nomenklatur edisi {edition}."),
    "codes.superseded_edition": (
        "Kode masih pada edisi nomenklatur lama",
        "Kode {loc_code} masih ditulis menurut edisi {edition}, bukan edisi yang berlaku ({current}); "
        "pindahkan ke edisi baru (Referensi › Pindah edisi) atau pilih kode penggantinya."),
    "targets.indicator_without_unit": (
        "Indikator tanpa satuan",
        "Indikator \"{indicator}\" belum memiliki satuan."),
    "targets.indicator_without_baseline": (
        "Indikator tanpa kondisi awal",
        "Indikator \"{indicator}\" belum memiliki kondisi awal (baseline)."),
    "targets.missing_year_target": (
        "Target tahunan belum diisi",
        "Indikator \"{indicator}\" belum memiliki target tahun {loc_year}."),
    "targets.range_inverted": (
        "Rentang target terbalik",
        "Indikator \"{indicator}\" tahun {loc_year}: target minimum {low} lebih besar dari target maksimum {high}."),
    "targets.outside_higher_band": (
        "Target daerah keluar dari rentang target nasional/provinsi",
        "Indikator \"{indicator}\" tahun {loc_year}: target daerah {local} tidak berada di dalam rentang "
        "{higher_plan} {higher}."),
    "targets.not_monotonic": (
        "Target tahunan tidak bergerak searah",
        "Indikator \"{indicator}\" ({direction_text}): target {value} {loc_year_text}mundur dari {previous} "
        "{previous_year_text}."),
    "targets.renja_differs_from_renstra": (
        "Target Renja berbeda dengan target Renstra",
        "Sub kegiatan {loc_code} ({agency}): target Renja {renja_target}, target Renstra tahun {loc_year} "
        "{renstra_target}."),
    "targets.less_ambitious_than_higher": (
        "Target daerah kurang ambisius dibanding target nasional/provinsi",
        "Indikator \"{indicator}\" tahun {loc_year}: target daerah {local}, target {higher_plan} {higher} "
        "({direction_text})."),
    "money.renja_over_ceiling": (
        "Renja melebihi pagu indikatif perangkat daerah",
        "Total Renja {agency} Rp {total:,} melebihi pagu indikatif Rp {ceiling:,} (selisih Rp {excess:,})."),
    "money.rkpd_over_ceiling": (
        "RKPD melebihi pagu indikatif daerah",
        "Total seluruh Renja Rp {total:,} melebihi pagu indikatif daerah Rp {ceiling:,} "
        "(selisih Rp {excess:,})."),
    "money.renja_over_renstra_budget": (
        "Pagu Renja melebihi pagu indikatif Renstra",
        "Sub kegiatan {loc_code} ({agency}): pagu Renja Rp {budget:,} melebihi pagu Renstra tahun {loc_year} "
        "Rp {renstra_budget:,}."),
    "money.district_share_below_minimum": (
        "Porsi anggaran yang dikelola kecamatan di bawah batas minimal",
        "Anggaran yang dikelola kecamatan Rp {managed:,} dari Rp {total:,} ({share}%), di bawah batas "
        "minimal {minimum}%."),
    "proposals.accepted_unlinked": (
        "Usulan diterima tanpa baris Renja",
        "Usulan {number} sudah diterima tetapi belum dikaitkan dengan baris Renja."),
    "proposals.line_of_other_year": (
        "Usulan terkait baris Renja tahun lain",
        "Usulan {number} dikaitkan dengan baris Renja di luar Renja tahun {loc_year}."),
    "proposals.wrong_agency": (
        "Usulan pada baris Renja perangkat daerah lain",
        "Usulan {number} milik {agency} dikaitkan dengan baris Renja {line_agency}."),
    "proposals.wrong_sub_activity": (
        "Sub kegiatan usulan berbeda dengan baris Renja",
        "Usulan {number} bersub kegiatan {loc_code}, sedangkan baris Renja-nya {line_code}."),
    "proposals.over_line_budget": (
        "Biaya usulan diterima melebihi pagu baris Renja",
        "{proposals} usulan diterima pada sub kegiatan {loc_code} ({agency}) senilai Rp {cost:,} melebihi "
        "pagu baris Rp {budget:,} (selisih Rp {excess:,})."),
}

_LEVEL_TEXT = {"1": "provinsi", "2": "kabupaten/kota"}


def title(code: str) -> str:
    return RULE_TEXTS.get(code, (code, ""))[0]


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def message(finding: Finding, agency_names: Mapping[str, str] | None = None) -> str:
    """The finding in Bahasa Indonesia, for people (agencies by name when `agency_names` maps codes)."""
    template = RULE_TEXTS.get(finding.code, (finding.code, finding.code))[1]
    params = _Lenient(finding.params)
    loc = finding.location
    params.update(loc_code=loc.code, loc_year=loc.year or "", loc_document=loc.document,
                  loc_year_text=f"tahun {loc.year} " if loc.year else "pada kondisi akhir ")
    names = agency_names or {}
    for key in ("agency", "line_agency", "renstra_agency"):  # before any text below uses them
        code = str(params.get(key) or "")
        if code in names:
            params[key] = names[code]
    reason = str(finding.params.get("reason", ""))
    params["reason_text"] = _REASONS.get(reason, reason).format_map(params) if reason else ""
    params["direction_text"] = _DIRECTIONS.get(str(finding.params.get("direction", "")), "")
    params["found_text"] = _LEVEL_TEXT.get(str(finding.params.get("found", "")), "")
    params["expected_text"] = _LEVEL_TEXT.get(str(finding.params.get("expected", "")), "")
    previous_year = finding.params.get("previous_year")
    params["previous_year_text"] = f"(tahun {previous_year})" if previous_year else "(kondisi awal)"
    if not params.get("agency"):
        params["agency"] = "pemerintah daerah"
    for key in _NUMBER_PARAMS:  # the engine writes numbers the English way ("12.5", "1.5–3.5")
        if key in finding.params:
            params[key] = _NUMBER.sub(lambda match: format_number(match.group()), str(finding.params[key]))
    return _FORMATTER.vformat(template, (), params)


#: Parameters that hold a number or a target range (never a code or a year).
_NUMBER_PARAMS = ("low", "high", "value", "previous", "local", "higher", "renja_target", "renstra_target",
                  "share", "minimum")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


class _IndonesianFormatter(string.Formatter):
    """`{amount:,}` groups thousands the Indonesian way (Rp 1.250.000)."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec == ",":
            return format_number(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)
        return super().format_field(value, format_spec)


_FORMATTER = _IndonesianFormatter()
