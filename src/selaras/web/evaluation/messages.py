"""Bahasa Indonesia texts of the realisation import's findings (codes `realisation.*`; the file
limits' and an unreadable file's `table.*` texts come from the one error catalogue)."""

from __future__ import annotations

from selaras.domain.findings import Finding
from selaras.web.errors.messages import TABLE_TEXTS

FINDING_TEXTS: dict[str, str] = {
    "realisation.missing_columns": "Kolom wajib tidak ada: {column}.",
    "realisation.required": "Kolom {column} wajib diisi.",
    "realisation.bad_code": "Kode sub kegiatan '{value}' tidak sah.",
    "realisation.unknown_code": "Kode sub kegiatan {value} tidak ada pada Renja ini.",
    "realisation.bad_quarter": "Triwulan '{value}' tidak sah; isi 1, 2, 3 atau 4.",
    "realisation.bad_volume": "Realisasi kinerja '{value}' bukan angka yang sah (angka tidak negatif).",
    "realisation.bad_money": "Realisasi keuangan '{value}' bukan jumlah rupiah yang sah (bilangan bulat tidak negatif).",
    "realisation.note_too_long": "Catatan terlalu panjang (paling banyak {limit} karakter).",
    "realisation.control_character": "Catatan memuat karakter kendali yang tidak diizinkan.",
    "realisation.duplicate": "Sub kegiatan {value} triwulan {quarter} sudah ada pada baris {first}.",
    "realisation.over_budget": "Realisasi keuangan sub kegiatan {value} setahun (triwulan I–IV) menjadi {total}, "
                               "melebihi pagu baris {budget} sebesar {excess}. Periksa angkanya; bila pagu berubah "
                               "(DPA atau perubahan Renja), ubah pagu baris Renja lebih dulu.",
    "realisation.reason_required": "Triwulan {quarter} sudah ditutup Bappeda: koreksi wajib diberi alasan "
                                   "(kolom alasan_koreksi).",
    "table.empty": "Berkas kosong.",
    "table.no_rows": "Berkas tidak berisi baris realisasi (hanya baris judul).",
}


def finding_text(finding: Finding) -> str:
    """The finding as one sentence, prefixed with its row and column when it has them."""
    template = FINDING_TEXTS.get(finding.code) or TABLE_TEXTS.get(finding.code) or "Baris tidak sah."
    params = {"column": finding.location.column, **finding.params}
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):
        text = template
    where = []
    if finding.location.row is not None:
        where.append(f"baris {finding.location.row}")
    if finding.location.column:
        where.append(f"kolom {finding.location.column}")
    return f"{', '.join(where).capitalize()}: {text}" if where else text
