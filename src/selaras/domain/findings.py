"""Expected problems returned as data: a finding has a stable code, a severity and a location."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Severity", "Location", "Finding"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a document, a line in it, a code, a year, a row/column of a file."""

    document: str = ""
    line: str = ""
    code: str = ""
    year: int | None = None
    row: int | None = None
    column: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in input or in a plan. Its text in Bahasa Indonesia is made at the edge."""

    code: str
    severity: Severity
    location: Location
    params: dict[str, Any] = field(default_factory=dict)
