"""Values as people typed them, whether they come from a form, a CSV file or a spreadsheet cell."""

from __future__ import annotations

from typing import Any

__all__ = ["as_text"]


def as_text(value: Any) -> str:
    """The text of a value: nothing for None, 3 for the float 3.0 a spreadsheet gives, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
