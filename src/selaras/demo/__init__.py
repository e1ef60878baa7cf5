"""Deterministic generator of a realistic demo district (pure: no Django, no I/O beyond packaged data).

`generate_district("32.16", "bekasi", seed=2025)` returns a `DemoDistrict` of plain records that
the web layer's demo loader writes to the database.
"""

from selaras.demo.codes import UnknownRegionError
from selaras.demo.digest import district_digest
from selaras.demo.generator import SCALES, generate_district
from selaras.demo.model import DemoDistrict, Scale

__all__ = ["SCALES", "DemoDistrict", "Scale", "UnknownRegionError", "district_digest", "generate_district"]
