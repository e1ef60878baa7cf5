"""A removal asks first (found by a user walkthrough: one click on 'Hapus' deleted a Renja line with
its target and pagu, and removed an RPJMD mission with everything below it). In a real Chromium: the
question names the line; 'Batal' keeps it, 'OK' removes it."""

from __future__ import annotations

import pytest

from tests.browser import pages


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_deleting_a_renja_line_asks_first(live_server, browser):
    from selaras.web.plans.models import RenjaLine
    from tests.planning_world import build_plan_world

    pw = build_plan_world()
    base = live_server.url
    renja = pw.renja["pupr"]
    line = renja.lines.get()
    page = pages.signed_in(browser, base, "perencana_pupr")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    asked: list[str] = []

    def cancel(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.click(f"tr[data-code='{line.code}'] button:has-text('Hapus')")
    page.wait_for_timeout(300)
    assert asked and line.code in asked[0] and asked[0].startswith("Hapus baris")
    assert RenjaLine.objects.filter(pk=line.pk).exists() and page.url.endswith(f"/penyusunan/renja/{renja.pk}/")

    page.once("dialog", lambda dialog: dialog.accept())
    pages.follow(page, f"tr[data-code='{line.code}'] button:has-text('Hapus')")
    assert "Baris dihapus." in page.inner_text("main")
    assert not RenjaLine.objects.filter(pk=line.pk).exists()
    page.context.close()
