"""The editable table of a plan document, rendered as HTML strings (fast for thousands of lines).

Each editable cell is one `<input>` that posts itself on change (htmx) to the cell URL and is
replaced by the answer: the saved value, or the same input marked invalid with the message (the
two wrapped in one box that the next answer replaces whole, so no old message stays behind).
Attributes common to all cells (trigger, swap) sit on the table, so a 2,000-line Renja stays
small. Read-only cells are plain text.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as _escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from selaras.domain.plan_cells import target_text
from selaras.web.planning.cells import cell_text

__all__ = ["cell", "cell_html", "target_cells", "target_html", "value_text", "cell_url", "escape"]

_NUMERIC = frozenset({"baseline", "end_target", "target", "target_min", "target_max", "budget",
                      "forward_estimate", "ceiling", "value", "end_value", "forward_target", "forward_target_min",
                      "forward_target_max"})
#: Columns of long text, edited in a <textarea> (saved on change like every cell).
_LONG = frozenset({"vision", "missions", "text", "priorities"})
_DIRECTIONS = (("none", "—"), ("up", "naik"), ("down", "turun"), ("band", "rentang"))
_DIRECTION_LABELS = dict(_DIRECTIONS)


@lru_cache(maxsize=1)
def _cell_base() -> str:
    """The cell URL's prefix, resolved once ('/penyusunan/sel/'): reverse() per cell cost a second
    on a 2,000-line Renja."""
    return reverse("planning:cell", args=["k", 1, "c"]).removesuffix("k/1/c/")


def cell_url(row_kind: str, row_id: int, column: str, year: int | None = None) -> str:
    url = f"{_cell_base()}{row_kind}/{row_id}/{column}/"
    return f"{url}?tahun={year}" if year is not None else url


def escape(text: Any) -> str:
    """HTML-escaped text (the standard library's: several times faster than Django's for the 20,000
    cells of a big table; the output is marked safe by the callers)."""
    return _escape(str(text), quote=True)


def value_text(value: Any) -> str:
    return cell_text(value)


def cell(row_kind: str, row_id: int, column: str, value: Any, *, editable: bool, year: int | None = None,
         label: str = "", error: str = "", saved: bool = False, raw: str | None = None, size: int = 0,
         options: tuple[tuple[str, str], ...] | None = None, seen: str | None = None) -> SafeString:
    """One cell's content: an input posting itself (editable) or the value as text; with `options`
    ((value, text) pairs) a choice."""
    return mark_safe(cell_html(row_kind, row_id, column, value, editable=editable, year=year, label=label,
                               error=error, saved=saved, raw=raw, size=size, options=options, seen=seen))


def cell_html(row_kind: str, row_id: int, column: str, value: Any, *, editable: bool, year: int | None = None,
              label: str = "", error: str = "", saved: bool = False, raw: str | None = None, size: int = 0,
              options: tuple[tuple[str, str], ...] | None = None, seen: str | None = None) -> str:
    """`cell` as a plain string (HTML already escaped), for rows built in Python by the thousand."""
    shown = value_text(value) if raw is None else raw
    if options is not None and raw is None:
        shown = "" if value is None else str(value)
    if not editable:
        if options is not None:
            return escape(dict(options).get(shown, shown))
        if column == "direction":  # the stored value ("up") read as the editor's choice shows it ("naik")
            return escape(_DIRECTION_LABELS.get(shown or "none", shown))
        return escape(shown)
    return _input(row_kind, row_id, column, shown, year, label, error, saved, size, options, seen)


def _input(row_kind: str, row_id: int, column: str, shown: str, year: int | None, label: str, error: str,
           saved: bool, size: int, options: tuple[tuple[str, str], ...] | None = None,
           seen: str | None = None) -> str:
    ident = f"c-{row_kind}-{row_id}-{column}" + (f"-{year}" if year is not None else "")
    url = cell_url(row_kind, row_id, column, year)
    classes = "cell" + (" num" if column in _NUMERIC else "") + (" invalid" if error else "") + (
        " saved" if saved else "")
    common = (f'id="{ident}" class="{classes}" name="nilai" hx-post="{url}" '
              f'aria-label="{escape(label or column)}"')
    if seen is not None and seen != shown:
        # the cell shows a refused value: its next save says it saw the stored one (static/selaras/
        # selaras.js sends the text a cell was rendered with, to find a value changed meanwhile)
        common += f' data-sebelum="{escape(seen)}"'
    if error:
        # A refused cell comes back wrapped with its message, and the input then swaps the whole
        # wrapper: the next answer (saved, or refused again) replaces the message instead of
        # leaving it beside the new input.
        common += f' aria-invalid="true" aria-describedby="{ident}-e" hx-target="#{ident}-box"'
    if options is not None:
        choices = "".join(f'<option value="{escape(v)}"{" selected" if v == shown else ""}>{escape(t)}</option>'
                          for v, t in (("", "—"), *options))
        html = f"<select {common}>{choices}</select>"
    elif column == "direction":
        directions = "".join(f'<option value="{v}"{" selected" if v == (shown or "none") else ""}>{t}</option>'
                             for v, t in _DIRECTIONS)
        html = f"<select {common}>{directions}</select>"
    elif column in _LONG:
        rows = max(2, min(8, shown.count("\n") + 1))
        html = f'<textarea {common} rows="{rows}">{escape(shown)}</textarea>'
    else:
        width = f' size="{size}"' if size else ""
        html = f'<input {common} value="{escape(shown)}"{width}>'
    if error:
        html = (f'<span class="cell-box" id="{ident}-box">{html}'
                f'<span class="cell-error" id="{ident}-e" role="alert">{escape(error)}</span></span>')
    return html


def target_cells(row_kind: str, row_id: int, values: tuple[Any, Any, Any], *, editable: bool, single: str,
                 year: int | None = None, label: str = "", low: str = "target_min",
                 high: str = "target_max") -> SafeString:
    """A target as three small inputs (single value | min – max) or, read-only, its text."""
    return mark_safe(target_html(row_kind, row_id, values, editable=editable, single=single, year=year, label=label,
                                 low=low, high=high))


def target_html(row_kind: str, row_id: int, values: tuple[Any, Any, Any], *, editable: bool, single: str,
                year: int | None = None, label: str = "", low: str = "target_min", high: str = "target_max") -> str:
    """`target_cells` as a plain string (HTML already escaped)."""
    value, low_value, high_value = values
    if not editable:
        return escape(target_text(value, low_value, high_value))
    suffix = f" {year}" if year else ""
    return ('<span class="target">'
            + cell_html(row_kind, row_id, single, value, editable=True, year=year, label=f"Target{suffix} {label}",
                        size=6)
            + '<span class="range">'
            + cell_html(row_kind, row_id, low, low_value, editable=True, year=year,
                        label=f"Target minimum{suffix} {label}", size=5)
            + "–"
            + cell_html(row_kind, row_id, high, high_value, editable=True, year=year,
                        label=f"Target maksimum{suffix} {label}", size=5)
            + "</span></span>")
