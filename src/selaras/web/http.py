"""Typed users and requests, so views and services say which user they expect.

Django types `HttpRequest.user` as `User | AnonymousUser`. Reads that also serve anonymous
visitors take an `AnyUser`; views behind `login_required` take an `AuthenticatedHttpRequest`,
whose user is a signed-in `User`, instead of narrowing the union at every use. Writes that
record who acted (`created_by`, `decided_by`) take a `User`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest

if TYPE_CHECKING:  # the auth models need the app registry; types do not
    from django.contrib.auth.models import AnonymousUser, User

__all__ = ["AnyUser", "AuthenticatedHttpRequest"]

AnyUser: TypeAlias = "User | AnonymousUser"


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required`: its user has signed in (a type only, never built)."""

    user: User
