"""Who wrote what: the acting user and reason on a change-history row, the actor's role label."""

from __future__ import annotations

from typing import Any

from selaras.domain.roles import ROLE_LABELS, Role
from selaras.web.http import AnyUser
from selaras.web.proposals.permissions import membership_of

__all__ = ["actor_role_label", "stamp"]


def actor_role_label(user: AnyUser | None) -> str:
    membership = membership_of(user)
    if membership is not None:
        return ROLE_LABELS[Role(membership.role)]
    return "Administrator sistem" if getattr(user, "is_superuser", False) else "Tanpa peran"


def stamp(obj: Any, user: AnyUser | None, reason: str = "") -> None:
    """Attribute the next save of `obj` to `user` in its change history."""
    obj._history_user = user if getattr(user, "is_authenticated", False) else None
    if reason:
        obj._change_reason = reason[:100]
