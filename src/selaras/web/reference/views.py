"""Read pages of the reference data (thin: queries live in selectors)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from selaras.domain.codes import NomenclatureCode, RegionCode
from selaras.domain.errors import InvalidCode
from selaras.web.errors.messages import error_text
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import choice_param, code_param, id_param, int_param, page_param, text_param
from selaras.web.reference import selectors
from selaras.web.reference.models import CodeMapping, Edition, EditionMove, NomenclatureItem, Region

PAGE_SIZE = 50
REGION_LEVELS = dict(Region.LEVEL_CHOICES)
NOMENCLATURE_LEVELS = dict(NomenclatureItem.LEVEL_CHOICES)
GOVERNMENT_LEVELS = {selectors.PROVINCIAL: "Provinsi", selectors.REGENCY_CITY: "Kabupaten/Kota"}
ACTIVE_CHOICES = {"1": "Aktif", "0": "Tidak aktif"}
CHILD_LEVEL_NAMES = {1: "Kabupaten/Kota", 2: "Kecamatan", 3: "Desa/Kelurahan"}


def _edition(request: AuthenticatedHttpRequest, kind: str) -> str | None:
    """The edition chosen with ?edisi= (a loaded edition of `kind`), or None for the default."""
    keys = list(Edition.objects.filter(kind=kind).order_by("valid_from", "key").values_list("key", flat=True))
    return choice_param(request, "edisi", keys) or None


def _edition_context(request: AuthenticatedHttpRequest, kind: str, chosen: str | None) -> dict[str, object]:
    return {"edition": selectors.edition_of(kind, chosen), "edition_key": chosen or "",
            "editions": Edition.objects.filter(kind=kind).order_by("valid_from", "key"),
            "edisi_param": f"edisi={chosen}" if chosen else ""}


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
    ed = _edition(request, "region")
    context: dict[str, object] = {
        "query": query, "level": level, "levels": REGION_LEVELS,
        **_edition_context(request, "region", ed), "params": _query_without_page(request),
    }
    if query:
        within = code_param(request, "dalam", kind="region")
        context["page"] = _page(request, selectors.search_regions(
            query, level=int(level) if level else None, within=within, edition=ed))
        context["within"] = selectors.region(within, ed) if within else None
    else:
        provinces = list(selectors.region_children(None, ed))
        levels, context["count_headers"] = _count_headers(1)
        context["children"] = _with_counts(provinces, selectors.child_descendant_counts(None, ed), levels)
        context["totals"] = selectors.region_level_counts(None, ed)
    return render(request, "reference/regions.html", context)


@login_required
def region(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One region: breadcrumbs, population and area, and its children (paged) with counts."""
    try:
        RegionCode.parse(code)
    except InvalidCode as error:
        raise Http404(error_text(error)) from error
    ed = _edition(request, "region")
    path = selectors.region_path(code, ed)
    if path is None:
        raise Http404(f"Wilayah dengan kode {code} tidak ada pada edisi ini.")
    page = _page(request, selectors.region_children(code, ed))
    counts = selectors.child_descendant_counts(code, ed)
    levels, headers = _count_headers(path.region.level + 1)
    return render(request, "reference/region.html", {
        "region": path.region, "ancestors": path.ancestors, "page": page,
        "rows": _with_counts(list(page.object_list), counts, levels), "count_headers": headers,
        "totals": selectors.region_level_counts(code, ed),
        "child_level": CHILD_LEVEL_NAMES.get(path.region.level, ""),
        "levels": REGION_LEVELS,
        **_edition_context(request, "region", ed), "params": _query_without_page(request),
    })


def _pemda_param(government_level: str, edition: str | None) -> str:
    parts = ([f"pemda={government_level}"] if government_level else []) + ([f"edisi={edition}"] if edition else [])
    return "?" + "&".join(parts) if parts else ""


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
    ed = _edition(request, "nomenclature")
    filtered = bool(query or level or active is not None)
    context: dict[str, object] = {
        "query": query, "level": level, "government_level": government_level,
        "active": active_param if active is not None else "",
        "levels": NOMENCLATURE_LEVELS, "government_levels": GOVERNMENT_LEVELS,
        "active_choices": ACTIVE_CHOICES, "filtered": filtered,
        **_edition_context(request, "nomenclature", ed), "params": _query_without_page(request),
        "pemda_param": _pemda_param(government_level, ed),
    }
    if filtered:
        context["page"] = _page(request, selectors.search_nomenclature(
            query, level=level or None, government_level=government_level or None, active=active, edition=ed))
    else:
        context["children"] = selectors.nomenclature_children(None, government_level or None, ed)
    return render(request, "reference/nomenclature.html", context)


@login_required
def nomenclature_item(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One nomenclature code (all its rows, per government level), breadcrumbs and children."""
    try:
        NomenclatureCode.parse(code, allow_unknown_affair=True)
    except InvalidCode as error:
        raise Http404(error_text(error)) from error
    government_level = _government_level(request)
    ed = _edition(request, "nomenclature")
    pemda_param = _pemda_param(government_level, ed)
    if request.GET.get("sebagian"):
        return _children_rows(request, code, government_level, pemda_param, ed)
    rows = selectors.search_nomenclature(code, government_level=government_level or None, edition=ed).filter(code=code)
    if not rows and code not in ("?",):
        raise Http404(f"Kode nomenklatur {code} tidak ada pada edisi ini.")
    item = rows[0] if rows else None
    page = _page(request, selectors.nomenclature_children(code, government_level or None, ed))
    return render(request, "reference/nomenclature_item.html", {
        "code": code, "item": item, "rows": rows, "page": page,
        "ancestors": selectors.nomenclature_ancestors(code, government_level or None, ed),
        "government_level": government_level, "government_levels": GOVERNMENT_LEVELS,
        "pemda_param": pemda_param,
        **_edition_context(request, "nomenclature", ed), "params": _query_without_page(request),
    })


PARTIAL_LIMIT = 200


def _children_rows(request: AuthenticatedHttpRequest, code: str, government_level: str,
                   pemda_param: str, edition: str | None = None) -> HttpResponse:
    """htmx: the children of `code` as table rows, to unfold the tree in place."""
    depth = int_param(request, "kedalaman", min=1, max=5, default=1)
    children = list(selectors.nomenclature_children(code, government_level or None, edition)[: PARTIAL_LIMIT + 1])
    more = 0
    if len(children) > PARTIAL_LIMIT:
        more = selectors.nomenclature_children(code, government_level or None, edition).count() - PARTIAL_LIMIT
        children = children[:PARTIAL_LIMIT]
    return render(request, "reference/_nomenclature_children.html", {
        "children": children, "more": more, "code": code,
        "depth": depth,
        "government_level": government_level, "pemda_param": pemda_param,
    })


@login_required
def sub_activity(request: AuthenticatedHttpRequest, code: str) -> JsonResponse:
    """JSON for a plan editor: name, kinerja, indikator and satuan of a sub-activity, in the
    edition ?edisi= or the one for planning year ?tahun= (default: the look-up edition);
    ?pemda=provinsi|kab/kota picks the government level. 404 when the code is not there."""
    try:
        NomenclatureCode.parse(code)
    except InvalidCode as error:
        raise Http404(error_text(error)) from error
    ed = _edition(request, "nomenclature")
    year = int_param(request, "tahun", min=2000, max=2100, default=0) or None
    found = selectors.sub_activity_details(code, _government_level(request) or None, ed, year)
    if found is None:
        raise Http404(f"Sub kegiatan {code} tidak ada pada edisi ini.")
    return JsonResponse(found)


def _may_review(request: AuthenticatedHttpRequest) -> bool:
    return bool(request.user.is_staff or request.user.has_perm("reference.change_codemapping"))


@login_required
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Derived mappings waiting for a person, lowest confidence first (filter ?dari=&ke=)."""
    from selaras.web.reference import mappings

    keys = list(Edition.objects.values_list("key", flat=True))
    old, new = choice_param(request, "dari", keys), choice_param(request, "ke", keys)
    page = _page(request, mappings.review_queue(old or None, new or None))
    return render(request, "reference/review.html", {
        "page": page, "params": _query_without_page(request), "may_review": _may_review(request),
        "decided": CodeMapping.objects.filter(status__in=["confirmed", "rejected"]).select_related(
            "reviewed_by").order_by("-reviewed_at")[:20]})


@login_required
@require_POST
def review_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm (optionally with another code) or reject one derived mapping row."""
    from django.contrib import messages as flash

    from selaras.domain.errors import SelarasError
    from selaras.web.reference import mappings

    if not _may_review(request):
        from selaras.domain.errors import NotPermitted

        raise NotPermitted()
    action = choice_param(request.POST, "aksi", ["konfirmasi", "tolak"])
    to_code = text_param(request.POST, "kode", max_length=24) or None
    try:
        if action == "tolak":
            mappings.reject(pk, request.user)
        else:
            mappings.confirm(pk, request.user, to_code)
        flash.success(request, "Pemetaan disimpan.")
    except SelarasError as error:
        flash.error(request, error_text(error))
    return redirect("reference:review")


# ---------------------------------------------------------------- moving a government to an edition

MOVE_KINDS = {"nomenklatur": "nomenclature", "wilayah": "region"}
MOVE_STATES = {"maps": "Berpindah", "needs_person": "Perlu keputusan", "no_successor": "Tanpa pengganti"}


def _may_move(request: AuthenticatedHttpRequest) -> bool:
    return bool(request.user.is_staff or request.user.has_perm("reference.add_editionmove"))


def _move_form(request: AuthenticatedHttpRequest, source: Any) -> tuple[Any, str, str, list[Any], list[Any]]:
    """(government or None, kind label, target edition key, governments, target editions)."""
    from django.apps import apps

    governments = list(apps.get_model("plans", "LocalGovernment").objects.order_by("name"))
    by_id = {g.pk: g for g in governments}
    gid = id_param(source, "pemda")
    government = by_id.get(gid) if gid else (governments[0] if len(governments) == 1 else None)
    if gid and government is None:
        raise Http404("Pemerintah daerah tidak ditemukan.")
    label = choice_param(source, "jenis", list(MOVE_KINDS), default="nomenklatur")
    kind = MOVE_KINDS[label]
    current = ""
    if government is not None:
        current = government.nomenclature_edition if kind == "nomenclature" else government.region_edition
    targets = list(Edition.objects.filter(kind=kind).exclude(key=current).order_by("-valid_from", "key"))
    to = choice_param(source, "ke", [e.key for e in targets], default=targets[0].key if targets else "")
    return government, label, to, governments, targets


@login_required
def move_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Preview of moving one government's plans and proposals to another edition (Referensi ›
    Pindah edisi); staff apply it from here after the review list has been worked through."""
    from selaras.domain.errors import SelarasError
    from selaras.web.reference.moves import preview_move

    government, label, to, governments, targets = _move_form(request, request)
    preview: dict[str, Any] | None = None
    problem = ""
    if government is not None and to:
        try:
            preview = preview_move(government.pk, MOVE_KINDS[label], to)
        except SelarasError as error:
            problem = error_text(error)
    changes = _page(request, preview["changes"] if preview else [])
    moves = EditionMove.objects.filter(government_id=government.pk).select_related("user")[:10] if government else []
    return render(request, "reference/move.html", {
        "government": government, "governments": governments, "kind_label": label, "kinds": MOVE_KINDS,
        "to": to, "targets": targets, "preview": preview, "problem": problem, "page": changes,
        "params": _query_without_page(request), "states": MOVE_STATES, "may_move": _may_move(request),
        "moves": moves})


@login_required
@require_POST
def move_apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply the move shown in the preview (with the choices made for codes needing a person)."""
    from urllib.parse import urlencode

    from django.contrib import messages as flash

    from selaras.domain.errors import NotPermitted, SelarasError
    from selaras.web.reference.moves import apply_move

    if not _may_move(request):
        raise NotPermitted()
    government, label, to, _, _ = _move_form(request, request.POST)
    if government is None or not to:
        raise Http404("Pemerintah daerah atau edisi tujuan tidak dipilih.")
    choices = {}
    for key in request.POST:
        if key.startswith("pilih:") and len(key) <= 46:
            picked = text_param(request.POST, key, max_length=40)
            if picked:
                choices[key.removeprefix("pilih:")] = picked
    try:
        move = apply_move(government.pk, MOVE_KINDS[label], to, user=request.user, choices=choices)
        moved = sum(n for k, n in move.summary.items() if k.endswith(".moved"))
        flash.success(request, f"{government.name} dipindahkan ke edisi {to}: {moved} baris berganti kode.")
    except SelarasError as error:
        flash.error(request, error_text(error))
    return redirect(f"{reverse('reference:move')}?{urlencode({'pemda': government.pk, 'jenis': label})}")
