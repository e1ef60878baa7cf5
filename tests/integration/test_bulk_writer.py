"""One way to write proposals in bulk: the import and the demo loader number and audit like the form.

The service path (`services.create_proposal`) is the reference: its number format, its decision
rows (actor and actor's role) and its change-history rows. The bulk writer must leave the same.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from selaras.formats import proposal_table as pt
from selaras.formats.xlsx_util import stream_workbook
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals import services
from selaras.web.proposals.import_service import import_file, reference_sets
from selaras.web.proposals.models import AppendOnlyError, Decision, Proposal, StageWindow
from selaras.web.proposals.numbering import number_prefix
from tests.browser.proposal_world import build_world, village_proposal

YEAR = 2031
CHANNEL = "agency_draft"
NUMBER = re.compile(r"^\d{4}-\d{4}-[A-Z]{2}-\d{6}$")
SRC = Path(__file__).resolve().parents[2] / "src" / "selaras"


@pytest.fixture
def setting(demo_district):
    """The demo government, its admin (with membership) and the Pra-Renja window of YEAR open."""
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    user = get_user_model().objects.get(username=demo_district.username("admin"))
    now = timezone.now()
    StageWindow.objects.create(government=government, year=YEAR, stage="agency_forum",
                               opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    refs = reference_sets(government)
    village = sorted(refs.village_codes)[0]
    agency = Agency.objects.get(government=government, code=sorted(refs.agency_codes)[0])
    return government, user, village, agency, sorted(refs.sub_activity_codes)[0]


def _import(government, user, village: str, agency: Agency, sub: str, n: int):
    headers = [c.header for c in pt.columns_for(CHANNEL)]
    rows = [[agency.code, sub, f"Usulan impor {i}", "Kebutuhan lapangan", village.rsplit(".", 1)[0], village,
             "Lokasi", 10, "paket", 5_000_000, ""] for i in range(n)]
    content = stream_workbook("Usulan", headers, rows, [12] * len(headers)).getvalue()
    outcome = import_file(content, "uji.xlsx", government=government, channel=CHANNEL, year=YEAR, user=user)
    assert outcome.ok and outcome.imported == n, outcome.messages(3)
    return list(Proposal.objects.filter(government=government, year=YEAR, title__startswith="Usulan impor")
                .order_by("id"))


def _audit(proposal: Proposal) -> tuple[object, ...]:
    """What the audit trail says of a proposal's entry, apart from free texts and times."""
    decision = proposal.decisions.order_by("id").first()
    history = list(proposal.history.order_by("history_id"))
    return (proposal.created_by_id, decision.stage, decision.outcome, decision.actor_id, decision.actor_role,
            history[0].history_type, {h.history_user_id for h in history}, (history[-1].stage, history[-1].status))


def test_import_numbers_and_audits_like_the_service_path(setting):
    government, user, village, agency, sub = setting
    imported = _import(government, user, village, agency, sub, 3)
    entered = services.create_proposal(
        user, government=government, year=YEAR, channel=CHANNEL, title="Usulan dari formulir", volume="10",
        unit="paket", estimated_cost=5_000_000, village_code=village, agency=agency, sub_activity_code=sub)
    prefix = number_prefix(government.region_code, YEAR, CHANNEL)
    assert [p.number for p in imported] == [f"{prefix}{i:06d}" for i in (1, 2, 3)]
    assert entered.number == f"{prefix}000004"  # one series for the form and the import
    assert all(NUMBER.match(p.number) for p in [*imported, entered])
    for proposal in imported:
        assert _audit(proposal) == _audit(entered)
        assert proposal.history.count() == 1 and proposal.decisions.count() == 1


def test_demo_loader_numbers_and_audits_like_the_service_path(demo_district):
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    proposals = Proposal.objects.filter(government=government)
    numbers = list(proposals.values_list("number", "channel", "year"))
    assert all(NUMBER.match(n) and n.startswith(number_prefix(government.region_code, y, c))
               for n, c, y in numbers)
    # one creation row in the change history per proposal, like a proposal entered in the form
    created = Proposal.history.filter(government_id=government.pk, history_type="+")
    assert created.count() == len(numbers)
    assert set(created.values_list("history_change_reason", flat=True)) == {"dimuat dari data contoh"}
    # every proposal has its submission decision with the role that took it
    first = Decision.objects.filter(proposal__government=government, outcome="submitted")
    assert first.values("proposal").distinct().count() == len(numbers)
    assert "" not in set(first.values_list("actor_role", flat=True))


def test_purge_removes_one_government_log_and_nothing_else(demo_district):
    world = build_world()
    kept = village_proposal(world).decisions.get()
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    log = Decision.objects.filter(proposal__government=government)
    assert log.exists()
    with pytest.raises(AppendOnlyError):
        log.delete()
    removed = Decision.objects.purge_government(government)
    assert removed > 0 and not log.exists()
    assert Decision.objects.filter(pk=kept.pk).exists()


def test_only_the_demo_app_purges_a_decision_log() -> None:
    """The purge is for replacing a demo district: no product module calls it."""
    callers = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                     if "purge_government(" in path.read_text(encoding="utf-8")
                     and "web/demo/" not in path.as_posix())
    assert callers == ["web/proposals/models.py"]  # where it is defined
