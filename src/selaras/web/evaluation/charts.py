"""Charts as server-side SVG: no script, no CDN, no style attribute (the Content-Security-Policy
allows only our own style sheet, so colours are SVG presentation attributes).

Each builder returns the markup of one `<svg>` with `role="img"`, a `<title>` and a `<desc>`;
every text is escaped here. The markup is a `Chart`, which also carries its title as `caption`:
the page prints it above the chart (a `<figcaption>`), so that every chart has a visible title
and not only a tooltip. The page shows each chart next to a table with the same numbers (for
screen readers and printing); the builders only draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString

from selaras.engines.evaluation import Rating

__all__ = ["Bar", "Chart", "Series", "Stack", "RATING_COLOURS", "bar_chart", "grouped_bar_chart", "line_chart",
           "stacked_bar_chart", "rupiah_short"]

RATING_COLOURS: dict[Rating | None, str] = {
    Rating.VERY_HIGH: "#1a7f37",
    Rating.HIGH: "#4c9a2a",
    Rating.MEDIUM: "#b08800",
    Rating.LOW: "#d1742b",
    Rating.VERY_LOW: "#b42318",
    None: "#8c959f",
}
PALETTE = ("#0b6e4f", "#2f6fb0", "#b08800", "#b42318", "#6f42c1", "#8c959f", "#d1742b", "#1a7f37")
_FONT = 'font-family="system-ui, sans-serif"'

Number = int | float | Decimal


def _n(value: Number) -> float:
    return float(value)


def rupiah_short(value: Number) -> str:
    """Rp in words a chart axis can hold: 1,2 M (miliar), 850 jt, 12 T (triliun)."""
    v = _n(value)
    for size, word in ((1e12, "T"), (1e9, "M"), (1e6, "jt")):
        if abs(v) >= size:
            return f"{v / size:.1f}".replace(".", ",") + f" {word}"
    return f"{v:,.0f}".replace(",", ".")


def plain(value: Number) -> str:
    v = _n(value)
    text = f"{v:,.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v):,}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


class Chart(SafeString):
    """The markup of one chart (safe: every text in it is escaped) and its title, `caption`, for the
    page to print above it (`{{ chart.caption }}`; Django escapes it there)."""

    caption: str = ""


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> Chart:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-labelledby="{ident}-t" aria-describedby="{ident}-d" {_FONT} '
            f'font-size="12"><title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>')
    chart = Chart(head + "".join(body) + "</svg>")
    chart.caption = title
    return chart


def _label(text: str, limit: int) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number | None
    colour: str = PALETTE[0]
    note: str = ""  # printed after the bar (e.g. "84,5 % · tinggi")


def bar_chart(bars: Sequence[Bar], *, title: str, desc: str = "", ident: str = "bar",
              scale_max: Number | None = None, reference: Number | None = None,
              fmt: Callable[[Number], str] = plain, label_width: int = 220) -> Chart:
    """Horizontal bars, one per item; `reference` draws a vertical line (e.g. 100 %)."""
    row, width = 22, 760
    height = 24 + row * max(len(bars), 1) + 10
    plot = width - label_width - 120
    top = max([_n(b.value) for b in bars if b.value is not None] + [_n(reference or 0), _n(scale_max or 0), 1])
    body = []
    for i, bar in enumerate(bars):
        y = 20 + i * row
        body.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_label(bar.label, 34)}</text>')
        if bar.value is None:
            body.append(f'<text x="{label_width + 4}" y="{y + 14}" fill="#57606a">belum ada data</text>')
            continue
        w = max(0.0, min(_n(bar.value), top)) / top * plot
        body.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 7}" fill="{escape(bar.colour)}">'
                    f'<title>{escape(bar.label)}: {escape(fmt(bar.value))}</title></rect>')
        text = fmt(bar.value) + (f" · {bar.note}" if bar.note else "")
        body.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 14}">{escape(text)}</text>')
    if reference is not None:
        x = label_width + _n(reference) / top * plot
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="12" y2="{height - 6}" stroke="#24292f" '
                    f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="11" text-anchor="middle" fill="#24292f">'
                    f'{escape(fmt(reference))}</text>')
    return _svg(width, height, title, desc or title, body, ident)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]
    colour: str = PALETTE[0]
    dashed: bool = False


def _legend(series: Sequence[Series], y: int, x0: int = 10) -> list[str]:
    out, x = [], x0
    for s in series:
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        out.append(f'<line x1="{x}" x2="{x + 22}" y1="{y - 4}" y2="{y - 4}" stroke="{escape(s.colour)}" '
                   f'stroke-width="3"{dash}/><text x="{x + 26}" y="{y}">{_label(s.name, 40)}</text>')
        x += 40 + min(len(s.name), 40) * 7
    return out


def grouped_bar_chart(categories: Sequence[str], series: Sequence[Series], *, title: str, desc: str = "",
                      ident: str = "grouped", fmt: Callable[[Number], str] = rupiah_short,
                      label_width: int = 220) -> Chart:
    """Horizontal groups: for each category one bar per series (e.g. pagu and ceiling per agency)."""
    per = 12
    group = per * len(series) + 8
    width = 760
    height = 34 + group * max(len(categories), 1) + 10
    plot = width - label_width - 90
    values = [_n(v) for s in series for v in s.values if v is not None]
    top = max(values + [1.0])
    body = _legend(series, 14)
    for i, name in enumerate(categories):
        y0 = 26 + i * group
        body.append(f'<text x="{label_width - 6}" y="{y0 + group / 2 + 2:.1f}" text-anchor="end">'
                    f'{_label(name, 34)}</text>')
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            if value is None:
                continue
            w = max(0.0, _n(value)) / top * plot
            y = y0 + j * per
            body.append(f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{per - 2}" fill="{escape(s.colour)}">'
                        f'<title>{escape(name)} · {escape(s.name)}: {escape(fmt(value))}</title></rect>'
                        f'<text x="{label_width + w + 3:.1f}" y="{y + 9}" font-size="10">{escape(fmt(value))}</text>')
    return _svg(width, height, title, desc or title, body, ident)


def line_chart(x_labels: Sequence[str], series: Sequence[Series], *, title: str, desc: str = "",
               ident: str = "line", fmt: Callable[[Number], str] = plain) -> Chart:
    """Lines over years (targets dashed, realisation solid); a missing value breaks the line."""
    width, height = 560, 250
    left, right, top_pad, bottom = 56, 16, 34, 30
    values = [_n(v) for s in series for v in s.values if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(x_labels) - 1, 1)

    def xy(i: int, v: Number) -> tuple[float, float]:
        return left + i * step, top_pad + (high - _n(v)) / (high - low) * plot_h

    body = _legend(series, 14)
    for k in range(5):
        tick = low + (high - low) * k / 4
        y = top_pad + plot_h - plot_h * k / 4
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>'
                    f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{escape(fmt(tick))}</text>')
    for i, label in enumerate(x_labels):
        x = left + i * step
        body.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{escape(label)}</text>')
    for s in series:
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        segment: list[str] = []
        parts: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    parts.append(segment)
                segment = []
                continue
            x, y_pos = xy(i, v)
            segment.append(f"{x:.1f},{y_pos:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y_pos:.1f}" r="3.5" fill="{escape(s.colour)}">'
                        f'<title>{escape(s.name)} {escape(x_labels[i])}: {escape(fmt(v))}</title></circle>')
        if segment:
            parts.append(segment)
        for points in parts:
            if len(points) > 1:
                body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{escape(s.colour)}" '
                            f'stroke-width="2.5"{dash}/>')
    return _svg(width, height, title, desc or title, body, ident)


@dataclass(frozen=True)
class Stack:
    label: str
    parts: Sequence[tuple[str, int]]  # (segment name, count)
    colours: Sequence[str] = field(default=PALETTE)


def stacked_bar_chart(stacks: Sequence[Stack], segment_names: Sequence[str], *, title: str, desc: str = "",
                      ident: str = "stacked", label_width: int = 220) -> Chart:
    """Horizontal stacked bars (e.g. proposals per channel by where they ended), same scale for all."""
    row, width = 24, 760
    height = 34 + row * max(len(stacks), 1) + 10
    plot = width - label_width - 70
    top = max([sum(c for _, c in s.parts) for s in stacks] + [1])
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(segment_names)}
    body = _legend([Series(name, [], colour[name]) for name in segment_names], 14)
    for i, stack in enumerate(stacks):
        y = 26 + i * row
        body.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_label(stack.label, 34)}</text>')
        x = float(label_width)
        total = 0
        for name, count in stack.parts:
            if count <= 0:
                continue
            w = count / top * plot
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 7}" '
                        f'fill="{colour.get(name, PALETTE[-1])}"><title>{escape(stack.label)} · {escape(name)}: '
                        f'{plain(count)}</title></rect>')
            x += w
            total += count
        body.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{plain(total)}</text>')
    return _svg(width, height, title, desc or title, body, ident)
