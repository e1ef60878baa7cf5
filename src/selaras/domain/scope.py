"""Who may do what, and where: pure scope rules for the proposal cycle.

Every write in the proposal cycle is checked against the actor's role and the place the
actor works (a village, a kecamatan, an agency, a councillor's own Pokir, or the whole
government). The rules live here, free of Django, so that the web services, the bulk import
and the tests share one definition. `refusal()` returns a Bahasa Indonesia reason or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from selaras.domain.channels import CHANNELS
from selaras.domain.proposals import STAGE_LABELS, Channel, Stage
from selaras.domain.roles import Role

__all__ = [
    "Action",
    "Actor",
    "Target",
    "refusal",
    "is_permitted",
    "district_of",
    "in_district",
    "same_councillor",
    "WHOLE_GOVERNMENT_ROLES",
    "DECIDING_ROLES",
]


class Action(StrEnum):
    """The writes of the proposal cycle that are checked for scope."""

    CREATE = "create"  # enter a proposal (or edit/resubmit one returned for correction)
    DECIDE = "decide"  # record a decision at a stage
    ASSIGN = "assign"  # set agency / sub-activity of a proposal
    IMPORT = "import"  # bulk import of proposals (per row: same scope as create)
    MANAGE_SCHEDULE = "manage_schedule"  # open, extend, close stage windows


ACTION_LABELS: dict[Action, str] = {
    Action.CREATE: "mengajukan usulan",
    Action.DECIDE: "memberi keputusan",
    Action.ASSIGN: "menetapkan perangkat daerah/sub kegiatan",
    Action.IMPORT: "mengimpor usulan",
    Action.MANAGE_SCHEDULE: "mengatur jadwal tahapan",
}

#: Roles that see and act on the whole government (Bappeda and the administrator).
WHOLE_GOVERNMENT_ROLES = frozenset({Role.PLANNING_AGENCY, Role.ADMIN})

#: Which roles record decisions at which stage (the admin may act at every stage).
DECIDING_ROLES: dict[Stage, frozenset[Role]] = {
    Stage.VILLAGE: frozenset({Role.VILLAGE_OPERATOR, Role.ADMIN}),
    Stage.DISTRICT: frozenset({Role.DISTRICT_OPERATOR, Role.ADMIN}),
    Stage.AGENCY_FORUM: frozenset({Role.AGENCY_PLANNER, Role.ADMIN}),
    Stage.AGENCY_VERIFICATION: frozenset({Role.AGENCY_PLANNER, Role.ADMIN}),
    Stage.REGENCY: frozenset({Role.PLANNING_AGENCY, Role.ADMIN}),
    Stage.POKIR_SUBMISSION: frozenset({Role.PLANNING_AGENCY, Role.ADMIN}),
    Stage.BUDGET_TEAM: frozenset({Role.BUDGET_TEAM, Role.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    """The person acting. `role` None means a visitor without a role (the public)."""

    role: Role | None
    government_id: int | None = None
    region_code: str = ""  # village code (village operator) or kecamatan code (district operator)
    agency_id: int | None = None
    councillor_name: str = ""
    is_superuser: bool = False


@dataclass(frozen=True)
class Target:
    """What the action touches: a proposal (existing or about to be entered) or a schedule."""

    government_id: int
    channel: Channel | None = None
    village_code: str = ""
    district_code: str = ""
    agency_id: int | None = None
    stage: Stage | None = None
    councillor_name: str = ""


def district_of(village_code: str) -> str:
    """The kecamatan code `PP.KK.CC` of a village code `PP.KK.CC.NDDD` (or of itself)."""
    parts = village_code.strip().split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else ""


def in_district(target: Target, district_code: str) -> bool:
    """True when the target lies in the kecamatan `district_code`."""
    if not district_code:
        return False
    place = target.district_code or district_of(target.village_code)
    return place == district_code


def same_councillor(a: str, b: str) -> bool:
    """Councillor names compared without case and extra spaces."""
    na, nb = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return bool(na) and na == nb


def _may_submit(role: Role, channel: Channel | None) -> bool:
    """No channel asks about entry in general; otherwise the channel registry says."""
    return channel is None or CHANNELS[channel].may_submit(role)


def _create_refusal(actor: Actor, target: Target) -> str | None:
    role, channel = actor.role, target.channel
    if role in WHOLE_GOVERNMENT_ROLES:
        return None
    if role is Role.VILLAGE_OPERATOR:
        if not _may_submit(role, channel):
            return "Operator desa/kelurahan hanya dapat mengajukan usulan Musrenbang Desa/Kelurahan."
        if not actor.region_code or target.village_code != actor.region_code:
            return "Usulan ini berada di luar desa/kelurahan Anda."
        return None
    if role is Role.DISTRICT_OPERATOR:
        if not _may_submit(role, channel):
            return "Operator kecamatan hanya dapat mengajukan usulan Musrenbang Desa/Kelurahan dan Kecamatan."
        if not in_district(target, actor.region_code):
            return "Usulan ini berada di luar kecamatan Anda."
        return None
    if role is Role.AGENCY_PLANNER:
        if not _may_submit(role, channel):
            return "Perencana perangkat daerah hanya dapat mengajukan usulan Pra-Renja."
        if actor.agency_id is None or target.agency_id != actor.agency_id:
            return "Usulan Pra-Renja hanya dapat diajukan untuk perangkat daerah Anda sendiri."
        return None
    if role is Role.COUNCILLOR:
        if not _may_submit(role, channel):
            return "Anggota DPRD hanya dapat mengajukan usulan Pokir."
        if not same_councillor(target.councillor_name, actor.councillor_name):
            return "Anggota DPRD hanya dapat mengajukan Pokir atas namanya sendiri."
        return None
    return "Peran Anda tidak dapat mengajukan usulan."


def _decide_refusal(actor: Actor, target: Target) -> str | None:
    stage = target.stage
    if stage is None:
        return "Tahap keputusan tidak diketahui."
    role = actor.role
    if role not in DECIDING_ROLES[stage]:
        return f"Peran Anda tidak memberi keputusan pada tahap {STAGE_LABELS[stage]}."
    if role is Role.VILLAGE_OPERATOR and (not actor.region_code or target.village_code != actor.region_code):
        return "Usulan ini berada di luar desa/kelurahan Anda."
    if role is Role.DISTRICT_OPERATOR and not in_district(target, actor.region_code):
        return "Usulan ini berada di luar kecamatan Anda."
    if role is Role.AGENCY_PLANNER and (actor.agency_id is None or target.agency_id != actor.agency_id):
        return "Usulan ini tidak ditugaskan kepada perangkat daerah Anda."
    return None


def refusal(actor: Actor, action: Action, target: Target) -> str | None:
    """Why `actor` may not do `action` on `target` (Bahasa Indonesia), or None when permitted.

    Rules: a visitor without a role may write nothing; everyone acts only inside their own
    government; Bappeda and the administrator act on the whole government; a village operator
    on their own village, a district operator (camat) on villages of their own kecamatan, an
    agency planner on proposals assigned to their own agency, a councillor on their own Pokir,
    the budget team only at the budget-team stage. `import` follows the rules of `create` per
    row; without a channel it asks whether the actor may import at all.
    """
    if actor.is_superuser:
        return None
    if actor.role is None:
        return "Anda harus masuk dengan peran yang sesuai untuk " + ACTION_LABELS[action] + "."
    if actor.government_id is None or actor.government_id != target.government_id:
        return "Data ini milik pemerintah daerah lain."
    if action in (Action.CREATE, Action.IMPORT):
        if action is Action.IMPORT and actor.role is Role.BUDGET_TEAM:
            return "Tim anggaran tidak dapat mengimpor usulan."
        return _create_refusal(actor, target)
    if action is Action.DECIDE:
        return _decide_refusal(actor, target)
    if action in (Action.ASSIGN, Action.MANAGE_SCHEDULE):
        if actor.role in WHOLE_GOVERNMENT_ROLES:
            return None
        return f"Hanya Bappeda yang dapat {ACTION_LABELS[action]}."
    return "Tindakan tidak dikenal."  # pragma: no cover - Action is closed


def is_permitted(actor: Actor, action: Action, target: Target) -> bool:
    """True when `refusal()` finds no reason to refuse."""
    return refusal(actor, action, target) is None
