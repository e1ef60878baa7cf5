"""Read pages of the reference data (thin: queries live in selectors)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from selaras.domain.codes import NomenclatureCode, RegionCode
from selaras.domain.errors import InvalidCode
from selaras.web.errors.messages import error_text
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import choice_param, code_param, int_param, page_param, text_param
from selaras.web.reference import selectors
from selaras.web.reference.models import NomenclatureItem, Region

PAGE_SIZE = 50
REGION_LEVELS = dict(Region.LEVEL_CHOICES)
NOMENCLATURE_LEVELS = dict(NomenclatureItem.LEVEL_CHOICES)
GOVERNMENT_LEVELS = {selectors.PROVINCIAL: "Provinsi", selectors.REGENCY_CITY: "Kabupaten/Kota"}
ACTIVE_CHOICES = {"1": "Aktif", "0": "Tidak aktif"}
CHILD_LEVEL_NAMES = {1: "Kabupaten/Kota", 2: "Kecamatan", 3: "Desa/Kelurahan"}


def _page(request: AuthenticatedHttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(page_param(request, "halaman"))


def _query_without_page(request: AuthenticatedHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("halaman", None)
    return params.urlencode()


COUNT_HEADERS = {2: "Kab/Kota", 3: "Kecamatan", 4: "Desa/Kel."}


def _with_counts(regions: list[Region], counts: dict[str, dict[int, int]],
                 levels: list[int]) -> list[dict[str, object]]:
    """Rows for the region table: each region with its counts of the deeper `levels`."""
    return [{"region": r, "counts": [counts.get(r.code, {}).get(level, 0) for level in levels]}
            for r in regions]


def _count_headers(child_level: int) -> tuple[list[int], list[str]]:
    levels = [level for level in COUNT_HEADERS if level > child_level]
    return levels, [COUNT_HEADERS[level] for level in levels]


@login_required
def regions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Provinces, or search results for ?q= (name or code), optionally of one level."""
    query = text_param(request, "q")
    level = choice_param(request, "tingkat", [str(n) for n in REGION_LEVELS])
    context: dict[str, object] = {
        "query": query, "level": level, "levels": REGION_LEVELS,
        "edition": selectors.edition_of("region"), "params": _query_without_page(request),
    }
    if query:
        within = code_param(request, "dalam", kind="region")
        context["page"] = _page(request, selectors.search_regions(
            query, level=int(level) if level else None, within=within))
        context["within"] = selectors.region(within) if within else None
    else:
        provinces = list(selectors.region_children(None))
        levels, context["count_headers"] = _count_headers(1)
        context["children"] = _with_counts(provinces, selectors.child_descendant_counts(None), levels)
        context["totals"] = selectors.region_level_counts(None)
    return render(request, "reference/regions.html", context)


@login_required
def region(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One region: breadcrumbs, population and area, and its children (paged) with counts."""
    try:
        RegionCode.parse(code)
    except InvalidCode as error:
        raise Http404(error_text(error)) from error
    path = selectors.region_path(code)
    if path is None:
        raise Http404(f"Wilayah dengan kode {code} tidak ada pada edisi ini.")
    page = _page(request, selectors.region_children(code))
    counts = selectors.child_descendant_counts(code)
    levels, headers = _count_headers(path.region.level + 1)
    return render(request, "reference/region.html", {
        "region": path.region, "ancestors": path.ancestors, "page": page,
        "rows": _with_counts(list(page.object_list), counts, levels), "count_headers": headers,
        "totals": selectors.region_level_counts(code),
        "child_level": CHILD_LEVEL_NAMES.get(path.region.level, ""),
        "levels": REGION_LEVELS,
        "edition": selectors.edition_of("region"), "params": _query_without_page(request),
    })


def _government_level(request: AuthenticatedHttpRequest) -> str:
    return choice_param(request, "pemda", GOVERNMENT_LEVELS)


@login_required
def nomenclature(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search and filter the nomenclature (paged); without any filter, the tree's top level."""
    query = text_param(request, "q")
    level = choice_param(request, "tingkat", NOMENCLATURE_LEVELS)
    government_level = _government_level(request)
    active_param = choice_param(request, "aktif", ACTIVE_CHOICES)
    active = {"1": True, "0": False}.get(active_param)
    filtered = bool(query or level or active is not None)
    context: dict[str, object] = {
        "query": query, "level": level, "government_level": government_level,
        "active": active_param if active is not None else "",
        "levels": NOMENCLATURE_LEVELS, "government_levels": GOVERNMENT_LEVELS,
        "active_choices": ACTIVE_CHOICES, "filtered": filtered,
        "edition": selectors.edition_of("nomenclature"), "params": _query_without_page(request),
        "pemda_param": f"?pemda={government_level}" if government_level else "",
    }
    if filtered:
        context["page"] = _page(request, selectors.search_nomenclature(
            query, level=level or None, government_level=government_level or None, active=active))
    else:
        context["children"] = selectors.nomenclature_children(None, government_level or None)
    return render(request, "reference/nomenclature.html", context)


@login_required
def nomenclature_item(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One nomenclature code (all its rows, per government level), breadcrumbs and children."""
    try:
        NomenclatureCode.parse(code, allow_unknown_affair=True)
    except InvalidCode as error:
        raise Http404(error_text(error)) from error
    government_level = _government_level(request)
    pemda_param = f"?pemda={government_level}" if government_level else ""
    if request.GET.get("sebagian"):
        return _children_rows(request, code, government_level, pemda_param)
    rows = selectors.search_nomenclature(code, government_level=government_level or None).filter(code=code)
    if not rows and code not in ("?",):
        raise Http404(f"Kode nomenklatur {code} tidak ada pada edisi ini.")
    item = rows[0] if rows else None
    page = _page(request, selectors.nomenclature_children(code, government_level or None))
    return render(request, "reference/nomenclature_item.html", {
        "code": code, "item": item, "rows": rows, "page": page,
        "ancestors": selectors.nomenclature_ancestors(code, government_level or None),
        "government_level": government_level, "government_levels": GOVERNMENT_LEVELS,
        "pemda_param": pemda_param,
        "edition": selectors.edition_of("nomenclature"), "params": _query_without_page(request),
    })


PARTIAL_LIMIT = 200


def _children_rows(request: AuthenticatedHttpRequest, code: str, government_level: str,
                   pemda_param: str) -> HttpResponse:
    """htmx: the children of `code` as table rows, to unfold the tree in place."""
    depth = int_param(request, "kedalaman", min=1, max=5, default=1)
    children = list(selectors.nomenclature_children(code, government_level or None)[: PARTIAL_LIMIT + 1])
    more = 0
    if len(children) > PARTIAL_LIMIT:
        more = selectors.nomenclature_children(code, government_level or None).count() - PARTIAL_LIMIT
        children = children[:PARTIAL_LIMIT]
    return render(request, "reference/_nomenclature_children.html", {
        "children": children, "more": more, "code": code,
        "depth": depth,
        "government_level": government_level, "pemda_param": pemda_param,
    })
