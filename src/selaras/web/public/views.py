"""Public proposal tracker (no login): look a proposal up by number, or browse by place.

Every place (village, kecamatan, the whole government) has the same tracker: filters by channel,
status, year and agency, a keyword, a sort, numbered pages both ways and a count per status.
Query values go through the strict parser (`web/params.py`): a bad value is a 400, never a 500.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selaras.domain.errors import NotFound
from selaras.domain.proposals import CHANNEL_LABELS, STATUS_LABELS
from selaras.web.params import (
    MAX_CODE,
    choice_param,
    id_param,
    page_param,
    text_param,
    year_param,
)
from selaras.web.plans.selectors import government_by_code
from selaras.web.proposals.models import Proposal
from selaras.web.public import selectors
from selaras.web.selection.selectors import reason_for_proposal

#: Longest keyword accepted by the tracker's search box.
MAX_KEYWORD = 100


def _lookup_page(request: HttpRequest, number: str, matches: list[str]) -> HttpResponse:
    context = {"governments": selectors.governments(), "number": number, "matches": matches,
               "not_found": not matches, "number_example": selectors.number_example()}
    return render(request, "public/home.html", context, status=200 if matches else 404)


def home(request: HttpRequest) -> HttpResponse:
    number = text_param(request, "nomor", max_length=MAX_CODE)
    if number:
        matches = selectors.find_numbers(number)
        if len(matches) == 1:
            return redirect("public:proposal", number=matches[0])
        return _lookup_page(request, number, matches)
    return render(request, "public/home.html", {"governments": selectors.governments(),
                                                "number_example": selectors.number_example()})


def proposal(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.public_proposal(number)
    if found is None:
        matches = selectors.find_numbers(number)
        if len(matches) == 1:
            return redirect("public:proposal", number=matches[0])
        return _lookup_page(request, number, matches)
    if found.number != number:  # typed in lower case or without the sequence's zeros
        return redirect("public:proposal", number=found.number)
    pk = Proposal.objects.filter(number=found.number).values_list("id", flat=True).first()
    return render(request, "public/proposal.html", {"p": found, "selection_reason": reason_for_proposal(pk, public=True)})


def _filters(request: HttpRequest) -> selectors.TrackerFilters:
    return selectors.TrackerFilters(
        channel=choice_param(request, "jalur", [c.value for c in CHANNEL_LABELS]),
        status=choice_param(request, "status", [s.value for s in selectors.PUBLIC_STATUSES]),
        year=year_param(request, "tahun"),
        agency_id=id_param(request, "pd"),
        q=text_param(request, "q", max_length=MAX_KEYWORD),
        sort=choice_param(request, "urut", list(selectors.SORTS), default=selectors.DEFAULT_SORT),
        page=page_param(request, "halaman"),
    )


def _tracker(request: HttpRequest, scope: selectors.TrackerScope) -> dict[str, object]:
    filters = _filters(request)
    government = scope.government
    return {
        "filters": filters,
        "tracker": selectors.tracker_page(scope, filters),
        "channels": [(c.value, label) for c, label in CHANNEL_LABELS.items()],
        "statuses": [(s.value, STATUS_LABELS[s]) for s in selectors.PUBLIC_STATUSES],
        "years": selectors.years_of(government) if government is not None else [],
        "agencies": selectors.agencies_of(government),
        "sorts": [(key, label) for key, (label, _order) in selectors.SORTS.items()],
        "show_village": scope.kind != "village",
    }


def government(request: HttpRequest, code: str) -> HttpResponse:
    try:
        gov = government_by_code(code)
    except NotFound:
        raise Http404 from None
    context = _tracker(request, selectors.TrackerScope("government", gov.region_code, gov))
    return render(request, "public/government.html", {"government": gov, "districts": selectors.districts_of(gov),
                                                      "number_example": selectors.number_example(gov), **context})


def district(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region(code)
    if region is None or region.level != 3:
        raise Http404
    parent = selectors.region(region.parent_code, region.edition)
    gov = selectors.government_of_region(region.code)
    context = _tracker(request, selectors.TrackerScope("district", region.code, gov))
    return render(request, "public/district.html", {"district": region, "parent": parent, "government": gov,
                                                    "villages": selectors.villages_of(region), **context})


def village(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region(code)
    if region is None or region.level != 4:
        raise Http404
    district = selectors.region(region.parent_code, region.edition)
    gov = selectors.government_of_region(region.code)
    context = _tracker(request, selectors.TrackerScope("village", region.code, gov))
    return render(request, "public/village.html", {"village": region, "district": district, "government": gov,
                                                   **context})
