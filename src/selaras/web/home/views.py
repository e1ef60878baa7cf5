"""Home page per role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from selaras.web.home import selectors
from selaras.web.http import AuthenticatedHttpRequest
from selaras.web.params import year_param
from selaras.web.plans.selectors import SESSION_GOVERNMENT_KEY


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = selectors.home_for(request.user, year_param(request, "tahun"),
                                 request.session.get(SESSION_GOVERNMENT_KEY))
    return render(request, "home/home.html", context)
