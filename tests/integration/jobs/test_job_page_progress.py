"""The job page says what it counts and that a long step is still working.

A selection run reports three steps (read, compute, store); the page said "Menjalankan aturan
seleksi: 1 dari 3", which a planner read as one proposal of three. During an Exact Equal Shares
add-opt run the engine's step lasts up to two minutes without a word, and the page stood still
(worse: a new phase reported within 0.3 s of the last was dropped, so it kept showing the read
step). Now a new phase is always written with the time it started, the page counts "Langkah 2
dari 3", names the rule and its longest duration, and shows the time elapsed at every refresh.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from selaras.domain.selection import Completion, Rule
from selaras.engines.selection.variants import preset
from selaras.web.jobs import models as job_models
from selaras.web.jobs import registry, service
from selaras.web.jobs.models import STEP_UNIT, Job, JobState, duration_text
from selaras.web.plans.models import AnnualPlan, LocalGovernment
from selaras.web.selection import jobs as selection_jobs
from selaras.web.selection.parameters import RunParameters
from selaras.web.selection.services import _computing_phase

pytestmark = pytest.mark.django_db

SEEN: list[tuple[str, int, int, str, bool]] = []


@registry.handler("test.quick_phases", label="Langkah cepat")
def _quick_phases(ctx: registry.JobContext) -> None:
    ctx.progress("membaca", 0, 3, unit=STEP_UNIT)
    ctx.progress("menghitung lama", 1, 3, unit=STEP_UNIT)  # within 0.3 s of the first
    row = Job.objects.get(pk=ctx.job.pk)
    SEEN.append((row.phase, row.done, row.total, row.unit, row.phase_started_at is not None))


@pytest.fixture
def user(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return get_user_model().objects.create_user("perencana", password="x-Selaras-2027!")


def test_a_new_phase_is_written_at_once_with_its_start(user) -> None:  # type: ignore[no-untyped-def]
    SEEN.clear()
    job = service.submit("test.quick_phases", user=user, label="Uji")
    assert job.state == JobState.DONE
    assert SEEN == [("menghitung lama", 1, 3, STEP_UNIT, True)]


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The job page's clock (jobs.models reads timezone.now) stands still: the elapsed times it
    prints do not depend on how long the test takes between writing the job and reading the page
    (CI runs two workers on two cores)."""
    moment = timezone.now()
    monkeypatch.setattr(job_models, "timezone", SimpleNamespace(now=lambda: moment))
    return moment


def _running(user, now: datetime | None = None, **fields: Any) -> Job:  # type: ignore[no-untyped-def]
    now = now or timezone.now()
    values: dict[str, Any] = {"kind": "selection.run", "label": "Seleksi usulan", "user": user,
                              "state": JobState.RUNNING, "started_at": now - timedelta(seconds=75),
                              "phase_started_at": now - timedelta(seconds=70)}
    values.update(fields)
    return Job.objects.create(**values)


def test_running_selection_says_step_and_that_it_still_works(user, frozen_now) -> None:  # type: ignore[no-untyped-def]
    job = _running(user, frozen_now, phase="sedang menghitung usulan terpilih dengan Metode Bagi Rata Eksak "
                               "(Exact Equal Shares), jatah dinaikkan ke titik terbaik (maks. 2 menit)",
                   done=1, total=3, unit=STEP_UNIT)
    client = Client()
    client.force_login(user)
    for headers in ({}, {"HX-Request": "true"}):
        html = client.get(f"/tugas/{job.token}/", headers=headers).content.decode()
        assert "Langkah 2 dari 3:" in html
        assert "1 dari 3" not in html  # the bare count a planner read as proposals
        assert "maks. 2 menit" in html
        assert "Masih bekerja, sudah 1 menit 15 detik (langkah ini 1 menit 10 detik)." in html
        assert 'hx-trigger="every 1s"' in html
    page = client.get(f"/tugas/{job.token}/").content.decode()
    assert "/static/jobs/jobs.css" in page and "<script src=\"http" not in page
    # other jobs say what they count when they say it; a queued job has no clock
    rows = _running(user, kind="proposals.export", phase="Menulis baris", done=1200, total=5000, unit="baris")
    assert "Menulis baris: 1.200 dari 5.000 baris" in client.get(f"/tugas/{rows.token}/").content.decode()
    queued = _running(user, state=JobState.QUEUED, started_at=None, phase_started_at=None)
    html = client.get(f"/tugas/{queued.token}/").content.decode()
    assert "Menunggu giliran" in html and "Masih bekerja" not in html


@pytest.mark.parametrize("token", ["%00", "..", "a" * 5000, "%ff%fe", "abc$", "0" * 32])
def test_hostile_tokens_are_404(user, token: str) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    for suffix in ("", "batal/", "unduh/"):
        response = client.get(f"/tugas/{token}/{suffix}") if suffix != "batal/" else client.post(f"/tugas/{token}/batal/")
        assert response.status_code == 404, (token, suffix, response.status_code)


def test_duration_in_words() -> None:
    assert [duration_text(s) for s in (None, 0, 45, 60, 75, 3600, 3720)] == [
        "", "0 detik", "45 detik", "1 menit", "1 menit 15 detik", "1 jam", "1 jam 2 menit"]


def test_computing_phase_names_the_rule_and_its_longest_time() -> None:
    ees = _computing_phase(Rule.EES, preset("ees-add-opt"), Completion.ADD_OPT, 60.0)
    assert ees == ("sedang menghitung usulan terpilih dengan Metode Bagi Rata Eksak, jatah tiap pendukung "
                   "langsung dinaikkan ke titik terbaik (maks. 2 menit)")
    exact = _computing_phase(Rule.EXACT, None, None, 60.0)
    assert "Pilihan optimal" in exact and "maks. 1 menit" in exact
    greedy = _computing_phase(Rule.GREEDY, None, None, 60.0)
    assert greedy == "sedang menghitung usulan terpilih dengan Urut dukungan terbanyak"
    for rule in Rule:  # the planner reads the rule's one name, never an English one
        phase = _computing_phase(rule, None, None, 60.0)
        assert not re.search(r"Equal Shares|greedy|optimasi", phase), phase


def test_selection_job_reports_steps(demo_district, monkeypatch, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    calls: list[tuple[str, int, int, str]] = []
    original = registry.JobContext.progress

    def recording(self, phase, done=0, total=0, *, force=False, unit=""):  # type: ignore[no-untyped-def]
        calls.append((phase, done, total, unit))
        return original(self, phase, done, total, force=force, unit=unit)

    monkeypatch.setattr(registry.JobContext, "progress", recording)
    gov = LocalGovernment.objects.get(pk=demo_district.government_id)
    year = AnnualPlan.objects.filter(government=gov).order_by("-year").values_list("year", flat=True)[0]
    bappeda = get_user_model().objects.get(username=demo_district.username("bappeda"))
    params = {"year": year, "rule": "greedy", "completion": "", "preset": "",
              "parameters": RunParameters(budget=60_000_000_000).as_json(), "note": ""}
    job = service.submit(selection_jobs.RUN, user=bappeda, label="Seleksi usulan", params=params,
                         government_id=gov.pk)
    assert job.state == JobState.DONE, job.message
    assert [c[1:] for c in calls] == [(0, 3, STEP_UNIT), (1, 3, STEP_UNIT), (2, 3, STEP_UNIT), (3, 3, STEP_UNIT)]
    assert calls[1][0].startswith("sedang menghitung usulan terpilih dengan Urut dukungan terbanyak")
