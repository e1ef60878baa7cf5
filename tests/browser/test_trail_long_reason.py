"""A decision reason of one 2.000-character word (a long URL) wraps inside its cell of the decision
trail, on the internal proposal page and on the public tracker, on a phone (390 px) and on a desktop
(1280 px): the table once stretched to ~19.300 px. Screenshots in test-artifacts/browser/hp/."""

from __future__ import annotations

import pytest

from tests.browser.pages import new_context, shot, sign_in
from tests.browser.proposal_world import build_world, village_proposal
from tests.conftest import ARTIFACTS

LONG_REASON = "https://example.org/notulen/" + "a" * 1972


def _fits(page, table: str, width: int, where: str) -> None:
    scroll, trail = page.evaluate(
        "sel => [document.documentElement.scrollWidth, document.querySelector(sel).scrollWidth]", table)
    assert scroll <= width and trail <= width, (where, scroll, trail)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [True, False], ids=["390px", "1280px"])
def test_long_reason_wraps_in_the_decision_trails(live_server, browser, phone):
    from selaras.web.proposals import services

    world = build_world()
    proposal = village_proposal(world)
    services.decide(world.camat, proposal, stage="district", outcome="forwarded", reason=LONG_REASON)
    base = live_server.url
    width = 390 if phone else 1280
    context = new_context(browser, phone=phone, width=width)
    page = sign_in(context.new_page(), base, "camat")
    page.goto(f"{base}/usulan/{proposal.number}/")
    assert LONG_REASON[:40] in page.inner_text("#trail")
    _fits(page, "#trail", width, "internal")
    shot(page, f"jejak-alasan-panjang-{width}", ARTIFACTS / "browser" / "hp")
    page.goto(_public_url(base, proposal.number))
    assert LONG_REASON[:40] in page.inner_text("table.trail")
    _fits(page, "table.trail", width, "public")
    shot(page, f"jejak-alasan-panjang-publik-{width}", ARTIFACTS / "browser" / "hp")
    context.close()


def _public_url(base: str, number: str) -> str:
    from django.urls import reverse

    return base + reverse("public:proposal", args=[number])
