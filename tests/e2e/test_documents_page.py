"""The document page by role, producing a document as a job and downloading it, refusals and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from selaras.domain.proposals import Stage
from selaras.web.accounts.models import Membership
from selaras.web.jobs.models import Job, JobState
from selaras.web.plans.models import Agency
from selaras.web.proposals.models import Decision
from tests.integration.documents.helpers import pdf_text, workbook


def _login(client, django_user_model, demo_district, short: str) -> Membership:  # noqa: ANN001
    user = django_user_model.objects.get(username=demo_district.username(short))
    client.force_login(user)
    return user.membership


def _district_with_list(government_id: int) -> tuple[str, int]:
    d = Decision.objects.filter(proposal__government_id=government_id, stage=Stage.DISTRICT.value,
                                outcome="forwarded").select_related("proposal").first()
    return d.proposal.district_code, d.proposal.year


@pytest.mark.django_db
def test_bappeda_sees_every_kind_and_gets_a_pdf_through_a_job(client, django_user_model, demo_district) -> None:  # noqa: ANN001
    _login(client, django_user_model, demo_district, "bappeda")
    page = client.get("/dokumen/")
    assert page.status_code == 200
    body = page.content.decode()
    for code in ("T-D.4", "T-C.27", "T-C.33", "T-C.14", "RKPD", "Berita acara Forum Perangkat Daerah",
                 "Semua perangkat daerah (ZIP)"):
        assert code in body
    district, year = _district_with_list(demo_district.government_id)
    answer = client.post(reverse("documents:produce"), {"jenis": "td4", "format": "pdf", "lingkup": district,
                                                        "tahun": str(year)})
    assert answer.status_code == 302
    job = Job.objects.get(kind="documents.produce")
    assert answer["Location"] == reverse("jobs:status", args=[job.token])
    assert job.state == JobState.DONE, job.message
    assert job.download_name.endswith(".pdf") and "T-D.4" in job.download_name
    download = client.get(reverse("jobs:download", args=[job.token]))
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF") and "JUMLAH" in pdf_text(data)


@pytest.mark.django_db
def test_agency_planner_gets_only_its_own_agency(client, django_user_model, demo_district) -> None:  # noqa: ANN001
    membership = _login(client, django_user_model, demo_district, "pupr")
    body = client.get("/dokumen/").content.decode()
    assert "T-C.27" in body and "T-D.4" not in body and "T-C.14" not in body and "ZIP" not in body
    other = Agency.objects.filter(government_id=demo_district.government_id).exclude(pk=membership.agency_id).first()
    refused = client.post(reverse("documents:produce"), {"jenis": "tc27", "format": "xlsx", "lingkup": str(other.pk)})
    assert refused.status_code == 403
    assert not Job.objects.exists()
    done = client.post(reverse("documents:produce"), {"jenis": "tc27", "format": "xlsx",
                                                      "lingkup": str(membership.agency_id)})
    assert done.status_code == 302
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    sheet = workbook(b"".join(client.get(reverse("jobs:download", args=[job.token])).streaming_content)).worksheets[0]
    assert sheet.title == "T-C.27"


@pytest.mark.django_db
def test_district_operator_and_others(client, django_user_model, demo_district) -> None:  # noqa: ANN001
    membership = _login(client, django_user_model, demo_district, "kecamatan")
    body = client.get("/dokumen/").content.decode()
    assert "T-D.4" in body and "T-C.27" not in body and "Semua kecamatan" not in body
    # T-D.4 and its berita acara (one form with the meeting's button), each with the own kecamatan only
    assert body.count('name="lingkup"') == 2 and body.count("<option value=\"32.") == 2
    other = Agency.objects.filter(government_id=demo_district.government_id).exclude(district_code="") \
        .exclude(district_code=membership.region_code).first()
    refused = client.post(reverse("documents:produce"), {"jenis": "td4", "format": "pdf",
                                                         "lingkup": other.district_code})
    assert refused.status_code == 403
    everything = client.post(reverse("documents:produce"), {"jenis": "td4", "format": "pdf", "lingkup": "semua"})
    assert everything.status_code == 403
    _login(client, django_user_model, demo_district, "desa")
    assert "belum dapat membuat dokumen" in client.get("/dokumen/").content.decode()
    assert client.post(reverse("documents:produce"), {"jenis": "td4", "format": "pdf",
                                                      "lingkup": membership.region_code}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    {"jenis": "tidak-ada", "format": "pdf"},
    {"jenis": "td4", "format": "docx", "lingkup": "x"},
    {"jenis": "td4", "format": "pdf", "lingkup": "99.99.99"},
    {"jenis": "tc27", "format": "pdf", "lingkup": "9" * 30},
    {"jenis": "tc27", "format": "pdf", "lingkup": "abc\x00"},
    {"jenis": "tc27", "format": "pdf", "lingkup": "1", "tahun": "²⁰²⁵"},
    {"jenis": "tc27", "format": "pdf", "lingkup": "1", "versi": "-1"},
])
def test_bad_input_is_a_4xx_never_a_500(client, django_user_model, demo_district, data) -> None:  # noqa: ANN001
    _login(client, django_user_model, demo_district, "bappeda")
    answer = client.post(reverse("documents:produce"), data)
    assert 400 <= answer.status_code < 500
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_all_agencies_in_one_zip_and_a_missing_plan_is_a_message(client, django_user_model, demo_district) -> None:  # noqa: ANN001
    import zipfile
    from io import BytesIO

    _login(client, django_user_model, demo_district, "bappeda")
    client.post(reverse("documents:produce"), {"jenis": "ba_musrenbang_kecamatan", "format": "xlsx",
                                               "lingkup": "semua"})
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    archive = zipfile.ZipFile(BytesIO(b"".join(client.get(reverse("jobs:download", args=[job.token]))
                                               .streaming_content)))
    assert len(archive.namelist()) >= 2 and all(n.endswith(".xlsx") for n in archive.namelist())
    client.post(reverse("documents:produce"), {"jenis": "tc33", "format": "pdf",
                                               "lingkup": str(Agency.objects.filter(
                                                   government_id=demo_district.government_id).first().pk),
                                               "tahun": "2099"})
    failed = Job.objects.exclude(pk=job.pk).get()
    assert failed.state == JobState.FAILED and "belum memiliki Renja tahun 2099" in failed.message


@pytest.mark.django_db
def test_the_kecamatan_records_its_forum_and_the_minutes_print_it(client, django_user_model, demo_district) -> None:  # noqa: ANN001
    from selaras.web.documents.models import Meeting

    membership = _login(client, django_user_model, demo_district, "kecamatan")
    district = membership.region_code
    url = reverse("documents:meeting", args=["musrenbang_district"]) + f"?lingkup={district}&tahun=2026"
    assert client.get(url).status_code == 200
    lines = "Hj. Nur Aini; Kepala Desa; Pemerintah Desa; Peserta\nRudi Hartono; Sekcam; Kecamatan; Notulis"
    saved = client.post(url, {"place": "Aula Kecamatan", "held_on": "2025-02-12", "chair_name": "Drs. Camat",
                              "chair_position": "Camat", "chair_nip": "197001011990031001", "attendees": lines})
    assert saved.status_code == 302
    meeting = Meeting.objects.get()
    assert [a.role for a in meeting.attendees.all()] == ["participant", "secretary"]
    again = client.get(url).content.decode()
    assert "Hj. Nur Aini; Kepala Desa; Pemerintah Desa; Peserta" in again
    bad = client.post(url, {"attendees": "; tanpa nama"})
    assert bad.status_code == 200 and "nama wajib" in bad.content.decode()
    wrong_role = client.post(url, {"attendees": "Ani; ; ; Ketua RT"})
    assert wrong_role.status_code == 200 and "tidak dikenal" in wrong_role.content.decode()
    other = Agency.objects.filter(government_id=demo_district.government_id).exclude(district_code="") \
        .exclude(district_code=district).first()
    assert client.get(reverse("documents:meeting", args=["musrenbang_district"])
                      + f"?lingkup={other.district_code}&tahun=2026").status_code == 403
    assert client.get(reverse("documents:meeting", args=["lain"]) + "?lingkup=1").status_code == 400
    client.post(reverse("documents:produce"), {"jenis": "ba_musrenbang_kecamatan", "format": "pdf",
                                               "lingkup": district, "tahun": "2026"})
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    text = pdf_text(b"".join(client.get(reverse("jobs:download", args=[job.token])).streaming_content))
    assert "Aula Kecamatan" in text and "Hj. Nur Aini" in text and "NIP. 197001011990031001" in text


@pytest.mark.django_db
def test_the_meeting_form_refuses_texts_too_long_for_the_minutes(client, django_user_model, demo_district) -> None:  # noqa: ANN001
    from selaras.web.documents.models import MEETING_LIMITS, Meeting

    membership = _login(client, django_user_model, demo_district, "kecamatan")
    url = reverse("documents:meeting", args=["musrenbang_district"]) + f"?lingkup={membership.region_code}&tahun=2026"
    page = client.get(url).content.decode()
    assert f'maxlength="{MEETING_LIMITS["place"]}"' in page
    for data, field in (({"place": "A" * 3000, "chair_name": "B" * 2000}, "id_place_error"),
                        ({"place": "A" * (MEETING_LIMITS["place"] + 1)}, "id_place_error"),
                        ({"chair_name": "B" * (MEETING_LIMITS["chair_name"] + 1)}, "id_chair_name_error"),
                        ({"chair_position": "C" * (MEETING_LIMITS["chair_position"] + 1)}, "id_chair_position_error"),
                        ({"attendees": "N" * 101 + "; Kepala Desa; Desa; Peserta"}, "id_attendees_error")):
        refused = client.post(url, data)
        body = refused.content.decode()
        assert refused.status_code == 200 and field in body and "paling banyak" in body, data.keys()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_each_minutes_row_has_one_set_of_filters(client, django_user_model, demo_district) -> None:  # noqa: ANN001
    """A berita acara row has one Lingkup and one Tahun selector, shared by the button that opens the
    forum's data (place, date, attendance) and the Excel/PDF buttons."""
    import re

    _login(client, django_user_model, demo_district, "bappeda")
    body = client.get("/dokumen/").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    minutes = [r for r in rows if "Berita acara" in r]
    assert len(minutes) == 2
    for row in minutes:
        assert row.count('name="lingkup"') == 1 and row.count('name="tahun"') == 1, row
        assert row.count("<form") == 1 and 'value="forum"' in row
    district, year = _district_with_list(demo_district.government_id)
    opened = client.post(reverse("documents:produce"), {"jenis": "ba_musrenbang_kecamatan", "aksi": "forum",
                                                        "lingkup": district, "tahun": str(year)})
    assert opened.status_code == 302
    assert opened["Location"] == (reverse("documents:meeting", args=["musrenbang_district"])
                                  + f"?lingkup={district}&tahun={year}")
    assert client.get(opened["Location"]).status_code == 200
    agency = Agency.objects.filter(government_id=demo_district.government_id).order_by("code").first()
    opened = client.post(reverse("documents:produce"), {"jenis": "ba_forum_pd", "aksi": "forum",
                                                        "lingkup": str(agency.pk), "tahun": str(year)})
    assert opened["Location"].startswith(reverse("documents:meeting", args=["agency_forum"]))
    every = client.post(reverse("documents:produce"), {"jenis": "ba_forum_pd", "aksi": "forum", "lingkup": "semua"})
    assert every.status_code == 302 and every["Location"] == reverse("documents:index")
    assert "Pilih satu" in client.get(every["Location"]).content.decode()
    assert not Job.objects.exists()
    # a kind without a forum has no such button
    assert client.post(reverse("documents:produce"), {"jenis": "td4", "aksi": "forum", "lingkup": district}
                       ).status_code == 400
