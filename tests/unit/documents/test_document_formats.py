"""The pure document layer: header grid, Indonesian numbers, Excel layout, HTML for print."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from selaras.formats.documents.html import render_html
from selaras.formats.documents.model import (
    Column,
    Document,
    Format,
    Paper,
    Paragraph,
    Row,
    RowKind,
    Signature,
    Table,
    header_grid,
)
from selaras.formats.documents.numbers import format_value, long_date
from selaras.formats.documents.xlsx import write_xlsx

YEARS = (2025, 2026)
COLUMNS = (
    Column("Kode", format=Format.CODE),
    Column("Program / kegiatan", indent=True, width=30),
    Column("Target dan pagu", children=tuple(
        Column(f"Tahun {y}", children=(Column("K", format=Format.VOLUME), Column("Rp", format=Format.MONEY)))
        for y in YEARS)),
    Column("Keterangan"),
)


def _document(paper: Paper = Paper.A4) -> Document:
    rows = [
        Row(("Sasaran: meningkatnya akses air minum",), kind=RowKind.GROUP),
        Row(("1.03.03", "Program air minum", None, 1_000_000, None, 2_000_000, ""), level=0),
        Row(("1.03.03.2.01", "=SUM(A1:A9)", Decimal("12.5"), 1_000_000, 13, 2_000_000, "@risk"), level=1),
        Row(("JUMLAH", "", None, 1_000_000, None, 2_000_000, ""), kind=RowKind.TOTAL),
    ]
    return Document(title="RENCANA PROGRAM", government_name="Pemerintah Kabupaten Contoh", period="2025-2026",
                    code="T-C.27", paper=paper, blocks=(Paragraph("Pembukaan"), Table(COLUMNS, rows)),
                    signatures=(Signature(position="Kepala Dinas", name="Ani <b>", nip="1970", place="Contoh",
                                          date="1 Maret 2025"),))


def test_header_grid_spans_parents_over_leaves_and_leaves_down() -> None:
    cells, depth = header_grid(COLUMNS)
    assert depth == 3
    by_title = {c.title: c for c in cells}
    assert (by_title["Kode"].row_span, by_title["Kode"].column_span) == (3, 1)
    assert (by_title["Target dan pagu"].column, by_title["Target dan pagu"].column_span) == (2, 4)
    assert (by_title["Tahun 2026"].row, by_title["Tahun 2026"].column, by_title["Tahun 2026"].column_span) == (1, 4, 2)
    assert by_title["Keterangan"].column == 6
    assert sum(1 for c in cells if c.title in ("K", "Rp")) == 4


def test_numbers_are_written_the_indonesian_way() -> None:
    assert format_value(1_234_567_890, Format.MONEY) == "1.234.567.890"
    assert format_value(-1500, Format.MONEY) == "-1.500"
    assert format_value(Decimal("12.50"), Format.VOLUME) == "12,5"
    assert format_value(Decimal("1234.567"), Format.VOLUME) == "1.234,57"
    assert format_value(100, Format.PERCENT) == "100"
    assert format_value(87.456, Format.PERCENT) == "87,46"
    assert format_value(None, Format.MONEY) == ""
    assert format_value(Decimal("12.5"), Format.VOLUME, all_places=True) == "12,50"  # as Excel's 0.00 shows it
    assert format_value(100, Format.PERCENT, all_places=True) == "100,00"
    assert format_value("01.02", Format.CODE) == "01.02"
    assert long_date(__import__("datetime").date(2025, 8, 17)) == "17 Agustus 2025"


def test_excel_layout_merges_numbers_formats_and_print_setup() -> None:
    book = load_workbook(BytesIO(write_xlsx(_document(Paper.F4)).getvalue()))
    sheet = book.worksheets[0]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # title rows 1..4 (code, title, government, period), blank, paragraph at 6, header 7-9, numbers at 10
    assert sheet["G1"].value == "T-C.27"
    assert sheet["A3"].value == "PEMERINTAH KABUPATEN CONTOH"
    assert "A7:A9" in merged and "C7:F7" in merged and "C8:D8" in merged and "E8:F8" in merged
    assert [sheet.cell(10, c).value for c in range(1, 8)] == [f"({i})" for i in range(1, 8)]
    assert sheet.freeze_panes == "A11"
    assert sheet.print_title_rows == "$7:$10"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 14
    assert "Halaman &P dari &N" in sheet.oddFooter.center.text
    assert "A11:G11" in merged  # the group heading spans the table
    assert sheet["A11"].value == "Sasaran: meningkatnya akses air minum"
    # formula-like texts stay texts; numbers keep their formats; the level indents the name
    assert sheet["B13"].value == "=SUM(A1:A9)" and sheet["B13"].data_type == "s"
    assert sheet["G13"].value == "@risk"
    assert sheet["C13"].value == 12.5 and sheet["C13"].number_format == "#,##0.00"
    assert sheet["D13"].number_format == "#,##0"
    assert sheet["B13"].alignment.indent == 1 and sheet["B12"].alignment.indent == 0
    assert sheet["A14"].value == "JUMLAH" and sheet["A14"].font.b and sheet["F14"].value == 2_000_000
    assert "A14:B14" in merged  # the label over the empty name cell, as in the PDF
    # a column of numbers is wider than its longest value as Excel shows it: 2,000,000 and 12.50
    assert sheet.column_dimensions["F"].width >= len("2,000,000") + 1
    assert sheet.column_dimensions["C"].width >= len("12.50") + 1
    assert sheet.column_dimensions["B"].width == 30  # text columns keep their width
    signature = [c.value for c in sheet["A"][14:] if c.value] + [c.value for row in sheet.iter_rows(min_row=15)
                                                                 for c in row if c.value]
    assert "Ani <b>" in signature and "NIP. 1970" in signature and "Contoh, 1 Maret 2025" in signature


def test_html_repeats_the_header_and_escapes_every_text() -> None:
    html = render_html(_document())
    assert "size: 297mm 210mm" in html
    assert 'counter(page) " dari " counter(pages)' in html
    assert html.count("<thead>") == 1 and '<tr class="num"><th>(1)</th>' in html
    assert '<th colspan="4">Target dan pagu</th>' in html and '<th rowspan="3">Kode</th>' in html
    assert "Ani &lt;b&gt;" in html and "<b>Ani" not in html
    assert "1.000.000" in html and "12,5" in html
    assert "http" not in html.replace("http-equiv", "")
    assert "size: 330mm 215mm" in render_html(_document(Paper.F4))


def test_the_total_label_spans_the_empty_text_cells_after_it() -> None:
    html = render_html(_document())
    # "JUMLAH" takes the code and the (empty) name column: it never breaks letter by letter in "No"
    assert '<tr class="total"><td colspan="2">JUMLAH</td><td class="r"></td>' in html
    total = html.split('<tr class="total">')[1].split("</tr>")[0]
    assert total.count("<td") == 6  # 7 columns, the first two merged
    item = html.split('<tr class="item">')[1].split("</tr>")[0]
    assert item.count("<td") == 7 and "colspan" not in item


def test_excel_number_columns_are_as_wide_as_their_longest_value() -> None:
    columns = (Column("No", width=4), Column("Uraian", width=20), Column("Rp", format=Format.MONEY, width=8),
               Column("%", format=Format.PERCENT, width=5))
    rows = [Row(("1", "Program", 1_234_567_890_123, Decimal("1234.5"))),
            Row(("JUMLAH", "", 1_234_567_890_123, None), kind=RowKind.TOTAL)]
    document = Document(title="E.81", government_name="Kabupaten Contoh", period="2025",
                        blocks=(Table(columns, rows),))
    sheet = load_workbook(BytesIO(write_xlsx(document).getvalue())).worksheets[0]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["C"] >= len("1,234,567,890,123") + 1 and widths["D"] >= len("1,234.50") + 1
    assert (widths["A"], widths["B"]) == (4, 20)
    total = next(cell for cell in sheet["A"] if cell.value == "JUMLAH")
    assert f"A{total.row}:B{total.row}" in {str(r) for r in sheet.merged_cells.ranges}  # never in "No" alone
