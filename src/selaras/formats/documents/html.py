"""An official document as print-ready HTML (for WeasyPrint): landscape A4/F4, the table header
(with the row of column numbers) repeated on every page through <thead>, "Halaman X dari Y" and
the government's name in the page margins, the signature blocks at the end. No external resource:
the style is inline and the font is a system font (DejaVu Sans from Debian's fonts-dejavu-core).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from selaras.formats.documents.model import (
    PAPER_MM,
    Column,
    Document,
    Format,
    Paragraph,
    RowKind,
    Signature,
    Table,
    Value,
    header_grid,
)
from selaras.formats.documents.numbers import format_value

__all__ = ["render_html"]

_CSS = """
@page { size: %(w)smm %(h)smm; margin: 14mm 10mm 16mm 10mm;
  @top-right { content: "%(code)s"; font: bold 8pt "DejaVu Sans", sans-serif; }
  @bottom-left { content: "%(gov)s"; font: 7pt "DejaVu Sans", sans-serif; color: #333; }
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 7pt "DejaVu Sans", sans-serif; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: %(size)spt; color: #000; }
h1 { font-size: 12pt; text-align: center; margin: 0 0 2mm; }
p.head { text-align: center; margin: 0 0 1mm; font-size: 10pt; }
p.head.gov { font-weight: bold; }
p.text { font-size: 9pt; margin: 1.5mm 0; }
h2 { font-size: 9pt; margin: 3mm 0 1.5mm; }
table.doc { width: 100%%; border-collapse: collapse; table-layout: fixed; margin-top: 2mm;
  font-family: "Liberation Sans Narrow", "DejaVu Sans Condensed", "DejaVu Sans", sans-serif; }
table.doc th, table.doc td { border: 0.5pt solid #000; padding: 0.6mm 1mm; vertical-align: top;
  overflow-wrap: break-word; }
table.doc thead th { background: #d9e2ec; text-align: center; vertical-align: middle; font-weight: bold; }
table.doc thead tr.num th { font-weight: normal; font-style: italic; font-size: 6.5pt; }
table.doc tr { page-break-inside: avoid; }
td.r { text-align: right; white-space: nowrap; }
tr.total td, tr.group td { font-weight: bold; }
tr.total td { background: #f2f2f2; }
p.note { font-size: 7pt; margin: 1mm 0; }
table.sign { width: 100%%; margin-top: 6mm; page-break-inside: avoid; border: none; }
table.sign td { text-align: center; vertical-align: top; font-size: 9pt; border: none; }
table.sign .space { height: 18mm; }
table.sign .name { font-weight: bold; text-decoration: underline; }
"""


def _css_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _print_width(leaf: Column) -> float:
    """Column weight on paper: money needs its digits on one line, long texts may wrap more."""
    if leaf.format is Format.MONEY:
        return max(leaf.width, 19.0)
    if leaf.format in (Format.VOLUME, Format.PERCENT):
        return max(leaf.width, 9.0)
    return min(leaf.width, 30.0)


def _cell_text(value: Value, fmt: Format) -> str:
    text = escape(format_value(value, fmt))
    return text.replace(".", ".\u200b") if fmt is Format.CODE else text  # codes break at their dots


def _thead(table: Table) -> Iterable[str]:
    cells, depth = header_grid(table.columns)
    yield "<thead>"
    for row in range(depth):
        yield "<tr>"
        for hc in cells:
            if hc.row == row:
                spans = (f' colspan="{hc.column_span}"' if hc.column_span > 1 else "") + (
                    f' rowspan="{hc.row_span}"' if hc.row_span > 1 else "")
                yield f"<th{spans}>{escape(hc.title)}</th>"
        yield "</tr>"
    yield '<tr class="num">' + "".join(
        f'<th colspan="{span}">({n})</th>' if span > 1 else f"<th>({n})</th>" for n, _, span in table.numbering()
    ) + "</tr>"
    yield "</thead>"


def _label_span(values: Sequence[Value], leaves: Sequence[Column], index: int) -> int:
    """Cells a total row's label takes: itself and the empty text cells after it ("JUMLAH" in a
    narrow "No" column would otherwise break letter by letter)."""
    if index >= len(values) or values[index] in (None, "") or leaves[index].format not in (Format.TEXT, Format.CODE):
        return 1
    span = 1
    while index + span < len(leaves) and leaves[index + span].format in (Format.TEXT, Format.CODE) and (
            index + span >= len(values) or values[index + span] in (None, "")):
        span += 1
    return span


def _tbody(table: Table) -> Iterable[str]:
    leaves = table.leaves()
    right = ["r" if leaf.align.value == "right" else "" for leaf in leaves]
    yield "<tbody>"
    for row in table.rows:
        if row.kind is RowKind.GROUP:
            text = escape(str(row.values[0])) if row.values else ""
            yield f'<tr class="group"><td colspan="{len(leaves)}">{text}</td></tr>'
            continue
        parts = [f'<tr class="{row.kind.value}">']
        index = 0
        while index < len(leaves):
            leaf = leaves[index]
            value = row.values[index] if index < len(row.values) else None
            text = _cell_text(value, leaf.format)
            span = _label_span(row.values, leaves, index) if row.kind is RowKind.TOTAL else 1
            style = f' style="padding-left:{1 + 3 * row.level}mm"' if leaf.indent and row.level else ""
            css = f' class="{right[index]}"' if right[index] else ""
            colspan = f' colspan="{span}"' if span > 1 else ""
            parts.append(f"<td{colspan}{css}{style}>{text}</td>")
            index += span
        parts.append("</tr>")
        yield "".join(parts)
    yield "</tbody>"


def _table(table: Table) -> Iterable[str]:
    if table.title:
        yield f"<h2>{escape(table.title)}</h2>"
    leaves = table.leaves()
    widths = [_print_width(leaf) for leaf in leaves]
    total = sum(widths) or 1
    yield '<table class="doc"><colgroup>'
    yield "".join(f'<col style="width:{width * 100 / total:.2f}%">' for width in widths)
    yield "</colgroup>"
    yield from _thead(table)
    yield from _tbody(table)
    yield "</table>"


def _signatures(signatures: Sequence[Signature]) -> Iterable[str]:
    if not signatures:
        return
    yield '<table class="sign"><tr>'
    if len(signatures) == 1:
        yield '<td style="width:60%"></td>'
    for signature in signatures:
        where = ", ".join(p for p in (signature.place, signature.date) if p)
        name = escape(signature.name) if signature.name else "(................................)"
        nip = escape(signature.nip) if signature.nip else "................................"
        yield (f"<td>{escape(where)}<br>{escape(signature.caption)}<br>{escape(signature.position)}"
               f'<div class="space"></div><span class="name">{name}</span><br>NIP. {nip}</td>')
    yield "</tr></table>"


def render_html(document: Document) -> str:
    """The whole document as one HTML string."""
    width, height = PAPER_MM[document.paper]
    widest = max((len(t.leaves()) for t in document.tables()), default=6)
    size = 8 if widest <= 12 else 7 if widest <= 18 else 6.5
    css = _CSS % {"w": width, "h": height, "code": _css_text(document.code), "size": size,
                  "gov": _css_text(document.government_name)}
    parts = [f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{escape(document.title)}</title>',
             f"<style>{css}</style></head><body>",
             f"<h1>{escape(document.title)}</h1>",
             f'<p class="head gov">{escape(document.government_name.upper())}</p>']
    if document.subtitle:
        parts.append(f'<p class="head">{escape(document.subtitle)}</p>')
    parts.append(f'<p class="head">{escape(document.period)}</p>')
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = f"<b>{escape(block.text)}</b>" if block.bold else escape(block.text)
            parts.append(f'<p class="text">{text}</p>')
        else:
            parts.extend(_table(block))
    parts.extend(f'<p class="note">{escape(note)}</p>' for note in document.notes)
    parts.extend(_signatures(document.signatures))
    parts.append("</body></html>")
    return "".join(parts)
