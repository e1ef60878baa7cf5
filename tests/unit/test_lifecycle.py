"""Pure transition rules: stage and status replayed from decisions."""

from __future__ import annotations

import pytest

from selaras.domain.errors import InvalidInput
from selaras.domain.lifecycle import State, allowed_outcomes, decidable_stages, in_renja, replay
from selaras.domain.proposals import Channel, Outcome, ProposalStatus, Stage
from selaras.web.errors.messages import error_text

V = Channel.VILLAGE_MUSRENBANG


def test_village_proposal_story():
    log = [(Stage.VILLAGE, Outcome.SUBMITTED)]
    assert replay(V, log) == State(Stage.DISTRICT, ProposalStatus.IN_REVIEW)
    log.append((Stage.DISTRICT, Outcome.FORWARDED))
    assert replay(V, log) == State(Stage.AGENCY_FORUM, ProposalStatus.IN_REVIEW)
    log.append((Stage.AGENCY_FORUM, Outcome.ACCEPTED_WITH_CHANGES))
    state = replay(V, log)
    assert state == State(Stage.REGENCY, ProposalStatus.ACCEPTED)
    assert in_renja(state)


def test_no_decision_is_a_draft():
    assert replay(V, []) == State(Stage.VILLAGE, ProposalStatus.DRAFT)


def test_decision_at_wrong_stage_refused():
    with pytest.raises(InvalidInput) as caught:
        replay(V, [(Stage.VILLAGE, Outcome.SUBMITTED), (Stage.AGENCY_VERIFICATION, Outcome.ACCEPTED)])
    assert caught.value.params == {"reason": "wrong_stage", "current": "district", "stage": "agency_verification"}
    assert "Musrenbang Kecamatan" in error_text(caught.value)


def test_kecamatan_cannot_accept_only_forward():
    assert Outcome.ACCEPTED not in allowed_outcomes(Stage.DISTRICT)
    assert Outcome.FORWARDED not in allowed_outcomes(Stage.AGENCY_VERIFICATION)
    with pytest.raises(InvalidInput):
        replay(V, [(Stage.VILLAGE, Outcome.SUBMITTED), (Stage.DISTRICT, Outcome.ACCEPTED)])


def test_correction_replaces_effect_of_corrected_decision():
    log = [(Stage.VILLAGE, Outcome.SUBMITTED), (Stage.DISTRICT, Outcome.FORWARDED),
           (Stage.DISTRICT, Outcome.REJECTED)]
    assert replay(V, log) == State(Stage.DISTRICT, ProposalStatus.REJECTED)
    log.append((Stage.DISTRICT, Outcome.FORWARDED))
    assert replay(V, log) == State(Stage.AGENCY_FORUM, ProposalStatus.IN_REVIEW)


def test_agency_rejection_takes_it_out_of_renja():
    log = [(Stage.VILLAGE, Outcome.SUBMITTED), (Stage.DISTRICT, Outcome.FORWARDED),
           (Stage.AGENCY_FORUM, Outcome.ACCEPTED), (Stage.AGENCY_FORUM, Outcome.REJECTED)]
    state = replay(V, log)
    assert state == State(Stage.AGENCY_FORUM, ProposalStatus.REJECTED)
    assert not in_renja(state)


def test_returned_then_resubmitted():
    log = [(Stage.VILLAGE, Outcome.SUBMITTED), (Stage.DISTRICT, Outcome.RETURNED)]
    assert replay(V, log).status is ProposalStatus.RETURNED
    log.append((Stage.DISTRICT, Outcome.SUBMITTED))
    assert replay(V, log) == State(Stage.DISTRICT, ProposalStatus.IN_REVIEW)


def test_resubmit_without_return_refused():
    with pytest.raises(InvalidInput):
        replay(V, [(Stage.VILLAGE, Outcome.SUBMITTED), (Stage.DISTRICT, Outcome.SUBMITTED)])


def test_pokir_goes_to_agency_then_bappeda_then_budget_team():
    log = [(Stage.POKIR_SUBMISSION, Outcome.SUBMITTED), (Stage.AGENCY_VERIFICATION, Outcome.ACCEPTED),
           (Stage.REGENCY, Outcome.ACCEPTED), (Stage.BUDGET_TEAM, Outcome.ACCEPTED)]
    assert replay(Channel.POKIR, log) == State(Stage.BUDGET_TEAM, ProposalStatus.ACCEPTED)


def test_decidable_stages():
    state = State(Stage.AGENCY_VERIFICATION, ProposalStatus.IN_REVIEW)
    assert decidable_stages(state, Stage.DISTRICT, Outcome.FORWARDED) == (Stage.AGENCY_VERIFICATION, Stage.DISTRICT)
    assert decidable_stages(state, Stage.DISTRICT, Outcome.SUBMITTED) == (Stage.AGENCY_VERIFICATION,)
    assert decidable_stages(State(Stage.VILLAGE, ProposalStatus.DRAFT), None) == ()
