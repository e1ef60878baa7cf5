"""Reading produced documents back: openpyxl for Excel, pdftotext for PDF."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook


def pdf_text(path_or_bytes: Path | bytes) -> str:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


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
