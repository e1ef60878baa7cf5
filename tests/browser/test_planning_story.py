"""Issue 11's story in a real Chromium: an agency planner drafts Renstra and Renja lines in place and
submits; Bappeda leaves a review note; the agency fixes and answers; Bappeda moves the RKPD and the
Renja to rancangan akhir once the RKPD is enacted; a sinkronisasi error blocks penetapan until fixed; the version
comparison shows exactly the changes. Screenshots in test-artifacts/browser/planning-*.png."""

from __future__ import annotations

import pytest

from tests.browser import pages


def shot(page, name: str) -> None:
    pages.shot(page, f"planning-{name}")


def signed_in(browser, base: str, username: str):
    return pages.signed_in(browser, base, username, width=1400)


def edit_cell(page, cell_id: str, value: str, expect: str = "tersimpan.") -> None:
    """Type into a cell and leave it with Tab: htmx saves it; the status line answers in place."""
    page.evaluate("document.getElementById('status-sel').textContent = ''")  # wait for this save's answer
    page.fill(f"#{cell_id}", value)
    page.press(f"#{cell_id}", "Tab")
    page.wait_for_function("([id, text]) => document.getElementById('status-sel').textContent.includes(text)",
                           arg=["status-sel", expect])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_planning_story(live_server, browser):
    from selaras.web.planning.models import DocumentVersion, ReviewNote
    from selaras.web.plans.models import AgencyAnnualPlan, AnnualPlan, RenjaLine
    from selaras.web.reference.models import NomenclatureItem
    from tests.planning_world import ROAD_NEW, build_plan_world

    pw = build_plan_world()
    base = live_server.url
    renstra, renja = pw.renstra["pupr"], pw.renja["pupr"]
    line = renja.lines.get()
    start = renstra.start_year

    # 1. The agency planner drafts the Renstra: a new sub-activity picked by code, targets and money in place.
    page = signed_in(browser, base, "perencana_pupr")
    page.goto(f"{base}/penyusunan/")
    assert "Renstra Dinas PUPR" in page.inner_text("main") and "Dinas Kesehatan" not in page.inner_text("main")
    pages.follow(page, f"a[href='/penyusunan/renstra/{renstra.pk}/']")
    page.fill("#kode-baru", ROAD_NEW)
    page.wait_for_selector("#kode-info .ok")
    # the name the nomenclature holds (the committed reference data may already carry this code)
    assert NomenclatureItem.objects.filter(code=ROAD_NEW).first().name in page.inner_text("#kode-info")
    pages.follow(page, "form:has(#kode-baru) button")
    page.wait_for_selector(f"tr[data-code='{ROAD_NEW}']")
    new_line = renstra.lines.get(code=ROAD_NEW)
    page.fill(f"#c-renstra_year-{new_line.pk}-target_min-{start}", "0,6")
    page.press(f"#c-renstra_year-{new_line.pk}-target_min-{start}", "Tab")
    page.wait_for_selector(f"#c-renstra_year-{new_line.pk}-target_min-{start}.saved")
    edit_cell(page, f"c-renstra_year-{new_line.pk}-target_max-{start}", "1,8")
    edit_cell(page, f"c-renstra_year-{new_line.pk}-budget-{start}", "750.000.000")
    edit_cell(page, f"c-renstra_year-{new_line.pk}-target_max-{start + 1}", "banyak", expect="angka")
    assert page.get_attribute(f"#c-renstra_year-{new_line.pk}-target_max-{start + 1}", "aria-invalid") == "true"
    shot(page, "01-renstra-sel-diedit")
    # ... and its statements: a strategy under the objective, then its text corrected in place.
    from selaras.web.plans.models import RenstraStrategy

    form = page.locator("form[data-add-item=strategi]")
    form.locator("input[name=uraian]").fill("Pemeliharaan jalan rutin")
    page.wait_for_load_state("networkidle")  # the cell saves above have answered
    pages.follow(page, form.locator("button"))  # a plain form: POST, redirect, the page again
    added = RenstraStrategy.objects.filter(objective__goal__renstra=renstra)
    assert added.exists(), page.inner_text("main")[:3000]  # what the planner saw instead
    page.wait_for_selector("li.item-strategi")
    strategy = added.get()
    edit_cell(page, f"c-renstra_strategy-{strategy.pk}-text", "Pemeliharaan jalan rutin dan berkala")
    assert RenstraStrategy.objects.get(pk=strategy.pk).text == "Pemeliharaan jalan rutin dan berkala"
    shot(page, "01b-renstra-strategi")

    # 2. The Renja: the pagu edited in place, then submitted (rancangan awal -> rancangan).
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    edit_cell(page, f"c-renja_line-{line.pk}-budget", "1.200.000.000")
    edit_cell(page, f"c-renja_line-{line.pk}-forward_target", "5")  # the n+1 target
    edit_cell(page, f"c-renja_line-{line.pk}-note", "Lanjutan ruas tahun lalu")
    shot(page, "02-renja-diedit")
    pages.follow(page, "text=Pindah tahap")
    page.select_option("select[name=tahap]", "rancangan")
    pages.follow(page, "form.card button")
    page.wait_for_selector("[data-stage]")
    assert page.inner_text("[data-stage]") == "Rancangan"
    page.context.close()

    # 3. Bappeda verifies: a note on the line.
    page = signed_in(browser, base, "bappeda")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    page.select_option("select[name=baris]", str(line.pk))
    page.fill(".note-new textarea[name=catatan]", "Target 2027 harus sama dengan target Renstra (4 unit).")
    pages.follow(page, ".note-new button")
    page.wait_for_selector(".note")
    shot(page, "03-bappeda-catatan")
    page.context.close()

    # 4. The agency fixes the target and answers the note.
    page = signed_in(browser, base, "perencana_pupr")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    assert "Target 2027 harus sama" in page.inner_text("#catatan")
    edit_cell(page, f"c-renja_line-{line.pk}-target", "4")
    page.fill(".note-form textarea[name=jawaban]", "Target disesuaikan menjadi 4 unit.")
    page.check(".note-form input[name=selesai]")
    pages.follow(page, ".note-form button")
    page.wait_for_selector(".note.note-resolved")
    shot(page, "04-perangkat-daerah-menjawab")
    page.context.close()
    assert ReviewNote.objects.get().status == "resolved"

    # 5. Bappeda moves the RKPD to rancangan akhir (the RPJMD it follows is enacted); the Renja's final
    #    draft waits for the enacted RKPD (told on the page), then follows it. The Renja's verification
    #    is finished (its note resolved, Bappeda sets "Terverifikasi") before it can be enacted.
    type(pw.rpjmd).objects.filter(pk=pw.rpjmd.pk).update(stage="penetapan")
    page = signed_in(browser, base, "bappeda")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    page.select_option("select[name=status]", "verified")
    pages.follow(page, "form:has(select[name=status]) button")
    assert "Status verifikasi disimpan." in page.inner_text("main")
    for to in ("rancangan", "rancangan_akhir"):
        page.goto(f"{base}/penyusunan/rkpd/{pw.rkpd.pk}/tahap/")
        page.select_option("select[name=tahap]", to)
        pages.follow(page, "form.card button")
        page.wait_for_selector("[data-stage]")
    assert AnnualPlan.objects.get(pk=pw.rkpd.pk).stage == "rancangan_akhir"
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/tahap/")  # told before any form is filled
    assert "harus lebih dulu berada pada tahap Penetapan" in page.inner_text("[data-move-held]")
    assert page.locator("select[name=tahap]").count() == 0
    assert AgencyAnnualPlan.objects.get(pk=renja.pk).stage == "rancangan"
    page.goto(f"{base}/penyusunan/rkpd/{pw.rkpd.pk}/tahap/")
    page.select_option("select[name=tahap]", "penetapan")
    pages.follow(page, "form.card button")
    page.wait_for_selector("[data-stage]")
    assert AnnualPlan.objects.get(pk=pw.rkpd.pk).stage == "penetapan"
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/tahap/")
    page.select_option("select[name=tahap]", "rancangan_akhir")
    pages.follow(page, "form.card button")
    page.wait_for_selector("[data-stage]")
    assert page.inner_text("[data-stage]") == "Rancangan Akhir"
    page.context.close()

    # 6. The agency raises the pagu over its ceiling: the sinkronisasi error blocks penetapan until fixed.
    page = signed_in(browser, base, "perencana_pupr")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    edit_cell(page, f"c-renja_line-{line.pk}-budget", "6.000.000.000")
    page.context.close()
    page = signed_in(browser, base, "bappeda")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/tahap/")
    assert "melebihi pagu indikatif" in page.inner_text(".blocking")
    page.select_option("select[name=tahap]", "penetapan")
    pages.follow(page, "form.card button")
    page.wait_for_selector("p.error")
    assert "tertahan" in page.inner_text("p.error")
    shot(page, "05-penetapan-tertahan")
    assert AgencyAnnualPlan.objects.get(pk=renja.pk).stage == "rancangan_akhir"
    page.context.close()
    page = signed_in(browser, base, "perencana_pupr")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/")
    edit_cell(page, f"c-renja_line-{line.pk}-budget", "1.500.000.000")
    page.context.close()
    page = signed_in(browser, base, "bappeda")
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/tahap/")
    page.select_option("select[name=tahap]", "penetapan")
    pages.follow(page, "form.card button")
    page.wait_for_selector("[data-stage]")
    assert page.inner_text("[data-stage]") == "Penetapan"
    assert page.locator(f"#c-renja_line-{line.pk}-budget").count() == 0  # locked: read only

    # 7. The comparison of rancangan (v1) and penetapan (v3) shows exactly the changes.
    assert DocumentVersion.objects.filter(kind="renja", document_id=renja.pk).count() == 3
    page.goto(f"{base}/penyusunan/renja/{renja.pk}/versi/")
    page.select_option("select[name=a]", "1")
    page.select_option("select[name=b]", "3")
    pages.follow(page, "form.card button")
    page.wait_for_selector("[data-summary]")
    rows = page.locator("table.compare tbody tr")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    assert [(c[3], c[4], c[5]) for c in cells] == [("Target", "3", "4"),
                                                   ("Pagu", "Rp 1.200.000.000", "Rp 1.500.000.000")]
    assert page.inner_text("[data-added]") == "0" and page.inner_text("[data-removed]") == "0"
    shot(page, "06-perbandingan-versi")
    assert RenjaLine.objects.get(pk=line.pk).budget == 1_500_000_000
    page.context.close()
