"""An official document as print-ready HTML (for WeasyPrint): landscape A4/F4, the table header
(with the row of column numbers) repeated on every page through <thead>, "Halaman X dari Y" and
the government's name in the page margins, the signature blocks at the end. No external resource:
the style is inline and the font is a system font (DejaVu Sans from Debian's fonts-dejavu-core).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from selaras.formats.documents.metrics import longest_word_em
from selaras.formats.documents.model import (
    PAPER_MM,
    Align,
    Column,
    Document,
    Format,
    Paragraph,
    Quantity,
    RowKind,
    Signature,
    Table,
    Value,
    header_grid,
    row_cells,
)
from selaras.formats.documents.numbers import format_value, number_texts

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
h1, p.head, p.text, p.note, table.sign td { overflow-wrap: anywhere; }
h2 { font-size: 9pt; margin: 3mm 0 1.5mm; }
table.doc { width: 100%%; border-collapse: collapse; table-layout: fixed; margin-top: 2mm;
  font-family: "Liberation Sans Narrow", "DejaVu Sans Condensed", "DejaVu Sans", sans-serif; }
table.doc th, table.doc td { border: 0.5pt solid #000; padding: 0.6mm 1mm; vertical-align: top;
  overflow-wrap: break-word; }
table.doc thead th { background: #d9e2ec; text-align: center; vertical-align: middle; font-weight: bold; }
table.doc thead tr.num th { font-weight: normal; font-style: italic; font-size: 6.5pt; }
table.doc tr { page-break-inside: avoid; }
td.r { text-align: right; white-space: nowrap; }
table.doc td.r { padding-left: %(pad)smm; padding-right: %(pad)smm; }
td.r.m, td.r.u { white-space: normal; }
td.r.u span { white-space: nowrap; }
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


#: Advance widths (em) in Liberation Sans Narrow, the table font (metric-compatible with Arial
#: Narrow): its digits, the marks of a printed number, and (generously) any other character.
_DIGIT_EM = 0.456
_MARK_EM = {".": 0.228, ",": 0.228, " ": 0.228, "-": 0.273, "(": 0.273, ")": 0.273, "–": 0.456}
_OTHER_EM = 0.65
_PT_MM = 25.4 / 72
#: Page margins (10 mm each side) and the body's margin (8 px each side): what the table cannot use.
_PAGE_MARGINS_MM = 20 + 2 * 8 * 25.4 / 96
_NUMBER_PAD_MM = 0.5  # left and right padding of a number cell
_NUMBERS_SHARE = 0.75  # number columns take at most this share of the table's width ...
_MIN_NUMBER_PT = 5.0  # ... their font shrinks down to this size to stay within it


def _print_width(leaf: Column) -> float:
    """Column weight on paper: what each column gets in proportion (a column of numbers gets more
    when its longest value needs it: `_column_widths`)."""
    if leaf.format is Format.MONEY:
        return max(leaf.width, 19.0)
    if leaf.format in (Format.VOLUME, Format.PERCENT):
        return max(leaf.width, 9.0)
    return min(leaf.width, 30.0)


def _is_number(leaf: Column) -> bool:
    return leaf.align is Align.RIGHT


def _text_mm(text: str, size_pt: float) -> float:
    em = sum(_DIGIT_EM if ch.isdigit() else _MARK_EM.get(ch, _OTHER_EM) for ch in text)
    return em * size_pt * _PT_MM


def _column_widths(table: Table, table_mm: float, size_pt: float) -> tuple[list[float], float, bool, bool]:
    """The width (mm) of each column: in proportion to `_print_width`, except that a column of
    numbers is at least as wide as its longest value on one line (an amount never spills out of its
    cell), and every column at least as wide as its longest word (`_minimum_widths`: a word never
    breaks inside a cell), the other text columns giving up the difference. Also the font size of
    the numbers: the table's, or smaller when they would otherwise take more than `_NUMBERS_SHARE`
    of the width (or than their proportional share, when that is more; less when the text columns'
    words need it); whether even the smallest size did not do (the number columns then share
    that part, and amounts break at their thousands separators); and whether values in their unit
    ("8 unit") may put the unit under the number: only when on one line they would not fit at the
    table's size (a wide table such as E.81), the number then staying whole on its line."""
    leaves = table.leaves()
    weights = [_print_width(leaf) for leaf in leaves]
    unit = table_mm / (sum(weights) or 1)
    needed = _minimum_widths(table, table_mm, size_pt)

    def fit(texts: dict[int, list[str]]) -> tuple[dict[int, float], float, bool]:
        numbers = list(texts)
        words = sum(width for i, width in enumerate(needed) if i not in texts)

        def number_widths(pt: float) -> dict[int, float]:
            return {i: max(weights[i] * unit, needed[i], max((_text_mm(t, pt) for t in texts[i]), default=0.0)
                           * 1.03 + 2 * _NUMBER_PAD_MM + 0.4) for i in numbers}

        room = max(table_mm * _NUMBERS_SHARE, sum(weights[i] * unit for i in numbers))
        room = min(room, max(table_mm - words, table_mm / 2))
        pt = size_pt
        found = number_widths(pt)
        while sum(found.values()) > room and pt > _MIN_NUMBER_PT:
            pt = max(_MIN_NUMBER_PT, pt - 0.5)
            found = number_widths(pt)
        squeezed = sum(found.values()) > room
        if squeezed:
            found = {i: width * room / sum(found.values()) for i, width in found.items()}
        return found, pt, squeezed

    whole = number_texts(table)
    found, pt, squeezed = fit(whole)
    wrap_units = False
    split = number_texts(table, wrapping=True)
    if (pt < size_pt or squeezed) and split != whole:
        found, pt, squeezed = fit(split)
        wrap_units = True
    others = [i for i in range(len(leaves)) if i not in found]
    found |= _spread(table_mm - sum(found.values()), {i: weights[i] for i in others}, {i: needed[i] for i in others})
    return [found[i] for i in range(len(leaves))], pt, squeezed, wrap_units


_CELL_PAD_MM = 2 + 0.4  # a cell's left and right padding (1 mm each), its border and some slack
_INDENT_MM = 3.0  # the hierarchy column's extra left padding per level
_WORD_SHARE = 0.3  # no column asks for more than this share of the table to keep a word whole


def _minimum_widths(table: Table, table_mm: float, size_pt: float) -> list[float]:
    """The width (mm) each column needs so that no word breaks inside it: its title's longest word
    (bold) and, for a text column, the longest word of its cells (with the row's indent). A word
    longer than `_WORD_SHARE` of the table asks for no more (it wraps inside its cell instead)."""
    leaves = table.leaves()
    em_mm = size_pt * _PT_MM
    needed = [longest_word_em([leaf.title], bold=True) * em_mm * 1.03 + _CELL_PAD_MM for leaf in leaves]
    texts: dict[tuple[int, int, bool], set[str]] = {}
    for row in table.rows:
        if row.kind is RowKind.GROUP:
            continue
        for index, span in row_cells(row, leaves):
            leaf = leaves[index]
            if span > 1 or _is_number(leaf) or index >= len(row.values) or row.values[index] in (None, ""):
                continue
            level = row.level if leaf.indent else 0
            key = (index, level, row.kind is RowKind.TOTAL)
            text = format_value(row.values[index], leaf.format)
            texts.setdefault(key, set()).add(text.replace(".", ".\u200b") if leaf.format is Format.CODE else text)
    for (index, level, bold), words in texts.items():
        width = longest_word_em(words, bold=bold) * em_mm * 1.03 + _CELL_PAD_MM + _INDENT_MM * level
        needed[index] = max(needed[index], width)
    return [min(width, _WORD_SHARE * table_mm) for width in needed]


def _spread(total: float, weights: dict[int, float], minimum: dict[int, float]) -> dict[int, float]:
    """`total` shared in proportion to `weights`, each at least its `minimum` (all in proportion to
    their minimum when even these do not fit)."""
    if sum(minimum.values()) >= total:
        scale = total / (sum(minimum.values()) or 1)
        return {i: minimum[i] * scale for i in weights}
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in weights if i not in fixed]
        left = total - sum(fixed.values())
        weight = sum(weights[i] for i in free) or 1
        short = [i for i in free if left * weights[i] / weight < minimum[i]]
        if not short:
            return {**fixed, **{i: left * weights[i] / weight for i in free}}
        fixed.update((i, minimum[i]) for i in short)


def _cell_text(value: Value, fmt: Format, *, break_money: bool = False, wrap_units: bool = False) -> str:
    if isinstance(value, Quantity) and wrap_units:  # the number on one line, its unit may wrap under it
        return f"<span>{escape(format_value(value.value, fmt))}</span> {escape(value.unit)}"
    text = escape(format_value(value, fmt))
    # codes break at their dots; amounts at their thousands separators when they cannot fit
    return text.replace(".", ".\u200b") if fmt is Format.CODE or (break_money and fmt is Format.MONEY) else text


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


def _tbody(table: Table, *, break_money: bool, wrap_units: bool = False) -> Iterable[str]:
    leaves = table.leaves()
    money = "r m" if break_money else "r"
    right = [(money if leaf.format is Format.MONEY else "r") if _is_number(leaf) else "" for leaf in leaves]
    yield "<tbody>"
    for row in table.rows:
        if row.kind is RowKind.GROUP:
            text = escape(str(row.values[0])) if row.values else ""
            yield f'<tr class="group"><td colspan="{len(leaves)}">{text}</td></tr>'
            continue
        parts = [f'<tr class="{row.kind.value}">']
        for index, span in row_cells(row, leaves):
            leaf = leaves[index]
            value = row.values[index] if index < len(row.values) else None
            text = _cell_text(value, leaf.format, break_money=break_money, wrap_units=wrap_units)
            style = f' style="padding-left:{1 + 3 * row.level}mm"' if leaf.indent and row.level else ""
            unit = " u" if wrap_units and isinstance(value, Quantity) else ""
            css = f' class="{right[index]}{unit}"' if right[index] else ""
            colspan = f' colspan="{span}"' if span > 1 else ""
            parts.append(f"<td{colspan}{css}{style}>{text}</td>")
        parts.append("</tr>")
        yield "".join(parts)
    yield "</tbody>"


def _table(table: Table, name: str, table_mm: float, size_pt: float) -> tuple[list[str], str]:
    """The table's HTML, and its CSS (the font size of its numbers) for the page's style."""
    out = [f"<h2>{escape(table.title)}</h2>"] if table.title else []
    widths, number_pt, squeezed, wrap_units = _column_widths(table, table_mm, size_pt)
    out.append(f'<table class="doc" id="{name}"><colgroup>')
    out.append("".join(f'<col style="width:{width * 100 / table_mm:.2f}%">' for width in widths))
    out.append("</colgroup>")
    out.extend(_thead(table))
    out.extend(_tbody(table, break_money=squeezed, wrap_units=wrap_units))
    out.append("</table>")
    css = f"#{name} td.r {{ font-size: {number_pt:g}pt; }}" if number_pt < size_pt else ""
    return out, css


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
    css = [_CSS % {"w": width, "h": height, "code": _css_text(document.code), "size": size,
                   "gov": _css_text(document.government_name), "pad": _NUMBER_PAD_MM}]
    body = [f"<h1>{escape(document.title)}</h1>", f'<p class="head gov">{escape(document.government_name.upper())}</p>']
    if document.subtitle:
        body.append(f'<p class="head">{escape(document.subtitle)}</p>')
    body.append(f'<p class="head">{escape(document.period)}</p>')
    table_mm = width - _PAGE_MARGINS_MM
    for index, block in enumerate(document.blocks, start=1):
        if isinstance(block, Paragraph):
            text = f"<b>{escape(block.text)}</b>" if block.bold else escape(block.text)
            body.append(f'<p class="text">{text}</p>')
        else:
            html, table_css = _table(block, f"tabel-{index}", table_mm, size)
            body.extend(html)
            css.append(table_css)
    body.extend(f'<p class="note">{escape(note)}</p>' for note in document.notes)
    body.extend(_signatures(document.signatures))
    return "".join([f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{escape(document.title)}'
                    f"</title><style>{''.join(css)}</style></head><body>", *body, "</body></html>"])
