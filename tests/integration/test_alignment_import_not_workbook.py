"""The higher-level targets import (admin) refuses a file that is not a workbook in Bahasa
Indonesia with what to do, and writes nothing.

Before: the reader's error ('Cannot detect file format') went through `read_targets` and the
admin page answered with a 500; a broken zip was said with the zip library's English."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from selaras.formats.alignment_targets import read_targets
from selaras.web.alignment import services
from selaras.web.alignment.models import HigherLevelPlan

pytestmark = pytest.mark.django_db

NOT_WORKBOOKS = {
    "text renamed .xlsx": b"Dokumen;Jenis\nRPJMN;rpjmn\n",
    "pdf renamed .xlsx": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    "truncated zip": b"PK\x03\x04" + b"\x00" * 36,
}


@pytest.mark.parametrize("case", list(NOT_WORKBOOKS))
def test_reader_and_service_say_it_in_bahasa(case):
    rows, findings = read_targets(NOT_WORKBOOKS[case])
    assert rows == [] and len(findings) == 1
    result = services.import_higher_targets(NOT_WORKBOOKS[case])
    text = services.import_message(result.findings[0])
    assert "unggah lagi" in text and "Cannot" not in text and "zip file" not in text, text
    assert not HigherLevelPlan.objects.exists()


def test_admin_page_answers_with_the_message_not_a_500():
    admin = get_user_model().objects.create_superuser("admin-uji", password="x-Selaras-2027!")
    client = Client()
    client.force_login(admin)
    upload = SimpleUploadedFile("target.xlsx", NOT_WORKBOOKS["text renamed .xlsx"])
    response = client.post("/admin/alignment/higherlevelplan/impor/", {"workbook": upload}, follow=True)
    assert response.status_code == 200
    assert "simpan ulang dari Excel atau LibreOffice" in response.content.decode()
    assert not HigherLevelPlan.objects.exists()
