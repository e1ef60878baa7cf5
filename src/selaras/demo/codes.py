"""The slice of the reference data a regency demo needs: its regions and its kab/kota codes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from selaras.domain.errors import InvalidInput
from selaras.reference import NomenclatureRecord, RegionRecord

__all__ = ["CodeIndex", "RegionSlice", "UnknownRegionError", "clean_name", "region_slice"]

REGENCY_LEVEL = "kab/kota"


class UnknownRegionError(InvalidInput):
    """The region code is not a regency or city of the packaged edition (still a `ValueError`)."""

    code = "unknown_region"


def clean_name(name: str) -> str:
    """Names of one source edition end with a stray "rn" (a mangled line break); drop it."""
    name = name.strip()
    if name.endswith("rn") and not name.endswith(("modern", "Modern")):
        name = name[:-2].rstrip()
    return name


@dataclass(frozen=True)
class RegionSlice:
    code: str
    name: str
    kind: str  # kabupaten | kota
    province_code: str
    province_name: str
    districts: tuple[tuple[str, str], ...]  # (code, name) sorted by code
    villages: tuple[tuple[str, str, str, str], ...]  # (code, name, kind, district code) sorted
    population: int | None = None  # inhabitants (packaged population table), None if not given


def region_slice(region_code: str, regions: Iterable[RegionRecord]) -> RegionSlice:
    code = region_code.strip()
    regency: RegionRecord | None = None
    province: RegionRecord | None = None
    districts: list[tuple[str, str]] = []
    villages: list[tuple[str, str, str, str]] = []
    prefix = code + "."
    province_code = code.split(".", 1)[0]
    for record in regions:
        if record.code == code:
            regency = record
        elif record.code == province_code:
            province = record
        elif record.code.startswith(prefix):
            if record.level == 3:
                districts.append((record.code, record.name))
            elif record.level == 4:
                villages.append((record.code, record.name, record.kind, record.parent_code))
    if regency is None or regency.level != 2:
        raise UnknownRegionError(
            f"Kode wilayah {code!r} bukan kabupaten/kota pada edisi kode wilayah yang terpasang "
            "(contoh yang benar: 32.16 untuk Kabupaten Bekasi)."
        )
    if not districts or not villages:
        raise UnknownRegionError(f"Kabupaten/kota {code} tidak memiliki kecamatan/desa pada data referensi.")
    return RegionSlice(
        code=code, name=regency.name, kind=regency.kind, province_code=province_code,
        province_name=province.name if province else "",
        districts=tuple(sorted(districts)), villages=tuple(sorted(villages)), population=regency.population,
    )


class CodeIndex:
    """Active kab/kota nomenclature rows by code, and usable sub-activities by sector.

    Rows the source marks with a footnote (`NomenclatureRecord.footnote`: Aceh only, DI Yogyakarta
    only, DKI Jakarta) are not usable, nor anything under a marked sector, program or activity
    (e.g. every sub-activity of "PROGRAM PENDIDIKAN DAYAH", 1.01.07, which only Aceh has).
    `without_word`: sub-activities whose name has this word (e.g. "Desa" in a city) are not usable.
    """

    def __init__(self, records: Iterable[NomenclatureRecord], without_word: str = "") -> None:
        unwanted = re.compile(rf"\b{re.escape(without_word)}\b", re.IGNORECASE) if without_word else None
        self.names: dict[str, str] = {}
        self.levels: dict[str, str] = {}
        special: set[str] = set()  # codes of one special region only (the source's footnote marks)
        by_sector: dict[str, list[str]] = {}
        for record in records:
            if record.government_level != REGENCY_LEVEL or not record.active:
                continue
            self.names[record.code] = clean_name(record.name)
            self.levels[record.code] = record.level
            if record.footnote or "*" in record.name:
                special.add(record.code)
            if record.level == "sub_activity" and "Qanun" not in record.name \
                    and (unwanted is None or not unwanted.search(record.name)):
                by_sector.setdefault(sector_of(record.code), []).append(record.code)
        # a usable sub-activity also needs its activity and program to be active (a few are not),
        # and neither it nor its activity, program or sector may be of one special region only
        self.sub_activities_by_sector = {
            k: tuple(sorted(c for c in v if activity_of(c) in self.levels and program_of(c) in self.levels
                            and special.isdisjoint((c, activity_of(c), program_of(c), sector_of(c)))))
            for k, v in sorted(by_sector.items())
        }
        usable = {c for codes in self.sub_activities_by_sector.values() for c in codes}
        self.usable = usable

    def is_sub_activity(self, code: str) -> bool:
        return code in self.usable

    def resolve(self, code: str, sector: str) -> str:
        """`code` if it is a usable sub-activity, else the first usable one of `sector` ("" if none)."""
        if self.is_sub_activity(code):
            return code
        candidates = self.sub_activities_by_sector.get(sector, ())
        return candidates[0] if candidates else ""


def sector_of(code: str) -> str:
    return ".".join(code.split(".")[:2])


def program_of(code: str) -> str:
    return ".".join(code.split(".")[:3])


def activity_of(code: str) -> str:
    return ".".join(code.split(".")[:5])
