"""Pure transition rules of the proposal lifecycle.

A proposal's stage and status are never set by hand: they are replayed from its decisions.
Each channel enters at one stage; the entry decision (`submitted`) moves the proposal to the
stage that decides next (`Proposal.stage` is the stage awaiting a decision). The paths are

    Musrenbang:  village -> district -> agency_forum --------> regency -> budget_team
    Pra-Renja:                          agency_forum --------> regency -> budget_team
    Pokir, aspirations, Musrenbang kab/kota entries: agency_verification -> regency -> budget_team

Village and kecamatan forums forward; agencies (at the Forum Perangkat Daerah or in their
verification of Pokir), Bappeda (Musrenbang kab/kota) and the budget team accept. Merge, postpone, reject and return keep the proposal at its stage. The last
decision may be corrected by a new decision at the same stage, as long as the next stage has
not decided yet: the correction replaces the effect of the decision it corrects, while both
stay in the log. A proposal returned for correction is resubmitted with a new `submitted`
decision at the stage that returned it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from selaras.domain.channels import CHANNELS
from selaras.domain.errors import TransitionRefused
from selaras.domain.proposals import (
    Channel,
    Outcome,
    ProposalStatus,
    Stage,
)

__all__ = [
    "ENTRY_STAGE",
    "STAGE_AFTER_ENTRY",
    "NEXT_STAGE",
    "FORWARDING_STAGES",
    "ACCEPTING_STAGES",
    "State",
    "initial_state",
    "apply",
    "replay",
    "decidable_stages",
    "allowed_outcomes",
    "in_renja",
]

#: Where each channel records its `submitted` decision, and the stage that decides next (from
#: the channel registry, so a new channel brings its own path).
ENTRY_STAGE: dict[Channel, Stage] = {c: s.entry_stage for c, s in CHANNELS.items()}
STAGE_AFTER_ENTRY: dict[Channel, Stage] = {c: s.stage_after_entry for c, s in CHANNELS.items()}

#: Where a positive decision at a stage sends the proposal (the budget team is the last).
#: Kecamatan results go to the Forum Perangkat Daerah (Permendagri 86/2017).
NEXT_STAGE: dict[Stage, Stage] = {
    Stage.VILLAGE: Stage.DISTRICT,
    Stage.DISTRICT: Stage.AGENCY_FORUM,
    Stage.AGENCY_FORUM: Stage.REGENCY,
    Stage.POKIR_SUBMISSION: Stage.AGENCY_VERIFICATION,
    Stage.AGENCY_VERIFICATION: Stage.REGENCY,
    Stage.REGENCY: Stage.BUDGET_TEAM,
    Stage.BUDGET_TEAM: Stage.BUDGET_TEAM,
}

FORWARDING_STAGES = frozenset({Stage.VILLAGE, Stage.DISTRICT, Stage.POKIR_SUBMISSION})
ACCEPTING_STAGES = frozenset({Stage.AGENCY_FORUM, Stage.AGENCY_VERIFICATION, Stage.REGENCY, Stage.BUDGET_TEAM})
_KEEPING = (Outcome.MERGED, Outcome.POSTPONED, Outcome.REJECTED, Outcome.RETURNED)


@dataclass(frozen=True)
class State:
    """Where a proposal stands: the stage awaiting a decision, and its status."""

    stage: Stage
    status: ProposalStatus


def initial_state(channel: Channel) -> State:
    """A proposal before its entry decision: a draft at its channel's entry stage."""
    return State(ENTRY_STAGE[channel], ProposalStatus.DRAFT)


def allowed_outcomes(stage: Stage) -> tuple[Outcome, ...]:
    """Outcomes a decider may record at `stage` (besides the proposer's `submitted`)."""
    positive = (Outcome.FORWARDED, Outcome.ACCEPTED_WITH_CHANGES) if stage in FORWARDING_STAGES else (
        Outcome.ACCEPTED, Outcome.ACCEPTED_WITH_CHANGES)
    return (*positive, *_KEEPING)


def _refuse(reason: str, **facts: object) -> TransitionRefused:
    return TransitionRefused(reason=reason, **facts)


def apply(channel: Channel, state: State, stage: Stage, outcome: Outcome) -> State:
    """The state after a decision `outcome` at `stage`; `TransitionRefused` (an InvalidInput)
    when not allowed there."""
    if outcome is Outcome.SUBMITTED:
        if state.status is ProposalStatus.DRAFT and stage is ENTRY_STAGE[channel]:
            return State(STAGE_AFTER_ENTRY[channel], ProposalStatus.IN_REVIEW)
        if state.status is ProposalStatus.RETURNED and stage is state.stage:
            return State(state.stage, ProposalStatus.IN_REVIEW)
        raise _refuse("resubmit_not_returned")
    if state.status is ProposalStatus.DRAFT:
        raise _refuse("not_submitted")
    if stage is not state.stage:
        raise _refuse("wrong_stage", current=state.stage.value, stage=stage.value)
    if outcome not in allowed_outcomes(stage):
        raise _refuse("outcome_unavailable", outcome=outcome.value, stage=stage.value)
    if outcome in _KEEPING:
        return State(stage, ProposalStatus(outcome.value))
    status = ProposalStatus.IN_REVIEW if stage in FORWARDING_STAGES else ProposalStatus.ACCEPTED
    return State(NEXT_STAGE[stage], status)


def replay(channel: Channel, decisions: Iterable[tuple[Stage, Outcome]]) -> State:
    """Replay a decision log (oldest first) into the current state.

    A decision at the stage of the previous decision, made after that decision moved the
    proposal on, is a correction: it is applied to the state before the corrected decision.
    """
    history: list[tuple[State, Stage]] = []  # (state before the decision, stage of the decision)
    state = initial_state(channel)
    for stage, outcome in decisions:
        if history and stage is not state.stage and history[-1][1] is stage and outcome is not Outcome.SUBMITTED:
            state = history.pop()[0]
        before = state
        state = apply(channel, state, stage, outcome)
        history.append((before, stage))
    return state


def decidable_stages(state: State, last_decision_stage: Stage | None,
                     last_outcome: Outcome | None = None) -> tuple[Stage, ...]:
    """Stages at which a decision may be recorded now: the current stage, and the stage of
    the last decision (to correct it) when that decision moved the proposal on."""
    if state.status is ProposalStatus.DRAFT:
        return ()
    stages = [state.stage]
    if (last_decision_stage is not None and last_decision_stage is not state.stage
            and last_outcome is not Outcome.SUBMITTED):
        stages.append(last_decision_stage)
    return tuple(stages)


def in_renja(state: State) -> bool:
    """True when the proposal belongs in its agency's Renja draft: accepted by the agency (at the
    Forum Perangkat Daerah or its verification) and not turned down later."""
    return state.status is ProposalStatus.ACCEPTED and state.stage in (Stage.REGENCY, Stage.BUDGET_TEAM)
