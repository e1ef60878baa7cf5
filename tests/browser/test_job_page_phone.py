"""A running selection job on a phone (390 x 844) in a real Chromium: the page counts steps in
words ("Langkah 2 dari 3"), names the long computation and its longest duration, and its clock
moves while the step runs (htmx from Selaras' own static files, no outside script, nothing the
Content-Security-Policy refuses); when the job ends the page shows the result link.
Screenshots go to test-artifacts/jobs/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.pages import new_context, shot, sign_in
from tests.browser.proposal_world import PASSWORD
from tests.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "jobs"
PHONE = 390
PHASE = ("sedang menghitung usulan terpilih dengan Metode Bagi Rata Eksak (Exact Equal Shares), "
         "jatah dinaikkan ke titik terbaik (maks. 2 menit)")


def _seconds(text: str) -> int:
    found = re.search(r"sudah (?:(\d+) menit)? ?(?:(\d+) detik)?", text)
    assert found, text
    return int(found.group(1) or 0) * 60 + int(found.group(2) or 0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_running_job_reads_well_and_moves_on_a_phone(live_server, browser) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from selaras.web.jobs.models import STEP_UNIT, Job, JobState

    user = get_user_model().objects.create_user("perencana", password=PASSWORD, is_superuser=True, is_staff=True)
    now = timezone.now()
    job = Job.objects.create(kind="selection.run", label="Seleksi usulan", user=user, state=JobState.RUNNING,
                             phase=PHASE, done=1, total=3, unit=STEP_UNIT,
                             started_at=now - timedelta(seconds=64), phase_started_at=now - timedelta(seconds=61))
    base = live_server.url
    context = new_context(browser, phone=True)
    page = sign_in(context.new_page(), base, "perencana")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)

    page.goto(f"{base}/tugas/{job.token}/")
    progress = page.locator("#job-progress")
    assert "Langkah 2 dari 3:" in progress.inner_text()
    assert "maks. 2 menit" in progress.inner_text()
    before = page.locator("#job-working").inner_text()
    first = _seconds(before)
    # htmx polls every second, so the clock must move; a slow or busy machine (CI runs two
    # workers on two cores) may answer late, so wait for the text to change, generously
    page.wait_for_function("(before) => { const el = document.getElementById('job-working');"
                           " return el !== null && el.innerText !== before; }", arg=before, timeout=15000)
    later = _seconds(page.locator("#job-working").inner_text())
    assert later >= first + 1, (first, later)
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= PHONE and inner == PHONE, (scroll, inner)
    box = page.locator(".job-phase").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    shot(page, "hp-tugas-seleksi-berjalan", SHOTS)

    Job.objects.filter(pk=job.pk).update(state=JobState.DONE, message="Seleksi #7 selesai: 120 usulan terpilih.",
                                         result_url="/seleksi/", finished_at=timezone.now())
    page.wait_for_selector("text=Lihat hasil", timeout=5000)
    assert "Masih bekerja" not in progress.inner_text()
    shot(page, "hp-tugas-seleksi-selesai", SHOTS)
    context.close()
    assert refused == [] and outside == [], (refused, outside)
