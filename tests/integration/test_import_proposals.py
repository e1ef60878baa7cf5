"""Bulk import against a real database: all or nothing, valid-only with rejects, CSV, scope, web."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from selaras.domain.proposals import Outcome
from selaras.formats import proposal_table as pt
from selaras.formats.xlsx_util import stream_workbook
from selaras.web.accounts.models import Membership
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.import_service import describe, import_file, reference_sets
from selaras.web.proposals.models import Decision, Proposal, StageWindow

YEAR = 2031
CHANNEL = "agency_draft"
HEADERS = [c.header for c in pt.columns_for(CHANNEL)]


@pytest.fixture
def world(demo_district):
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    refs = reference_sets(government)
    return government, refs


def _rows(refs: pt.ReferenceSets, n: int, seed: int = 3) -> list[list[object]]:
    rng = random.Random(seed)
    villages, subs, agencies = sorted(refs.village_codes), sorted(refs.sub_activity_codes), sorted(refs.agency_codes)
    rows = []
    for i in range(n):
        village = rng.choice(villages)
        rows.append([rng.choice(agencies), rng.choice(subs), f"Usulan uji {i + 1}", "Kebutuhan lapangan",
                     village.rsplit(".", 1)[0], village, f"Lokasi {i}", rng.randint(1, 90), "paket",
                     rng.randint(1, 900) * 100_000, ""])
    return rows


def _xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    return stream_workbook("Usulan", headers, rows, [12] * len(headers)).getvalue()


def _count(government: LocalGovernment) -> int:
    return Proposal.objects.filter(government=government, year=YEAR).count()


def test_one_bad_row_in_ten_thousand_changes_nothing(world):
    government, refs = world
    rows = _rows(refs, 10_000)
    rows[6_789][7] = -4  # Volume of file row 6,791
    outcome = import_file(_xlsx(rows), "pra-renja.xlsx", government=government, channel=CHANNEL, year=YEAR)
    assert outcome.imported == 0 and _count(government) == 0
    assert outcome.total_rows == 10_000 and outcome.rejected == 1
    [finding] = outcome.errors
    assert (finding.code, finding.location.row, finding.location.column) == ("row.volume_not_positive", 6_791, "Volume")
    assert describe(finding) == "Baris 6791, kolom 'Volume': volume harus lebih dari 0 (-4)."


def test_wrong_headers_get_a_clear_message(world):
    government, refs = world
    headers = ["Nama Kegiatan" if h == "Usulan" else h for h in HEADERS]
    outcome = import_file(_xlsx(_rows(refs, 5), headers), "x.xlsx", government=government, channel=CHANNEL,
                          year=YEAR)
    assert outcome.imported == 0 and _count(government) == 0
    messages = outcome.messages()
    assert any(m.startswith("Kolom wajib 'Usulan' tidak ditemukan di baris judul.") for m in messages)
    assert "Kolom 'Nama Kegiatan' tidak dikenal dan diabaikan." in messages


def test_valid_file_imports_exactly_its_rows(world):
    government, refs = world
    user = get_user_model().objects.create(username="pengimpor", is_superuser=True)
    rows = _rows(refs, 1_200)
    outcome = import_file(_xlsx(rows), "pra-renja.xlsx", government=government, channel=CHANNEL, year=YEAR,
                          user=user, check_scope=False)
    assert outcome.ok and outcome.imported == 1_200 and _count(government) == 1_200
    stored = Proposal.objects.filter(government=government, year=YEAR).order_by("number")
    first, last = stored.first(), stored.last()
    assert (first.number, last.number) == (outcome.first_number, outcome.last_number)
    assert first.number.endswith("-000001") and last.number.endswith("-001200")
    assert first.title == "Usulan uji 1" and first.agency.code == rows[0][0] and first.unit == "paket"
    assert first.created_by == user and first.status == "in_review"
    decisions = Decision.objects.filter(proposal__government=government, proposal__year=YEAR)
    assert decisions.count() == 1_200
    assert set(decisions.values_list("outcome", "actor_id")) == {(Outcome.SUBMITTED.value, user.pk)}
    again = import_file(_xlsx(rows[:10]), "lagi.xlsx", government=government, channel=CHANNEL, year=YEAR)
    assert again.first_number.endswith("-001201")  # one series, numbers never reused


def test_valid_only_returns_rejects_workbook(world):
    government, refs = world
    rows = _rows(refs, 300)
    rows[10][8] = "parsec"
    rows[200][0] = "9.99.9.99.9.99.99.9999"
    rows[200][9] = 12.5
    outcome = import_file(_xlsx(rows), "x.xlsx", government=government, channel=CHANNEL, year=YEAR,
                          valid_only=True)
    assert outcome.imported == 298 and outcome.rejected == 2 and _count(government) == 298
    sheet = openpyxl.load_workbook(io.BytesIO(outcome.rejects_xlsx)).active
    got = list(sheet.iter_rows(values_only=True))
    assert list(got[0]) == [*HEADERS, "Baris asal", "Masalah"]
    assert [r[-2] for r in got[1:]] == [12, 202]
    assert got[1][-1] == "Baris 12, kolom 'Satuan': satuan 'parsec' tidak dikenal; pilih dari daftar satuan."
    assert "kode perangkat daerah '9.99.9.99.9.99.99.9999' tidak terdaftar" in got[2][-1]
    assert "biaya harus rupiah bulat" in got[2][-1]
    assert got[1][2] == "Usulan uji 11"  # the row as it was


def test_csv_imports_too(world):
    government, refs = world
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for row in _rows(refs, 50):
        writer.writerow(row)
    outcome = import_file(out.getvalue().encode("utf-8"), "usulan.csv", government=government, channel=CHANNEL,
                          year=YEAR)
    assert outcome.ok and outcome.imported == 50 and _count(government) == 50


def _open_window(government: LocalGovernment, stage: str) -> None:
    now = timezone.now()
    StageWindow.objects.create(government=government, year=YEAR, stage=stage, opens_at=now - timedelta(days=1),
                               closes_at=now + timedelta(days=1))


def test_rows_outside_the_users_scope_are_refused(world):
    government, refs = world
    agencies = list(Agency.objects.filter(government=government).order_by("code")[:2])
    user = get_user_model().objects.create(username="perencana_uji")
    Membership.objects.create(user=user, government=government, role="agency_planner", agency=agencies[0])
    _open_window(government, "agency_forum")
    rows = _rows(refs, 20)
    for i, row in enumerate(rows):
        row[0] = agencies[i % 2].code
    outcome = import_file(_xlsx(rows), "x.xlsx", government=government, channel=CHANNEL, year=YEAR, user=user)
    assert outcome.imported == 0 and outcome.rejected == 10
    assert {f.code for f in outcome.errors} == {"row.out_of_scope"}
    assert outcome.errors[0].location.row == 3


def test_closed_stage_refuses_the_import(world):
    government, refs = world
    user = get_user_model().objects.create(username="bappeda_uji")
    Membership.objects.create(user=user, government=government, role="planning_agency")
    outcome = import_file(_xlsx(_rows(refs, 3)), "x.xlsx", government=government, channel=CHANNEL, year=YEAR,
                          user=user)
    assert outcome.imported == 0 and [f.code for f in outcome.errors] == ["import.stage_closed"]


def test_web_upload_template_result_and_rejects(world, client, monkeypatch, settings, tmp_path):
    government, refs = world
    settings.MEDIA_ROOT = str(tmp_path)
    user = get_user_model().objects.create(username="bappeda_web")
    Membership.objects.create(user=user, government=government, role="planning_agency")
    _open_window(government, "agency_forum")
    client.force_login(user)

    page = client.get("/usulan/impor/")
    assert page.status_code == 200 and "Unduh templat" in page.content.decode()
    template = client.get(f"/usulan/impor/templat/{CHANNEL}/")
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book["Usulan"][1]] == HEADERS and book["Perangkat Daerah"].max_row > 1

    rows = _rows(refs, 40)
    rows[5][7] = 0
    upload = io.BytesIO(_xlsx(rows))
    upload.name = "pra-renja.xlsx"
    response = client.post("/usulan/impor/", {"government": government.pk, "channel": CHANNEL, "year": YEAR,
                                               "valid_only": "on", "file": upload})
    assert response.status_code == 302
    result = client.get(response["Location"])
    html = result.content.decode()
    assert "39 usulan diimpor" in html and "Baris 7, kolom &#x27;Volume&#x27;" in html
    assert "Lihat daftar usulan" in html and f"?channel={CHANNEL}&amp;year={YEAR}\"" in html
    assert _count(government) == 39
    from selaras.web.jobs.models import Job

    job = Job.objects.get(kind="proposals.import")  # one mechanism: the import is a background job
    assert response["Location"] == f"/usulan/impor/{job.token}/"
    assert (job.state, job.user, job.government_id) == ("done", user, government.pk)
    assert job.params == {"government": government.pk, "channel": CHANNEL, "year": YEAR, "valid_only": True,
                          "filename": "pra-renja.xlsx"}
    assert (job.result["imported"], job.result["rejected"], job.result["total_rows"]) == (39, 1, 40)
    assert job.message == "39 usulan diimpor; 1 baris ditolak."
    assert not list((tmp_path / "tugas" / job.token).glob("upload*"))
    generic = client.get(f"/tugas/{job.token}/").content.decode()  # the job page links to the result
    assert f'href="/usulan/impor/{job.token}/"' in generic and f"/tugas/{job.token}/unduh/" in generic
    rejects = client.get(response["Location"] + "ditolak.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(rejects.streaming_content))).active
    assert sheet.max_row == 2 and sheet.cell(row=2, column=len(HEADERS) + 2).value.startswith("Baris 7")
    progress = client.get(response["Location"] + "progres/")
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"

    other = get_user_model().objects.create(username="orang_lain")
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404  # a job is only its owner's


def _generic_rows(channel: str, refs: pt.ReferenceSets, n: int) -> tuple[list[str], list[list[object]]]:
    columns = pt.columns_for(channel)
    villages, subs, agencies = sorted(refs.village_codes), sorted(refs.sub_activity_codes), sorted(refs.agency_codes)
    rows = []
    for i in range(n):
        village = villages[i % len(villages)]
        values = {"village": village, "district": village.rsplit(".", 1)[0], "sub_activity": subs[i % len(subs)],
                  "agency": agencies[i % len(agencies)], "volume": i + 1, "unit": "m2", "cost": 1_000_000 * (i + 1),
                  "rank": i + 1, "lat": None, "lon": None}
        rows.append([values.get(c.kind, f"{c.header} {i}" if c.required or c.key != "proposer_name" else "")
                     for c in columns])
    return [c.header for c in columns], rows


@pytest.mark.parametrize("channel", ["musrenbang_village", "musrenbang_district", "pokir", "aspiration"])
def test_every_channel_imports_from_its_template(world, channel):
    government, refs = world
    headers, rows = _generic_rows(channel, refs, 25)
    outcome = import_file(_xlsx(rows, headers), "x.xlsx", government=government, channel=channel, year=YEAR)
    assert outcome.ok and outcome.imported == 25, outcome.messages(5)
    stored = Proposal.objects.filter(government=government, year=YEAR, channel=channel).order_by("number")
    assert stored.count() == 25 and {p.unit for p in stored} == {"m²"}
    assert all(p.village_code and p.district_code == p.village_code.rsplit(".", 1)[0] for p in stored)
    if channel == "pokir":
        assert stored[0].councillor_name == "Nama Anggota DPRD 0" == stored[0].proposer_name
