"""Postponed proposals carried into the next year's cycle, with their history.

A proposal postponed (`ditunda`) to year N is entered again in the cycle of year N: a new
proposal of the same channel, place, agency, sub-activity, volume and cost, entered by Bappeda
through the ordinary entry path (scope, stage window, entry checks, numbering). Its `submitted`
decision cites the original ("Lanjutan usulan <nomor> tahun <tahun> yang ditunda: <alasan>"), so
the public history of both proposals tells the story, and `Proposal.carried_from` links the new
proposal to the original; the original stays as it was (postponed), its own log untouched.
Carrying twice is refused per proposal (the link, or for proposals carried before the link
existed, the citation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction

from selaras.domain.errors import InvalidInput, NotPermitted
from selaras.domain.findings import Severity
from selaras.domain.proposals import Outcome, ProposalStatus
from selaras.domain.scope import WHOLE_GOVERNMENT_ROLES
from selaras.web.errors.messages import error_text
from selaras.web.http import AnyUser
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.proposals.permissions import actor_for

__all__ = ["CarryResult", "carry_postponed", "carryable", "carried_from", "MARKER"]

MARKER = "Lanjutan usulan "
_CITED = re.compile(r"^Lanjutan usulan (\S+) ")


@dataclass
class CarryResult:
    carried: list[tuple[str, str]] = field(default_factory=list)  # (original number, new number)
    already: list[str] = field(default_factory=list)
    #: Proposals left where they are, each with the reason (a sub-activity code the nomenclature
    #: no longer lists, another refusal of the entry checks): the others are carried all the same.
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _postponed_to(proposal_ids: list[int]) -> dict[int, tuple[int | None, str]]:
    """The latest postponement of each proposal: (year it was postponed to, reason)."""
    latest: dict[int, tuple[int | None, str]] = {}
    for pid, year, reason in Decision.objects.filter(proposal_id__in=proposal_ids, outcome=Outcome.POSTPONED.value
                                                     ).order_by("created_at", "id").values_list(
            "proposal_id", "postponed_to_year", "reason"):
        latest[pid] = (year, reason)
    return latest


def _already_carried(government: LocalGovernment, year: int) -> set[str]:
    linked = set(Proposal.objects.filter(government=government, year=year, carried_from__isnull=False).values_list(
        "carried_from__number", flat=True))
    reasons = Decision.objects.filter(proposal__government=government, proposal__year=year,
                                      outcome=Outcome.SUBMITTED.value, reason__startswith=MARKER).values_list(
        "reason", flat=True)
    return linked | {m.group(1) for m in (_CITED.match(r) for r in reasons) if m}


def carryable(government: LocalGovernment, to_year: int) -> list[Proposal]:
    """Proposals postponed to `to_year` (from earlier cycles) not carried yet."""
    postponed = list(Proposal.objects.filter(government=government, year__lt=to_year,
                                             status=ProposalStatus.POSTPONED.value).order_by("id"))
    to = _postponed_to([p.pk for p in postponed])
    done = _already_carried(government, to_year)
    return [p for p in postponed if to.get(p.pk, (None, ""))[0] == to_year and p.number not in done]


def carried_from(proposal: Proposal) -> str | None:
    """The number of the proposal this one continues, or None."""
    if proposal.carried_from_id is not None:
        return str(Proposal.objects.filter(pk=proposal.carried_from_id).values_list("number", flat=True).get())
    reason = Decision.objects.filter(proposal=proposal, outcome=Outcome.SUBMITTED.value).order_by(
        "created_at", "id").values_list("reason", flat=True).first()
    match = _CITED.match(reason or "")
    return match.group(1) if match else None


def carry_postponed(user: AnyUser | None, government: LocalGovernment, to_year: int) -> CarryResult:
    """Enter every proposal postponed to `to_year` in that year's cycle (Bappeda). A proposal the
    entry refuses (its sub-activity code outside the nomenclature, say) is skipped and reported in
    `skipped`, never the whole batch; a stage window closed (StageClosed) still refuses it all."""
    actor = actor_for(user)
    if not (actor.is_superuser or (actor.role in WHOLE_GOVERNMENT_ROLES and actor.government_id == government.pk)):
        raise NotPermitted("Hanya Bappeda yang dapat membawa usulan yang ditunda ke siklus tahun berikutnya.")
    result = CarryResult()
    originals = carryable(government, to_year)
    reasons = _postponed_to([p.pk for p in originals])
    with transaction.atomic():
        for original in originals:
            why = reasons[original.pk][1]
            refused = _refusal(government, original)
            if refused:
                result.skipped.append((original.number, refused))
                continue
            try:
                with transaction.atomic():  # one proposal refused by the entry checks leaves the others
                    new = _carry(user, government, to_year, original, why)
            except InvalidInput as exc:
                result.skipped.append((original.number, error_text(exc)))
                continue
            result.carried.append((original.number, new.number))
    return result


def _refusal(government: LocalGovernment, original: Proposal) -> str:
    """Why a postponed proposal cannot be carried as it stands ('' when it can): its sub-activity
    code is no longer one the government's nomenclature lists (`sub_activities.check_sub_activity`,
    the rule of entry). It is reported, so Bappeda can enter it again with a valid code."""
    from selaras.web.proposals.messages import sentence
    from selaras.web.proposals.sub_activities import check_sub_activity

    errors = [f for f in check_sub_activity(government, original.sub_activity_code) if f.severity is Severity.ERROR]
    return sentence(errors[0]) if errors else ""


def _carry(user: AnyUser | None, government: LocalGovernment, to_year: int, original: Proposal, why: str) -> Proposal:
    from selaras.web.proposals.services import create_proposal

    new = create_proposal(
        user,  # type: ignore[arg-type]  # a signed-in Bappeda user (checked above)
        government=government, year=to_year, channel=original.channel, title=original.title,
        volume=original.volume, unit=original.unit, estimated_cost=original.estimated_cost,
        description=original.description, village_code=original.village_code,
        district_code=original.district_code, address=original.address, latitude=original.latitude,
        longitude=original.longitude, priority_rank=original.priority_rank, agency=original.agency,
        sub_activity_code=original.sub_activity_code, councillor_name=original.councillor_name,
        proposer_name=original.proposer_name,
        reason=f"{MARKER}{original.number} tahun {original.year} yang ditunda: {why}"[:2000])
    new.carried_from = original
    new.save(update_fields=["carried_from"])
    return new
