"""Server-side SVG chart of a run's fairness by kecamatan (no script, no inline style: CSP-safe).

One row per kecamatan, with horizontal bars for each series (share of the money selected, share
of the population, share of the eligible proposals; or the money shares of two runs side by
side). The SVG carries its own title and a text alternative for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

__all__ = ["Series", "share_chart"]

PALETTE = ("#1f6f8b", "#e08e0b", "#7a7a7a", "#2e8b57")
ROW = 14  # px per bar
GAP = 10  # px between kecamatan
LABEL_W = 190
BAR_W = 420
VALUE_W = 60


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # shares in [0, 1], one per row; None = unknown


def _pct(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def share_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """An SVG bar chart of shares (0..1) per label, each label with one bar per series."""
    k = max(1, len(series))
    top = 28 + 18 * ((k + 1) // 2)
    height = top + len(labels) * (k * ROW + GAP) + 10
    width = LABEL_W + BAR_W + VALUE_W
    peak = max([v for s in series for v in s.values if v is not None] or [0.0]) or 1.0
    scale = BAR_W / peak
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
           f'role="img" aria-labelledby="chart-title" class="chart">',
           f'<title id="chart-title">{escape(title)}</title>',
           f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, s in enumerate(series):
        x = (i % 2) * 300
        y = 28 + 18 * (i // 2)
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{x + 16}" y="{y + 10}" font-size="12">{escape(s.label)}</text>')
    y = top
    for row, label in enumerate(labels):
        out.append(f'<text x="{LABEL_W - 6}" y="{y + (k * ROW) / 2 + 4:.0f}" font-size="12" '
                   f'text-anchor="end">{escape(label[:30])}</text>')
        for i, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else None
            by = y + i * ROW
            if value is None:
                out.append(f'<text x="{LABEL_W + 2}" y="{by + 11}" font-size="10" fill="#555">tidak ada data</text>')
                continue
            w = max(0.0, value * scale)
            out.append(f'<rect x="{LABEL_W}" y="{by + 1}" width="{w:.1f}" height="{ROW - 2}" '
                       f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(label)}: {escape(s.label)} '
                       f'{_pct(value)}</title></rect>')
            out.append(f'<text x="{LABEL_W + w + 4:.1f}" y="{by + 11}" font-size="10">{_pct(value)}</text>')
        y += k * ROW + GAP
    out.append("</svg>")
    return "".join(out)
