"""Server-side SVG charts: well-formed, labelled, escaped, and free of style attributes (CSP)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from selaras.engines.evaluation import Rating

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(markup: str) -> ET.Element:
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    for element in root.iter():
        assert "style" not in element.attrib  # the CSP refuses inline styles
        assert element.tag != f"{SVG}style" and element.tag != f"{SVG}script"
    return root


def test_every_chart_is_well_formed_and_escaped() -> None:
    from selaras.web.evaluation import charts

    hostile = '<script>alert("x")</script> & "kutip"'
    markups = [
        charts.bar_chart([charts.Bar(hostile, Decimal("84.5"), charts.RATING_COLOURS[Rating.HIGH], "tinggi"),
                          charts.Bar("Kosong", None)], title=hostile, reference=100),
        charts.grouped_bar_chart([hostile, "B"], [charts.Series("Pagu", [10**12, 5]), charts.Series("Plafon", [None, 7])],
                                 title="Pagu"),
        charts.line_chart(["awal", "2025", "2026"], [charts.Series("Target", [None, Decimal(19), Decimal(17)], dashed=True),
                                                     charts.Series(hostile, [Decimal(21), None, Decimal(20)])],
                          title="Stunting"),
        charts.stacked_bar_chart([charts.Stack(hostile, [("Diterima", 3), ("Ditolak", 0)])], ["Diterima", "Ditolak"],
                                 title="Corong"),
    ]
    for markup in markups:
        root = _parsed(str(markup))
        assert "<script>" not in str(markup)
        assert root.iter()


def test_empty_and_flat_inputs_draw_without_dividing_by_zero() -> None:
    from selaras.web.evaluation import charts

    _parsed(str(charts.bar_chart([], title="Kosong")))
    _parsed(str(charts.line_chart(["2025"], [charts.Series("x", [Decimal(5)])], title="Datar")))
    _parsed(str(charts.grouped_bar_chart([], [], title="Kosong")))
    assert charts.rupiah_short(1_240_000_000) == "1,2 M"
    assert charts.rupiah_short(850_000_000) == "850,0 jt"
