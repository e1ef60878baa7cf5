"""Read queries over the reference data (regions and nomenclature) for every area.

All functions take an optional `edition` (the `Edition.key`); by default they read the edition
packaged with this version (`REGION_EDITION` / `NOMENCLATURE_EDITION`). Plans store codes as
text with their edition, so pass the plan's edition when you read on its behalf.

Children lookups use the (edition, parent_code) index; code lookups the (edition, code) index.
Functions that return querysets leave paging to the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.db import connection
from django.db.models import Model, Q, QuerySet

from selaras.domain.codes import NomenclatureCode, RegionCode
from selaras.domain.errors import InvalidCode
from selaras.reference import NOMENCLATURE_EDITION, REGION_EDITION
from selaras.web.reference.models import CodeMapping, Edition, NomenclatureItem, Region

__all__ = [
    "PROVINCIAL",
    "REGENCY_CITY",
    "RegionPath",
    "child_descendant_counts",
    "code_prefix",
    "edition_of",
    "government_level_for",
    "nomenclature_ancestors",
    "nomenclature_applies",
    "nomenclature_children",
    "nomenclature_item",
    "nomenclature_standing",
    "nomenclature_standings",
    "region",
    "region_ancestors",
    "region_children",
    "region_level_counts",
    "region_path",
    "search_nomenclature",
    "search_regions",
    "sub_activities_for_sectors",
    "successor_codes",
    "sub_activity_details",
    "village_belongs_to",
    "villages_in",
]

class LocalGovernmentLike(Protocol):
    """What the nomenclature rule reads of a `plans.LocalGovernment`."""

    level: str
    nomenclature_edition: str


PROVINCIAL = "provinsi"
REGENCY_CITY = "kab/kota"
_CODE_LIKE = re.compile(r"^[0-9X?][0-9X?.]*$", re.IGNORECASE)
_REGION_CODE_LIKE = re.compile(r"^[0-9][0-9.]*$")
COUNT_FIELDS = {2: "regency_count", 3: "district_count", 4: "village_count"}
_Row = TypeVar("_Row", bound=Model)


def code_prefix(prefix: str, field: str = "code") -> Q:
    """Rows whose `field` starts with `prefix`. On SQLite a range on the same column is added
    so that the (edition, code) index is used (LIKE with ESCAPE never uses it); the range is
    exact there because SQLite compares text bytewise. Other backends get the plain prefix
    test, since a locale collation would make the range wrong."""
    match = Q(**{f"{field}__startswith": prefix})
    if connection.vendor == "sqlite" and prefix:
        match &= Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return match


def _region_edition(edition: str | None) -> str:
    return edition or REGION_EDITION.key


def _nomenclature_edition(edition: str | None) -> str:
    return edition or NOMENCLATURE_EDITION.key


def _code_or_name(qs: QuerySet[_Row], text: str, code: str | None) -> QuerySet[_Row]:
    """The search rule both trees share: a query that looks like a code (`code`, else None)
    matches by code prefix, any other query the rows whose name contains each of its words."""
    if code is not None:
        return qs.filter(code_prefix(code))
    for word in text.split():
        qs = qs.filter(name__icontains=word)
    return qs


def _codes_above(code: RegionCode | NomenclatureCode) -> list[str]:
    """The codes of every level above `code`, top level first: the breadcrumbs of both trees
    walk their parents the same way."""
    codes: list[str] = []
    parent = code.parent
    while parent is not None:
        codes.append(str(parent))
        parent = parent.parent
    return codes[::-1]


def edition_of(kind: str, edition: str | None = None) -> Edition | None:
    """The loaded `Edition` row of `kind` ("region" or "nomenclature"), default the packaged one."""
    default = REGION_EDITION.key if kind == "region" else NOMENCLATURE_EDITION.key
    return Edition.objects.filter(key=edition or default).first()


# ---------------------------------------------------------------- regions


def region(code: str, edition: str | None = None) -> Region | None:
    """The region with exactly this code, or None."""
    return Region.objects.filter(edition=_region_edition(edition), code=code.strip()).first()


def region_children(code: str | None = None, edition: str | None = None) -> QuerySet[Region]:
    """Regions one level below `code` (provinces when `code` is None or empty), by code."""
    return Region.objects.filter(edition=_region_edition(edition), parent_code=(code or "")).order_by("code")


def region_ancestors(code: str, edition: str | None = None) -> list[Region]:
    """The regions above `code`, province first (for breadcrumbs); invalid codes give []."""
    try:
        codes = _codes_above(RegionCode.parse(code))
    except InvalidCode:
        return []
    found = {r.code: r for r in Region.objects.filter(edition=_region_edition(edition), code__in=codes)}
    return [found[c] for c in codes if c in found]


@dataclass(frozen=True)
class RegionPath:
    region: Region
    ancestors: list[Region]


def region_path(code: str, edition: str | None = None) -> RegionPath | None:
    """The region and its ancestors, or None when the code is not in the edition."""
    found = region(code, edition)
    if found is None:
        return None
    return RegionPath(found, region_ancestors(found.code, edition))


def region_level_counts(code: str | None = None, edition: str | None = None) -> dict[int, int]:
    """How many regions of each level lie below `code` (the whole country when None), from
    the counts stored at load time; levels with none are left out."""
    if code:
        found = region(code, edition)
        rows = [found] if found is not None else []
        result = {}
    else:
        rows = list(region_children(None, edition))
        result = {1: len(rows)} if rows else {}
    for level, name in COUNT_FIELDS.items():
        total = sum(getattr(r, name) for r in rows)
        if total:
            result[level] = total
    return result


def child_descendant_counts(code: str | None, edition: str | None = None) -> dict[str, dict[int, int]]:
    """For each child of `code` (provinces when None): how many regions of each deeper level
    lie inside it, from the counts stored at load time. Levels with none are left out."""
    result: dict[str, dict[int, int]] = {}
    for child in region_children(code, edition).only("code", *COUNT_FIELDS.values()):
        result[child.code] = {level: n for level, name in COUNT_FIELDS.items()
                              if (n := getattr(child, name))}
    return result


def search_regions(query: str, *, level: int | None = None, within: str | None = None,
                   edition: str | None = None) -> QuerySet[Region]:
    """Regions whose code starts with `query` (when it looks like a code) or whose name
    contains every word of `query` (case-insensitive); optionally of one `level` and inside
    the region `within`. Ordered by level, then code."""
    text = query.strip()
    qs = _code_or_name(Region.objects.filter(edition=_region_edition(edition)), text,
                       text if _REGION_CODE_LIKE.match(text) else None)
    if level:
        qs = qs.filter(level=level)
    if within:
        qs = qs.filter(code_prefix(f"{within}."))
    return qs.order_by("level", "code")


def villages_in(code: str, edition: str | None = None) -> QuerySet[Region]:
    """All villages (desa and kelurahan) inside the region `code`."""
    return Region.objects.filter(code_prefix(f"{code}."), edition=_region_edition(edition),
                                 level=4).order_by("code")


def village_belongs_to(village_code: str, government_region_code: str, edition: str | None = None) -> bool:
    """True when `village_code` is a village of the edition lying inside the region of a local
    government (`government_region_code`, a province ``PP`` or regency/city ``PP.KK``)."""
    try:
        village = RegionCode.parse(village_code)
        area = RegionCode.parse(government_region_code)
    except InvalidCode:
        return False
    if not village.is_village or not area.contains(village):
        return False
    return Region.objects.filter(edition=_region_edition(edition), code=str(village)).exists()


# ---------------------------------------------------------------- nomenclature


def government_level_for(local_government_level: str) -> str:
    """Nomenclature government level for a `LocalGovernment.level` (province → "provinsi",
    regency/city → "kab/kota")."""
    return PROVINCIAL if local_government_level == "province" else REGENCY_CITY


def nomenclature_applies(government: LocalGovernmentLike, item_government_level: str) -> bool:
    """Whether a nomenclature row of `item_government_level` is for `government` ("": every level)."""
    return item_government_level in (government_level_for(government.level), "")


def nomenclature_standing(government: LocalGovernmentLike, codes: Iterable[str], level: str = "") -> str:
    """Whether a plan line or a proposal of `government` may carry a code listed under one of
    `codes` (only rows of nomenclature `level` when given): "ok"; "unknown" (not in the
    government's nomenclature edition); "other_level" (only another government level's);
    "inactive"; or "no_edition" (no nomenclature of that edition is loaded). The one rule the
    proposal cycle and the plan editors share; each says it in its own words."""
    return nomenclature_standings(government, {"": tuple(codes)}, level)[""]


def nomenclature_standings(government: LocalGovernmentLike, listed: Mapping[str, Iterable[str]],
                           level: str = "") -> dict[str, str]:
    """`nomenclature_standing` of many codes at once (a file's lines): `listed` maps each key to the
    codes it is listed under; answers the standing per key, in two queries."""
    edition = government.nomenclature_edition
    wanted = {key: tuple(codes) for key, codes in listed.items()}
    everything = {code for codes in wanted.values() for code in codes}
    found: dict[str, list[tuple[str, bool]]] = {}
    for start in range(0, len(everything), 500):
        rows = NomenclatureItem.objects.filter(edition=edition, code__in=sorted(everything)[start:start + 500])
        if level:
            rows = rows.filter(level=level)
        for code, government_level, active in rows.values_list("code", "government_level", "active"):
            found.setdefault(code, []).append((government_level, bool(active)))
    loaded: bool | None = None
    answers = {}
    for key, codes in wanted.items():
        rows_of = [row for code in codes for row in found.get(code, ())]
        if not rows_of:
            if loaded is None:
                loaded = NomenclatureItem.objects.filter(edition=edition).exists()
            answers[key] = "unknown" if loaded else "no_edition"
            continue
        ours = [active for government_level, active in rows_of if nomenclature_applies(government, government_level)]
        answers[key] = "other_level" if not ours else ("ok" if any(ours) else "inactive")
    return answers


def nomenclature_item(code: str, government_level: str | None = None,
                      edition: str | None = None) -> NomenclatureItem | None:
    """One nomenclature row. Sectors and programs exist once per government level, so pass
    `government_level` for them; without it the kab/kota row is preferred."""
    qs = NomenclatureItem.objects.filter(edition=_nomenclature_edition(edition), code=code.strip())
    if government_level is not None:
        return qs.filter(government_level=government_level).first() or qs.filter(government_level="").first()
    return qs.filter(government_level=REGENCY_CITY).first() or qs.order_by("government_level").first()


def nomenclature_children(code: str | None = None, government_level: str | None = None,
                          edition: str | None = None) -> QuerySet[NomenclatureItem]:
    """Rows one level below `code`. At the top (code None): the affairs, plus sectors whose
    affair row is missing from the edition (the '?' sectors of Aceh in 050-3708/2020)."""
    ed = _nomenclature_edition(edition)
    qs = NomenclatureItem.objects.filter(edition=ed)
    if code:
        qs = qs.filter(parent_code=code)
    else:
        affairs = NomenclatureItem.objects.filter(edition=ed, level="affair").values("code")
        qs = qs.filter(Q(level="affair") | (Q(level="sector") & ~Q(parent_code__in=affairs)))
    if government_level:
        qs = qs.filter(government_level__in=[government_level, ""])
    return qs.order_by("code", "government_level")


def nomenclature_ancestors(code: str, government_level: str | None = None,
                           edition: str | None = None) -> list[NomenclatureItem]:
    """The rows above `code`, affair first (for breadcrumbs); missing rows are skipped."""
    try:
        codes = _codes_above(NomenclatureCode.parse(code, allow_unknown_affair=True))
    except InvalidCode:
        return []
    result = []
    for c in codes:
        item = nomenclature_item(c, government_level, edition)
        if item is not None:
            result.append(item)
    return result


def search_nomenclature(query: str = "", *, level: str | None = None, government_level: str | None = None,
                        active: bool | None = None, edition: str | None = None) -> QuerySet[NomenclatureItem]:
    """Rows whose code starts with `query` (when it looks like a code, e.g. ``1.02`` or ``X.XX``)
    or whose name contains every word of `query`; filtered by `level` (affair … sub_activity),
    `government_level` ("provinsi" / "kab/kota"; affairs, which have none, always pass) and
    `active`. Ordered by code."""
    text = query.strip()
    looks_like_code = text and _CODE_LIKE.match(text) and any(ch.isdigit() or ch in "Xx?" for ch in text[:1])
    qs = _code_or_name(NomenclatureItem.objects.filter(edition=_nomenclature_edition(edition)), text,
                       text.upper() if looks_like_code else None)
    if level:
        qs = qs.filter(level=level)
    if government_level:
        qs = qs.filter(government_level__in=[government_level, ""])
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("code", "government_level")


def sub_activities_for_sectors(sector_codes: Iterable[str], government_level: str, *,
                               include_supporting: bool = True, active_only: bool = True,
                               edition: str | None = None) -> QuerySet[NomenclatureItem]:
    """Sub-activities an agency may plan: those under its sectors (`Agency.sector_codes`, e.g.
    ["1.02", "2.14"]) for its government level, plus (by default) the supporting ones under
    ``X.XX`` that every agency carries. Deactivated rows are left out unless `active_only` is
    False."""
    prefixes = [f"{c.strip()}." for c in sector_codes if c.strip()]
    if include_supporting:
        prefixes.append("X.XX.")
    if not prefixes:
        return NomenclatureItem.objects.none()
    match = Q()
    for prefix in prefixes:
        match |= code_prefix(prefix)
    qs = NomenclatureItem.objects.filter(match, edition=_nomenclature_edition(edition),
                                         level="sub_activity", government_level=government_level)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("code")


# ---------------------------------------------------------------- editions


def successor_codes(kind: str, code: str, from_edition: str, to_edition: str) -> list[str]:
    """The codes of `to_edition` that carry on `code` of `from_edition` (kind "region" or
    "nomenclature"): the mapped codes when `CodeMapping` has rows for it (a split gives several,
    a removal none), otherwise the same code when it exists in `to_edition`, otherwise [].
    Mappings link successive editions; follow a longer chain one step at a time."""
    if from_edition == to_edition:
        return [code]
    rows = list(CodeMapping.objects.filter(kind=kind, from_edition=from_edition, to_edition=to_edition,
                                           from_code=code).order_by("to_code").values_list("to_code", "status"))
    if rows:
        # Only accepted rows carry a code on; a row waiting for review, or rejected, gives none
        # (a code whose name now means something else is never carried on silently).
        return [c for c, status in rows if c and status in CodeMapping.ACCEPTED]
    model = Region if kind == "region" else NomenclatureItem
    return [code] if model._default_manager.filter(edition=to_edition, code=code).exists() else []


def sub_activity_details(code: str, government_level: str | None = None, edition: str | None = None,
                         year: int | None = None) -> dict[str, object] | None:
    """What a planner's editor pre-fills when a sub-activity is picked: name, kinerja, indikator,
    satuan (and SPM, jenis) of `code` in `edition`, or in the edition for planning `year`."""
    from selaras.reference.editions import nomenclature_edition_for_year

    if edition is None and year is not None:
        edition = nomenclature_edition_for_year(year).key
    item = nomenclature_item(code, government_level, edition)
    if item is None or item.level != "sub_activity":
        return None
    return {"code": item.code, "name": item.name, "edition": item.edition,
            "government_level": item.government_level, "active": item.active,
            "performance": item.performance, "indicator": item.indicator, "unit": item.unit,
            "spm": item.spm, "service_type": item.service_type, "previous_code": item.previous_code}
