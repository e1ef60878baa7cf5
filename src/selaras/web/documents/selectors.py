"""What the document page offers a user: the kinds, the scopes within reach, the years with data."""

from __future__ import annotations

from dataclasses import dataclass, field

from selaras.domain.roles import Role
from selaras.web.documents.catalogue import DocKind, ScopeKind, kinds_for
from selaras.web.documents.services import ALL, agencies, districts
from selaras.web.http import AnyUser
from selaras.web.plans.models import AnnualPlan, LocalGovernment
from selaras.web.proposals.models import Proposal


@dataclass
class Offer:
    kind: DocKind
    scopes: list[tuple[str, str]] = field(default_factory=list)  # (value, label)


def years(government: LocalGovernment) -> list[int]:
    found = set(AnnualPlan.objects.filter(government=government).values_list("year", flat=True))
    found |= set(Proposal.objects.filter(government=government).values_list("year", flat=True).distinct())
    return sorted(found, reverse=True)


def _scopes(user: AnyUser, kind: DocKind, government: LocalGovernment) -> list[tuple[str, str]]:
    membership = getattr(user, "membership", None)
    role = Role(membership.role) if membership is not None else None
    if kind.scope is ScopeKind.GOVERNMENT:
        return [("", government.name)]
    if kind.scope is ScopeKind.DISTRICT:
        if role is Role.DISTRICT_OPERATOR and membership is not None:
            return [(c, f"Kecamatan {n}") for c, n in districts(government) if c == membership.region_code]
        return [(c, f"Kecamatan {n}") for c, n in districts(government)] + [(ALL, "Semua kecamatan (ZIP)")]
    if role is Role.AGENCY_PLANNER and membership is not None:
        return [(str(a.pk), a.name) for a in agencies(government) if a.pk == membership.agency_id]
    return [(str(a.pk), a.name) for a in agencies(government)] + [(ALL, "Semua perangkat daerah (ZIP)")]


def offers(user: AnyUser, government: LocalGovernment) -> dict[str, list[Offer]]:
    """Kinds grouped for the page, each with the scopes the user may choose."""
    grouped: dict[str, list[Offer]] = {}
    for kind in kinds_for(user):
        scopes = _scopes(user, kind, government)
        if scopes:
            grouped.setdefault(kind.group, []).append(Offer(kind, scopes))
    return grouped
