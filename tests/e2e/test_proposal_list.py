"""Internal proposal list: filters, keyset paging, scope, Excel export read back."""

from __future__ import annotations

import io
import random
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from selaras.formats import proposal_table as pt
from selaras.formats.xlsx_util import stream_workbook
from selaras.web.accounts.models import Membership
from selaras.web.plans.models import LocalGovernment
from selaras.web.proposals.import_service import import_file, reference_sets
from selaras.web.proposals.list_selectors import EXPORT_HEADERS, PAGE_SIZE
from selaras.web.proposals.models import Proposal

YEAR = 2032
N = 130


@pytest.fixture
def listed(demo_district):
    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    refs = reference_sets(government)
    rng = random.Random(5)
    villages = sorted(refs.village_codes)[:4]
    agencies, subs = sorted(refs.agency_codes), sorted(refs.sub_activity_codes)
    rows = []
    for i in range(N):
        village = villages[i % 4]
        rows.append([rng.choice(agencies), subs[i % 3], f"Usulan daftar {i + 1}" + (" jembatan" if i % 10 == 0 else ""),
                     "", village.rsplit(".", 1)[0], village, "", 1 + i % 7, "unit", (i + 1) * 1_000_000, ""])
    headers = [c.header for c in pt.columns_for("agency_draft")]
    data = stream_workbook("Usulan", headers, rows, [10] * len(headers)).getvalue()
    outcome = import_file(data, "daftar.xlsx", government=government, channel="agency_draft", year=YEAR)
    assert outcome.imported == N
    user = get_user_model().objects.create(username="bappeda_daftar")
    Membership.objects.create(user=user, government=government, role="planning_agency")
    return {"government": government, "villages": villages, "subs": subs, "user": user}


def _numbers(html: str) -> list[str]:
    return re.findall(r'<td[^>]*><a href="/usulan/([^/]+)/">', html)


def test_list_requires_login(client, db):
    response = client.get("/usulan/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_filters(client, listed):
    client.force_login(listed["user"])
    base = {"year": YEAR}
    page = client.get("/usulan/", base).content.decode()
    assert f"{N} usulan cocok" in page
    by_village = client.get("/usulan/", {**base, "village": listed["villages"][1]}).content.decode()
    assert "33 usulan cocok" in by_village
    by_district = client.get("/usulan/", {**base, "district": listed["villages"][0].rsplit(".", 1)[0]})
    expected = Proposal.objects.filter(year=YEAR, district_code=listed["villages"][0].rsplit(".", 1)[0]).count()
    assert f"{expected} usulan cocok" in by_district.content.decode()
    cost = client.get("/usulan/", {**base, "cost_min": "10.000.000", "cost_max": "19000000"}).content.decode()
    assert "10 usulan cocok" in cost
    text = client.get("/usulan/", {**base, "q": "jembatan"}).content.decode()
    assert "13 usulan cocok" in text
    sub = client.get("/usulan/", {**base, "sub_activity": listed["subs"][0]}).content.decode()
    assert "44 usulan cocok" in sub
    stage = client.get("/usulan/", {**base, "channel": "pokir"}).content.decode()
    assert "0 usulan cocok" in stage and "Tidak ada usulan yang cocok" in stage
    nonsense = client.get("/usulan/", {**base, "status": "bukan-status"})  # an unknown choice is dropped
    assert nonsense.status_code == 200 and f"{N} usulan cocok" in nonsense.content.decode()
    refused = client.get("/usulan/", {**base, "cost_min": "abc"})  # a number that is not one: 400 (web.params)
    assert refused.status_code == 400 and "cost_min" in refused.content.decode()


def test_sort_and_keyset_paging(client, listed):
    client.force_login(listed["user"])
    first = client.get("/usulan/", {"year": YEAR, "sort": "biaya_tertinggi"}).content.decode()
    numbers1 = _numbers(first)
    assert len(numbers1) == PAGE_SIZE
    top = Proposal.objects.filter(year=YEAR).order_by("-estimated_cost").first()
    assert numbers1[0] == top.number
    next_url = re.search(r'<a href="(\?[^"]+)"[^>]*>Berikutnya', first).group(1).replace("&amp;", "&")
    second = client.get("/usulan/" + next_url).content.decode()
    numbers2 = _numbers(second)
    assert len(numbers2) == PAGE_SIZE and not set(numbers1) & set(numbers2)
    third_url = re.search(r'<a href="(\?[^"]+)"[^>]*>Berikutnya', second).group(1).replace("&amp;", "&")
    third = _numbers(client.get("/usulan/" + third_url).content.decode())
    assert len(third) == N - 2 * PAGE_SIZE
    assert len(set(numbers1 + numbers2 + third)) == N
    prev_url = re.search(r'<a href="(\?[^"]+)"[^>]*>« Sebelumnya', second).group(1).replace("&amp;", "&")
    assert _numbers(client.get("/usulan/" + prev_url).content.decode()) == numbers1
    htmx = client.get("/usulan/" + next_url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="filters"' not in htmx and _numbers(htmx) == numbers2  # rows only, not the filter form


def test_scope_limits_the_list(client, listed):
    village = listed["villages"][2]
    user = get_user_model().objects.create(username="desa_daftar")
    Membership.objects.create(user=user, government=listed["government"], role="village_operator",
                              region_code=village)
    client.force_login(user)
    html = client.get("/usulan/", {"year": YEAR, "channel": "semua"}).content.decode()
    numbers = _numbers(html)
    assert "32 usulan cocok" in html or "33 usulan cocok" in html
    assert set(Proposal.objects.filter(number__in=numbers).values_list("village_code", flat=True)) == {village}


def test_village_operator_sees_own_musrenbang_desa_by_default(client, listed):
    """A village operator's /usulan/ opens on their own Musrenbang Desa proposals, not every
    channel; 'Semua' (and any other channel) stays a choice, kept across pages; other roles still
    open on every channel."""
    village = listed["villages"][2]
    own = list(Proposal.objects.filter(year=YEAR, village_code=village).order_by("pk").values_list("pk", flat=True))
    Proposal.objects.filter(pk__in=own[:5]).update(channel="musrenbang_village")
    user = get_user_model().objects.create(username="desa_bawaan")
    Membership.objects.create(user=user, government=listed["government"], role="village_operator",
                              region_code=village)
    client.force_login(user)
    html = client.get("/usulan/", {"year": YEAR}).content.decode()
    assert "5 usulan cocok" in html
    assert set(Proposal.objects.filter(number__in=_numbers(html)).values_list("channel", flat=True)) == {
        "musrenbang_village"}
    assert '<option value="musrenbang_village" selected>' in html
    every = client.get("/usulan/", {"year": YEAR, "channel": "semua"}).content.decode()
    assert f"{len(own)} usulan cocok" in every and 'value="semua" selected' in every
    assert '<input type="hidden" name="channel" value="semua">' in every  # kept by the export (and paging)
    drafts = client.get("/usulan/", {"year": YEAR, "channel": "agency_draft"}).content.decode()
    assert f"{len(own) - 5} usulan cocok" in drafts
    client.force_login(listed["user"])  # Bappeda: every channel by default
    assert f"{N} usulan cocok" in client.get("/usulan/", {"year": YEAR}).content.decode()


def test_export_reads_back(client, listed):
    client.force_login(listed["user"])
    response = client.get("/usulan/ekspor.xlsx", {"year": YEAR, "village": listed["villages"][0],
                                                  "sort": "nomor"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADERS
    expected = list(Proposal.objects.filter(year=YEAR, village_code=listed["villages"][0])
                    .order_by("number").values_list("number", "estimated_cost"))
    assert [(r[0], r[17]) for r in rows[1:]] == expected
    assert rows[1][2] == "Pra-Renja Perangkat Daerah" and rows[1][10]  # labels and village name


def _job_download(client, response):
    assert response.status_code == 302 and response["Location"].startswith("/tugas/")
    token = response["Location"].split("/")[2]
    status = client.get(f"/tugas/{token}/").content.decode()
    assert "Selesai." in status, status
    download = client.get(f"/tugas/{token}/unduh/")
    assert download.status_code == 200
    return token, b"".join(download.streaming_content)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_job_reads_back_and_a_double_click_runs_once(client, listed, settings, tmp_path, kind):
    import csv

    from selaras.web.jobs.models import Job

    settings.MEDIA_ROOT = tmp_path
    Proposal.objects.filter(number=Proposal.objects.filter(year=YEAR).order_by("number").first().number).update(
        title="=HYPERLINK(\"http://x\")")
    client.force_login(listed["user"])
    form = {"year": YEAR, "village": listed["villages"][0], "sort": "nomor", "format": kind}
    token, content = _job_download(client, client.post("/usulan/ekspor/", form))
    expected = list(Proposal.objects.filter(year=YEAR, village_code=listed["villages"][0])
                    .order_by("number").values_list("number", "estimated_cost"))
    if kind == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.active
        rows = list(sheet.iter_rows(values_only=True))
        assert [(r[0], r[17]) for r in rows[1:]] == expected
        first = sheet.cell(row=2, column=6)
        if first.value.startswith("="):
            assert first.data_type == "s"  # text, never a formula
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert [(r[0], int(r[17])) for r in rows[1:]] == expected
        assert not any(cell.startswith("=") for row in rows for cell in row)
    assert list(rows[0]) == EXPORT_HEADERS
    # the same export asked again while the first is still active returns that job
    Job.objects.filter(token=token).update(state="running")
    again = client.post("/usulan/ekspor/", form)
    assert again["Location"] == f"/tugas/{token}/"


def test_export_job_refuses_bad_format_and_filters(client, listed):
    client.force_login(listed["user"])
    assert client.post("/usulan/ekspor/", {"format": "pdf"}).status_code == 400
    assert client.post("/usulan/ekspor/", {"format": "csv", "year": "²"}).status_code == 400
    assert client.get("/usulan/ekspor/").status_code == 405
