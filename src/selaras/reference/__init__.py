"""Packaged reference data (region codes, nomenclature) and pure readers for it.

The files in `data/` ship with the product, with their provenance and licence beside them.
Readers return plain records; persisting them is the web layer's job.
"""

from selaras.reference.editions import (
    NOMENCLATURE_EDITION,
    PACKAGED_EDITIONS,
    REGION_EDITION,
    EditionInfo,
)
from selaras.reference.readers import (
    MappingRecord,
    NomenclatureRecord,
    RegionRecord,
    checksum,
    read_mapping,
    read_nomenclature,
    read_regions,
)

__all__ = [
    "EditionInfo",
    "MappingRecord",
    "NOMENCLATURE_EDITION",
    "PACKAGED_EDITIONS",
    "REGION_EDITION",
    "NomenclatureRecord",
    "RegionRecord",
    "checksum",
    "read_mapping",
    "read_nomenclature",
    "read_regions",
]
