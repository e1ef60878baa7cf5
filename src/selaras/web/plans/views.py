"""Read pages of the plan cascade (thin: queries live in selectors)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import id_param
from selaras.web.plans import selectors
from selaras.web.plans.models import LocalGovernment

SESSION_KEY = selectors.SESSION_GOVERNMENT_KEY
_Found = TypeVar("_Found")


def _or_404(found: _Found | None, message: str) -> _Found:
    """What a selector found, or the page's 404 with its Bahasa message when it found nothing."""
    if found is None:
        raise Http404(message)
    return found


def _government(request: AuthenticatedHttpRequest) -> LocalGovernment:
    return _or_404(selectors.government_for(request.user, request.session.get(SESSION_KEY)),
                   "Akun Anda belum terhubung ke pemerintah daerah.")


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    chosen = id_param(request, "pemda")
    if chosen and selectors.governments_for_choice(request.user):
        request.session[SESSION_KEY] = chosen
    government = selectors.government_for(request.user, request.session.get(SESSION_KEY))
    if government is None:
        return render(request, "plans/no_government.html", status=200)
    context = selectors.overview(government)
    context["choices"] = selectors.governments_for_choice(request.user)
    return render(request, "plans/overview.html", context)


@login_required
def rpjmd(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    context = _or_404(selectors.rpjmd_detail(_government(request), pk), "RPJMD tidak ditemukan.")
    return render(request, "plans/rpjmd.html", context)


@login_required
def current_rpjmd(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = _or_404(selectors.current_rpjmd(_government(request)), "Belum ada RPJMD.")
    return redirect("plans:rpjmd", pk=plan.pk)


@login_required
def agencies(request: AuthenticatedHttpRequest) -> HttpResponse:
    government = _government(request)
    return render(request, "plans/agencies.html", {"government": government, **selectors.agency_list(government)})


@login_required
def renstra(request: AuthenticatedHttpRequest, agency_id: int) -> HttpResponse:
    agency = _or_404(selectors.agency_of(_government(request), agency_id), "Perangkat daerah tidak ditemukan.")
    context = selectors.renstra_detail(agency, id_param(request, "id"))
    if context is None:
        return render(request, "plans/renstra_missing.html", {"agency": agency})
    return render(request, "plans/renstra.html", {"agency": agency, **context})


@login_required
def current_rkpd(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = _or_404(selectors.latest_rkpd(_government(request)), "Belum ada RKPD.")
    return redirect("plans:rkpd", year=plan.year)


@login_required
def rkpd(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    context = _or_404(selectors.rkpd_detail(_government(request), year), f"RKPD tahun {year} tidak ditemukan.")
    return render(request, "plans/rkpd.html", context)


@login_required
def renja(request: AuthenticatedHttpRequest, year: int, agency_id: int) -> HttpResponse:
    context = _or_404(selectors.renja_detail(_government(request), year, agency_id), "Renja tidak ditemukan.")
    return render(request, "plans/renja.html", context)
