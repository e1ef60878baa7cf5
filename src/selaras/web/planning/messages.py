"""Bahasa Indonesia text of the drafting rules' codes (refusals, cell checks, import problems)."""

from __future__ import annotations

from typing import Any

from selaras.web.errors.messages import PLAN_VALUE_TEXTS

__all__ = ["TEXTS", "text"]

TEXTS: dict[str, str] = {
    **PLAN_VALUE_TEXTS,  # targets, baselines and money (shared with the admin forms)
    # who may do what (domain.plan_documents)
    "plan.no_role": "Anda harus masuk dengan peran yang sesuai untuk menyusun rencana.",
    "plan.other_government": "Dokumen ini milik pemerintah daerah lain.",
    "plan.other_agency": "Dokumen ini milik perangkat daerah lain; Anda hanya dapat menyusun dokumen perangkat daerah Anda.",
    "plan.bappeda_document": "Dokumen ini disusun oleh Bappeda; perangkat daerah tidak dapat mengubahnya.",
    "plan.role_cannot_edit": "Peran Anda tidak dapat menyusun atau mengubah rencana.",
    "plan.enacted_locked": "Dokumen sudah ditetapkan (penetapan); perubahan hanya melalui tahap perubahan.",
    "plan.stage_not_next": "Dokumen tidak dapat dipindah dari tahap {from_stage} ke tahap {to_stage}.",
    "plan.move_bappeda_only": "Hanya Bappeda yang dapat memindahkan dokumen ke tahap {to_stage}.",
    "plan.override_bappeda_only": "Hanya Bappeda yang dapat melewati galat sinkronisasi.",
    "plan.note_bappeda_only": "Catatan verifikasi ditulis oleh Bappeda.",
    "plan.blocked": "Perpindahan ke tahap {to_stage} tertahan oleh {count} galat sinkronisasi. Perbaiki galat "
                    "tersebut, atau (Bappeda) tulis alasan untuk melewatinya.",
    "plan.parent_stage": "{document} belum dapat dipindah ke tahap {to_stage}: {parent} harus lebih dulu berada "
                         "pada tahap {needed_stage} (sekarang: {parent_stage}).",
    "plan.over_ceiling": "{document} belum dapat diajukan: jumlah pagu baris {total} melebihi pagu indikatif "
                         "{ceiling} sebesar {excess} (sisa pagu negatif). Kurangi pagu baris sampai sisa pagu "
                         "tidak negatif, atau minta Bappeda menyesuaikan pagu indikatif.",
    "plan.verification_open": "{document} belum dapat dipindah ke tahap {to_stage}: verifikasi Bappeda belum "
                              "selesai ({verification_state}). Selesaikan setiap catatan verifikasi dan minta "
                              "Bappeda memperbarui status verifikasi lebih dulu.",
    "plan.override_reason_short": "Alasan melewati galat sinkronisasi harus ditulis (paling sedikit 10 karakter).",
    # cells
    "cell.unknown_field": "Kolom tidak dikenal.",
    "cell.unknown_row": "Baris tidak ditemukan.",
    "cell.unknown_objective": "Sasaran tidak ditemukan pada Renstra ini.",
    "cell.number": "Isi dengan angka (contoh 12,5 atau 12.5).",
    "cell.decimals": "Paling banyak 4 angka di belakang koma.",
    "cell.rupiah": "Isi dengan rupiah bulat tanpa desimal (contoh 1.500.000).",
    "cell.too_long": "Teks terlalu panjang (paling banyak {max} karakter).",
    "cell.control_character": "Isian memuat karakter yang tidak diizinkan.",
    "cell.required": "Kolom ini wajib diisi.",
    "cell.direction": "Arah indikator harus salah satu: naik, turun, rentang.",
    "cell.year": "Tahun di luar periode dokumen.",
    "cell.code": "Kode tidak sah: {detail}.",
    "cell.code_level": "Kode {code} bukan kode {level}.",
    "cell.code_parent": "Kode {code} tidak berada di bawah {parent}.",
    "cell.code_name_typed": "Pilih kode dari daftar atau ketik kode nomenklatur (mis. 1.03.10.2.01.0001).",
    "cell.code_unknown": "Kode {code} tidak ada di nomenklatur edisi {edition}. Pilih kode dari daftar atau ketik "
                         "kode nomenklatur (mis. 1.03.10.2.01.0001).",
    "cell.code_other_level": "Kode {code} bukan kode nomenklatur untuk pemerintah daerah {level}.",
    "cell.code_inactive": "Kode {code} sudah tidak aktif pada nomenklatur edisi {edition}.",
    "cell.code_duplicate": "Kode {code} sudah ada pada dokumen ini.",
    "cell.unit": "Satuan tidak dikenal: {unit}.",
    "cell.changed_meanwhile": "Isian ini sudah diubah oleh pengguna lain sejak halaman Anda dimuat (nilai sekarang: "
                              "{current}); isian Anda tidak disimpan. Nilai terbaru kini ditampilkan: periksa, lalu "
                              "isi lagi bila tetap perlu diubah.",
    # notes
    "note.empty": "Catatan tidak boleh kosong.",
    "note.answer_empty": "Jawaban tidak boleh kosong.",
    "note.resolved": "Catatan sudah diselesaikan.",
}


#: Column names of the editable plan cells, as the editor's status line names them.
COLUMN_LABELS: dict[str, str] = {
    "name": "Nama", "indicator": "Indikator", "unit": "Satuan", "direction": "Arah", "baseline": "Kondisi awal",
    "end_target": "Target akhir periode", "end_value": "Kondisi akhir", "responsible_unit": "Unit penanggung jawab",
    "location": "Lokasi", "target": "Target", "value": "Target", "target_min": "Target minimum",
    "target_max": "Target maksimum", "budget": "Pagu", "forward_estimate": "Prakiraan maju",
    "funding_source": "Sumber dana", "theme": "Tema", "ceiling": "Pagu indikatif",
    "forward_target": "Target tahun n+1", "forward_target_min": "Target minimum tahun n+1",
    "forward_target_max": "Target maksimum tahun n+1", "note": "Catatan penting", "vision": "Visi",
    "missions": "Misi", "number": "Nomor", "text": "Uraian", "objective": "Sasaran", "priorities": "Prioritas pembangunan",
}


def text(key: str, /, **params: Any) -> str:
    template = TEXTS.get(key, key)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
