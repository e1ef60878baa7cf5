"""Template context: the signed-in user's role and scope, and the menu they can use."""

from __future__ import annotations

from django.http import HttpRequest

from selaras.web.accounts.navigation import menu_for


def role_context(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    membership = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    return {"membership": membership, "menu": menu_for(user, getattr(request, "path", ""))}
