"""A stable digest of a generated district, to prove determinism."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, fields

from selaras.demo.model import DemoDistrict

__all__ = ["district_digest"]


def district_digest(district: DemoDistrict) -> str:
    """SHA-256 over every record of the district, in order."""
    digest = hashlib.sha256()
    for name in ("agencies", "long_term_plan", "rpjmd", "renstras", "rkpd", "councillors"):
        digest.update(repr(getattr(district, name)).encode())
    for table in (district.proposals, district.decisions):
        for column in fields(table):
            digest.update(column.name.encode())
            digest.update(repr(getattr(table, column.name)).encode())
    digest.update(repr(asdict(district.scale)).encode())
    return digest.hexdigest()
