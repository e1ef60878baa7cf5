"""Template context: the signed-in user's role and scope."""

from __future__ import annotations

from django.http import HttpRequest


def role_context(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    membership = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    return {"membership": membership}
