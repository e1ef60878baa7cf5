"""Import limits through the web (issue 13): the crafted workbook, a zip bomb, the upload size,
the rows per import and one running import per user. Each refusal is a Bahasa message, never a
500; the server answers the next request; nothing is written and the upload is removed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from selaras.formats import proposal_table as pt
from selaras.web.accounts.models import Membership
from selaras.web.jobs.models import Job
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals.models import Proposal, StageWindow
from tests.unit.crafted_workbooks import bomb_workbook, far_cell_workbook

YEAR = 2031
CHANNEL = "agency_draft"
HEADERS = [c.header for c in pt.columns_for(CHANNEL)]


@pytest.fixture
def operator(demo_district, client, settings, tmp_path, monkeypatch):
    """A logged-in planning-agency user with the entry window open; imports run in the request."""
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    settings.MEDIA_ROOT = str(tmp_path)
    user = get_user_model().objects.create(username="bappeda_batas")
    Membership.objects.create(user=user, government=government, role="planning_agency")
    now = timezone.now()
    StageWindow.objects.create(government=government, year=YEAR, stage="agency_forum",
                               opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    client.force_login(user)
    return government, user


def _post(client, government, data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post("/usulan/impor/", {"government": government.pk, "channel": CHANNEL, "year": YEAR,
                                          "file": upload})


def _jobs(tmp: str) -> list[Path]:
    """The folders of the import jobs (one per Job row of kind proposals.import)."""
    return [Path(tmp) / "tugas" / token for token in
            Job.objects.filter(kind="proposals.import").values_list("token", flat=True)]


def _files(job: Path) -> list[str]:
    return sorted(p.name for p in job.iterdir()) if job.is_dir() else []


def _csv(rows: int) -> bytes:
    return (",".join(HEADERS) + "\n" + "".join(f"x,y,Usulan {i}\n" for i in range(rows))).encode()


@pytest.mark.parametrize(("data", "expected"), [
    (far_cell_workbook(with_a1=True), "Berkas terlalu besar: 1048575 baris data; paling banyak 200000 baris"),
    (far_cell_workbook(), "Berkas terlalu besar: 1048575 baris data"),
    (bomb_workbook(40), "isinya memuai"),
], ids=["A1-and-XFD1048576", "only-XFD1048576", "zip-bomb"])
def test_hostile_workbook_refused_with_a_message(operator, client, settings, data, expected):
    government, _ = operator
    started = time.perf_counter()
    response = _post(client, government, data, "usulan.xlsx")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert time.perf_counter() - started < 5
    assert page.status_code == 200 and expected in page.content.decode()
    assert "Tidak ada usulan yang diimpor" in page.content.decode()
    assert f"tahun {YEAR}<" in page.content.decode()  # a year, not a number with a thousands dot
    assert Proposal.objects.filter(government=government, year=YEAR).count() == 0
    [job] = _jobs(settings.MEDIA_ROOT)
    assert Job.objects.get().state == "done"
    assert not [p for p in _files(job) if p.startswith("upload")]  # the upload is removed
    assert client.get("/usulan/impor/").status_code == 200  # the server still answers


def test_upload_over_the_size_limit_refused_before_reading(operator, client, settings):
    government, _ = operator
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = _post(client, government, _csv(90_000), "usulan.csv")  # ~1.7 MB
    assert response.status_code == 413
    html = response.content.decode()
    assert "Berkas terlalu besar" in html and "paling besar 1 MB" in html
    assert not _jobs(settings.MEDIA_ROOT) and not (Path(settings.MEDIA_ROOT) / "tugas").exists()
    assert client.get("/usulan/impor/").status_code == 200


def test_file_just_over_the_limit_stopped_while_reading(operator, client, settings):
    """Within the request's slack: the upload handler stops at the limit and discards the rest."""
    government, _ = operator
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = _csv(1)
    data += b"#" * (1024 * 1024 + 1000 - len(data))  # over 1 MB, within the request's slack
    response = _post(client, government, data, "usulan.csv")
    assert response.status_code == 413
    assert "paling besar 1 MB" in response.content.decode()


def test_size_refusal_keeps_csrf_on_the_upload(operator, settings):
    """The page is csrf_exempt only to check the size first: a post without the token is still refused."""
    from django.test import Client

    government, user = operator
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    upload = io.BytesIO(_csv(2))
    upload.name = "u.csv"
    response = strict.post("/usulan/impor/", {"government": government.pk, "channel": CHANNEL, "year": YEAR,
                                              "file": upload})
    assert response.status_code == 403
    assert not _jobs(settings.MEDIA_ROOT) and not (Path(settings.MEDIA_ROOT) / "tugas").exists()


def test_rows_per_import_limit(operator, client, settings):
    government, _ = operator
    settings.IMPORT_MAX_ROWS = 5
    response = _post(client, government, _csv(6), "usulan.csv")
    page = client.get(response["Location"]).content.decode()
    assert "Berkas terlalu besar: lebih dari 5 baris data; paling banyak 5 baris per impor" in page
    assert Proposal.objects.filter(government=government, year=YEAR).count() == 0


def _running_job(tmp: str, user, pid: int, filename: str = "besar.xlsx", state: str = "running") -> Path:
    """An import job as the worker leaves it while it writes (its upload still in its folder)."""
    job = Job.objects.create(token="a" * 32, kind="proposals.import", label=f"Impor usulan: {filename}", user=user,
                             params={"filename": filename, "channel": CHANNEL, "year": YEAR, "valid_only": False},
                             state=state, phase="Menyimpan usulan" if state == "running" else "", done=1, total=2,
                             pid=pid if state == "running" else None,
                             started_at=timezone.now() if state == "running" else None)
    path = Path(tmp) / "tugas" / job.token
    path.mkdir(parents=True)
    (path / "upload.xlsx").write_bytes(b"PK")
    return path


def _job(path: Path) -> Job:
    return Job.objects.get(token=path.name)


def test_second_import_of_the_same_user_refused(operator, client, settings):
    government, user = operator
    _running_job(settings.MEDIA_ROOT, user, os.getpid())
    response = _post(client, government, _csv(2), "kedua.csv")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Impor Anda yang lain masih berjalan" in html and "besar.xlsx" in html and "aaaaaaaa" in html
    assert f"/usulan/impor/{'a' * 32}/" in html  # the message links to the running import
    assert len(_jobs(settings.MEDIA_ROOT)) == 1  # nothing stored for the refused upload
    assert _files(Path(settings.MEDIA_ROOT) / "tugas" / ("a" * 32)) == ["upload.xlsx"]


def test_limit_of_imports_per_user_is_a_setting(operator, client, settings):
    government, user = operator
    settings.IMPORT_MAX_JOBS_PER_USER = 2
    _running_job(settings.MEDIA_ROOT, user, os.getpid())
    response = _post(client, government, _csv(2), "kedua.csv")
    assert response.status_code == 302 and len(_jobs(settings.MEDIA_ROOT)) == 2


def test_orphaned_import_does_not_block_and_is_marked_failed(operator, client, settings):
    government, user = operator
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    orphan = _running_job(settings.MEDIA_ROOT, user, gone.pid)
    first = client.get(f"/usulan/impor/{orphan.name}/progres/")  # the page stops polling
    assert first.status_code == 200 and first["HX-Refresh"] == "true"
    assert _job(orphan).state == "failed" and not (orphan / "upload.xlsx").exists()
    (orphan / "upload.xlsx").write_bytes(b"PK")
    Job.objects.filter(token=orphan.name).update(state="running", message="")
    response = _post(client, government, _csv(2), "kedua.csv")
    assert response.status_code == 302
    job = _job(orphan)
    assert job.state == "failed" and "terhenti" in job.message
    assert not (orphan / "upload.xlsx").exists()
    assert "Impor gagal" in client.get(f"/usulan/impor/{orphan.name}/").content.decode()


def test_import_that_has_not_ended_in_an_hour_is_an_orphan(operator, client, settings):
    government, user = operator
    stale = _running_job(settings.MEDIA_ROOT, user, os.getpid(), state="queued")
    Job.objects.filter(token=stale.name).update(created_at=timezone.now() - timedelta(hours=2))
    assert _post(client, government, _csv(2), "kedua.csv").status_code == 302
    assert _job(stale).state == "failed" and not (stale / "upload.xlsx").exists()


def test_another_users_import_is_not_found(operator, client, settings):
    _, user = operator
    job = _running_job(settings.MEDIA_ROOT, user, os.getpid())
    other = get_user_model().objects.create(username="orang_lain_batas")
    client.force_login(other)
    for suffix in ("", "progres/", "ditolak.xlsx"):
        assert client.get(f"/usulan/impor/{job.name}/{suffix}").status_code == 404
    assert client.post(f"/usulan/impor/{job.name}/batalkan/").status_code == 404
    assert _job(job).state == "running" and not _job(job).cancel_requested


@pytest.mark.django_db
def test_alignment_target_import_refuses_crafted_workbook():
    from selaras.web.alignment import services
    from selaras.web.alignment.models import HigherLevelPlan

    result = services.import_higher_targets(io.BytesIO(far_cell_workbook(with_a1=True)))
    assert not result.ok and result.plans == 0 and not HigherLevelPlan.objects.exists()
    assert [services.import_message(f) for f in result.findings] == [
        "Berkas terlalu besar: 1048575 baris data; paling banyak 200000 baris per impor. "
        "Bagi berkas menjadi beberapa bagian."]


def test_proposal_export_writes_formula_titles_as_text(operator, client):
    """Titles like '=1+1' imported from a file come back from the list's Excel export as text."""
    import csv

    import openpyxl

    from selaras.web.proposals.import_service import import_file, reference_sets

    government, _ = operator
    refs = reference_sets(government)
    village, sub, agency = sorted(refs.village_codes)[0], sorted(refs.sub_activity_codes)[0], sorted(refs.agency_codes)[0]
    titles = ["=1+1", "+SUM(A1)", "-2+3", "@x"]  # the import strips a leading tab
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for title in titles:
        writer.writerow([agency, sub, title, "Uraian", village.rsplit(".", 1)[0], village, "Lokasi", 3, "paket",
                         1_000_000, ""])
    outcome = import_file(out.getvalue().encode(), "u.csv", government=government, channel=CHANNEL, year=YEAR)
    assert outcome.imported == len(titles), outcome.messages()
    response = client.get(f"/usulan/ekspor.xlsx?year={YEAR}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), data_only=False).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    found = {c.value for c in cells if c.data_type == "s"}
    assert set(titles) <= found
    assert any(c.data_type == "n" and c.value == 1_000_000 for c in cells)  # numbers stay numbers


def test_cancel_queued_import_stops_it_and_removes_the_upload(operator, client, settings):
    _, user = operator
    job = _running_job(settings.MEDIA_ROOT, user, os.getpid(), state="queued")
    assert "Batalkan" in client.get(f"/usulan/impor/{job.name}/").content.decode()
    response = client.post(f"/usulan/impor/{job.name}/batalkan/")
    assert response.status_code == 302 and response["Location"] == f"/usulan/impor/{job.name}/"
    found = _job(job)
    assert found.state == "cancelled" and "dibatalkan" in found.message
    assert not (job / "upload.xlsx").exists()
    assert "dibatalkan" in client.get(f"/usulan/impor/{job.name}/").content.decode()
    assert client.get(f"/usulan/impor/{job.name}/batalkan/").status_code == 405


def test_cancel_running_import_is_a_request_the_task_sees(operator, client, settings):
    _, user = operator
    job = _running_job(settings.MEDIA_ROOT, user, os.getpid())
    client.post(f"/usulan/impor/{job.name}/batalkan/")
    found = _job(job)
    assert found.state == "running" and found.cancel_requested is True
    assert "Pembatalan diminta" in client.get(f"/usulan/impor/{job.name}/progres/").content.decode()


def test_cancel_during_the_write_keeps_nothing(operator, client, settings, monkeypatch):
    """The cancel request is seen between two batches of the write: the transaction rolls back."""
    from selaras.web.proposals import import_service

    government, _ = operator
    monkeypatch.setattr(import_service, "BATCH_SIZE", 2)
    rows = _valid_rows(government, 6)
    real = import_service.import_file

    def cancel_in_write(*args, **kwargs):
        progress = kwargs["progress"]

        def wrapped(phase, done, total):
            if phase == "simpan":
                Job.objects.filter(kind="proposals.import").update(cancel_requested=True)
            progress(phase, done, total)

        return real(*args, **{**kwargs, "progress": wrapped})

    monkeypatch.setattr(import_service, "import_file", cancel_in_write)
    response = _post(client, government, rows, "usulan.csv")
    job = Job.objects.get(kind="proposals.import")
    assert job.state == "cancelled" and "dibatalkan" in job.message
    assert Proposal.objects.filter(government=government, year=YEAR).count() == 0
    assert "dibatalkan" in client.get(response["Location"]).content.decode()
    assert not _files(_jobs(settings.MEDIA_ROOT)[0])


def _valid_rows(government, n: int) -> bytes:
    import csv

    from selaras.web.proposals.import_service import reference_sets

    refs = reference_sets(government)
    village, sub, agency = sorted(refs.village_codes)[0], sorted(refs.sub_activity_codes)[0], sorted(refs.agency_codes)[0]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for i in range(n):
        writer.writerow([agency, sub, f"Usulan {i}", "Uraian", village.rsplit(".", 1)[0], village, "Lokasi", 3, "paket",
                         1_000_000, ""])
    return out.getvalue().encode()


def test_import_failing_with_memory_error_says_so(operator, client, monkeypatch, settings):
    from selaras.web.jobs import registry
    from selaras.web.proposals import import_service

    government, _ = operator
    assert registry.get("proposals.import").memory_mb == settings.IMPORT_MAX_MEMORY_MB  # the worker's cap

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(import_service, "import_file", exhausted)
    response = _post(client, government, _csv(2), "usulan.csv")
    page = client.get(response["Location"]).content.decode()
    assert "memerlukan memori lebih dari batas per impor" in page
    assert Job.objects.get().state == "failed"
