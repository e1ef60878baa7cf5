"""Who sees and enters which realisation.

- An agency planner (and a kecamatan operator for the kecamatan's own office) sees and enters the
  realisation of its own agency only.
- Bappeda (planning agency) and the administrator see every agency, enter and correct, and close
  quarters. The budget team (TAPD) reads every agency.
- Other roles (village operators, councillors) and anonymous visitors see only the public
  dashboard, which carries no internal notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from selaras.domain.errors import NotPermitted
from selaras.domain.roles import Role
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.plans.selectors import government_for

__all__ = ["Viewer", "viewer_for", "check_agency", "public_government"]

_WHOLE = frozenset({Role.PLANNING_AGENCY, Role.ADMIN})
_READ_ALL = frozenset({Role.BUDGET_TEAM})


@dataclass(frozen=True)
class Viewer:
    """A signed-in user's scope in monev: one government, and one agency or all of them."""

    user: AnyUser
    government: LocalGovernment
    agency_id: int | None  # None: every agency of the government
    can_write: bool
    can_close: bool

    @property
    def whole_government(self) -> bool:
        return self.agency_id is None

    def sees_agency(self, agency_id: int) -> bool:
        return self.agency_id is None or self.agency_id == agency_id

    def writes_agency(self, agency_id: int) -> bool:
        return self.can_write and self.sees_agency(agency_id)


def _refused() -> NotPermitted:
    return NotPermitted("Anda tidak berwenang melihat atau mengisi realisasi ini.")


def viewer_for(user: AnyUser, chosen_government: object = None) -> Viewer:
    """The user's scope; raises NotPermitted for users without a monev role."""
    if not user.is_authenticated:
        raise _refused()
    membership = getattr(user, "membership", None)
    if membership is None:
        if not (user.is_superuser or user.is_staff):
            raise _refused()
        government = government_for(user, chosen_government)
        if government is None:
            raise _refused()
        return Viewer(user, government, None, can_write=bool(user.is_superuser), can_close=bool(user.is_superuser))
    role = Role(membership.role)
    government = membership.government
    if role in _WHOLE:
        return Viewer(user, government, None, can_write=True, can_close=True)
    if role in _READ_ALL:
        return Viewer(user, government, None, can_write=False, can_close=False)
    if role is Role.AGENCY_PLANNER and membership.agency_id is not None:
        return Viewer(user, government, membership.agency_id, can_write=True, can_close=False)
    if role is Role.DISTRICT_OPERATOR:
        office_id = membership.agency_id
        if office_id is None and membership.region_code:
            office_id = (Agency.objects.filter(government=government, district_code=membership.region_code)
                         .values_list("pk", flat=True).first())
        if office_id is not None:
            return Viewer(user, government, office_id, can_write=True, can_close=False)
    raise _refused()


def public_government(user: AnyUser) -> LocalGovernment | None:
    """The government whose public dashboard a signed-in user without a monev role is sent to:
    the one of their membership (a councillor's, a village operator's), or None."""
    membership = getattr(user, "membership", None)
    return getattr(membership, "government", None) if membership is not None else None


def check_agency(viewer: Viewer, agency_id: int, *, write: bool = False) -> None:
    """Raise NotPermitted unless the viewer may see (or, with `write`, enter for) the agency."""
    allowed = viewer.writes_agency(agency_id) if write else viewer.sees_agency(agency_id)
    if not allowed:
        raise _refused()
