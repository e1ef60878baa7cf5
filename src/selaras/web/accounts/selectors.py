"""Read queries for the home page of each role."""

from __future__ import annotations

from typing import Any

from selaras.domain.roles import ROLE_LABELS, Role


def home_for(user: Any) -> dict[str, object]:
    membership = getattr(user, "membership", None)
    if membership is None:
        return {"role_label": "Administrator sistem" if user.is_superuser else "Tanpa peran",
                "role": "superuser" if user.is_superuser else ""}
    role = Role(membership.role)
    return {"role": role.value, "role_label": ROLE_LABELS[role], "government": membership.government}
