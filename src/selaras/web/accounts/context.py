"""Template context: the signed-in user's role and scope, and the menu they can use."""

from __future__ import annotations

from django.http import HttpRequest

from selaras.web.accounts.navigation import PROPOSAL_MENU, menu_for


def role_context(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    membership = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    path = getattr(request, "path", "")
    context: dict[str, object] = {"membership": membership, "menu": menu_for(user, path)}
    if path.startswith("/usulan/"):
        context["proposal_menu"] = menu_for(user, path, PROPOSAL_MENU)
    return context
