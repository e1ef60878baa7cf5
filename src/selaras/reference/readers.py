"""Read the packaged reference files into plain records (no database)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from selaras.reference.editions import DATA_DIR, NOMENCLATURE_EDITION, REGION_EDITION, EditionInfo

NOMENCLATURE_LEVELS = {
    "urusan": "affair",
    "bidang_urusan": "sector",
    "program": "program",
    "kegiatan": "activity",
    "sub_kegiatan": "sub_activity",
}


@dataclass(frozen=True, slots=True)
class RegionRecord:
    code: str
    name: str
    level: int  # 1 province, 2 regency/city, 3 kecamatan, 4 village
    parent_code: str
    kind: str  # provinsi | kabupaten | kota | kecamatan | desa | kelurahan
    population: int | None
    area_km2: Decimal | None


@dataclass(frozen=True, slots=True)
class NomenclatureRecord:
    code: str
    name: str
    level: str  # affair | sector | program | activity | sub_activity
    parent_code: str
    government_level: str  # provinsi | kab/kota | ""
    active: bool
    regulation_ref: str  # "90" Permendagri 90/2019, "50" Kepmendagri 050-3708/2020


def _rows(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def checksum(edition: EditionInfo) -> str:
    digest = hashlib.sha256()
    for name in edition.files:
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()


def _region_kind(code: str, level: int, name: str) -> str:
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if name.lower().startswith("kota") else "kabupaten"
    if level == 3:
        return "kecamatan"
    return "kelurahan" if code.rsplit(".", 1)[1].startswith("1") else "desa"


def read_regions() -> list[RegionRecord]:
    """All regions of the packaged edition, with population and area where given."""
    population = {r["kode"]: int(r["total"]) for r in _rows(REGION_EDITION.files[1]) if r["total"]}
    area = {r["kode"]: Decimal(r["luas_km2"]) for r in _rows(REGION_EDITION.files[2]) if r["luas_km2"]}
    records = []
    for row in _rows(REGION_EDITION.files[0]):
        code, level = row["kode"].strip(), int(row["level"])
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        records.append(RegionRecord(
            code=code, name=row["nama"].strip(), level=level, parent_code=parent,
            kind=_region_kind(code, level, row["nama"].strip()),
            population=population.get(code), area_km2=area.get(code),
        ))
    return records


def read_nomenclature() -> list[NomenclatureRecord]:
    """All nomenclature rows of the packaged edition (sectors and programs appear per government level)."""
    records = []
    for row in _rows(NOMENCLATURE_EDITION.files[0]):
        code = row["kode"].strip()
        records.append(NomenclatureRecord(
            code=code,
            name=row["nama"].strip().removesuffix("******)rn").strip(),
            level=NOMENCLATURE_LEVELS[row["level"]],
            parent_code=_nomenclature_parent(code),
            government_level=row["jns_pemda"].strip(),
            active=row["status_data"].strip() != "1",
            regulation_ref=row["id_hkm"].strip(),
        ))
    return records


def _nomenclature_parent(code: str) -> str:
    parts = code.split(".")
    # U | U.BB | U.BB.PP | U.BB.PP.L.KK | U.BB.PP.L.KK.SSSS
    cut = {1: 0, 2: 1, 3: 2, 5: 3, 6: 5}.get(len(parts), len(parts) - 1)
    return ".".join(parts[:cut])


def read_text(name: str) -> str:
    return io.TextIOWrapper(io.BytesIO((DATA_DIR / name).read_bytes()), encoding="utf-8").read()
