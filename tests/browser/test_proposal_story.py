"""The main story in a real Chromium: from a village's proposal to the agency's Renja draft,
and a citizen following it on the public tracker."""

from __future__ import annotations

import pytest

from tests.browser.pages import follow, new_context, shot, signed_in
from tests.browser.proposal_world import ROAD, VILLAGE, build_world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_proposal_story(live_server, browser):
    from selaras.web.proposals.models import Proposal

    world = build_world()
    base = live_server.url

    # 1. The village operator enters the village's first-ranked proposal.
    page = signed_in(browser, base, "desa")
    page.goto(f"{base}/usulan/baru/")
    assert page.input_value("#id_village_code") == VILLAGE
    page.fill("#id_title", "Rehabilitasi jalan desa Sukamaju")
    page.fill("#id_description", "Jalan rusak berat sepanjang 800 m, dilalui anak sekolah setiap hari.")
    page.fill("#id_address", "Dusun II RT 03/RW 01")
    page.fill("#id_latitude", "-6.245100")
    page.fill("#id_longitude", "107.152300")
    page.fill("#id_volume", "800")
    page.select_option("#id_unit", "m")
    page.fill("#id_estimated_cost", "450000000")
    page.fill("#id_priority_rank", "1")
    page.select_option("#id_agency", str(world.pupr.pk))
    page.fill("#id_sub_activity_code", ROAD)
    shot(page, "01-desa-isi-usulan")
    follow(page, "#proposal-form button[type=submit]")
    page.wait_for_selector("#trail")
    proposal = Proposal.objects.get(government=world.gov)
    assert page.inner_text("#stage") == "Musrenbang Kecamatan"
    shot(page, "02-desa-usulan-tersimpan")
    page.context.close()

    # 2. The camat ranks it at the Musrenbang Kecamatan and forwards it to the agency.
    page = signed_in(browser, base, "camat")
    page.goto(f"{base}/usulan/kecamatan/")
    page.fill(f"input[name=rank_{proposal.pk}]", "1")
    page.check(f"input[name=forward_{proposal.pk}]")
    page.fill("#id_reason", "Disepakati Musrenbang Kecamatan, prioritas 1.")
    shot(page, "03-camat-peringkat")
    follow(page, "button[name=forward]")
    page.wait_for_selector(".messages")
    assert "diteruskan" in page.inner_text(".messages")
    page.context.close()

    # 3. The agency accepts it with changes.
    page = signed_in(browser, base, "perencana_pupr")
    page.goto(f"{base}/usulan/verifikasi/")
    follow(page, f"text={proposal.number}")
    page.wait_for_selector("#decision")
    page.select_option("#id_outcome", "accepted_with_changes")
    page.fill("#id_new_volume", "600")
    page.fill("#id_new_cost", "330000000")
    page.fill("#id_reason", "Volume disesuaikan dengan pagu indikatif Dinas PUPR.")
    shot(page, "04-pd-keputusan")
    follow(page, "#decision button[type=submit]")
    page.wait_for_selector(".messages")
    assert page.inner_text("#status") == "Diterima"
    assert "600" in page.inner_text("#volume")
    shot(page, "05-pd-diterima")

    # 4. It is on the agency's Renja draft list.
    page.goto(f"{base}/usulan/renja/")
    text = page.inner_text("main")
    assert proposal.number in text and ROAD in text and "330.000.000" in text
    shot(page, "06-daftar-usulan-masuk-renja")
    page.context.close()

    # 5. A citizen without login finds it on the public tracker, with every decision and reason.
    context = new_context(browser)
    page = context.new_page()
    response = page.goto(f"{base}/publik/usulan/{proposal.number}/")
    shot(page, "07-publik-lacak-usulan")
    assert response is not None and response.status == 200, "the public tracker page is not there yet"
    text = page.inner_text("body")
    for reason in ("Disepakati Musrenbang Kecamatan, prioritas 1.",
                   "Volume disesuaikan dengan pagu indikatif Dinas PUPR."):
        assert reason in text
    assert "Diterima dengan perubahan" in text and "Diteruskan" in text
    context.close()
