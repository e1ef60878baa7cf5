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

__all__ = ["NavItem", "MENU", "PROPOSAL_MENU", "PUBLIC", "EVERY_ROLE", "menu_for", "role_of"]

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
    #: one line for the home page's cards
    description: str = ""

    def visible_to(self, role: str | None) -> bool:
        return PUBLIC in self.who or (role is not None and role in self.who)

    def current(self, request_path: str) -> bool:
        prefix = self.prefix or self.path
        return request_path == self.path if prefix == "/" else request_path.startswith(prefix)


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(r.value for r in roles) | _WHOLE


MENU: tuple[NavItem, ...] = (
    NavItem("Beranda", "/", EVERY_ROLE),
    NavItem("Usulan", "/usulan/", EVERY_ROLE, prefix="/usulan/",
            description="Musrenbang, Pokir, Pra-Renja: daftar, entri dan keputusan."),
    NavItem("Musrenbang Kecamatan", "/usulan/kecamatan/", _roles(Role.DISTRICT_OPERATOR),
            description="Peringkat dan penerusan usulan desa/kelurahan."),
    NavItem("Verifikasi", "/usulan/verifikasi/", _roles(Role.AGENCY_PLANNER),
            description="Usulan yang menunggu verifikasi perangkat daerah."),
    NavItem("Penugasan", "/usulan/penugasan/", _WHOLE,
            description="Tetapkan perangkat daerah dan sub kegiatan usulan."),
    NavItem("Usulan masuk Renja", "/usulan/renja/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM),
            description="Usulan diterima per baris Renja."),
    NavItem("Rencana", "/rencana/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM, Role.COUNCILLOR),
            description="RPJMD, indikator, Renstra, RKPD dan Renja."),
    NavItem("Penyusunan", "/penyusunan/", _roles(Role.AGENCY_PLANNER),
            description="Penyusunan dan verifikasi dokumen rencana."),
    NavItem("Seleksi", "/seleksi/", _roles(Role.BUDGET_TEAM),
            description="Pemilihan usulan dalam pagu anggaran."),
    NavItem("Sinkronisasi", "/sinkronisasi/", _WHOLE,
            description="Keselarasan RPJMD, Renstra, RKPD dan Renja."),
    NavItem("Evaluasi", "/evaluasi/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM),
            description="Realisasi triwulan dan evaluasi hasil rencana."),
    NavItem("Dokumen", "/dokumen/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM, Role.DISTRICT_OPERATOR),
            description="Tabel resmi dan berita acara (Excel, PDF)."),
    NavItem("Saran duplikat", "/saran/", _WHOLE,
            description="Usulan yang mungkin ganda."),
    NavItem("Referensi", "/referensi/wilayah/", _roles(Role.AGENCY_PLANNER), prefix="/referensi/",
            description="Kode wilayah dan nomenklatur."),
    NavItem("Lacak usulan", "/publik/", frozenset({PUBLIC}), prefix="/publik/",
            description="Halaman publik untuk warga."),
    NavItem("Capaian kinerja", "/evaluasi/publik/", frozenset({PUBLIC}), prefix="/evaluasi/publik/",
            description="Target dan capaian kinerja daerah untuk warga."),
)


_ENTERING = _roles(Role.VILLAGE_OPERATOR, Role.DISTRICT_OPERATOR, Role.AGENCY_PLANNER, Role.COUNCILLOR)

#: The proposal pages' own menu (under /usulan/), by the same rules.
PROPOSAL_MENU: tuple[NavItem, ...] = (
    NavItem("Daftar usulan", "/usulan/", EVERY_ROLE),
    NavItem("Ringkasan", "/usulan/ringkasan/", EVERY_ROLE),
    NavItem("Usulan baru", "/usulan/baru/", _ENTERING),
    NavItem("Impor", "/usulan/impor/", _ENTERING, prefix="/usulan/impor/"),
    NavItem("Musrenbang Kecamatan", "/usulan/kecamatan/", _roles(Role.DISTRICT_OPERATOR),
            description="Peringkat dan penerusan usulan desa/kelurahan."),
    NavItem("Verifikasi perangkat daerah", "/usulan/verifikasi/", _roles(Role.AGENCY_PLANNER)),
    NavItem("Penugasan Bappeda", "/usulan/penugasan/", _WHOLE),
    NavItem("Usulan masuk Renja", "/usulan/renja/", _roles(Role.AGENCY_PLANNER, Role.BUDGET_TEAM),
            description="Usulan diterima per baris Renja."),
    NavItem("Jadwal tahapan", "/usulan/jadwal/", EVERY_ROLE, prefix="/usulan/jadwal/"),
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


def menu_for(user: Any, request_path: str = "", menu: tuple[NavItem, ...] = MENU) -> list[tuple[NavItem, bool]]:
    """(item, is the current page) for each item of `menu` the user can use, in menu order."""
    role = role_of(user)
    shown = [item for item in menu
             if (role == "" and item.path == "/")  # a signed-in user without a role still has a home page
             or (item.visible_to(role) and _exists(item.path))]
    # the most specific item is the current one (/usulan/kecamatan/ rather than /usulan/)
    matching = [item for item in shown if item.current(request_path)]
    current = max(matching, key=lambda item: len(item.prefix or item.path), default=None)
    return [(item, item is current) for item in shown]
