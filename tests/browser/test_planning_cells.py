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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_tabs_on_one_cell(live_server, browser):
    """Two tabs show the same Renja: the second tab's save of a cell the first changed meanwhile is
    refused with the current value shown in it; its save of another cell of the line goes through,
    and so does its next save of the refused cell (it now shows the stored value)."""
    from selaras.web.plans.models import RenjaLine
    from tests.planning_world import build_plan_world

    pw = build_plan_world()
    base = live_server.url
    renja = pw.renja["pupr"]
    line = renja.lines.get()
    first = pages.signed_in(browser, base, "perencana_pupr", width=1400)
    second = first.context.new_page()
    for page in (first, second):
        page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    budget, name = f"#c-renja_line-{line.pk}-budget", f"#c-renja_line-{line.pk}-name"
    first.fill(budget, "1.200.000.000")
    first.press(budget, "Tab")
    first.wait_for_selector(f"{budget}.saved")
    second.fill(budget, "900.000.000")
    second.press(budget, "Tab")
    second.wait_for_selector(f"{budget}[aria-invalid=true]")
    assert "pengguna lain" in second.inner_text(f"{budget} + .cell-error")
    assert second.input_value(budget) == "1.200.000.000"
    assert RenjaLine.objects.get(pk=line.pk).budget == 1_200_000_000
    second.fill(name, "Jalan lingkungan")
    second.press(name, "Tab")
    second.wait_for_selector(f"{name}.saved")
    second.fill(budget, "900.000.000")
    second.press(budget, "Tab")
    second.wait_for_selector(f"{budget}.saved")
    saved = RenjaLine.objects.get(pk=line.pk)
    assert (saved.budget, saved.name) == (900_000_000, "Jalan lingkungan")
    first.context.close()
