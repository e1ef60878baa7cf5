"""The main menu by role: each person sees the pages they can use, and nothing that bounces.

Why here: the pages check access themselves (login, scope, role); a menu that offered every page
to everyone sent citizens to the login and village operators to pages that refuse them. The menu
is data (`MENU`: label, path, who), read by `menu_for(user)`; an item whose page does not exist
(yet) in this installation is left out (resolved once per path). Anonymous visitors see only the
public items.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.urls import Resolver404, resolve

from selaras.domain.roles import Role

__all__ = ["NavItem", "MENU", "PUBLIC", "EVERY_ROLE", "menu_for", "role_of"]

#: Who may see an item: role values, plus "public" (anyone, signed in or not) and "superuser".
PUBLIC = "public"
SUPERUSER = "superuser"
EVERY_ROLE = frozenset(r.value for r in Role) | {SUPERUSER}
_WHOLE = frozenset({Role.PLANNING_AGENCY.value, Role.ADMIN.value, SUPERUSER})


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    who: frozenset[str]
    #: paths under this prefix mark the item as the current one (default: its own path)
    prefix: str = ""

    def visible_to(self, role: str | None) -> bool:
        return PUBLIC in self.who or (role is not None and role in self.who)

    def current(self, request_path: str) -> bool:
        prefix = self.prefix or self.path
        return request_path == self.path if prefix == "/" else request_path.startswith(prefix)


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(r.value for r in roles) | _WHOLE


MENU: tuple[NavItem, ...] = (
    NavItem("Beranda", "/", EVERY_ROLE),
    NavItem("Usulan", "/usulan/", EVERY_ROLE, prefix="/usulan/"),
    NavItem("Musrenbang Kecamatan", "/usulan/kecamatan/", _roles(Role.DISTRICT_OPERATOR)),
    NavItem("Verifikasi", "/usulan/verifikasi/", _roles(Role.AGENCY_PLANNER)),
    NavItem("Penugasan", "/usulan/penugasan/", _WHOLE),
    NavItem("Usulan masuk Renja", "/usulan/renja/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM)),
    NavItem("Rencana", "/rencana/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM, Role.COUNCILLOR)),
    NavItem("Penyusunan", "/penyusunan/", _roles(Role.AGENCY_PLANNER)),
    NavItem("Seleksi", "/seleksi/", _roles(Role.BUDGET_TEAM)),
    NavItem("Sinkronisasi", "/sinkronisasi/", _WHOLE),
    NavItem("Evaluasi", "/evaluasi/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM)),
    NavItem("Dokumen", "/dokumen/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM, Role.DISTRICT_OPERATOR)),
    NavItem("Saran duplikat", "/saran/", _WHOLE),
    NavItem("Referensi", "/referensi/wilayah/", _roles(Role.AGENCY_PLANNER), prefix="/referensi/"),
    NavItem("Lacak usulan", "/publik/", frozenset({PUBLIC}), prefix="/publik/"),
)


def role_of(user: Any) -> str | None:
    """The menu role of a user: None for anonymous visitors and signed-in users without a role
    (they see the public items and their home), 'superuser', or the membership's role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        membership = user.membership
    except Exception:  # RelatedObjectDoesNotExist: a user without a role
        membership = None
    if membership is not None:
        return str(membership.role)
    return SUPERUSER if getattr(user, "is_superuser", False) else ""


@lru_cache(maxsize=64)
def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def menu_for(user: Any, request_path: str = "") -> list[tuple[NavItem, bool]]:
    """(item, is the current page) for each menu item the user can use, in menu order."""
    role = role_of(user)
    shown = [item for item in MENU
             if (role == "" and item.path == "/")  # a signed-in user without a role still has a home page
             or (item.visible_to(role) and _exists(item.path))]
    # the most specific item is the current one (/usulan/kecamatan/ rather than /usulan/)
    matching = [item for item in shown if item.current(request_path)]
    current = max(matching, key=lambda item: len(item.prefix or item.path), default=None)
    return [(item, item is current) for item in shown]
