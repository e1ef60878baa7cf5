"""The lifecycle rules replay the demo generator's decision logs, and `rederive` repairs rows
written directly by a bulk loader."""

from __future__ import annotations

import pytest

from selaras.demo import generate_district
from selaras.domain.lifecycle import replay
from selaras.domain.proposals import Channel, Outcome, Stage
from selaras.web.proposals import services
from selaras.web.proposals.models import Proposal
from tests.browser.proposal_world import build_world, village_proposal


def test_every_demo_log_replays_to_the_demo_status():
    district = generate_district("32.15", "small", 1)
    logs: dict[int, list[tuple[Stage, Outcome]]] = {}
    d = district.decisions
    for i in range(len(d)):
        logs.setdefault(d.proposal[i], []).append((Stage(d.stage[i]), Outcome(d.outcome[i])))
    p = district.proposals
    for i in range(len(p)):
        state = replay(Channel(p.channel[i]), logs.get(i, []))
        assert state.status.value == p.status[i], p.number[i]


@pytest.mark.django_db
def test_rederive_sets_stage_and_status_from_decisions():
    world = build_world()
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="Disepakati.")
    Proposal.objects.filter(pk=p.pk).update(stage="village", status="draft")  # as a bulk loader might
    assert services.rederive(Proposal.objects.filter(government=world.gov)) == 1
    p.refresh_from_db()
    assert (p.stage, p.status) == ("agency_forum", "in_review")
    assert services.rederive(Proposal.objects.filter(government=world.gov)) == 0
