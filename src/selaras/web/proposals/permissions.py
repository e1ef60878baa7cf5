"""Scope checks for the proposal cycle, for services, views and the bulk import.

Use from any write path (web form, bulk import, API)::

    from selaras.web.proposals.permissions import check_can
    check_can(user, "create", government=gov, channel=Channel.VILLAGE_MUSRENBANG,
              village_code="32.16.05.2001")          # raises NotPermitted when refused

Actions: "create", "decide", "assign", "import", "manage_schedule" (see
`selaras.domain.scope.Action`). "import" follows the rules of "create" for each row; call it
once per row with the row's channel and place. Stage windows (jadwal) are a separate check:
`selaras.web.proposals.windows.ensure_stage_open(government, year, stage)` raises StageClosed.

`scope_filter(user, queryset)` narrows a Proposal queryset to what the user may see in
internal lists (the public tracker has its own, public, view of proposals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from selaras.domain.errors import NotPermitted
from selaras.domain.proposals import Channel, Stage
from selaras.domain.roles import Role
from selaras.domain.scope import WHOLE_GOVERNMENT_ROLES, Action, Actor, Target, refusal
from selaras.web.http import AnyUser

if TYPE_CHECKING:
    from selaras.web.accounts.models import Membership
    from selaras.web.proposals.models import Proposal

__all__ = ["check_can", "can", "scope_filter", "actor_for", "membership_of"]


def membership_of(user: AnyUser | None) -> Membership | None:
    """The user's Membership, or None (anonymous users and users without a role)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.membership
    except Exception:  # RelatedObjectDoesNotExist
        return None


def actor_for(user: AnyUser | None) -> Actor:
    """The pure `Actor` for a Django user (anonymous: no role)."""
    membership = membership_of(user)
    is_superuser = bool(getattr(user, "is_superuser", False)) and bool(getattr(user, "is_authenticated", False))
    if membership is None:
        return Actor(role=None, is_superuser=is_superuser)
    return Actor(
        role=Role(membership.role),
        government_id=membership.government_id,
        region_code=membership.region_code or "",
        agency_id=membership.agency_id,
        councillor_name=membership.councillor_name or "",
        is_superuser=is_superuser,
    )


def _pk(obj: Model | int | None) -> int | None:
    if obj is None:
        return None
    return int(obj) if isinstance(obj, int) else obj.pk


def _reason(user: AnyUser | None, action: str, *, government: Model | int, channel: Channel | str | None = None,
            village_code: str = "", district_code: str = "", agency: Model | int | None = None,
            stage: Stage | str | None = None, councillor_name: str = "") -> str | None:
    target = Target(
        government_id=_pk(government) or 0,
        channel=Channel(channel) if channel else None,
        village_code=village_code or "",
        district_code=district_code or "",
        agency_id=_pk(agency),
        stage=Stage(stage) if stage else None,
        councillor_name=councillor_name or "",
    )
    return refusal(actor_for(user), Action(action), target)


def check_can(user: AnyUser | None, action: str, *, government: Model | int, channel: Channel | str | None = None,
              village_code: str = "", district_code: str = "", agency: Model | int | None = None,
              stage: Stage | str | None = None, councillor_name: str = "") -> None:
    """Raise `NotPermitted` (message in Bahasa Indonesia) unless `user` may do `action` there.

    `government` and `agency` are model instances or primary keys. `action` is one of
    "create", "decide", "assign", "import", "manage_schedule". For "decide", pass the stage
    at which the decision is made and the proposal's place (village/district/agency).
    """
    reason = _reason(user, action, government=government, channel=channel, village_code=village_code,
                     district_code=district_code, agency=agency, stage=stage,
                     councillor_name=councillor_name)
    if reason is not None:
        raise NotPermitted(reason, action=action)


def can(user: AnyUser | None, action: str, **where: Any) -> bool:
    """True when `check_can` would pass (for showing or hiding buttons)."""
    return _reason(user, action, **where) is None


def check_can_on(user: AnyUser | None, action: str, proposal: Proposal, *, stage: Stage | str | None = None) -> None:
    """`check_can` for an existing Proposal (its government, channel, place, agency)."""
    check_can(user, action, government=proposal.government_id, channel=proposal.channel,
              village_code=proposal.village_code, district_code=proposal.district_code,
              agency=proposal.agency_id, stage=stage or proposal.stage,
              councillor_name=proposal.councillor_name)


def scope_filter(user: AnyUser | None, queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Narrow a Proposal queryset to what `user` may see in internal lists.

    Bappeda, admin and budget team: their whole government. Village operator: own village.
    District operator: own kecamatan. Agency planner: proposals assigned to own agency.
    Councillor: own Pokir. Superuser: everything. Anyone else: nothing.
    """
    actor = actor_for(user)
    if actor.is_superuser:
        return queryset
    if actor.role is None or actor.government_id is None:
        return queryset.none()
    qs = queryset.filter(government_id=actor.government_id)
    if actor.role in WHOLE_GOVERNMENT_ROLES or actor.role is Role.BUDGET_TEAM:
        return qs
    if actor.role is Role.VILLAGE_OPERATOR:
        return qs.filter(village_code=actor.region_code) if actor.region_code else qs.none()
    if actor.role is Role.DISTRICT_OPERATOR:
        if not actor.region_code:
            return qs.none()
        return qs.filter(Q(district_code=actor.region_code)
                         | Q(village_code__startswith=actor.region_code + "."))
    if actor.role is Role.AGENCY_PLANNER:
        return qs.filter(agency_id=actor.agency_id) if actor.agency_id else qs.none()
    if actor.role is Role.COUNCILLOR:
        name = " ".join(actor.councillor_name.split())
        return qs.filter(channel=Channel.POKIR.value, councillor_name__iexact=name) if name else qs.none()
    return qs.none()
