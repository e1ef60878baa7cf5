"""Proposal import workbooks: the .xlsx template per channel and the rejected-rows workbook.

Uses the column specs of `proposal_columns`; `write_rejects` takes the `Table` and
`ValidationReport` of `proposal_table`. The dependency goes one way: this module builds on
`proposal_table`, which knows nothing of workbooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from selaras.domain.findings import Finding
from selaras.domain.proposals import Channel
from selaras.domain.units import UNIT_LABELS
from selaras.formats.proposal_columns import columns_for, template_title
from selaras.formats.proposal_table import Table, ValidationReport

__all__ = ["TemplateReference", "write_template", "PROBLEMS_HEADER", "write_rejects"]


@dataclass(frozen=True)
class TemplateReference:
    """Lists that go into the template's reference sheets."""

    government_name: str
    districts: Sequence[tuple[str, str]]  # code, name
    villages: Sequence[tuple[str, str, str, str]]  # code, name, kind, district code
    agencies: Sequence[tuple[str, str]]  # code, name
    sub_activities: Sequence[tuple[str, str]]  # code, name


def write_template(channel: Channel | str, ref: TemplateReference) -> bytes:
    """The .xlsx template a user fills in: the 'Usulan' sheet first, then instructions and lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from selaras.formats.xlsx_util import (
        WRAP,
        append_row,
        style_header_row,
        workbook_bytes,
        write_rows_sheet,
    )

    channel = Channel(channel)
    columns = columns_for(channel)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Usulan"
    append_row(sheet, [c.header for c in columns])
    style_header_row(sheet, [c.width for c in columns], [c.required for c in columns])
    for index, col in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        if col.kind == "unit":
            rule = DataValidation(type="list", formula1=f"=Satuan!$A$2:$A${len(UNIT_LABELS) + 1}",
                                  allow_blank=not col.required, showErrorMessage=True,
                                  errorTitle="Satuan tidak dikenal",
                                  error="Pilih satuan dari daftar (lembar Satuan).")
        elif col.kind in ("volume", "cost"):
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                  showErrorMessage=True, errorTitle="Bukan angka",
                                  error="Isi dengan angka (lihat lembar Petunjuk).")
        elif col.kind in ("village", "district", "sub_activity", "agency"):
            sheet.column_dimensions[letter].number_format = "@"
            continue
        else:
            continue
        rule.add(f"{letter}2:{letter}200000")
        sheet.add_data_validation(rule)

    guide = book.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    append_row(guide, [f"Templat impor: {template_title(channel)}"])
    guide["A1"].font = Font(bold=True, size=14)
    append_row(guide, [f"Pemerintah daerah: {ref.government_name}"])
    append_row(guide, [])
    for line in (
        "1. Isi lembar 'Usulan' mulai baris 2, satu usulan per baris. Jangan mengubah baris judul.",
        "2. Kolom berjudul merah wajib diisi; kolom hijau boleh kosong.",
        "3. Kode wilayah, kode sub kegiatan, kode perangkat daerah dan satuan harus persis seperti "
        "pada lembar referensi (Kecamatan, Desa, Sub Kegiatan, Perangkat Daerah, Satuan).",
        "4. Volume: angka lebih dari 0 (desimal dengan koma atau titik, paling banyak 2 angka).",
        "5. Perkiraan biaya: rupiah bulat, 0 atau lebih, tanpa 'Rp'.",
        "6. Seluruh baris diperiksa sebelum disimpan. Bila ada satu baris salah, tidak ada yang "
        "disimpan, kecuali Anda memilih 'impor baris yang valid saja'; baris yang ditolak "
        "dikembalikan sebagai berkas Excel dengan kolom 'Masalah'.",
        "7. Berkas CSV juga diterima (baris judul yang sama, pemisah koma atau titik koma, UTF-8).",
    ):
        append_row(guide, [line])
    append_row(guide, [])
    append_row(guide, ["Kolom", "Wajib", "Keterangan"])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = Font(bold=True)
    for col in columns:
        append_row(guide, [col.header, "ya" if col.required else "tidak", col.help])
        guide.cell(row=guide.max_row, column=3).alignment = WRAP

    write_rows_sheet(book, "Satuan", ["Satuan", "Keterangan"], UNIT_LABELS.items(), [14, 30])
    write_rows_sheet(book, "Kecamatan", ["Kode Kecamatan", "Nama Kecamatan"], ref.districts, [16, 40])
    district_names = dict(ref.districts)
    write_rows_sheet(
        book, "Desa", ["Kode Desa/Kelurahan", "Nama", "Jenis", "Kode Kecamatan", "Nama Kecamatan"],
        ((c, n, k, d, district_names.get(d, "")) for c, n, k, d in ref.villages), [20, 36, 12, 16, 30])
    write_rows_sheet(book, "Perangkat Daerah", ["Kode Perangkat Daerah", "Nama"], ref.agencies, [30, 60])
    write_rows_sheet(book, "Sub Kegiatan", ["Kode Sub Kegiatan", "Nama Sub Kegiatan"],
                     ref.sub_activities, [22, 100])
    book.properties.title = template_title(channel)
    book.properties.creator = "Selaras"
    return workbook_bytes(book)


PROBLEMS_HEADER = "Masalah"


def write_rejects(table: Table, report: ValidationReport, describe: Callable[[Finding], str],
                  target: Any = None) -> Any:
    """The rows that failed, as they were, with an added 'Masalah' column (streamed)."""
    from selaras.formats.xlsx_util import HEADER_FILL, PROBLEM_FILL, stream_workbook

    by_row: dict[int, list[str]] = {}
    for finding in report.findings:
        if finding.location.row is not None and finding.location.row in report.rejected_rows:
            by_row.setdefault(finding.location.row, []).append(describe(finding))
    width = len(table.headers)
    headers = [*table.headers, "Baris asal", PROBLEMS_HEADER]

    def rows() -> Iterable[list[Any]]:
        for number in sorted(report.rejected_rows):
            raw = list(report.rejected_rows[number])[:width]
            raw += [None] * (width - len(raw))
            yield [*raw, number, "; ".join(by_row.get(number, []))]

    fills = [HEADER_FILL] * (width + 1) + [PROBLEM_FILL]
    return stream_workbook("Ditolak", headers, rows(), [18] * width + [10, 80], fills, target)
