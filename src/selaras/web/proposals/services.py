"""Write use cases of the proposal cycle: entry, decisions, ranking, assignment, Renja links.

Every function takes the acting user first and checks, in this order: scope (who may act
where, `permissions.check_can`), the stage window (`windows.ensure_stage_open`), then the lifecycle
rule (`domain.lifecycle`). Nothing is written before all checks pass. Proposal.stage and
Proposal.status are only ever set here, replayed from the decision log. Decisions are only
ever inserted: a correction is a new decision. Every save carries the acting user for the
change history (django-simple-history).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.transaction import TransactionManagementError

from selaras.domain import lifecycle, proposal_entry
from selaras.domain.errors import InvalidInput, NotPermitted, StageClosed
from selaras.domain.findings import Finding, Location, Severity
from selaras.domain.plans import PlanStage
from selaras.domain.proposals import (
    OUTCOME_LABELS,
    Channel,
    Outcome,
    ProposalStatus,
    Stage,
)
from selaras.domain.scope import district_of
from selaras.web.http import AnyUser
from selaras.web.plans.budgets import refresh_budgets_from_proposals
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    LocalGovernment,
    RenjaLine,
)
from selaras.web.proposals.audit import actor_role_label, stamp
from selaras.web.proposals.messages import sentence
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.proposals.numbering import give_back, take_number
from selaras.web.proposals.permissions import check_can, check_can_on
from selaras.web.proposals.reasons import check_internal_note, check_reason
from selaras.web.proposals.sub_activities import check_sub_activity
from selaras.web.proposals.windows import ensure_stage_open

if TYPE_CHECKING:  # a proposal is entered by a signed-in user
    from django.contrib.auth.models import User

__all__ = [
    "create_proposal", "update_returned", "resubmit", "decide", "rank_district", "awaits_district",
    "forward_ranked", "assign", "rederive",
]



# --- entry --------------------------------------------------------------------------------

#: The area a proposal's coordinates must lie in (no government records its own rectangle yet).
ENTRY_BOUNDS = proposal_entry.INDONESIA


def _refuse(findings: list[Finding]) -> None:
    """Raise InvalidInput with the text of the first error (the entry checks' order); warnings pass."""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        raise InvalidInput(sentence(errors[0]), finding=errors[0].code)


def _check_sub_activity(government: LocalGovernment, code: str) -> str:
    """The code, stripped, if a proposal of `government` may carry it (empty is allowed), else
    InvalidInput: one rule for entry, decisions and assignment (`sub_activities`)."""
    code = (code or "").strip()
    _refuse(check_sub_activity(government, code))
    return code


def _replay(proposal: Proposal, extra: tuple[Stage, Outcome] | None = None) -> lifecycle.State:
    log = [(Stage(s), Outcome(o)) for s, o in proposal.decisions.order_by("id").values_list("stage", "outcome")]
    if extra is not None:
        log.append(extra)
    return lifecycle.replay(Channel(proposal.channel), log)


def _record(user: AnyUser | None, proposal: Proposal, stage: Stage, outcome: Outcome, reason: str,
            **fields: Any) -> Decision:
    return Decision.objects.create(
        proposal=proposal, stage=stage.value, outcome=outcome.value, reason=reason,
        actor=user if user is not None and user.is_authenticated else None,
        actor_role=actor_role_label(user), **fields)


def create_proposal(user: User, *, government: LocalGovernment, year: int, channel: Channel | str, title: str,
                    volume: Any, unit: str, estimated_cost: int, description: str = "",
                    village_code: str = "", district_code: str = "", address: str = "",
                    latitude: Any = None, longitude: Any = None, priority_rank: int | None = None,
                    agency: Agency | None = None, sub_activity_code: str = "", councillor_name: str = "",
                    proposer_name: str = "", reason: str = "", now: datetime | None = None,
                    entry_key: str = "") -> Proposal:
    """Enter a proposal and record its `submitted` decision at the channel's entry stage.

    With an `entry_key` (the entry form's one-time key), the same form sent again by the same user
    returns the proposal stored the first time, marked `entry_repeated`, and stores nothing."""
    channel = Channel(channel)
    check_can(user, "create", government=government, channel=channel, village_code=village_code,
              district_code=district_code or district_of(village_code), agency=agency,
              councillor_name=councillor_name)
    entry = lifecycle.ENTRY_STAGE[channel]
    ceiling = ensure_stage_open(government, year, entry, now, with_ceiling=True).ceiling  # type: ignore[attr-defined]
    checked = proposal_entry.check_entry(channel, {
        "title": title, "volume": volume, "unit": unit, "estimated_cost": estimated_cost,
        "village_code": village_code, "district_code": district_code, "latitude": latitude,
        "longitude": longitude, "councillor_name": councillor_name, "agency": agency,
        "sub_activity_code": sub_activity_code, "address": address, "description": description,
        "priority_rank": priority_rank}, region_code=government.region_code,
        bounds=ENTRY_BOUNDS, budget=int(ceiling) if ceiling else None)
    _refuse(checked.findings)
    _check_sub_activity(government, checked.values["sub_activity_code"])
    if agency is not None and agency.government_id != government.pk:
        raise InvalidInput("Perangkat daerah bukan milik pemerintah daerah ini.")
    clean = checked.values
    # The state after the `submitted` decision, known before anything is written: one INSERT of the
    # proposal (and its history row) instead of a draft row updated by a replay.
    state = lifecycle.replay(channel, [(entry, Outcome.SUBMITTED)])
    direct = not lifecycle.in_renja(state)
    proposal = Proposal(
        government=government, year=year, number="", channel=channel.value,
        stage=(state.stage if direct else entry).value, status=(state.status if direct else ProposalStatus.DRAFT).value,
        title=clean["title"], description=description.strip(), village_code=clean["village_code"],
        district_code=clean["district_code"], address=address.strip(), latitude=clean["latitude"],
        longitude=clean["longitude"], volume=clean["volume"], unit=clean["unit"],
        estimated_cost=clean["estimated_cost"], priority_rank=clean["priority_rank"],
        proposer_name=proposer_name.strip() or (user.get_full_name() or user.get_username()),
        proposer_role=actor_role_label(user), councillor_name=" ".join(councillor_name.split()),
        agency=agency, sub_activity_code=clean["sub_activity_code"], created_by=user, entry_key=entry_key)
    # Entries of one series take their numbers one at a time (the counter row is locked for that
    # one statement): none is refused; a number whose proposal is not stored is given back.
    proposal.number = take_number(government, year, channel)
    try:
        with transaction.atomic():
            stamp(proposal, user, "usulan diajukan" if direct else "usulan dibuat")
            proposal.save()
            _record(user, proposal, entry, Outcome.SUBMITTED, reason.strip() or "Usulan diajukan.")
            if not direct:  # entering straight into a Renja line: the line is found or made as on any decision
                _apply_state(user, proposal, "usulan diajukan")
    except Exception as exc:
        with suppress(DatabaseError, TransactionManagementError):  # best effort: the cause is what counts
            give_back(proposal.number)
        if not isinstance(exc, IntegrityError):
            raise
        # the same form sent again (a double click, a resend): the proposal its first sending stored
        repeated = Proposal.objects.filter(created_by=user, entry_key=entry_key).first() if entry_key else None
        if repeated is None:
            raise
        repeated.entry_repeated = True  # type: ignore[attr-defined]
        return repeated
    # shown to the person who entered it (plausibility warnings never stop an entry)
    proposal.entry_warnings = [sentence(f) for f in checked.warnings]  # type: ignore[attr-defined]
    return proposal


def _apply_state(user: AnyUser | None, proposal: Proposal, why: str) -> None:
    state = _replay(proposal)
    proposal.stage, proposal.status = state.stage.value, state.status.value
    line_before = proposal.renja_line_id
    _sync_renja(user, proposal, state)
    stamp(proposal, user, why)
    proposal.save()
    refresh_budgets_from_proposals([line_before, proposal.renja_line_id], user)  # pagu follows decisions


def update_returned(user: AnyUser | None, proposal: Proposal, *, now: datetime | None = None,
                    **changes: Any) -> Proposal:
    """Correct a proposal returned for correction (what, where, volume, unit, cost)."""
    check_can_on(user, "create", proposal)
    if proposal.status != ProposalStatus.RETURNED.value:
        raise InvalidInput("Usulan hanya dapat diubah setelah dikembalikan untuk perbaikan.")
    ensure_stage_open(proposal.government_id, proposal.year, proposal.stage, now)
    allowed = {"title", "description", "address", "volume", "unit", "estimated_cost", "latitude", "longitude",
               "priority_rank"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput("Kolom tidak dapat diubah: " + ", ".join(sorted(unknown)))
    merged = {k: changes.get(k, getattr(proposal, k)) for k in allowed}
    checked = proposal_entry.check_entry(proposal.channel, merged, region_code="", bounds=ENTRY_BOUNDS,
                                         check_channel=False)
    _refuse(checked.findings)
    clean = checked.values
    proposal.title, proposal.description = clean["title"], str(merged["description"])
    proposal.address, proposal.priority_rank = str(merged["address"]), clean["priority_rank"]
    proposal.volume, proposal.unit, proposal.estimated_cost = clean["volume"], clean["unit"], clean["estimated_cost"]
    proposal.latitude, proposal.longitude = clean["latitude"], clean["longitude"]
    stamp(proposal, user, "usulan diperbaiki")
    proposal.save()
    return proposal


def resubmit(user: AnyUser | None, proposal: Proposal, reason: str, now: datetime | None = None) -> Decision:
    """Send a corrected proposal back to the stage that returned it."""
    check_can_on(user, "create", proposal)
    stage = Stage(proposal.stage)
    ensure_stage_open(proposal.government_id, proposal.year, stage, now)
    reason = check_reason(reason)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _replay(locked, (stage, Outcome.SUBMITTED))
        decision = _record(user, locked, stage, Outcome.SUBMITTED, reason or "Usulan diajukan ulang.")
        _apply_state(user, locked, "usulan diajukan ulang")
    proposal.refresh_from_db()
    return decision


# --- decisions ----------------------------------------------------------------------------

def decide(user: AnyUser | None, proposal: Proposal, *, stage: Stage | str, outcome: Outcome | str, reason: str,
           new_volume: Any = None, new_cost: int | None = None, merged_into: Proposal | None = None,
           postponed_to_year: int | None = None, internal_note: str = "", sub_activity_code: str = "",
           reason_note: str = "", now: datetime | None = None) -> Decision:
    """Record a decision at `stage` and derive the proposal's new stage and status.

    accepted_with_changes needs a new volume or cost; merged needs the proposal it joins;
    postponed needs a later year. An acceptance by the agency links the proposal to a line of
    the agency's draft Renja for the year (created if needed). The `reason` a person typed is
    held to `reasons.MAX_REASON`, and so is the `internal_note`; `reason_note` is what Selaras adds
    after the reason (the kecamatan rank).
    """
    stage, outcome = Stage(stage), Outcome(outcome)
    if outcome is Outcome.SUBMITTED:
        raise InvalidInput("Gunakan pengajuan ulang untuk mengajukan usulan.")
    check_can_on(user, "decide", proposal, stage=stage)
    ensure_stage_open(proposal.government_id, proposal.year, stage, now)
    reason = check_reason(reason)
    if not reason:
        raise InvalidInput("Alasan keputusan wajib diisi.")
    if reason_note:
        reason = f"{reason} {reason_note}"
    fields: dict[str, Any] = {"internal_note": check_internal_note(internal_note)}  # the reason's limit
    if outcome is Outcome.ACCEPTED_WITH_CHANGES and new_volume in (None, "") and new_cost is None:
        raise InvalidInput("Keputusan 'diterima dengan perubahan' harus menyebut volume atau biaya baru.")
    if new_volume not in (None, "") or new_cost is not None:
        if outcome not in (Outcome.ACCEPTED_WITH_CHANGES, Outcome.FORWARDED):
            raise InvalidInput("Volume/biaya baru hanya untuk keputusan diterima dengan perubahan atau diteruskan.")
        found: list[Finding] = []
        if new_volume not in (None, ""):
            fields["new_volume"], found = proposal_entry.check_volume(new_volume, Location(
                column="volume"))
            _refuse(found)
        if new_cost is not None:
            fields["new_cost"], found = proposal_entry.check_cost(new_cost, Location(
                column="estimated_cost"))
            _refuse(found)
    if outcome is Outcome.MERGED:
        if merged_into is None:
            raise InvalidInput("Sebutkan usulan tujuan penggabungan.")
        if merged_into.pk == proposal.pk:
            raise InvalidInput("Usulan tidak dapat digabung ke dirinya sendiri.")
        if merged_into.government_id != proposal.government_id or merged_into.year != proposal.year:
            raise InvalidInput("Usulan hanya dapat digabung ke usulan lain dari daerah dan tahun yang sama.")
        if merged_into.status in (ProposalStatus.MERGED.value, ProposalStatus.REJECTED.value):
            raise InvalidInput("Usulan tujuan sudah digabung atau ditolak.")
        fields["merged_into"] = merged_into
    elif merged_into is not None:
        raise InvalidInput("Usulan tujuan hanya untuk keputusan digabungkan.")
    if outcome is Outcome.POSTPONED:
        if postponed_to_year is None or postponed_to_year <= proposal.year:
            raise InvalidInput(f"Usulan yang ditunda harus menyebut tahun sesudah {proposal.year}.")
        fields["postponed_to_year"] = postponed_to_year
    sub_code = _check_sub_activity(proposal.government, sub_activity_code)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        state = _replay(locked, (stage, outcome))  # raises InvalidInput when the rule refuses
        if sub_code and sub_code != locked.sub_activity_code:
            locked.sub_activity_code = sub_code
        if lifecycle.in_renja(state):
            _require_standing_code(locked)
            _renja_line_for(user, locked)  # refuses before anything is written
        decision = _record(user, locked, stage, outcome, reason, **fields)
        if decision.new_volume is not None:
            locked.volume = decision.new_volume
        if decision.new_cost is not None:
            locked.estimated_cost = decision.new_cost
        _apply_state(user, locked, f"keputusan: {OUTCOME_LABELS[outcome]}")
    proposal.refresh_from_db()
    return decision


def _require_standing_code(proposal: Proposal) -> None:
    """A proposal enters a Renja only on a sub-activity the government's nomenclature lists (the
    rule of entry, `sub_activities.check_sub_activity`): a code stored before the edition changed,
    or imported unchecked, is refused with a request for a valid code."""
    code = proposal.sub_activity_code
    errors = [f for f in check_sub_activity(proposal.government, code) if f.severity is Severity.ERROR]
    if code and errors:
        raise InvalidInput(
            f"Sub kegiatan usulan ini ({code}) tidak berlaku pada nomenklatur pemerintah daerah: "
            f"{sentence(errors[0]).rstrip('.')}. Isi kode sub kegiatan yang sah pada isian 'Kode sub "
            f"kegiatan' keputusan ini sebelum menerima usulan ke Renja.", finding=errors[0].code)


def _renja_line_for(user: AnyUser | None, proposal: Proposal) -> RenjaLine:
    """The draft Renja line of the proposal's agency, year and sub-activity (created if needed)."""
    if proposal.agency_id is None:
        raise InvalidInput("Usulan belum ditugaskan ke perangkat daerah.")
    if not proposal.sub_activity_code:
        raise InvalidInput("Tetapkan sub kegiatan usulan sebelum menerimanya ke Renja.")
    rkpd = AnnualPlan.objects.filter(government_id=proposal.government_id, year=proposal.year).first()
    if rkpd is None:
        rkpd = AnnualPlan(government_id=proposal.government_id, year=proposal.year)
        stamp(rkpd, user, "dibuat dari usulan diterima")
        rkpd.save()
    renja = AgencyAnnualPlan.objects.filter(rkpd=rkpd, agency_id=proposal.agency_id).first()
    if renja is None:
        renja = AgencyAnnualPlan(rkpd=rkpd, agency_id=proposal.agency_id)
        stamp(renja, user, "dibuat dari usulan diterima")
        renja.save()
    if renja.stage == PlanStage.ENACTED.value:
        raise StageClosed(f"Renja {renja.agency} tahun {proposal.year} sudah ditetapkan; usulan tidak dapat masuk.")
    line = renja.lines.filter(code=proposal.sub_activity_code).order_by("id").first()
    if line is None:
        line = RenjaLine(renja=renja, code=proposal.sub_activity_code, name=_sub_activity_name(proposal),
                         unit=proposal.unit, nomenclature_edition=proposal.government.nomenclature_edition,
                         budget_from_proposals=True)
        stamp(line, user, "dibuat dari usulan diterima")
        line.save()
    return line


def _sub_activity_name(proposal: Proposal) -> str:
    from selaras.web.reference.models import NomenclatureItem

    items = NomenclatureItem.objects.filter(code=proposal.sub_activity_code, level="sub_activity")
    item = (items.filter(edition=proposal.government.nomenclature_edition).first()
            or items.order_by("-id").first())
    return item.name[:400] if item is not None else f"Sub kegiatan {proposal.sub_activity_code}"


def _sync_renja(user: AnyUser | None, proposal: Proposal, state: lifecycle.State) -> None:
    if lifecycle.in_renja(state):
        proposal.renja_line = _renja_line_for(user, proposal)
    elif proposal.renja_line_id is not None:
        proposal.renja_line = None


# --- kecamatan ranking and forwarding -------------------------------------------------------

def _numbers(proposals: list[Proposal]) -> str:
    return ", ".join(sorted(p.number for p in proposals))


def _check_ranks(ranks: dict[int, int | None], found: dict[int, Proposal]) -> None:
    """Ranks start at 1 and differ; a refusal names the proposals at fault."""
    below = [found[pk] for pk, rank in ranks.items() if rank is not None and rank < 1]
    if below:
        raise InvalidInput(f"Peringkat dimulai dari 1. Periksa peringkat usulan {_numbers(below)}.")
    holders: dict[int, list[Proposal]] = {}
    for pk, rank in ranks.items():
        if rank is not None:
            holders.setdefault(rank, []).append(found[pk])
    shared = [(rank, group) for rank, group in sorted(holders.items()) if len(group) > 1]
    if shared:
        said = "; ".join(f"peringkat {rank} dipakai usulan {_numbers(group)}" for rank, group in shared)
        raise InvalidInput(f"Setiap usulan harus memiliki peringkat yang berbeda: {said}.")


def rank_district(user: AnyUser | None, government: LocalGovernment, year: int, district_code: str,
                  ranks: dict[int, int | None], now: datetime | None = None) -> int:
    """Set the kecamatan forum's rank on proposals awaiting the kecamatan. Returns rows changed."""
    check_can(user, "decide", government=government, district_code=district_code, stage=Stage.DISTRICT)
    ensure_stage_open(government, year, Stage.DISTRICT, now)
    changed = 0
    with transaction.atomic():
        rows = Proposal.objects.select_for_update().filter(pk__in=list(ranks), government=government, year=year)
        found = {p.pk: p for p in rows}
        if set(found) != set(ranks):
            raise NotPermitted("Sebagian usulan tidak ditemukan di kecamatan Anda.")
        for proposal in found.values():
            check_can_on(user, "decide", proposal, stage=Stage.DISTRICT)
            if proposal.stage != Stage.DISTRICT.value:
                raise InvalidInput(f"Usulan {proposal.number} tidak sedang di Musrenbang Kecamatan.")
        _check_ranks(ranks, found)
        for pk, rank in ranks.items():
            proposal = found[pk]
            if proposal.district_rank != rank:
                proposal.district_rank = rank
                stamp(proposal, user, "peringkat kecamatan")
                proposal.save(update_fields=["district_rank"])
                changed += 1
    return changed


def awaits_district(proposal: Proposal) -> bool:
    """Whether the kecamatan forum has yet to decide on the proposal: the only ones its bulk
    forwarding takes (one already merged, postponed, rejected or returned is changed, if the
    rules allow, on its own page with its own reason)."""
    return proposal.stage == Stage.DISTRICT.value and proposal.status == ProposalStatus.IN_REVIEW.value


def forward_ranked(user: AnyUser | None, proposals: list[Proposal], reason: str, now: datetime | None = None) -> int:
    """Forward proposals awaiting the kecamatan to the agencies, each with the same reason: all or none."""
    text = check_reason(reason) or "Hasil Musrenbang Kecamatan."
    with transaction.atomic():
        # read again under lock: what counts is the state now, not the one the page was made from
        current = Proposal.objects.select_for_update().in_bulk([p.pk for p in proposals])
        decided = [current.get(p.pk, p) for p in proposals if not awaits_district(current.get(p.pk, p))]
        if decided:
            raise InvalidInput(f"Usulan {_numbers(decided)} sudah diputuskan atau tidak menunggu Musrenbang "
                               "Kecamatan; ubah keputusannya melalui halaman usulan masing-masing.")
        for proposal in proposals:
            note = f"(peringkat {proposal.district_rank} di kecamatan)" if proposal.district_rank else ""
            decide(user, proposal, stage=Stage.DISTRICT, outcome=Outcome.FORWARDED, reason=text,
                   reason_note=note, now=now)
    return len(proposals)


# --- Bappeda assignment --------------------------------------------------------------------

def assign(user: AnyUser | None, proposal: Proposal, *, agency: Agency | None, sub_activity_code: str = "") -> Proposal:
    """Bappeda sets the agency and sub-activity of a proposal that lacks them (or corrects them)."""
    check_can(user, "assign", government=proposal.government_id)
    if agency is not None and agency.government_id != proposal.government_id:
        raise InvalidInput("Perangkat daerah bukan milik pemerintah daerah ini.")
    code = _check_sub_activity(proposal.government, sub_activity_code)
    if proposal.renja_line_id is not None:
        raise InvalidInput("Usulan sudah masuk Renja; ubah melalui keputusan perangkat daerah.")
    proposal.agency = agency
    if code:
        proposal.sub_activity_code = code
    stamp(proposal, user, "penugasan Bappeda")
    proposal.save()
    return proposal


# --- bulk loads ----------------------------------------------------------------------------

def rederive(proposals: Any, chunk: int = 2000) -> int:
    """Set stage and status of proposals from their decision logs (after a bulk load that wrote
    rows directly). Returns how many rows changed. Logs the rules cannot replay are left as
    they are and counted in no change. No history rows are written: nothing was decided here."""
    changed: list[Proposal] = []
    ids = list(proposals.values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        logs: dict[int, list[tuple[Stage, Outcome]]] = {pk: [] for pk in part}
        for pk, stage, outcome in Decision.objects.filter(proposal_id__in=part).order_by("id").values_list(
                "proposal_id", "stage", "outcome"):
            logs[pk].append((Stage(stage), Outcome(outcome)))
        for p in Proposal.objects.filter(pk__in=part).only("pk", "channel", "stage", "status"):
            try:
                state = lifecycle.replay(Channel(p.channel), logs[p.pk])
            except InvalidInput:
                continue
            if (p.stage, p.status) != (state.stage.value, state.status.value):
                p.stage, p.status = state.stage.value, state.status.value
                changed.append(p)
        if changed:
            Proposal.objects.bulk_update(changed, ["stage", "status"])
            total += len(changed)
            changed = []
    return total
