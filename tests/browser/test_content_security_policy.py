"""In a real Chromium, the Content-Security-Policy refuses nothing on our pages: htmx, our own
script and the offline Swagger UI at /api/docs all run under it (no inline script or style)."""

from __future__ import annotations

import os

import pytest

from tests.browser.proposal_world import PASSWORD, build_world
from tests.browser.test_proposal_story import CHROMIUM_ARGS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy_without_violations(live_server) -> None:
    world = build_world()
    base = live_server.url
    refused: list[str] = []
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        try:
            context = chromium.new_context(locale="id-ID")
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.on("console", lambda message: refused.append(message.text)
                    if "Content Security Policy" in message.text else None)

            page.goto(f"{base}/api/docs")  # Swagger UI from our static files, offline
            page.wait_for_selector(".swagger-ui .info .title")
            assert "Selaras API" in page.inner_text(".swagger-ui .info .title")

            page.goto(f"{base}/masuk/")
            page.fill("#id_username", "desa")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            page.goto(f"{base}/usulan/")
            page.goto(f"{base}/publik/")
            page.goto(f"{base}/halaman-yang-tidak-ada/")
        finally:
            chromium.close()
    assert world is not None
    assert refused == [], refused
