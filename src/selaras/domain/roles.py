"""Roles of the people who use Selaras, each scoped to where they work."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Role", "ROLE_LABELS", "role_label"]


class Role(StrEnum):
    VILLAGE_OPERATOR = "village_operator"
    DISTRICT_OPERATOR = "district_operator"
    AGENCY_PLANNER = "agency_planner"
    PLANNING_AGENCY = "planning_agency"
    ADMIN = "admin"
    COUNCILLOR = "councillor"
    BUDGET_TEAM = "budget_team"


ROLE_LABELS: dict[Role, str] = {
    Role.VILLAGE_OPERATOR: "Operator Desa/Kelurahan",
    Role.DISTRICT_OPERATOR: "Operator Kecamatan / Camat",
    Role.AGENCY_PLANNER: "Perencana Perangkat Daerah",
    Role.PLANNING_AGENCY: "Perencana Bappeda",
    Role.ADMIN: "Administrator",
    Role.COUNCILLOR: "Anggota DPRD",
    Role.BUDGET_TEAM: "Tim Anggaran (TAPD)",
}


def role_label(value: str) -> str:
    """A role value ('planning_agency') as its label; stored labels and other text pass through."""
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return value
