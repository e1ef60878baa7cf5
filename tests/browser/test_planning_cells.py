"""Walkthrough defects of the drafting editor, in a real Chromium: a refused cell's message goes
away once the cell is saved, and a long pagu reads whole in its input."""

from __future__ import annotations

import pytest

from tests.browser import pages


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cell_messages_and_long_amounts(live_server, browser):
    from selaras.web.plans.models import RenstraLineYear
    from tests.planning_world import build_plan_world

    pw = build_plan_world()
    base = live_server.url
    renstra = pw.renstra["pupr"]
    line = renstra.lines.get(level="sub_activity")
    year = renstra.start_year
    ident = f"c-renstra_year-{line.pk}-budget-{year}"
    page = pages.signed_in(browser, base, "perencana_pupr", width=1400)
    page.goto(f"{base}/penyusunan/renstra/{renstra.pk}/")
    cell = f"[id='{ident}']"
    for bad in ("-5000", "abc", "9" * 30):
        page.evaluate("document.getElementById('status-sel').textContent = ''")
        page.fill(cell, bad)
        page.press(cell, "Tab")
        page.wait_for_function("() => document.getElementById('status-sel').textContent !== ''")
        assert page.locator(f"[id='{ident}-e']").count() == 1
    page.fill(cell, "38.351.233.000")
    page.press(cell, "Tab")
    page.wait_for_selector(f"{cell}.saved")
    assert page.locator(".cell-error").count() == 0
    assert RenstraLineYear.objects.get(line=line, year=year).budget == 38_351_233_000
    fits = page.evaluate(f"""() => {{ const el = document.getElementById('{ident}');
        return [el.value, el.scrollWidth <= el.clientWidth]; }}""")
    assert fits == ["38.351.233.000", True]
    page.context.close()
