"""Stage windows: a stage accepts input only inside the schedule Bappeda publishes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from selaras.domain.errors import InvalidInput, NotPermitted, StageClosed
from selaras.web.proposals import services, windows
from selaras.web.proposals.models import Decision, Proposal, StageWindow
from tests.browser.proposal_world import build_world, village_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def window(world, stage):
    return StageWindow.objects.get(government=world.gov, year=world.year, stage=stage)


def test_missing_window_refuses(world):
    window(world, "village").delete()
    with pytest.raises(StageClosed, match="belum ditetapkan"):
        village_proposal(world)


def test_not_yet_open(world):
    w = window(world, "village")
    w.opens_at = timezone.now() + timedelta(days=2)
    w.save()
    with pytest.raises(StageClosed, match="belum dibuka; dibuka pada"):
        village_proposal(world)


def test_closed_window_names_stage_and_time(world):
    w = window(world, "village")
    windows.open_window(world.bappeda, world.gov, world.year, "village", timezone.now() - timedelta(days=10),
                         timezone.now() - timedelta(days=1))
    with pytest.raises(StageClosed) as caught:
        village_proposal(world)
    w.refresh_from_db()
    closed = timezone.localtime(w.closes_at).strftime("%d-%m-%Y %H:%M WIB")
    assert caught.value.message == f"Tahap Musrenbang Desa/Kelurahan tahun {world.year} sudah ditutup pada {closed}."
    assert not Proposal.objects.filter(government=world.gov).exists()


def test_bappeda_closes_extends_reopens(world):
    p = village_proposal(world)
    w = window(world, "district")
    windows.close_window(world.bappeda, w)
    with pytest.raises(StageClosed, match="ditutup oleh Bappeda"):
        services.decide(world.camat, p, stage="district", outcome="forwarded", reason="x")
    with pytest.raises(StageClosed):
        services.rank_district(world.camat, world.gov, world.year, "32.16.05", {p.pk: 1})
    windows.extend_window(world.bappeda, w, w.closes_at + timedelta(days=3))
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="x")
    assert Decision.objects.filter(proposal=p).count() == 2
    assert [h.history_user for h in w.history.order_by("history_id")][-2:] == [world.bappeda, world.bappeda]


def test_extension_must_move_later(world):
    w = window(world, "district")
    with pytest.raises(InvalidInput, match="sesudah"):
        windows.extend_window(world.bappeda, w, w.closes_at - timedelta(hours=1))
    with pytest.raises(InvalidInput, match="sesudah waktu buka"):
        windows.open_window(world.bappeda, world.gov, world.year, "district", timezone.now(),
                             timezone.now() - timedelta(days=1))


@pytest.mark.parametrize("who", ["camat", "perencana_pupr", "desa", "dprd", "tapd", "bappeda_lain", "tanpa_peran"])
def test_only_bappeda_manages_schedule(world, who):
    w = window(world, "district")
    before = (w.opens_at, w.closes_at, w.closed_manually)
    user = world.users[who]
    with pytest.raises(NotPermitted):
        windows.close_window(user, w)
    with pytest.raises(NotPermitted):
        windows.extend_window(user, w, w.closes_at + timedelta(days=1))
    with pytest.raises(NotPermitted):
        windows.open_window(user, world.gov, world.year, "regency", timezone.now(), timezone.now() + timedelta(1))
    w.refresh_from_db()
    assert (w.opens_at, w.closes_at, w.closed_manually) == before


def test_admin_role_manages_schedule(world):
    w = windows.open_window(world.admin, world.gov, world.year + 1, "village", timezone.now(),
                             timezone.now() + timedelta(days=7))
    assert windows.window_state(w) == "open"


def test_closed_forum_window_blocks_agency_but_not_other_stage(world):
    p = village_proposal(world)
    services.decide(world.camat, p, stage="district", outcome="forwarded", reason="x")
    windows.close_window(world.bappeda, window(world, "agency_forum"))
    with pytest.raises(StageClosed, match="Forum Perangkat Daerah"):
        services.decide(world.perencana_pupr, p, stage="agency_forum", outcome="accepted", reason="x")
    village_proposal(world)  # the village stage is still open
