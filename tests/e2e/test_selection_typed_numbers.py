"""Amounts and percentages of the selection run form (/seleksi/baru/) and the what-if page
(/seleksi/<id>/simulasi/) typed the Indonesian way ('1.000.000.000', '90,5'), read by the product's
one number rule (`proposal_entry.parse_number`), shown back the same way, refused in Bahasa.

Found by a user walkthrough: the browser's number box turned '1.000.000.000' into '1.000000000',
which the server read as Rp 1 and ran silently; '90,5' became 905 %."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from selaras.engines.scoring import Criterion
from selaras.web.jobs.models import Job
from selaras.web.plans.models import AnnualPlan, LocalGovernment
from selaras.web.selection import services
from selaras.web.selection.models import SelectionRun
from selaras.web.selection.parameters import SUPPORTER_KINDS, RunParameters

pytestmark = pytest.mark.django_db

BUDGET = 5_036_000_000_000


def _client(demo) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(get_user_model().objects.get(username=demo.username("bappeda")))
    return client


def _gov_year(demo) -> tuple[LocalGovernment, int]:  # noqa: ANN001
    gov = LocalGovernment.objects.get(pk=demo.government_id)
    return gov, AnnualPlan.objects.filter(government=gov).order_by("-year").values_list("year", flat=True)[0]


def _form(plan_year: int, **typed: str) -> dict[str, object]:
    data: dict[str, object] = {
        "year": str(plan_year), "rule": "greedy", "completion": "greedy", "budget": "1.000.000.000",
        "channels": ["musrenbang_village", "pokir", "agency_draft"], "ceiling_scale_percent": "90,5",
        "floor_share_percent": "2,5", "floor_spread": "population", "locus_villages": "", "require_agency": "on",
        "note": "uji",
    }
    data.update({f"w_{c.value}": "0,5" for c in Criterion})
    data.update({f"s_{k}": "1" for k in SUPPORTER_KINDS})
    data.update(typed)
    return data


def _number_inputs(html: str) -> list[str]:
    return re.findall(r'<input type="number"[^>]*>', html)


def test_amounts_typed_the_indonesian_way_are_read_as_written(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    client = _client(demo_district)
    page = client.get("/seleksi/baru/").content.decode()
    # text boxes with the phone's number keyboard: no browser number box to mangle '1.000.000.000'
    assert _number_inputs(page) == []
    assert re.search(r'<input type="text" name="budget"[^>]*inputmode="numeric"', page)
    assert re.search(r'<input type="text" name="ceiling_scale_percent" value="100"[^>]*inputmode="decimal"', page)
    assert re.search(r'<input type="text" name="year" value="\d{4}"', page)  # a year has no thousands point
    assert "Paling banyak 300 karakter." in page  # the note's limit said under it
    response = client.post("/seleksi/baru/", _form(year, s_councillor="1.500"))
    assert response.status_code == 302, response.content.decode()[:3000]
    run = SelectionRun.objects.get(government=gov)
    assert run.parameters["budget"] == 1_000_000_000
    assert run.parameters["ceiling_scale_percent"] == 90.5 and run.parameters["floor_share_percent"] == 2.5
    assert run.parameters["supporter_weights"]["councillor"] == 1500


@pytest.mark.parametrize("field, typed, message", [
    ("budget", "abc", "Anggaran: \u201cabc\u201d bukan angka. Tulis angkanya saja, mis. 1.500.000.000."),
    ("budget", "1e99999999", "Anggaran terlalu besar: harus di bawah 4,6 juta triliun rupiah."),
    ("budget", "-5.000", "Anggaran tidak boleh negatif."),
    ("budget", "1.000,5", "Anggaran harus bilangan bulat, tanpa desimal;"),
    # a point that is not a thousands point: the box once turned "1.000.000.000" into this, read as Rp 1
    ("budget", "1.000000000", "Anggaran harus bilangan bulat, tanpa desimal; tulis ribuan dengan titik tiap tiga"),
    ("budget", "2.0", "Anggaran harus bilangan bulat, tanpa desimal;"),
    ("ceiling_scale_percent", "abc", "Skala pagu: \u201cabc\u201d bukan angka. Tulis angkanya saja, mis. 90,5."),
    ("ceiling_scale_percent", "1.000,5", "Skala pagu paling besar 1.000 persen."),
    ("ceiling_scale_percent", "", "Skala pagu wajib diisi."),
    ("floor_share_percent", "-1", "Porsi minimal kecamatan tidak boleh negatif."),
    ("floor_share_percent", "100,5", "Porsi minimal kecamatan paling besar 100 persen."),
    ("w_urgency", "1e99999999", "Bobot kriteria paling besar 1.000.000."),
    ("s_village_forum", "abc", "Bobot Musrenbang Desa/Kelurahan lokasi usulan: \u201cabc\u201d bukan angka."),
    ("s_village_forum", "1,5", "harus bilangan bulat, tanpa desimal;"),
    ("year", "abc", "Tahun rencana: \u201cabc\u201d bukan angka."),
    ("year", "1999", "Tahun rencana paling kecil 2000."),
    ("note", "x" * 301, "Terlalu panjang: 301 karakter, paling banyak 300."),
])
def test_bad_numbers_are_refused_in_bahasa(demo_district, field: str, typed: str, message: str) -> None:  # noqa: ANN001
    _, year = _gov_year(demo_district)
    response = _client(demo_district).post("/seleksi/baru/", _form(year, **{field: typed}))
    html = response.content.decode()
    assert response.status_code == 200 and message in html, re.findall(r'<p class="error">.*?</p>', html)
    assert "Masukkan keseluruhan angka" not in html and "Masukkan sebuah bilangan" not in html
    assert "Pastikan nilai ini" not in html
    assert not Job.objects.exists() and not SelectionRun.objects.exists()
    if typed and field != "note":
        assert f'value="{typed}"' in html  # what was typed stays in its box to be corrected


def test_what_if_budget_shown_and_read_the_indonesian_way(demo_district) -> None:  # noqa: ANN001
    gov, year = _gov_year(demo_district)
    client = _client(demo_district)
    base = services.start_run(gov, year, rule="greedy", params=RunParameters(budget=BUDGET), check=False)
    page = client.get(f"/seleksi/{base.pk}/simulasi/").content.decode()
    assert _number_inputs(page) == []
    assert re.search(r'<input type="text" name="budget" value="5\.036\.000\.000\.000"[^>]*inputmode="numeric"', page)
    agencies = [a for a in base.totals["agencies"] if a["code"]]
    assert agencies
    # on a phone each agency is a card, the ceiling box labelled and in view (no table cut off on the right)
    assert '<table class="cards" id="what-if-ceilings">' in page and 'data-label="Pagu (Rp)"' in page
    bad = client.post(f"/seleksi/{base.pk}/simulasi/", {"budget": "abc", "c_0": "-1", "note": ""}).content.decode()
    assert "Anggaran: \u201cabc\u201d bukan angka." in bad and f"Pagu {agencies[0]['code']} tidak boleh negatif." in bad
    empty = client.post(f"/seleksi/{base.pk}/simulasi/", {"budget": "", "note": ""}).content.decode()
    assert "Anggaran wajib diisi." in empty
    assert not Job.objects.filter(kind="selection.what_if").exists()
    response = client.post(f"/seleksi/{base.pk}/simulasi/", {"budget": "4.500.000.000.000", "c_0": "1.000.000",
                                                              "note": "lebih kecil"})
    assert response.status_code == 302, response.content.decode()[:3000]
    job = Job.objects.get(kind="selection.what_if")
    assert job.params["budget"] == 4_500_000_000_000 and job.params["ceilings"] == {agencies[0]["code"]: 1_000_000}
