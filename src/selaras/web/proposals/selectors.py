"""Read queries of the proposal cycle, always narrowed to what the user may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum

from selaras.domain import lifecycle
from selaras.domain.errors import InvalidInput
from selaras.domain.proposals import STAGE_LABELS, Channel, Outcome, ProposalStatus, Stage
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency, LocalGovernment, RenjaLine
from selaras.web.plans.templatetags.selaras_format import format_number, format_rupiah
from selaras.web.proposals.models import Decision, Proposal, StageWindow
from selaras.web.proposals.permissions import can, membership_of, scope_filter
from selaras.web.proposals.windows import window_state

WINDOW_STAGES = (Stage.VILLAGE, Stage.DISTRICT, Stage.AGENCY_FORUM, Stage.POKIR_SUBMISSION,
                 Stage.AGENCY_VERIFICATION, Stage.REGENCY, Stage.BUDGET_TEAM)
WINDOW_STATE_LABELS = {"missing": "Belum dijadwalkan", "not_yet": "Belum dibuka", "open": "Dibuka",
                       "closed": "Ditutup", "closed_manually": "Ditutup oleh Bappeda"}


def government_of(user: AnyUser | None) -> LocalGovernment | None:
    """The government a user works in (a superuser without a role: the first one)."""
    membership = membership_of(user)
    if membership is not None:
        return membership.government
    if getattr(user, "is_superuser", False):
        return LocalGovernment.objects.order_by("id").first()
    return None


def visible(user: AnyUser | None) -> QuerySet[Proposal]:
    return scope_filter(user, Proposal.objects.select_related("agency", "government"))


def get_visible(user: AnyUser | None, number: str) -> Proposal | None:
    """A proposal by its number as typed (lower case, spaces, short sequence: `domain.proposal_numbers`)."""
    from selaras.domain.proposal_numbers import canonical_number

    return visible(user).filter(number=canonical_number(number) or number.strip()).first()


def decision_trail(proposal: Proposal) -> QuerySet[Decision]:
    return proposal.decisions.select_related("actor", "merged_into").order_by("id")


@dataclass
class Change:
    when: Any
    who: str
    reason: str
    kind: str
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


#: Labels the history says instead of the model's verbose name (the value carries the "Rp" itself).
HISTORY_LABELS = {"estimated_cost": "perkiraan biaya"}
#: Amounts and volumes the Indonesian way, by the product's one number formatting.
HISTORY_FORMATS: dict[str, Callable[[Any], str]] = {
    "estimated_cost": format_rupiah, "volume": format_number,
}


def _renja_line_label(line: RenjaLine) -> str:
    return f"{line.name} ({line.code})"


def _related_names(records: list[Any]) -> dict[str, dict[Any, str]]:
    """Readable names for the foreign keys a history row holds as ids: a Renja line by its name and
    code, an agency by its name, a carried-from proposal by its number, never a database id."""
    ids: dict[str, set[Any]] = {"renja_line": set(), "agency": set(), "carried_from": set(),
                                "government": set(), "created_by": set()}
    for record in records:
        for name, seen in ids.items():
            value = getattr(record, f"{name}_id", None)
            if value is not None:
                seen.add(value)
    from django.contrib.auth import get_user_model

    names: dict[str, dict[Any, str]] = {
        "renja_line": {line.pk: _renja_line_label(line) for line in RenjaLine.objects.filter(pk__in=ids["renja_line"])},
        "agency": {a.pk: str(a) for a in Agency.objects.filter(pk__in=ids["agency"])},
        "carried_from": dict(Proposal.objects.filter(pk__in=ids["carried_from"]).values_list("pk", "number")),
        "government": {g.pk: str(g) for g in LocalGovernment.objects.filter(pk__in=ids["government"])},
        "created_by": {u.pk: u.get_username() for u in get_user_model().objects.filter(pk__in=ids["created_by"])},
    }
    return names


def change_history(proposal: Proposal) -> list[Change]:
    """Every saved version of the proposal: who, when, which fields went from what to what."""
    records = list(proposal.history.select_related("history_user").order_by("history_date", "history_id"))
    labels = {f.name: str(f.verbose_name) for f in Proposal._meta.fields}
    labels.update(HISTORY_LABELS)
    choices = {f.name: {str(k): str(v) for k, v in f.flatchoices} for f in Proposal._meta.fields if f.choices}
    related = _related_names(records)

    def shown(name: str, value: Any) -> Any:
        if value is None or value == "":
            return value
        if name in choices:
            return choices[name].get(str(value), value)
        if name in HISTORY_FORMATS:
            return HISTORY_FORMATS[name](value)
        if name in related:
            return related[name].get(value, "(sudah dihapus)")
        return value

    out: list[Change] = []
    previous = None
    for record in records:
        changes: list[tuple[str, Any, Any]] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [(labels.get(c.field, c.field), shown(c.field, c.old), shown(c.field, c.new))
                       for c in delta.changes]
        user = record.history_user
        out.append(Change(when=record.history_date, who=(user.get_username() if user else "sistem"),
                          reason=record.history_change_reason or "",
                          kind={"+": "dibuat", "~": "diubah", "-": "dihapus"}[record.history_type],
                          fields=changes))
        previous = record
    out.reverse()
    return out


def decidable_stages(proposal: Proposal) -> tuple[Stage, ...]:
    """Stages at which a decision may be recorded now, replayed from the decision log (so the
    answer does not depend on how the stored stage was written, e.g. by a bulk loader)."""
    log = [(Stage(s), Outcome(o)) for s, o in proposal.decisions.order_by("id").values_list("stage", "outcome")]
    try:
        state = lifecycle.replay(Channel(proposal.channel), log)
    except InvalidInput:
        return ()  # a log the rules cannot replay: no new decision until an administrator looks at it
    if not log:
        return lifecycle.decidable_stages(state, None)
    return lifecycle.decidable_stages(state, log[-1][0], log[-1][1])


def stages_user_may_decide(user: AnyUser | None, proposal: Proposal) -> list[Stage]:
    return [s for s in decidable_stages(proposal)
            if can(user, "decide", government=proposal.government_id, channel=proposal.channel,
                   village_code=proposal.village_code, district_code=proposal.district_code,
                   agency=proposal.agency_id, stage=s, councillor_name=proposal.councillor_name)]


def district_queue(user: AnyUser | None, year: int) -> QuerySet[Proposal]:
    return visible(user).filter(year=year, stage=Stage.DISTRICT.value).order_by(
        "district_rank", "village_code", "priority_rank", "id")


def agency_queue(user: AnyUser | None, year: int) -> QuerySet[Proposal]:
    """Proposals awaiting the agency: at the Forum Perangkat Daerah or its verification."""
    return visible(user).filter(year=year, stage__in=[Stage.AGENCY_FORUM.value, Stage.AGENCY_VERIFICATION.value],
                                ).order_by("status", "district_rank", "id")


def unassigned(user: AnyUser | None, year: int) -> QuerySet[Proposal]:
    from django.db.models import Q

    return visible(user).filter(year=year, renja_line__isnull=True).exclude(
        status__in=[ProposalStatus.MERGED.value, ProposalStatus.REJECTED.value, ProposalStatus.POSTPONED.value],
    ).filter(Q(agency__isnull=True) | Q(sub_activity_code="")).order_by("id")


@dataclass
class WindowRow:
    stage: Stage
    label: str
    window: StageWindow | None
    state: str
    state_label: str


def schedule(government: LocalGovernment, year: int) -> list[WindowRow]:
    windows = {w.stage: w for w in StageWindow.objects.filter(government=government, year=year)}
    rows = []
    for stage in WINDOW_STAGES:
        window = windows.get(stage.value)
        state = window_state(window)
        rows.append(WindowRow(stage, STAGE_LABELS[stage], window, state, WINDOW_STATE_LABELS[state]))
    return rows


@dataclass
class RenjaGroup:
    line: RenjaLine
    proposals: list[Proposal]
    total_cost: int


def renja_draft(agency: Agency, year: int) -> list[RenjaGroup]:
    """Lines of the agency's Renja for the year, with the accepted proposals linked to each."""
    lines = RenjaLine.objects.filter(renja__agency=agency, renja__rkpd__year=year).annotate(
        n=Count("proposals"), cost=Sum("proposals__estimated_cost")).filter(n__gt=0).order_by("code", "id")
    linked = Prefetch("proposals", queryset=Proposal.objects.select_related("agency").order_by(
        "district_code", "number"))
    return [RenjaGroup(line, list(line.proposals.all()), int(line.cost or 0))
            for line in lines.prefetch_related(linked)]


def channels_for(user: AnyUser | None) -> list[Channel]:
    """Channels the user may enter proposals in (for the entry form), from the channel registry."""
    from selaras.domain.channels import channels_for_role
    from selaras.domain.roles import Role

    membership = membership_of(user)
    if membership is None:
        return list(Channel) if getattr(user, "is_superuser", False) else []
    return channels_for_role(Role(membership.role))
