"""Home page per role, and the site icon at the address browsers ask for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from selaras.web.home import selectors
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import year_param
from selaras.web.plans.selectors import SESSION_GOVERNMENT_KEY


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = selectors.home_for(request.user, year_param(request, "tahun"),
                                 request.session.get(SESSION_GOVERNMENT_KEY))
    return render(request, "home/home.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico (asked for by browsers and feed readers whatever the page links): the SVG icon."""
    return HttpResponsePermanentRedirect(static("selaras/favicon.svg"))
