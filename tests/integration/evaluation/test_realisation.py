"""Realisation entry, import, quarter closing and authorisation against a real database."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from selaras.domain.errors import AppendOnly, NotPermitted
from selaras.web.evaluation import services
from selaras.web.evaluation.access import viewer_for
from selaras.web.evaluation.models import (
    IndicatorRealisation,
    QuarterClosure,
    Realisation,
    RealisationRevision,
)
from selaras.web.plans.models import Agency, AgencyAnnualPlan, Indicator, RenjaLine

pytestmark = pytest.mark.django_db
YEAR = 2026  # demo: Q1 closed, Q2 open, Q3-Q4 empty


def _user(demo_district, short: str):
    return get_user_model().objects.get(username=demo_district.username(short))


def _client(demo_district, short: str) -> Client:
    client = Client()
    client.force_login(_user(demo_district, short))
    return client


def _checksum() -> str:
    """Every stored realisation value and revision, hashed: a refused write must leave it as it was."""
    digest = hashlib.sha256()
    for row in Realisation.objects.order_by("pk").values_list("pk", "line_id", "quarter", "volume", "spent", "helped",
                                                              "hindered", "follow_up"):
        digest.update(repr(row).encode())
    for row in RealisationRevision.objects.order_by("pk").values_list("pk", "line_id", "quarter", "volume", "spent",
                                                                      "reason"):
        digest.update(repr(row).encode())
    digest.update(repr(list(QuarterClosure.objects.order_by("pk").values_list("pk", "year", "quarter"))).encode())
    return digest.hexdigest()


def _agencies(demo_district) -> tuple[Agency, Agency]:
    own = Agency.objects.get(government_id=demo_district.government_id, short_name="Dinas PUPR")
    other = Agency.objects.filter(government_id=demo_district.government_id).exclude(pk=own.pk).order_by("code").first()
    assert other is not None
    return own, other


def _line(agency: Agency, year: int = YEAR) -> RenjaLine:
    """The agency's first line the demo realised (a line it recoded to plant a code flaw has none)."""
    line = (RenjaLine.objects.filter(renja__agency=agency, renja__rkpd__year=year, realisations__quarter=1)
            .order_by("code").first())
    assert line is not None
    return line


def _workbook(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or ["kode_sub_kegiatan", "triwulan", "realisasi_kinerja", "realisasi_keuangan",
                            "faktor_pendorong", "faktor_penghambat", "tindak_lanjut", "alasan_koreksi"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ entry in place


def test_agency_enters_a_quarter_in_place_with_htmx(demo_district) -> None:
    own, _ = _agencies(demo_district)
    line = _line(own)
    client = _client(demo_district, "pupr")
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=3"
    form = client.get(url + "&ubah=1", HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert form.content.decode().startswith("<tr") and "<html" not in form.content.decode()
    saved = client.post(url, {"volume": "3,5", "spent": "1.250.000", "helped": "Cuaca baik",
                              "hindered": "", "follow_up": ""}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "<form" not in saved.content.decode()
    current = Realisation.objects.get(line=line, quarter=3)
    assert current.volume == Decimal("3.5") and current.spent == 1_250_000 and current.helped == "Cuaca baik"
    assert RealisationRevision.objects.filter(line=line, quarter=3).count() == 1
    empty = client.post(reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=4", {}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and not Realisation.objects.filter(line=line, quarter=4).exists()
    # the same values again: nothing new in the history
    client.post(url, {"volume": "3.5", "spent": "1250000", "helped": "Cuaca baik"}, HTTP_HX_REQUEST="true")
    assert RealisationRevision.objects.filter(line=line, quarter=3).count() == 1


def test_bad_values_come_back_in_the_form_and_change_nothing(demo_district) -> None:
    own, _ = _agencies(demo_district)
    line = _line(own)
    client = _client(demo_district, "pupr")
    before = _checksum()
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=3"
    for data in ({"volume": "-1"}, {"volume": "abc"}, {"spent": "12,5"}, {"spent": "9" * 30}, {"helped": "x" * 3000},
                 {"volume": "1e999999"}, {"volume": "NaN"}):
        # 422: htmx swaps the re-rendered form in (a 400 was never swapped: the message vanished)
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 422, data
        html = response.content.decode()
        assert 'role="alert"' in html and html.startswith("<tr") and "data-focus-on-swap" in html, data
        field = next(iter(data))
        assert f'name="{field}" aria-invalid="true"' in html, data
        assert "Nilai '" not in html and "pada alamat" not in html, data
        # without htmx the same form is a page of its own
        assert client.post(url, data).status_code == 400, data
    long_note = client.post(url, {"helped": "x" * 3000}, HTTP_HX_REQUEST="true").content.decode()
    assert "Faktor pendorong terlalu panjang" in long_note
    assert client.post(reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=9", {}).status_code == 400
    assert _checksum() == before


def test_the_edit_form_asks_to_be_brought_into_view(demo_district) -> None:
    """Opened for editing, the row's form carries the marker selaras.js uses to scroll it into view
    and focus its first field (on a phone it opened below the fold)."""
    own, _ = _agencies(demo_district)
    line = _line(own)
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=3&ubah=1"
    html = _client(demo_district, "pupr").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<form class="entry-form" data-focus-on-swap' in html


def test_realisation_above_the_pagu_is_refused(demo_district) -> None:
    """The year's financial realisation (quarters I-IV together) may not exceed the line's pagu:
    refused in the form (the spent field marked) and in the import, nothing written; up to the
    pagu exactly it is accepted."""
    own, _ = _agencies(demo_district)
    line = _line(own)
    Realisation.objects.filter(line=line).delete()
    RenjaLine.objects.filter(pk=line.pk).update(budget=10_000_000)
    line.refresh_from_db()
    client = _client(demo_district, "pupr")
    url = reverse("evaluation:line_quarter", args=[line.pk])
    assert client.post(url + "?triwulan=2", {"spent": "6.000.000"}, HTTP_HX_REQUEST="true").status_code == 200
    before = _checksum()
    for spent in ("4.000.001", "9" * 15):
        refused = client.post(url + "?triwulan=3", {"spent": spent}, HTTP_HX_REQUEST="true")
        html = refused.content.decode()
        assert refused.status_code == 422, spent
        assert "melebihi pagu baris Rp 10.000.000" in html and 'name="spent" aria-invalid="true"' in html, html
    assert "sebesar Rp 999.999.995.999.999" in html  # Q2 6,000,000 + Q3 999,999,999,999,999 - pagu 10,000,000
    assert _checksum() == before
    with pytest.raises(services.OverBudget):
        services.record(viewer_for(_user(demo_district, "pupr")), line, 4, services.Entry(spent=4_000_001))
    # the import weighs the file's quarters over those already reported
    renja = AgencyAnnualPlan.objects.get(pk=line.renja_id)
    data = _workbook([[line.code, 1, None, 3_000_000], [line.code, 3, None, 2_000_000]])
    with pytest.raises(services.ImportRefused) as refused_import:
        services.import_realisation(viewer_for(_user(demo_district, "pupr")), renja, data)
    assert any("melebihi pagu baris Rp 10.000.000" in t and "Rp 1.000.000" in t for t in refused_import.value.texts)
    assert _checksum() == before
    # exactly the pagu: accepted
    assert client.post(url + "?triwulan=3", {"spent": "4.000.000"}, HTTP_HX_REQUEST="true").status_code == 200
    assert sum(r.spent or 0 for r in Realisation.objects.filter(line=line)) == 10_000_000


def test_closed_quarter_needs_a_reason_and_keeps_the_history(demo_district) -> None:
    own, _ = _agencies(demo_district)
    line = _line(own)
    assert QuarterClosure.objects.filter(government_id=demo_district.government_id, year=YEAR, quarter=1).exists()
    first = Realisation.objects.get(line=line, quarter=1)
    client = _client(demo_district, "pupr")
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=1"
    before = _checksum()
    refused = client.post(url, {"volume": "99", "spent": str(first.spent or 0)}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "alasan" in refused.content.decode()
    assert _checksum() == before
    ok = client.post(url, {"volume": "99", "spent": str(first.spent or 0), "reason": "Salah ketik volume"},
                     HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    revisions = list(RealisationRevision.objects.filter(line=line, quarter=1).order_by("id"))
    assert revisions[0].volume == first.volume and revisions[-1].volume == Decimal(99)
    assert revisions[-1].reason == "Salah ketik volume" and revisions[-1].after_closing
    history = client.get(reverse("evaluation:line_history", args=[line.pk])).content.decode()
    assert "Salah ketik volume" in history


def test_revisions_are_append_only(demo_district) -> None:
    revision = RealisationRevision.objects.first()
    assert revision is not None
    revision.reason = "diubah"
    with pytest.raises(AppendOnly):
        revision.save()
    with pytest.raises(AppendOnly):
        revision.delete()
    with pytest.raises(AppendOnly):
        RealisationRevision.objects.filter(pk=revision.pk).update(reason="x")
    with pytest.raises(AppendOnly):
        RealisationRevision.objects.all().delete()


# -------------------------------------------------------------------- authorisation


def test_agency_cannot_write_another_agencys_realisation(demo_district) -> None:
    own, other = _agencies(demo_district)
    line = _line(other)
    client = _client(demo_district, "pupr")
    before = _checksum()
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=2"
    assert client.post(url, {"volume": "1", "spent": "1"}, HTTP_HX_REQUEST="true").status_code == 403
    assert client.post(url, {"volume": "1", "spent": "1"}).status_code == 403
    assert client.get(url + "&ubah=1").status_code == 403
    assert client.get(reverse("evaluation:line_history", args=[line.pk])).status_code == 403
    workbook = _workbook([[line.code, 2, 1, 1]])
    upload = io.BytesIO(workbook)
    upload.name = "realisasi.xlsx"
    assert client.post(reverse("evaluation:import", args=[YEAR, other.pk]), {"berkas": upload}).status_code == 403
    assert client.post(reverse("evaluation:quarters") + f"?tahun={YEAR}", {"triwulan": "2"}).status_code == 403
    # the budget team reads everything and writes nothing
    tapd = _client(demo_district, "tapd")
    assert tapd.get(reverse("evaluation:e81", args=[YEAR, other.pk])).status_code == 200
    assert tapd.post(url, {"volume": "1", "spent": "1"}).status_code == 403
    # a village operator and a councillor have no monev pages
    for short in ("desa", "dprd"):
        assert _client(demo_district, short).post(url, {"volume": "1"}).status_code == 403
    assert _checksum() == before
    with pytest.raises(NotPermitted):
        services.record(viewer_for(_user(demo_district, "pupr")), line, 2, services.Entry(volume=Decimal(1)))
    assert _checksum() == before


def test_bappeda_closes_a_quarter_once(demo_district) -> None:
    client = _client(demo_district, "bappeda")
    url = reverse("evaluation:quarters") + f"?tahun={YEAR}"
    assert client.post(url, {"triwulan": "2"}).status_code == 302
    assert QuarterClosure.objects.filter(government_id=demo_district.government_id, year=YEAR, quarter=2).exists()
    again = client.post(url, {"triwulan": "2"}, follow=True)
    assert "sudah ditutup" in again.content.decode()
    assert client.post(url, {"triwulan": "x"}).status_code == 400


# ------------------------------------------------------------------------- import


def test_import_writes_every_row_or_none(demo_district) -> None:
    own, _ = _agencies(demo_district)
    renja = AgencyAnnualPlan.objects.get(agency=own, rkpd__year=YEAR)
    lines = list(RenjaLine.objects.filter(renja=renja).order_by("code")[:3])
    client = _client(demo_district, "pupr")
    url = reverse("evaluation:import", args=[YEAR, own.pk])
    before = _checksum()
    bad = _workbook([
        [lines[0].code, 3, "2,5", "1.000.000", "Baik", "", "", ""],
        [lines[1].code, "V", "x", "-5", "", "", "", ""],
        ["9.99.99.2.01.0001", 3, 1, 1, "", "", "", ""],
        [lines[0].code, "III", 1, 1, "", "", "", ""],
        [lines[2].code, 1, 1, 1, "", "", "", ""],  # quarter I is closed: a reason is needed
    ])
    upload = io.BytesIO(bad)
    upload.name = "realisasi.xlsx"
    response = client.post(url, {"berkas": upload})
    assert response.status_code == 400
    text = response.content.decode()
    for expected in ("Baris 3, kolom triwulan", "Baris 3, kolom realisasi_kinerja", "Baris 3, kolom realisasi_keuangan",
                     "Baris 4, kolom kode_sub_kegiatan", "Baris 5, kolom kode_sub_kegiatan", "Baris 6, kolom alasan_koreksi"):
        assert expected in text, expected
    assert _checksum() == before
    good = _workbook([[line.code, 3, 2, 1_000_000, "", "Hujan", "Lembur", ""] for line in lines]
                     + [[lines[0].code, 4, 1, 500_000, "", "", "", ""]])
    upload = io.BytesIO(good)
    upload.name = "realisasi.xlsx"
    assert client.post(url, {"berkas": upload}).status_code == 302
    assert Realisation.objects.filter(line__in=lines, quarter=3, spent=1_000_000).count() == 3
    assert Realisation.objects.get(line=lines[0], quarter=4).volume == Decimal(1)
    assert RealisationRevision.objects.filter(line__in=lines, quarter__in=[3, 4], source="import").count() == 4


@pytest.mark.parametrize("payload", [b"bukan excel", b"PK\x03\x04rusak", b""])
def test_import_refuses_unreadable_files(demo_district, payload: bytes) -> None:
    own, _ = _agencies(demo_district)
    client = _client(demo_district, "pupr")
    before = _checksum()
    upload = io.BytesIO(payload)
    upload.name = "realisasi.xlsx"
    response = client.post(reverse("evaluation:import", args=[YEAR, own.pk]), {"berkas": upload})
    assert response.status_code == 400
    assert _checksum() == before


def test_import_form_round_trips(demo_district) -> None:
    own, _ = _agencies(demo_district)
    client = _client(demo_district, "pupr")
    form = client.get(reverse("evaluation:import_form", args=[YEAR, own.pk]))
    assert form.status_code == 200
    before = _checksum()
    upload = io.BytesIO(form.content)
    upload.name = "realisasi.xlsx"
    # the form as downloaded holds what is stored: importing it changes nothing
    assert client.post(reverse("evaluation:import", args=[YEAR, own.pk]), {"berkas": upload}).status_code == 302
    assert _checksum() == before


# --------------------------------------------------------------- plan indicators


def _indicator_checksum() -> str:
    return hashlib.sha256(repr(list(IndicatorRealisation.objects.order_by("pk").values_list(
        "pk", "indicator_id", "year", "value", "source"))).encode()).hexdigest()


def test_indicator_values_by_scope(demo_district) -> None:
    rpjmd_indicator = Indicator.objects.filter(rpjmd__government_id=demo_district.government_id).order_by("id").first()
    assert rpjmd_indicator is not None
    bappeda = _client(demo_district, "bappeda")
    url = reverse("evaluation:indicators") + "?tahun=2027"
    assert bappeda.get(url).status_code == 200
    before = _indicator_checksum()
    bad = bappeda.post(url, {f"nilai_{rpjmd_indicator.pk}": "dua", f"sumber_{rpjmd_indicator.pk}": "BPS"})
    assert bad.status_code == 400 and "bukan angka" in bad.content.decode()
    assert _indicator_checksum() == before
    ok = bappeda.post(url, {f"nilai_{rpjmd_indicator.pk}": "-1,25", f"sumber_{rpjmd_indicator.pk}": "BPS"})
    assert ok.status_code == 302
    stored = IndicatorRealisation.objects.get(indicator=rpjmd_indicator, year=2027)
    assert stored.value == Decimal("-1.25") and stored.source == "BPS"
    # an agency sees its Renstra indicators only; an RPJMD indicator sent along is ignored
    pupr = _client(demo_district, "pupr")
    before = _indicator_checksum()
    page = pupr.get(url).content.decode()
    assert f"nilai_{rpjmd_indicator.pk}\"" not in page
    assert pupr.post(url, {f"nilai_{rpjmd_indicator.pk}": "5"}).status_code == 302
    assert _indicator_checksum() == before
    with pytest.raises(NotPermitted):
        services.record_indicator_values(viewer_for(_user(demo_district, "pupr")), 2027,
                                         {rpjmd_indicator.pk: (Decimal(5), "")})
    assert _client(demo_district, "tapd").post(url, {f"nilai_{rpjmd_indicator.pk}": "5"}).status_code == 403
    assert _indicator_checksum() == before


def test_import_refuses_a_sheet_beyond_the_limits(demo_district) -> None:
    own, _ = _agencies(demo_district)
    client = _client(demo_district, "pupr")
    before = _checksum()
    header = ["kode_sub_kegiatan", "triwulan", *[f"kolom_{i}" for i in range(45)]]
    upload = io.BytesIO(_workbook([["1.03.10.2.01.0001", 1]], header=header))
    upload.name = "realisasi.xlsx"
    response = client.post(reverse("evaluation:import", args=[YEAR, own.pk]), {"berkas": upload})
    assert response.status_code == 400 and "terlalu lebar" in response.content.decode()
    assert _checksum() == before


def test_entry_works_without_script(demo_district) -> None:
    own, _ = _agencies(demo_district)
    line = _line(own)
    client = _client(demo_district, "pupr")
    url = reverse("evaluation:line_quarter", args=[line.pk]) + "?triwulan=3"
    page = client.get(url + "&ubah=1").content.decode()
    assert "<html" in page and 'name="volume"' in page
    saved = client.post(url, {"volume": "7", "spent": "700000"}, follow=True)
    assert saved.redirect_chain[-1][0].endswith("?triwulan=3")
    assert "disimpan" in saved.content.decode()
    assert Realisation.objects.get(line=line, quarter=3).volume == Decimal(7)
    refused = client.post(url, {"volume": "tujuh"})
    assert refused.status_code == 400 and "<html" in refused.content.decode()


def test_replacing_the_demo_district_removes_its_realisation(demo_district) -> None:
    from selaras.web.demo.loader import delete_district
    from selaras.web.plans.models import LocalGovernment

    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    assert RealisationRevision.objects.filter(line__renja__rkpd__government=government).exists()
    delete_district(government)  # the cascade passes the append-only guard of the revisions
    assert not Realisation.objects.exists() and not RealisationRevision.objects.exists()
    assert not QuarterClosure.objects.exists() and not IndicatorRealisation.objects.exists()


def test_dashboard_rows_carry_the_same_year_figures_as_e81(demo_district) -> None:
    """The dashboards read E.81 without the Renstra years ("lines"): the year's columns are the same."""
    from selaras.domain.plans import LineLevel
    from selaras.web.evaluation.selectors import e81_all
    from selaras.web.plans.models import LocalGovernment

    government = LocalGovernment.objects.get(pk=demo_district.government_id)
    full = {(t.agency.pk, r.code): r for t in e81_all(government, YEAR) for r in t.rows
            if r.level is LineLevel.SUB_ACTIVITY}
    lines = {(t.agency.pk, r.code): r for t in e81_all(government, YEAR, compute="lines") for r in t.rows}
    assert lines.keys() == full.keys() and lines
    for key, row in lines.items():
        other = full[key]
        assert (row.k_year_target, row.rp_year_target, row.k_quarters, row.rp_quarters, row.k_year, row.rp_year,
                row.k_year_achievement, row.rp_year_achievement) == (
            other.k_year_target, other.rp_year_target, other.k_quarters, other.rp_quarters, other.k_year,
            other.rp_year, other.k_year_achievement, other.rp_year_achievement), key
