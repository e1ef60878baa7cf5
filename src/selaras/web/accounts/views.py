"""Home page per role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selaras.web.accounts import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", selectors.home_for(request.user))
