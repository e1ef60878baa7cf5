"""Server-side SVG chart of a run's fairness by kecamatan (no script, no inline style: CSP-safe).

One block per kecamatan: its name on a line of its own, then one horizontal bar for each series
(share of the money selected, share of the population, share of the eligible proposals; or the
money shares of two runs side by side), each bar followed by its percentage. The title and the
legend wrap onto lines of their own. The chart is drawn narrow (`WIDTH`, a phone's width) and
scales to its frame (`viewBox`, width 100%; selection.css holds it at a readable size on a wide
screen): on a phone of 390 px it was a fixed 640 px inside a 327 px box, the legend and the
names cut off and the bars looking alike. The SVG carries its own title for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

__all__ = ["Series", "share_chart"]

PALETTE = ("#1f6f8b", "#e08e0b", "#7a7a7a", "#2e8b57")
WIDTH = 360  # the viewBox's width: about a phone's; drawn to the frame's width
ROW = 14  # per bar
GAP = 12  # between kecamatan
LINE = 16  # per line of text (name, legend, title)
VALUE_W = 48  # room after the longest bar for its percentage
BAR_W = WIDTH - VALUE_W
#: Characters a line holds in `WIDTH`, with room to spare: the title (13, bold), a kecamatan's
#: name (12, semibold) and a legend entry (12, after its swatch).
TITLE_CHARS, NAME_CHARS, LEGEND_CHARS = 40, 44, 46


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # shares in [0, 1], one per row; None = unknown


def _pct(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def _lines(text: str, chars: int) -> list[str]:
    """`text` wrapped on words into lines of at most `chars` characters (a longer word cut)."""
    lines: list[str] = []
    for word in text.split():
        while len(word) > chars:
            lines.append(word[:chars])
            word = word[chars:]
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, lines: list[str], size: int, extra: str = "") -> str:
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text x="{x:g}" y="{y:g}" font-size="{size}"{extra}>{spans}</text>'


def share_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """An SVG bar chart of shares (0..1) per label, each label with one bar per series."""
    out: list[str] = []
    title_lines = _lines(title, TITLE_CHARS)
    out.append(_text(0, 14, title_lines, 13, ' font-weight="bold"'))
    y = 14 + LINE * (len(title_lines) - 1) + 10
    for i, s in enumerate(series):  # the legend: one entry a line
        legend = _lines(s.label, LEGEND_CHARS)
        out.append(f'<rect x="0" y="{y}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(_text(16, y + 10, legend, 12))
        y += LINE * len(legend) + 2
    y += 8
    peak = max([v for s in series for v in s.values if v is not None] or [0.0]) or 1.0
    scale = BAR_W / peak
    for row, label in enumerate(labels):
        name = _lines(label, NAME_CHARS)
        out.append(_text(0, y + 11, name, 12, ' font-weight="600"'))
        y += LINE * len(name) + 2
        for i, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else None
            if value is None:
                out.append(f'<text x="0" y="{y + 11}" font-size="10" fill="#555">{escape(s.label)}: tidak ada data</text>')
            else:
                w = max(0.0, value * scale)
                out.append(f'<rect x="0" y="{y + 1}" width="{w:.1f}" height="{ROW - 2}" '
                           f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(label)}: {escape(s.label)} '
                           f'{_pct(value)}</title></rect>')
                out.append(f'<text x="{w + 4:.1f}" y="{y + 11}" font-size="11">{_pct(value)}</text>')
            y += ROW
        y += GAP
    height = y
    return "".join([f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
                    f'role="img" aria-labelledby="chart-title" class="chart fit">',
                    f'<title id="chart-title">{escape(title)}</title>', *out, "</svg>"])
