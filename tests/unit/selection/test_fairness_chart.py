"""The fairness chart fits a phone (found by a user walkthrough: a fixed 640 px inside a 327 px box,
its legend and names cut off, the bars looking alike): drawn in a narrow viewBox at the frame's
width, every name and legend entry whole on lines of their own."""

from __future__ import annotations

import re

from selaras.web.selection.charts import NAME_CHARS, WIDTH, Series, share_chart

LONG = "Cikarang Barat Kecamatan Dengan Nama Sangat Panjang Sekali"


def test_chart_fits_the_width_and_says_every_name_and_series() -> None:
    svg = share_chart("Bagian anggaran per kecamatan: seleksi #12 dan #13", ["Setu", LONG], [
        Series("Bagian anggaran seleksi #12", [0.3, None]), Series("Bagian penduduk", [0.25, 0.75])])
    assert f'viewBox="0 0 {WIDTH} ' in svg and 'width="100%"' in svg and WIDTH <= 400
    assert 'class="chart fit"' in svg  # selection.css lets it shrink (the site's charts keep 640 px)
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(spans).count("Bagian penduduk") == 1 and "Bagian anggaran seleksi #12" in spans
    assert all(len(line) <= NAME_CHARS for line in spans)
    assert LONG in " ".join(spans)  # wrapped, not cut at 30 characters
    assert "Bagian anggaran seleksi #12: tidak ada data" in svg
    # bars to scale: the longest share has the widest bar, no bar leaves the drawing
    widths = [float(w) for w in re.findall(r'<rect x="0" y="[\d.]+" width="(\d+\.\d)" height="12"', svg)]
    assert max(widths) <= WIDTH and widths.index(max(widths)) == len(widths) - 1 and min(widths) < max(widths) / 2
