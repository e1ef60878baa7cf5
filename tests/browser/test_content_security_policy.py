"""In a real Chromium, the Content-Security-Policy refuses nothing on our pages: htmx, our own
script and the offline Swagger UI at /api/docs all run under it (no inline script or style)."""

from __future__ import annotations

import pytest

from tests.browser.pages import new_context, sign_in
from tests.browser.proposal_world import build_world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy_without_violations(live_server, browser) -> None:
    world = build_world()
    base = live_server.url
    refused: list[str] = []
    context = new_context(browser, timeout_ms=20_000)
    page = context.new_page()
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)

    page.goto(f"{base}/api/docs")  # Swagger UI from our static files, offline
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Selaras API" in page.inner_text(".swagger-ui .info .title")

    sign_in(page, base, "desa")
    page.goto(f"{base}/usulan/")
    page.goto(f"{base}/publik/")
    page.goto(f"{base}/halaman-yang-tidak-ada/")
    context.close()
    assert world is not None
    assert refused == [], refused
