"""Which official documents exist, who may produce them and for which scope.

A document kind is produced for a scope: a kecamatan (district code), an agency (id) or the
whole government. Bappeda and the administrator produce every kind for any scope; an operator
of a kecamatan only its own kecamatan's; an agency planner only its own agency's; the budget
team (TAPD) the government-wide plan tables. `check(user, kind, scope)` raises NotPermitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from selaras.domain.errors import NotPermitted
from selaras.domain.roles import Role
from selaras.domain.scope import WHOLE_GOVERNMENT_ROLES
from selaras.formats.documents.model import Document
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency, LocalGovernment

__all__ = ["DocKind", "KINDS", "ScopeKind", "check", "kinds_for", "register"]


class ScopeKind(StrEnum):
    DISTRICT = "district"
    AGENCY = "agency"
    GOVERNMENT = "government"


#: build(government, year, scope object (district code, Agency or None), version id or None, day) -> Document
Builder = Callable[[LocalGovernment, int, Any, "int | None", dt.date], Document]


@dataclass(frozen=True)
class DocKind:
    key: str
    code: str  # official table number, e.g. "T-D.4"
    label: str
    scope: ScopeKind
    build: Builder
    group: str = "Perencanaan"
    versioned: str = ""  # the plan document kind whose versions can be printed ("renstra", "renja" ...)
    extra_roles: frozenset[Role] = frozenset()  # besides whole-government roles and the scope's own role


KINDS: dict[str, DocKind] = {}


def register(kind: DocKind) -> DocKind:
    KINDS[kind.key] = kind
    return kind


def _membership(user: AnyUser | None) -> Any:
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def _refusal(user: AnyUser | None, kind: DocKind, government: LocalGovernment, scope: Any) -> str | None:
    if user is None or not user.is_authenticated:
        return "Silakan masuk untuk membuat dokumen."
    membership = _membership(user)
    if membership is None:
        return None if user.is_superuser else "Akun Anda belum memiliki peran pada pemerintah daerah mana pun."
    if membership.government_id != government.pk:
        return "Dokumen ini milik pemerintah daerah lain."
    role = Role(membership.role)
    if role in WHOLE_GOVERNMENT_ROLES or role in kind.extra_roles:
        return None
    if kind.scope is ScopeKind.DISTRICT and role is Role.DISTRICT_OPERATOR:
        return None if membership.region_code and scope == membership.region_code else \
            "Anda hanya dapat membuat dokumen untuk kecamatan Anda sendiri."
    if kind.scope is ScopeKind.AGENCY and role is Role.AGENCY_PLANNER:
        ok = isinstance(scope, Agency) and scope.pk == membership.agency_id
        return None if ok else "Anda hanya dapat membuat dokumen untuk perangkat daerah Anda sendiri."
    return "Peran Anda tidak dapat membuat dokumen ini."


def check(user: AnyUser | None, kind: DocKind, government: LocalGovernment, scope: Any) -> None:
    reason = _refusal(user, kind, government, scope)
    if reason is not None:
        raise NotPermitted(reason, action="produce_document", document=kind.key)


def kinds_for(user: AnyUser | None) -> list[DocKind]:
    """Kinds the user may produce for at least one scope (the page lists only these)."""
    membership = _membership(user)
    if membership is None:
        return list(KINDS.values()) if user is not None and user.is_superuser else []
    role = Role(membership.role)
    found = []
    for kind in KINDS.values():
        if role in WHOLE_GOVERNMENT_ROLES or role in kind.extra_roles or kind.scope is ScopeKind.DISTRICT and role is Role.DISTRICT_OPERATOR and membership.region_code or kind.scope is ScopeKind.AGENCY and role is Role.AGENCY_PLANNER and membership.agency_id:
            found.append(kind)
    return found
