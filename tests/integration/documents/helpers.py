"""Reading produced documents back: openpyxl for Excel, pdftotext for PDF."""

from __future__ import annotations

import html
import re
import subprocess
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook


def pdf_text(path_or_bytes: Path | bytes) -> str:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def pdf_words(data: bytes) -> list[tuple[str, float, float, float]]:
    """Every word of a PDF with its box on the page (text, x from, x to, y), page after page."""
    done = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True)
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                       done.stdout.decode("utf-8"))
    return [(html.unescape(t), float(x0), float(x1), float(y0)) for x0, y0, x1, t in found]


def label_fits(data: bytes, label: str) -> bool:
    """Whether each `label` in the PDF ends before the next word on its line begins (a label too
    wide for its cell runs into the next one)."""
    words = pdf_words(data)
    seen = False
    for i, (text, _x0, x1, y) in enumerate(words):
        if text != label:
            continue
        seen = True
        after = [w for w in words[i + 1 : i + 4] if abs(w[3] - y) < 2]
        if after and after[0][1] < x1:
            return False
    return seen


def workbook(path_or_bytes: Path | bytes):  # noqa: ANN201 - openpyxl Workbook
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return load_workbook(BytesIO(data))


def number_row(sheet) -> int:  # noqa: ANN001
    """The row holding the column numbers (1), (2) ..."""
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == "(1)":
            return row[0].row
    raise AssertionError("no column-number row")


def find_row(sheet, first_value: str) -> list:  # noqa: ANN001
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] == first_value:
            return list(row)
    raise AssertionError(f"no row starting with {first_value!r}")
