"""Public proposal tracker (no login): look a proposal up by number, or browse by place."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selaras.domain.errors import NotFound
from selaras.web.params import MAX_CODE, id_param, text_param
from selaras.web.plans.selectors import government_by_code
from selaras.web.proposals.models import Proposal
from selaras.web.public import selectors
from selaras.web.selection.selectors import reason_for_proposal


def home(request: HttpRequest) -> HttpResponse:
    number = text_param(request, "nomor", max_length=MAX_CODE)
    if number:
        if selectors.public_proposal(number) is not None:
            return redirect("public:proposal", number=number)
        return render(request, "public/home.html", {"governments": selectors.governments(), "number": number,
                                                    "not_found": True}, status=404)
    return render(request, "public/home.html", {"governments": selectors.governments()})


def proposal(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.public_proposal(number)
    if found is None:
        return render(request, "public/home.html", {"governments": selectors.governments(), "number": number,
                                                    "not_found": True}, status=404)
    pk = Proposal.objects.filter(number=found.number).values_list("id", flat=True).first()
    return render(request, "public/proposal.html", {"p": found, "selection_reason": reason_for_proposal(pk)})


def government(request: HttpRequest, code: str) -> HttpResponse:
    try:
        gov = government_by_code(code)
    except NotFound:
        raise Http404 from None
    return render(request, "public/government.html", {"government": gov, "districts": selectors.districts_of(gov)})


def district(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region(code)
    if region is None or region.level != 3:
        raise Http404
    parent = selectors.region(region.parent_code, region.edition)
    return render(request, "public/district.html", {"district": region, "parent": parent,
                                                    "villages": selectors.villages_of(region)})


def village(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region(code)
    if region is None or region.level != 4:
        raise Http404
    rows, next_id = selectors.village_proposals(code, after_id=id_param(request, "sebelum"))
    district = selectors.region(region.parent_code, region.edition)
    return render(request, "public/village.html", {"village": region, "district": district, "rows": rows,
                                                   "next_id": next_id})
