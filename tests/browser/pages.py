"""What every browser test does with a page: open a context, sign in, follow a link or a form to the
page it leads to, save a screenshot."""

from __future__ import annotations

from pathlib import Path

from tests.browser.proposal_world import PASSWORD
from tests.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "browser"


def new_context(browser, *, phone: bool = False, width: int = 1280, timeout_ms: int = 15_000):
    viewport = {"width": 390, "height": 844} if phone else {"width": width, "height": 900}
    context = browser.new_context(locale="id-ID", viewport=viewport, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(timeout_ms)
    return context


def sign_in(page, base: str, username: str, password: str = PASSWORD):
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    follow(page, "button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def signed_in(browser, base: str, username: str, *, width: int = 1280):
    return sign_in(new_context(browser, width=width).new_page(), base, username)


def follow(page, target) -> None:
    """Click a link or a form's button (a selector or a locator) and wait for the page it leads to, so
    what is read next is the new page, never the one being left."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()


def shot(page, name: str, folder: Path = SHOTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
