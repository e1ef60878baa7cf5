"""Code grammars as immutable value objects: region, nomenclature and agency codes.

Each class parses text with `Class.parse(text)`, validates it and formats back with `str()`:
`str(RegionCode.parse(x)) == x` for every valid `x` (surrounding whitespace is ignored).
Problems raise `InvalidCode` with a `reason` key and the facts (`code`, `position` (1-based,
counted in dot-separated parts), `part`, `kind` and the reason's numbers); the Bahasa Indonesia
sentence naming the wrong part is rendered at the edge from the error catalogue
(`selaras.web.errors.messages`), so the grammar rules here carry no prose.

Grammars (see docs/reference-data.md):

- Region (Kepmendagri kode wilayah): ``PP``, ``PP.KK``, ``PP.KK.CC``, ``PP.KK.CC.NDDD``.
  All parts are digits and none is all zeros. In a village code N says the kind: 1 kelurahan,
  2 desa. The 2025 edition also has a few codes with N = 3 (the *desa adat* of Kabupaten
  Jayapura); they are villages governed as desa, so `village_kind` is desa for them and
  `is_customary_village` tells them apart.
- Nomenclature (Permendagri 90/2019 and Kepmendagri amendments): ``U``, ``U.BB``, ``U.BB.PP``,
  ``U.BB.PP.L.KK``, ``U.BB.PP.L.KK.SSSS``. U is the affair 1..9, or X for the supporting
  programs, whose sector is ``X.XX``. L is the government level: 1 provinsi, 2 kab/kota; the
  editions from 2023 on also use 3..9 (activities of either level, e.g. special autonomy).
  Program 01 of a sector is its supporting program. Sub-activities have four digits since
  Kepmendagri 050-3708/2020 (two-digit ones are refused with a message saying so). Parts of
  all zeros are accepted because deactivated rows of the official list carry them.
  The packaged 050-3708/2020 data has 106 rows whose affair is ``?`` (Aceh's special sectors,
  whose affair row is missing in the source). ``?`` is accepted only when the caller asks for
  it with ``allow_unknown_affair=True``; `affair_known` is then False. The code is kept as
  published rather than guessed, so it stays traceable to its source.
- Agency (kode perangkat daerah): ``U.BB.U.BB.U.BB.OO.UUUU``, e.g. ``1.01.2.22.0.00.01.0000``:
  up to three sectors the agency carries (unused ones written ``0.00``, the first one always
  used), the organisation number OO and the unit UUUU (``0000`` is the agency itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from selaras.domain.errors import InvalidCode

__all__ = [
    "AgencyCode",
    "GovernmentLevelCode",
    "NomenclatureCode",
    "NomenclatureLevel",
    "RegionCode",
    "RegionLevel",
    "VillageKind",
]


def _fail(kind: str, code: str, reason: str, position: int | None = None, part: str = "",
          **facts: object) -> InvalidCode:
    return InvalidCode(code=code, position=position, part=part, kind=kind, reason=reason, **facts)


def _split(kind: str, text: str, max_parts: int) -> tuple[str, list[str]]:
    if not isinstance(text, str):
        raise InvalidCode(code=repr(text), position=None, part="", kind=kind, reason="not_text",
                          type_name=type(text).__name__)
    code = text.strip()
    if not code:
        raise _fail(kind, code, "empty")
    parts = code.split(".")
    if len(parts) > max_parts:
        raise _fail(kind, code, "too_many_parts", count=len(parts), max_parts=max_parts)
    for index, part in enumerate(parts, start=1):
        if part == "":
            raise _fail(kind, code, "empty_part", index, part)
    return code, parts


def _digits(kind: str, code: str, position: int, part: str, width: int, name: str,
            allow_zero: bool = True) -> None:
    if len(part) != width or not (part.isascii() and part.isdigit()):
        raise _fail(kind, code, "digits", position, part, name=name, width=width)
    if not allow_zero and set(part) == {"0"}:
        raise _fail(kind, code, "all_zero", position, part, name=name)


# ---------------------------------------------------------------- region


class RegionLevel(IntEnum):
    """Level of a region code; the value is the number of parts."""

    PROVINCE = 1
    REGENCY_CITY = 2
    DISTRICT = 3
    VILLAGE = 4


class VillageKind(StrEnum):
    DESA = "desa"
    KELURAHAN = "kelurahan"


_REGION = "wilayah"
_REGION_PARTS = (("kode provinsi", 2), ("kode kabupaten/kota", 2), ("kode kecamatan", 2),
                 ("kode desa/kelurahan", 4))


@dataclass(frozen=True, slots=True, order=True)
class RegionCode:
    """Kode wilayah ``PP[.KK[.CC[.NDDD]]]``; build with `RegionCode.parse`."""

    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        code = ".".join(self.parts)
        if not 1 <= len(self.parts) <= 4:
            raise _fail(_REGION, code, "region_parts")
        for index, part in enumerate(self.parts, start=1):
            name, width = _REGION_PARTS[index - 1]
            _digits(_REGION, code, index, part, width, name, allow_zero=False)
        if len(self.parts) == 4 and self.parts[3][0] not in "123":
            raise _fail(_REGION, code, "village_kind", 4, self.parts[3])

    @classmethod
    def parse(cls, text: str) -> RegionCode:
        """Parse and validate a region code; raises `InvalidCode`."""
        _, parts = _split(_REGION, text, 4)
        return cls(tuple(parts))

    def __str__(self) -> str:
        return ".".join(self.parts)

    @property
    def level(self) -> RegionLevel:
        return RegionLevel(len(self.parts))

    @property
    def parent(self) -> RegionCode | None:
        """The region one level up; None for a province."""
        return RegionCode(self.parts[:-1]) if len(self.parts) > 1 else None

    @property
    def province(self) -> RegionCode:
        return RegionCode(self.parts[:1])

    def ancestor(self, level: RegionLevel) -> RegionCode:
        """This code cut to `level` (which must not be below this code's level)."""
        if level > self.level:
            raise _fail(_REGION, str(self), "no_ancestor", level=level.name.lower())
        return RegionCode(self.parts[: int(level)])

    def contains(self, other: RegionCode) -> bool:
        """True when `other` is this region or lies inside it."""
        return other.parts[: len(self.parts)] == self.parts

    @property
    def is_village(self) -> bool:
        return len(self.parts) == 4

    @property
    def village_kind(self) -> VillageKind | None:
        """kelurahan for N = 1, desa for N = 2 and for N = 3 (desa adat); None above village level."""
        if not self.is_village:
            return None
        return VillageKind.KELURAHAN if self.parts[3][0] == "1" else VillageKind.DESA

    @property
    def is_customary_village(self) -> bool:
        """Desa adat (N = 3 in the 2025 edition, Kabupaten Jayapura)."""
        return self.is_village and self.parts[3][0] == "3"


# ---------------------------------------------------------------- nomenclature


class NomenclatureLevel(StrEnum):
    """Level of a nomenclature code; values match the stored `level` column."""

    AFFAIR = "affair"
    SECTOR = "sector"
    PROGRAM = "program"
    ACTIVITY = "activity"
    SUB_ACTIVITY = "sub_activity"


class GovernmentLevelCode(StrEnum):
    """The L digit of activity and sub-activity codes; values match the stored data."""

    PROVINCE = "provinsi"
    REGENCY_CITY = "kab/kota"


_NOMENCLATURE = "nomenklatur"
_LEVEL_BY_PARTS = {1: NomenclatureLevel.AFFAIR, 2: NomenclatureLevel.SECTOR,
                   3: NomenclatureLevel.PROGRAM, 5: NomenclatureLevel.ACTIVITY,
                   6: NomenclatureLevel.SUB_ACTIVITY}
_PARTS_BY_LEVEL = {level: n for n, level in _LEVEL_BY_PARTS.items()}
_PARENT_PARTS = {2: 1, 3: 2, 5: 3, 6: 5}
SUPPORTING_AFFAIR = "X"
UNKNOWN_AFFAIR = "?"


@dataclass(frozen=True, slots=True, order=True)
class NomenclatureCode:
    """Kode nomenklatur ``U[.BB[.PP[.L.KK[.SSSS]]]]``; build with `NomenclatureCode.parse`."""

    parts: tuple[str, ...]
    allow_unknown_affair: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        code = ".".join(self.parts)
        _check_nomenclature(code, list(self.parts), self.allow_unknown_affair)

    @classmethod
    def parse(cls, text: str, *, allow_unknown_affair: bool = False) -> NomenclatureCode:
        """Parse and validate a nomenclature code; raises `InvalidCode`.

        ``allow_unknown_affair`` accepts ``?`` as affair (Aceh's special sectors in the
        050-3708/2020 data); leave it off for anything a person types.
        """
        _, parts = _split(_NOMENCLATURE, text, 6)
        return cls(tuple(parts), allow_unknown_affair)

    def __str__(self) -> str:
        return ".".join(self.parts)

    @property
    def level(self) -> NomenclatureLevel:
        return _LEVEL_BY_PARTS[len(self.parts)]

    @property
    def parent(self) -> NomenclatureCode | None:
        """Sector for a program, program for an activity (L.KK go together), …; None for an affair."""
        if len(self.parts) == 1:
            return None
        return NomenclatureCode(self.parts[: _PARENT_PARTS[len(self.parts)]], self.allow_unknown_affair)

    def ancestor(self, level: NomenclatureLevel) -> NomenclatureCode:
        """This code cut to `level` (which must not be below this code's level)."""
        n = _PARTS_BY_LEVEL[level]
        if n > len(self.parts):
            raise _fail(_NOMENCLATURE, str(self), "no_ancestor", level=level.value)
        return NomenclatureCode(self.parts[:n], self.allow_unknown_affair)

    def contains(self, other: NomenclatureCode) -> bool:
        """True when `other` is this code or lies below it."""
        return other.parts[: len(self.parts)] == self.parts

    @property
    def affair(self) -> str:
        return self.parts[0]

    @property
    def affair_known(self) -> bool:
        return self.parts[0] != UNKNOWN_AFFAIR

    @property
    def sector(self) -> NomenclatureCode | None:
        return self.ancestor(NomenclatureLevel.SECTOR) if len(self.parts) >= 2 else None

    @property
    def is_supporting(self) -> bool:
        """Under affair X (programs supporting all affairs, sector X.XX)."""
        return self.parts[0] == SUPPORTING_AFFAIR

    @property
    def is_supporting_program(self) -> bool:
        """Program part is 01: the supporting program of its sector (and everything below it)."""
        return len(self.parts) >= 3 and self.parts[2] == "01"

    @property
    def government_level(self) -> GovernmentLevelCode | None:
        """From L: 1 provinsi, 2 kab/kota; None above activity level, and None for the other
        digits (3..9), which later editions (2023 on, e.g. the 2027 update) use for activities
        of either level: the nomenclature row then says the government level."""
        if len(self.parts) < 5 or self.parts[3] not in ("1", "2"):
            return None
        return GovernmentLevelCode.PROVINCE if self.parts[3] == "1" else GovernmentLevelCode.REGENCY_CITY


def _check_nomenclature(code: str, parts: list[str], allow_unknown: bool) -> None:
    kind = _NOMENCLATURE
    if len(parts) not in _LEVEL_BY_PARTS:
        raise _fail(kind, code, "nomenclature_parts", count=len(parts))
    affair = parts[0]
    if affair == UNKNOWN_AFFAIR and not allow_unknown:
        raise _fail(kind, code, "unknown_affair", 1, affair)
    if len(affair) != 1 or not (affair in "123456789X" or (allow_unknown and affair == UNKNOWN_AFFAIR)):
        raise _fail(kind, code, "affair_sign", 1, affair, unknown_allowed=allow_unknown)
    if len(parts) >= 2:
        sector = parts[1]
        if affair == SUPPORTING_AFFAIR:
            if sector != "XX":
                raise _fail(kind, code, "supporting_sector", 2, sector)
        elif sector == "XX":
            raise _fail(kind, code, "sector_xx_only_supporting", 2, sector)
        else:
            _digits(kind, code, 2, sector, 2, "bidang urusan")
    if len(parts) >= 3:
        _digits(kind, code, 3, parts[2], 2, "program")
    if len(parts) >= 5:
        if len(parts[3]) != 1 or parts[3] not in "123456789":
            raise _fail(kind, code, "government_level", 4, parts[3])
        _digits(kind, code, 5, parts[4], 2, "kegiatan")
    if len(parts) == 6:
        sub = parts[5]
        if len(sub) == 2 and sub.isascii() and sub.isdigit():
            raise _fail(kind, code, "sub_activity_two_digits", 6, sub, suggestion=sub.zfill(4))
        _digits(kind, code, 6, sub, 4, "sub kegiatan")


# ---------------------------------------------------------------- agency


_AGENCY = "perangkat daerah"
_EMPTY_SECTOR = ("0", "00")


@dataclass(frozen=True, slots=True, order=True)
class AgencyCode:
    """Kode perangkat daerah ``U.BB.U.BB.U.BB.OO.UUUU``; build with `AgencyCode.parse`."""

    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        _check_agency(".".join(self.parts), list(self.parts))

    @classmethod
    def parse(cls, text: str) -> AgencyCode:
        """Parse and validate an agency code; raises `InvalidCode`."""
        _, parts = _split(_AGENCY, text, 8)
        return cls(tuple(parts))

    def __str__(self) -> str:
        return ".".join(self.parts)

    @property
    def sectors(self) -> tuple[NomenclatureCode, ...]:
        """The sectors (bidang urusan) the agency carries, without the unused ``0.00`` slots."""
        pairs = [(self.parts[i], self.parts[i + 1]) for i in (0, 2, 4)]
        return tuple(NomenclatureCode(pair) for pair in pairs if pair != _EMPTY_SECTOR)

    @property
    def organisation(self) -> str:
        return self.parts[6]

    @property
    def unit(self) -> str:
        return self.parts[7]

    @property
    def is_main_unit(self) -> bool:
        """Unit 0000: the agency itself rather than one of its units."""
        return set(self.parts[7]) == {"0"}

    @property
    def main_unit(self) -> AgencyCode:
        return AgencyCode((*self.parts[:7], "0000"))


def _check_agency(code: str, parts: list[str]) -> None:
    kind = _AGENCY
    if len(parts) != 8:
        raise _fail(kind, code, "agency_parts", count=len(parts))
    for slot in range(3):
        index = slot * 2
        affair, sector = parts[index], parts[index + 1]
        if (affair, sector) == _EMPTY_SECTOR:
            if slot == 0:
                raise _fail(kind, code, "agency_first_sector_empty", 1, affair)
            continue
        if affair == SUPPORTING_AFFAIR:
            if sector != "XX":
                raise _fail(kind, code, "agency_supporting_sector", index + 2, sector)
            continue
        if len(affair) != 1 or affair not in "123456789":
            raise _fail(kind, code, "agency_affair", index + 1, affair)
        _digits(kind, code, index + 2, sector, 2, "bidang urusan")
    _digits(kind, code, 7, parts[6], 2, "nomor organisasi")
    _digits(kind, code, 8, parts[7], 4, "nomor unit")
