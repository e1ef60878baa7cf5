"""One catalogue of the Bahasa Indonesia text of every error code (pages, API and CLI use it).

Why here: the domain raises errors with a stable `code` and `params` only, so a rule never
carries prose and a text is changed in one place. An error raised with a ready `message` (web
services that already speak to a person) keeps it; otherwise the text comes from `ERROR_TEXTS`
by `code`, or from a renderer for codes whose sentence depends on a `reason` parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from selaras.domain.errors import SelarasError
from selaras.domain.proposals import OUTCOME_LABELS, STAGE_LABELS, Outcome, Stage

__all__ = ["API_FIELD_TEXTS", "APPEND_ONLY_TEXTS", "CODE_REASONS", "ERROR_TEXTS", "PARAMETER_LABELS", "PLAN_VALUE_TEXTS",
           "PARAMETER_REASONS", "TABLE_TEXTS", "TRANSITION_TEXTS", "api_field_text", "error_text", "parameter_label"]

#: The general text of every error code (a class's `code`); used when no finer text applies.
ERROR_TEXTS: dict[str, str] = {
    "error": "Permintaan tidak dapat diproses.",
    "invalid_input": "Isian tidak sah; periksa kembali.",
    "not_permitted": "Anda tidak berwenang melakukan tindakan ini.",
    "not_found": "Data yang dicari tidak ditemukan.",
    "conflict": "Permintaan tidak dapat dijalankan pada keadaan data saat ini.",
    "invalid_code": "Kode tidak sah.",
    "transition_refused": "Keputusan ini tidak dapat dicatat pada tahap usulan saat ini.",
    "stage_closed": "Tahap ini sedang tidak menerima input.",
    "append_only": "Catatan riwayat tidak dapat diubah atau dihapus.",
    "invalid_parameter": "Isian atau nilai pada alamat halaman tidak sah.",
    "selection_invalid": "Data seleksi tidak sah.",
    "selection_options_invalid": "Pilihan varian Equal Shares tidak sah.",
    "realisation_invalid": "Isian realisasi tidak sah.",
    "realisation_reason_required": "Triwulan {quarter} sudah ditutup: koreksi harus disertai alasan.",
    "realisation_over_budget": "Realisasi keuangan setahun melebihi pagu baris Renja.",
    "realisation_import_refused": "Impor realisasi dibatalkan; tidak ada data yang disimpan.",
    "unknown_region": "Kode wilayah bukan kabupaten/kota pada edisi kode wilayah yang terpasang.",
    "invalid_table": "Berkas tidak dapat dibaca sebagai tabel usulan.",
    "invalid_edition_file": "Berkas edisi referensi ditolak; tidak ada data yang dimuat.",
    "invalid_pb_file": "Berkas bukan berkas pabulib yang dapat dibaca.",
    "scoring_invalid_input": "Data penilaian usulan tidak sah.",
    "scoring_unknown_criterion": "Kriteria penilaian tidak dikenal: {criterion}.",
    "scoring_invalid_weight": "Bobot kriteria {criterion} harus angka tidak negatif yang terhingga.",
    "scoring_invalid_value": "Nilai {field} tidak sah.",
    "scoring_length_mismatch": "Panjang larik {field} tidak sama dengan jumlah usulan.",
    "database_busy": "Basis data sedang sibuk, coba lagi.",
    "too_many_requests": "Terlalu banyak permintaan; tunggu sebentar lalu coba lagi.",
    "administrative_region": "Wilayah administrasi DKI Jakarta tidak memiliki DPRD dan APBD sendiri.",
    "api_unreadable_body": "Isi permintaan tidak dapat dibaca: kirim JSON yang sah.",
    "api_invalid_request": "Permintaan API tidak sah: {fields}.",
    "too_many_jobs": "Anda sudah menjalankan {limit} tugas latar; tunggu salah satunya selesai atau batalkan, lalu coba lagi.",
}

#: Why a plan value is refused (domain.targets, domain.plan_cells.money_problem): the plan editor,
#: the Excel import of plan tables and the admin forms say it with the same words.
PLAN_VALUE_TEXTS: dict[str, str] = {
    "cell.negative": "Nilai tidak boleh negatif.",
    "cell.too_large": "Nilai terlalu besar.",
    "target.value_and_range": "Isi target tunggal atau rentang (min–maks), bukan keduanya.",
    "target.range_inverted": "Target minimum tidak boleh lebih besar dari target maksimum.",
    "target.negative": "Target dan kondisi awal program, kegiatan dan sub kegiatan tidak boleh negatif: isi "
                       "volume atau capaian 0 atau lebih.",
    "target.negative_indicator": "Nilai indikator ini tidak boleh negatif: isi 0 atau lebih (nilai negatif hanya "
                                 "untuk indikator laju atau pertumbuhan, mis. laju pertumbuhan ekonomi).",
}

#: Why an API request's field was refused (pydantic error types, as django-ninja reports them);
#: `{field}` is the parameter's name, other fields come from the error's context.
API_FIELD_TEXTS: dict[str, str] = {
    "missing": "{field} wajib diisi",
    "int_parsing": "{field} harus bilangan bulat",
    "int_type": "{field} harus bilangan bulat",
    "int_from_float": "{field} harus bilangan bulat",
    "int_parsing_size": "{field} terlalu besar",
    "float_parsing": "{field} harus angka",
    "bool_parsing": "{field} harus true atau false",
    "string_type": "{field} harus teks",
    "string_too_long": "{field} terlalu panjang (paling banyak {max_length} karakter)",
    "string_too_short": "{field} terlalu pendek (paling sedikit {min_length} karakter)",
    "string_pattern_mismatch": "{field} tidak sesuai format",
    "greater_than_equal": "{field} paling kecil {ge}",
    "greater_than": "{field} harus lebih dari {gt}",
    "less_than_equal": "{field} paling besar {le}",
    "less_than": "{field} harus kurang dari {lt}",
    "enum": "{field} harus salah satu dari: {expected}",
    "literal_error": "{field} harus salah satu dari: {expected}",
    "date_parsing": "{field} harus tanggal (TTTT-BB-HH)",
    "date_from_datetime_parsing": "{field} harus tanggal (TTTT-BB-HH)",
    "json_invalid": "isi permintaan bukan JSON yang sah",
    "model_attributes_type": "isi permintaan harus objek JSON",
    "dict_type": "isi permintaan harus objek JSON",
}


def api_field_text(error_type: str, field: str, context: Mapping[str, Any]) -> str:
    """One refused API field in Bahasa Indonesia ("offset paling kecil 0")."""
    template = API_FIELD_TEXTS.get(error_type, "{field} tidak sah")
    try:
        return template.format(**{**{str(k): v for k, v in context.items()}, "field": field})
    except (KeyError, IndexError, ValueError):
        return f"{field} tidak sah"


#: Why a file cannot be read as a table (`TableError`'s `finding`; also the import's "table.*"
#: findings, listed through `web.proposals.messages`).
TABLE_TEXTS: dict[str, str] = {
    "table.empty": "Berkas kosong: tidak ada baris judul maupun data.",
    # every importer's one text for a file its reader cannot read; {detail} says why and what to do
    # (formats.upload_limits.NOT_A_WORKBOOK, proposal_table.NOT_CSV), never the reader's English
    "table.unreadable": "Berkas tidak dapat dibaca: {detail}.",
    "table.format": "Format berkas tidak dikenal; gunakan .xlsx, .xls, .ods atau .csv.",
    "table.no_rows": "Berkas tidak berisi baris usulan (hanya baris judul).",
    # file limits (formats.upload_limits), checked before a file is read
    "table.too_many_rows": "Berkas terlalu besar: {rows} baris data; paling banyak {limit} baris per impor. "
                           "Bagi berkas menjadi beberapa bagian.",
    "table.too_many_columns": "Lembar kerja terlalu lebar: {columns} kolom; paling banyak {limit} kolom. "
                              "Hapus kolom atau sel yang tidak dipakai di sebelah kanan data.",
    "table.too_many_cells": "Lembar kerja terlalu besar: {cells} sel (baris x kolom); paling banyak {limit} sel. "
                            "Hapus sel yang tidak dipakai jauh di bawah atau di kanan data.",
    "table.zip_invalid": "Berkas Excel tidak dapat dibaca: {detail}.",
    "table.zip_too_large": "Isi berkas Excel terlalu besar setelah dibuka ({size_mb} MB; paling banyak {limit_mb} MB).",
    "table.zip_ratio": "Berkas Excel ditolak: isinya memuai {ratio} kali saat dibuka (paling banyak {limit} kali).",
    "table.format_binary": "Format Excel biner (.xlsb) tidak didukung; simpan sebagai .xlsx.",
    "table.line_too_long": "Ada baris CSV yang terlalu panjang (lebih dari {limit} karakter).",
}

#: Why a region, nomenclature or agency code is refused (`InvalidCode`'s `reason`).
CODE_REASONS: dict[str, str] = {
    "empty": "kode kosong",
    "too_many_parts": "terlalu banyak bagian ({count}, paling banyak {max_parts})",
    "empty_part": "bagian kosong (titik ganda atau titik di awal/akhir)",
    "digits": "{name} harus {width} angka",
    "all_zero": "{name} tidak boleh {part}",
    "region_parts": "harus 1 sampai 4 bagian (PP, PP.KK, PP.KK.CC, PP.KK.CC.NDDD)",
    "village_kind": "angka pertama kode desa/kelurahan harus 1 (kelurahan), 2 (desa) atau 3 (desa adat)",
    "no_ancestor": "tidak punya induk pada tingkat {level}",
    "nomenclature_parts": "jumlah bagian {count} tidak dikenal (U, U.BB, U.BB.PP, U.BB.PP.L.KK atau "
                          "U.BB.PP.L.KK.SSSS); kegiatan selalu ditulis dengan L.KK",
    "unknown_affair": "urusan '?' (bidang kekhususan Aceh pada data 050-3708/2020) hanya diterima dari "
                      "data referensi; tulis urusan 1..9 atau X",
    "affair_sign": "urusan harus satu tanda: {allowed}",
    "supporting_sector": "bidang urusan dari urusan X (penunjang) harus XX",
    "sector_xx_only_supporting": "bidang urusan XX hanya untuk urusan X (penunjang)",
    "government_level": "tingkat pemerintahan (L) harus satu angka 1..9 (1 provinsi, 2 kab/kota)",
    "sub_activity_two_digits": "sub kegiatan harus 4 angka sejak Kepmendagri 050-3708/2020 "
                               "(mungkin maksudnya {suggestion})",
    "agency_parts": "harus 8 bagian (U.BB.U.BB.U.BB.OO.UUUU), ada {count}",
    "agency_first_sector_empty": "bidang urusan pertama tidak boleh kosong (0.00)",
    "agency_supporting_sector": "bidang urusan dari urusan X harus XX",
    "agency_affair": "urusan harus satu angka 1..9 (atau 0.00 untuk slot kosong)",
}

#: Why a reference edition file is refused (`InvalidEditionFile`'s `reason`).
EDITION_FILE_REASONS: dict[str, str] = {
    "unreadable": "berkas tidak dapat dibaca ({detail})",
    "unknown_layout": "susunan kolom tidak dikenal; kolom yang ada: {detail}",
    "missing_column": "kolom wajib '{column}' tidak ada",
    "empty": "berkas tidak berisi baris data",
    "bad_code": "kode '{value}' tidak sah ({detail})",
    "empty_name": "nama kosong",
    "duplicate": "kode '{value}' sudah ada pada baris {detail}",
    "no_parent": "induk kode '{value}' tidak ada dalam berkas",
    "wrong_parent": "kode '{value}' tidak berada di bawah {detail}",
    "bad_level": "tingkat '{value}' tidak dikenal",
    "bad_sql": "pernyataan SQL tidak dapat dibaca ({detail})",
    "too_large": "berkas terlalu besar ({detail})",
}


def _invalid_edition_file(params: Mapping[str, Any]) -> str:
    reason = EDITION_FILE_REASONS.get(str(params.get("reason", "")), "isi tidak sah")
    try:
        why = reason.format(**{"value": "", "detail": "", "column": "", **params})
    except (KeyError, IndexError, ValueError):
        why = "isi tidak sah"
    row, column = params.get("row") or 0, params.get("column") or ""
    where = (f" baris {row}" if row else "") + (f", kolom '{column}'" if column and row else "")
    return f"Berkas edisi ditolak{where}: {why}. Tidak ada data yang dimuat."


#: Why the proposal lifecycle refuses a decision (`TransitionRefused`'s `reason`).
TRANSITION_TEXTS: dict[str, str] = {
    "resubmit_not_returned": "Usulan hanya dapat diajukan ulang setelah dikembalikan untuk perbaikan.",
    "not_submitted": "Usulan belum diajukan.",
    "wrong_stage": "Usulan sedang berada di tahap {current_label}, bukan {stage_label}.",
    "outcome_unavailable": "Keputusan '{outcome_label}' tidak tersedia pada tahap {stage_label}.",
}

#: Why a query, path or form value is refused (`web.params.InvalidParameter`'s `reason`); `{label}`
#: is the field as the person sees it (`PARAMETER_LABELS`), never the raw parameter name alone.
PARAMETER_REASONS: dict[str, str] = {
    "not_integer": "{label} harus bilangan bulat yang ditulis dengan angka 0-9.",
    "out_of_range": "{label} harus antara {min} dan {max}.",
    "too_long": "{label} terlalu panjang (paling banyak {max_length} karakter).",
    "control_character": "{label} berisi karakter yang tidak diizinkan.",
    "not_choice": "{label} tidak dikenal.",
    "bad_cursor": "Penanda halaman '{name}' tidak sah; mulai lagi dari halaman pertama.",
}

#: Parameter name -> the field's name on the page (the label beside the input, or what the value
#: in the address means). A name not listed is shown as "Isian '<name>'".
PARAMETER_LABELS: dict[str, str] = {
    "tahun": "Tahun", "year": "Tahun", "triwulan": "Triwulan", "versi": "Nomor versi",
    "a": "Versi yang dibandingkan", "b": "Versi pembanding", "halaman": "Nomor halaman", "hal": "Nomor halaman",
    "cari": "Kata pencarian", "q": "Kata pencarian", "nilai": "Isian sel", "kode": "Kode", "nama": "Nama",
    "satuan": "Satuan", "arah": "Arah indikator", "kunci": "Kunci indikator", "sasaran": "Sasaran",
    "induk": "Induk", "nomor": "Nomor", "uraian": "Uraian", "jenis": "Jenis", "jenis_baris": "Jenis baris",
    "baris": "Baris", "catatan": "Catatan", "jawaban": "Jawaban", "penilaian": "Penilaian catatan",
    "alasan": "Alasan", "tahap": "Tahap tujuan", "status": "Status", "lingkup": "Lingkup", "format": "Format",
    "pd": "Perangkat daerah", "agency": "Perangkat daerah", "kecamatan": "Kecamatan", "edisi": "Edisi",
    "jalur": "Jalur usulan", "urut": "Urutan", "tampil": "Tampilan", "tingkat": "Tingkat", "pemda": "Pemerintah daerah",
    "volume": "Realisasi kinerja", "spent": "Realisasi keuangan", "helped": "Faktor pendorong",
    "hindered": "Faktor penghambat", "follow_up": "Tindak lanjut", "reason": "Alasan koreksi",
    "sumber": "Sumber data", "ubah": "Mode ubah",
}


def parameter_label(name: object) -> str:
    """The field a parameter stands for, as the page names it."""
    key = str(name or "")
    return PARAMETER_LABELS.get(key) or f"Isian '{key}'"

#: (record, action) of an `AppendOnly` refusal.
APPEND_ONLY_TEXTS: dict[tuple[str, str], str] = {
    ("decision", "change"): "Keputusan tidak dapat diubah; buat keputusan baru sebagai koreksi.",
    ("decision", "delete"): "Keputusan tidak dapat dihapus.",
    ("selection", "change"): "Hasil seleksi tidak dapat diubah; jalankan seleksi baru.",
    ("selection", "delete"): "Hasil seleksi tidak dapat dihapus.",
}


def _invalid_code(params: Mapping[str, Any]) -> str:
    kind, reason = params.get("kind", ""), params.get("reason", "")
    if reason == "not_text":
        return f"Kode {kind} harus berupa teks, bukan {params.get('type_name', '')}."
    facts = dict(params)
    facts["allowed"] = "1..9, X" + (" atau ?" if params.get("unknown_allowed") else "")
    why = CODE_REASONS[reason].format(**facts) if reason in CODE_REASONS else "tidak dikenal"
    position = params.get("position")
    where = f" pada bagian ke-{position} ('{params.get('part', '')}')" if position is not None else ""
    return f"Kode {kind} '{params.get('code', '')}' tidak sah{where}: {why}."


def _stage_label(value: object) -> str:
    try:
        return STAGE_LABELS[Stage(str(value))]
    except (KeyError, ValueError):
        return str(value)


def _transition(params: Mapping[str, Any]) -> str:
    template = TRANSITION_TEXTS.get(str(params.get("reason", "")), ERROR_TEXTS["transition_refused"])
    outcome = params.get("outcome")
    return template.format(
        current_label=_stage_label(params.get("current")), stage_label=_stage_label(params.get("stage")),
        outcome_label=OUTCOME_LABELS[Outcome(str(outcome))] if outcome in set(Outcome) else str(outcome))


def _append_only(params: Mapping[str, Any]) -> str:
    key = (str(params.get("record", "")), str(params.get("action", "")))
    return APPEND_ONLY_TEXTS.get(key, ERROR_TEXTS["append_only"])


def _invalid_table(params: Mapping[str, Any]) -> str:
    template = TABLE_TEXTS.get(str(params.get("finding", "")), ERROR_TEXTS["invalid_table"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return ERROR_TEXTS["invalid_table"]


def _invalid_parameter(params: Mapping[str, Any]) -> str:
    template = PARAMETER_REASONS.get(str(params.get("reason", "")), ERROR_TEXTS["invalid_parameter"])
    try:
        return template.format(**{**params, "label": parameter_label(params.get("name"))})
    except (KeyError, IndexError, ValueError):
        return ERROR_TEXTS["invalid_parameter"]


_RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "invalid_parameter": _invalid_parameter,
    "invalid_code": _invalid_code,
    "invalid_edition_file": _invalid_edition_file,
    "invalid_table": _invalid_table,
    "transition_refused": _transition,
    "append_only": _append_only,
}


def error_text(error: SelarasError) -> str:
    """The Bahasa Indonesia sentence a person reads for `error`."""
    if error.message:
        return error.message
    render = _RENDERERS.get(error.code)
    if render is not None:
        return render(error.params)
    template = ERROR_TEXTS.get(error.code, ERROR_TEXTS["error"])
    try:
        return template.format(**error.params)
    except (KeyError, IndexError, ValueError):
        return ERROR_TEXTS["error"]
