"""What entry answers, seen in a real Chromium on a phone (390 px): the realisation form opened from
the last row of a long Renja comes into view with its first field focused; a refused entry (above
the line's pagu) comes back in place with its message and the refused field focused (htmx leaves a
4xx unswapped: the 422 is swapped by selaras.js); an error page answering a cell edit (the Renja
enacted meanwhile) is shown beside the cell; the Renja editor's summary follows a pagu edit.
Screenshots in test-artifacts/browser/isian-*.png."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser import pages


def shot(page, name: str) -> None:
    pages.shot(page, f"isian-{name}")


def _in_view(page, selector: str) -> bool:
    return bool(page.evaluate("""(sel) => {
        const box = document.querySelector(sel).getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight;
    }""", selector))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_entry_feedback_on_a_phone(live_server, browser):
    from selaras.web.evaluation.models import Realisation
    from selaras.web.plans.models import AgencyAnnualPlan, RenjaLine
    from tests.planning_world import build_plan_world

    pw = build_plan_world()
    base = live_server.url
    renja = pw.renja["pupr"]
    for n in range(40):  # a Renja long enough that its last rows lie far below the first screen
        RenjaLine.objects.create(renja=renja, code=f"1.03.10.2.01.{1100 + n:04d}", name=f"Sub kegiatan {n}",
                                 unit="km", target=Decimal(2), budget=10_000_000)
    last = RenjaLine.objects.filter(renja=renja).order_by("code").last()
    assert last is not None

    context = pages.new_context(browser, phone=True, timeout_ms=20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    pages.sign_in(page, base, "perencana_pupr")

    # 1. The form opened from the last row: in view, first field focused.
    page.goto(f"{base}/evaluasi/realisasi/{pw.rkpd.year}/pd/{renja.agency_id}/?triwulan=1")
    page.locator(f"#baris-{last.pk} a", has_text="Ubah").click()
    page.wait_for_selector(f"#baris-{last.pk} form")
    page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id",
                           arg=f"v-{last.pk}")
    page.wait_for_function("""(sel) => { const t = document.querySelector(sel).getBoundingClientRect().top;
                                          return t >= 0 && t < window.innerHeight; }""",
                           arg=f"#baris-{last.pk} form")
    assert _in_view(page, f"#baris-{last.pk} form")
    shot(page, "01-form-terlihat")

    # 2. Above the pagu (Rp 10.000.000): the form comes back with the message, the field focused.
    page.fill(f"#s-{last.pk}", "25.000.000")
    page.locator(f"#baris-{last.pk} button[type=submit]").click()
    page.wait_for_selector(f"#baris-{last.pk} p.error[role=alert]")
    assert "melebihi pagu baris Rp 10.000.000" in page.inner_text(f"#baris-{last.pk} p.error")
    page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id",
                           arg=f"s-{last.pk}")
    assert not Realisation.objects.filter(line=last).exists()
    # the message wraps within the screen: its whole width is readable without scrolling sideways
    box = page.locator(f"#baris-{last.pk} p.error").bounding_box()
    assert box is not None and box["width"] <= page.evaluate("window.innerWidth") - 40
    shot(page, "02-melebihi-pagu")
    page.fill(f"#s-{last.pk}", "9.000.000")
    page.locator(f"#baris-{last.pk} button[type=submit]").click()
    page.wait_for_selector(f"#baris-{last.pk}:not(.editing)")
    assert Realisation.objects.get(line=last, quarter=1).spent == 9_000_000

    # 3. The Renja editor: the summary follows a pagu edit; an error page answering a cell is shown.
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    line = RenjaLine.objects.filter(renja=renja).order_by("code").first()
    assert line is not None
    cell = f"#c-renja_line-{line.pk}-budget"
    page.fill(cell, "4.700.000.000")  # 40 x 10 million + 4.7 bn > the 5 bn ceiling
    page.press(cell, "Tab")
    page.wait_for_function("() => document.querySelector('[data-remaining]').textContent.includes('-Rp 100.000.000')")
    assert "belum dapat diajukan" in page.inner_text("#ringkasan-renja")
    page.fill(cell, "-1")
    page.press(cell, "Tab")
    page.wait_for_selector(f"{cell}[aria-invalid=true]")
    assert "tidak boleh negatif" in page.inner_text(f"{cell} + .cell-error")
    shot(page, "03-ringkasan-dan-sel")
    AgencyAnnualPlan.objects.filter(pk=renja.pk).update(stage="penetapan")  # enacted by someone else meanwhile
    page.fill(cell, "4.000.000.000")
    page.press(cell, "Tab")
    page.wait_for_selector("[data-htmx-error]")
    assert "ditetapkan" in page.inner_text("[data-htmx-error]")
    shot(page, "04-galat-halaman")
    assert not errors, errors
    context.close()
