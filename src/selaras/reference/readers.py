"""Read the packaged reference files into plain records (no database)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import lzma
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

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
    performance: str = ""  # kinerja (editions from 050-5889/2021 on)
    indicator: str = ""  # indikator
    unit: str = ""  # satuan
    previous_code: str = ""  # official previous code (SIPD "SUBKEGIATAN SEBELUMNYA")
    previous_name: str = ""
    spm: str = ""  # "SPM" | "NON-SPM" | ""
    service_type: str = ""  # SIPD JENIS: Layanan | Aktifitas
    tags: str = ""  # SIPD TAG, e.g. "PERUBAHAN IKLIM" (comma separated)
    implementer: str = ""  # SIPD PELAKSANA
    definition: str = ""  # SIPD DEFINISI OPERASIONAL
    # The source's footnote mark, stripped from the name: in 050-3708/2020 "******)" marks rows for
    # Aceh only, "****)" rows for DI Yogyakarta only, "**)" a row for DKI Jakarta; "" for the others.
    footnote: str = ""


@dataclass(frozen=True, slots=True)
class MappingRecord:
    from_code: str
    to_code: str  # "" when the code was removed
    note: str


def open_text(path: str | Path) -> io.TextIOBase:
    """A packaged or user file as text: `.gz` and `.xz` are decompressed, anything else read as is."""
    name = str(path)
    if name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    if name.endswith(".xz"):
        return lzma.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115


def _rows(name: str) -> Iterator[dict[str, str]]:
    with open_text(DATA_DIR / name) as handle:
        yield from csv.DictReader(handle)


def checksum(edition: EditionInfo) -> str:
    """SHA-256 over the edition's files (and its mapping file, if any)."""
    digest = hashlib.sha256()
    for name in (*edition.files, *([edition.mapping_file] if edition.mapping_file else [])):
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


def read_regions(edition: EditionInfo = REGION_EDITION) -> list[RegionRecord]:
    """All regions of a packaged edition, with population and area where given."""
    extra = edition.files[1:]
    population = {r["kode"]: int(r["total"]) for r in _rows(extra[0]) if r["total"]} if extra else {}
    area = {r["kode"]: Decimal(r["luas_km2"]) for r in _rows(extra[1]) if r["luas_km2"]} if len(extra) > 1 else {}
    records = []
    with open_text(DATA_DIR / edition.files[0]) as handle:
        reader = csv.reader(handle)  # plain reader: ~90k rows, DictReader costs twice as much
        header = next(reader)
        at_code, at_name = header.index("kode"), header.index("nama")
        at_level = header.index("level") if "level" in header else None
        for row in reader:
            code, name = row[at_code].strip(), row[at_name].strip()
            level = int(row[at_level]) if at_level is not None else code.count(".") + 1
            records.append(RegionRecord(
                code=code, name=name, level=level,
                parent_code=code.rsplit(".", 1)[0] if "." in code else "",
                kind=_region_kind(code, level, name),
                population=population.get(code), area_km2=area.get(code),
            ))
    return records


def read_nomenclature(edition: EditionInfo = NOMENCLATURE_EDITION) -> list[NomenclatureRecord]:
    """All nomenclature rows of a packaged edition (sectors and programs appear per government
    level). Optional columns kinerja, indikator, satuan are read when the file has them."""
    records = []
    for row in _rows(edition.files[0]):
        code = row["kode"].strip()
        records.append(NomenclatureRecord(
            code=code,
            name=_clean_name(row["nama"]),
            footnote=_footnote(row["nama"]),
            level=NOMENCLATURE_LEVELS[row["level"]],
            parent_code=_nomenclature_parent(code),
            government_level=row["jns_pemda"].strip(),
            active=row["status_data"].strip() != "1",
            regulation_ref=row["id_hkm"].strip(),
            performance=(row.get("kinerja") or "").strip(),
            indicator=(row.get("indikator") or "").strip(),
            unit=(row.get("satuan") or "").strip(),
            previous_code=(row.get("kode_sebelumnya") or "").strip(),
            previous_name=(row.get("nama_sebelumnya") or "").strip(),
            spm=(row.get("spm") or "").strip(),
            service_type=(row.get("jenis") or "").strip(),
            tags=(row.get("tag") or "").strip(),
            implementer=(row.get("pelaksana") or "").strip(),
            definition=row.get("definisi_operasional") or "",
        ))
    return records


def read_mapping(edition: EditionInfo) -> list[MappingRecord]:
    """The code changes from `edition.replaces` to `edition` (empty without a mapping file)."""
    if not edition.mapping_file:
        return []
    return [MappingRecord(r["from_code"].strip(), (r.get("to_code") or "").strip(), (r.get("note") or "").strip())
            for r in _rows(edition.mapping_file)]


# The source SQL carried escaped line breaks ("\\r\\n" written as "rn") and footnote marks
# ("******)") at the end of 197 names; no real name in the edition ends in "rn".
_NAME_ARTEFACT = re.compile(r"\s*(?:\*+\))?rn$|\s*\*+\)$")
_FOOTNOTE = re.compile(r"(\*+\))\s*(?:rn)?$")


def _clean_name(raw: str) -> str:
    return _NAME_ARTEFACT.sub("", raw.strip()).strip()


def _footnote(raw: str) -> str:
    """The footnote mark ("******)") at the end of a source name, "" when there is none."""
    found = _FOOTNOTE.search(raw.strip())
    return found.group(1) if found else ""


def _nomenclature_parent(code: str) -> str:
    parts = code.split(".")
    # U | U.BB | U.BB.PP | U.BB.PP.L.KK | U.BB.PP.L.KK.SSSS
    cut = {1: 0, 2: 1, 3: 2, 5: 3, 6: 5}.get(len(parts), len(parts) - 1)
    return ".".join(parts[:cut])


NOMENCLATURE_COLUMNS = ("level", "kode", "nama", "jns_pemda", "id_hkm", "status_data", "kinerja", "indikator",
                        "satuan", "kode_sebelumnya", "nama_sebelumnya", "spm", "jenis", "tag", "pelaksana",
                        "definisi_operasional")
_LEVEL_NAMES = {v: k for k, v in NOMENCLATURE_LEVELS.items()}


def nomenclature_rows(records: Iterator[NomenclatureRecord] | list[NomenclatureRecord]) -> Iterator[list[str]]:
    """Records as rows of the packaged CSV layout (`NOMENCLATURE_COLUMNS`), header first."""
    yield list(NOMENCLATURE_COLUMNS)
    for r in records:
        yield [_LEVEL_NAMES[r.level], r.code, r.name, r.government_level, r.regulation_ref,
               "0" if r.active else "1", r.performance, r.indicator, r.unit, r.previous_code,
               r.previous_name, r.spm, r.service_type, r.tags, r.implementer, r.definition]


def read_text(name: str) -> str:
    return io.TextIOWrapper(io.BytesIO((DATA_DIR / name).read_bytes()), encoding="utf-8").read()
