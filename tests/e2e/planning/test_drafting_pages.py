"""Drafting pages through HTTP: editor pages render, a cell saves in place, refusals are 403."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.html import escape

from selaras.web.plans.models import RenjaLine, RenstraLine, RenstraLineYear
from selaras.web.reference.models import NomenclatureItem
from tests.planning_world import client_for, set_rkpd_stage

pytestmark = pytest.mark.django_db


def test_agency_sees_its_documents_only(pw):
    page = client_for(pw.perencana_pupr).get("/penyusunan/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Renstra Dinas PUPR" in text and "Renja Dinas PUPR" in text
    assert "Dinas Kesehatan" not in text


@pytest.mark.parametrize("kind", ["renstra", "renja"])
def test_editor_pages_render(pw, kind):
    doc = pw.renstra["pupr"] if kind == "renstra" else pw.renja["pupr"]
    page = client_for(pw.perencana_pupr).get(f"/penyusunan/{kind}/{doc.pk}/")
    assert page.status_code == 200
    assert 'hx-post="/penyusunan/sel/' in page.content.decode()


@pytest.mark.parametrize("user", ["bappeda", "desa", "camat", "dprd"])
def test_other_documents_render_read_only_or_for_bappeda(pw, user):
    for kind, pk in (("rkpd", pw.rkpd.pk), ("rpjmd", pw.rpjmd.pk), ("renja", pw.renja["dinkes"].pk)):
        page = client_for(pw.world.users[user]).get(f"/penyusunan/{kind}/{pk}/")
        assert page.status_code == 200
        assert ('hx-post="/penyusunan/sel/' in page.content.decode()) == (user == "bappeda")


def test_cell_saves_in_place(pw):
    line = pw.renja["pupr"].lines.get()
    client = client_for(pw.perencana_pupr)
    answer = client.post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "1.250.000.000"},
                         HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert "Pagu: tersimpan." in answer.content.decode()
    line.refresh_from_db()
    assert line.budget == 1_250_000_000


def test_bad_value_is_explained_not_saved(pw):
    line = pw.renja["pupr"].lines.get()
    answer = client_for(pw.perencana_pupr).post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "satu"},
                                                HTTP_HX_REQUEST="true")
    assert answer.status_code == 422  # swapped in by selaras.js (htmx leaves other 4xx alone)
    assert "rupiah bulat" in answer.content.decode() and 'aria-invalid="true"' in answer.content.decode()
    line.refresh_from_db()
    assert line.budget == 1_000_000_000


def test_unreadable_value_is_explained_in_the_cell(pw):
    """Too long or with a control character: answered in the cell (422) naming the column, not an
    error page about a field 'nilai' that htmx would never show; nothing written."""
    line = pw.renja["pupr"].lines.get()
    client = client_for(pw.perencana_pupr)
    for raw, words in (("x" * 5000, "terlalu panjang"), ("a\x00b", "karakter yang tidak diizinkan")):
        answer = client.post(f"/penyusunan/sel/renja_line/{line.pk}/name/", {"nilai": raw}, HTTP_HX_REQUEST="true")
        html = answer.content.decode()
        assert answer.status_code == 422 and words in html and "Nama: " in html, html[:300]
        assert "nilai" not in html.lower().replace('name="nilai"', "")
    assert RenjaLine.objects.get(pk=line.pk).name == line.name


@pytest.mark.parametrize("column", ["target", "target_min", "target_max", "forward_target", "forward_target_min"])
def test_negative_renja_target_is_refused(pw, column):
    line = pw.renja["pupr"].lines.get()
    client = client_for(pw.perencana_pupr)
    if column != "target" and not column.startswith("forward"):
        client.post(f"/penyusunan/sel/renja_line/{line.pk}/target/", {"nilai": ""})  # a range, not a value
    before = RenjaLine.objects.filter(pk=line.pk).values()[0]
    answer = client.post(f"/penyusunan/sel/renja_line/{line.pk}/{column}/", {"nilai": "-1"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 422 and "tidak boleh negatif" in answer.content.decode()
    assert RenjaLine.objects.filter(pk=line.pk).values()[0] == before
    assert client.post(f"/penyusunan/sel/renja_line/{line.pk}/{column}/", {"nilai": "0"}).status_code == 200


def test_renja_summary_is_refreshed_after_a_pagu_edit(pw):
    """A line's pagu saved in place brings the editor's summary along (out of band): the new total,
    and the remaining pagu turning negative is shown as such."""
    renja = pw.renja["pupr"]
    line = renja.lines.get()
    client = client_for(pw.perencana_pupr)
    page = client.get(f"/penyusunan/renja/{renja.pk}/").content.decode()
    assert 'id="ringkasan-renja"' in page and "Rp 4.000.000.000" in page  # remaining of 5 bn after 1 bn
    answer = client.post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "6.000.000.000"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert 'id="ringkasan-renja" aria-live="polite" hx-swap-oob="true"' in answer
    summary = answer[answer.index('id="ringkasan-renja"'):]
    assert "Rp 6.000.000.000" in summary and "-Rp 1.000.000.000" in summary and "belum dapat diajukan" in summary
    forward = client.post(f"/penyusunan/sel/renja_line/{line.pk}/forward_estimate/", {"nilai": "7"},
                          HTTP_HX_REQUEST="true").content.decode()
    assert "Rp 7<" in forward[forward.index('id="ringkasan-renja"'):]
    name = client.post(f"/penyusunan/sel/renja_line/{line.pk}/name/", {"nilai": "Jalan"}).content.decode()
    assert "ringkasan-renja" not in name  # nothing to refresh
    refused = client.post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "-5"}).content.decode()
    assert "ringkasan-renja" not in refused


def test_range_target_on_renstra_year(pw):
    line = pw.renstra["pupr"].lines.get(level="sub_activity")
    year = pw.renstra["pupr"].start_year
    client = client_for(pw.perencana_pupr)
    assert "bukan keduanya" in client.post(f"/penyusunan/sel/renstra_year/{line.pk}/target_min/?tahun={year}",
                                           {"nilai": "1"}).content.decode()
    client.post(f"/penyusunan/sel/renstra_year/{line.pk}/target/?tahun={year}", {"nilai": ""})
    client.post(f"/penyusunan/sel/renstra_year/{line.pk}/target_min/?tahun={year}", {"nilai": "0,6"})
    client.post(f"/penyusunan/sel/renstra_year/{line.pk}/target_max/?tahun={year}", {"nilai": "1,8"})
    entry = RenstraLineYear.objects.get(line=line, year=year)
    assert (entry.target, entry.target_min, entry.target_max) == (None, Decimal("0.6"), Decimal("1.8"))
    answer = client.post(f"/penyusunan/sel/renstra_year/{line.pk}/target_min/?tahun={year}", {"nilai": "2"})
    assert "tidak boleh lebih besar" in answer.content.decode()


@pytest.mark.parametrize("user", ["perencana_dinkes", "desa", "camat", "dprd", "tapd", "bappeda_lain",
                                  "tanpa_peran"])
def test_refused_cell_writes_are_403(pw, user):
    line = pw.renja["pupr"].lines.get()
    answer = client_for(pw.world.users[user]).post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "5"})
    assert answer.status_code == 403
    assert RenjaLine.objects.get(pk=line.pk).budget == 1_000_000_000


@pytest.mark.parametrize("path", ["/penyusunan/sel/renja_line/99999999/budget/", "/penyusunan/sel/nope/1/x/",
                                  "/penyusunan/sel/renja_line/1/nope/?tahun=abc"])
def test_bad_cell_addresses_are_not_500(pw, path):
    answer = client_for(pw.perencana_pupr).post(path, {"nilai": "1"})
    assert answer.status_code in (400, 404)


def test_stage_versions_and_compare_pages(pw):
    renja = pw.renja["pupr"]
    agency, bappeda = client_for(pw.perencana_pupr), client_for(pw.bappeda)
    base = f"/penyusunan/renja/{renja.pk}"
    assert agency.get(f"{base}/tahap/").status_code == 200
    assert agency.post(f"{base}/tahap/", {"tahap": "rancangan"}).status_code == 302
    assert agency.post(f"{base}/tahap/", {"tahap": "rancangan_akhir"}).status_code == 403
    line = renja.lines.get()
    agency.post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "9.000.000.000"})
    early = bappeda.post(f"{base}/tahap/", {"tahap": "rancangan_akhir"})  # the RKPD is not enacted yet
    assert early.status_code == 409 and "harus lebih dulu berada pada tahap Penetapan" in early.content.decode()
    set_rkpd_stage(pw)
    blocked = bappeda.post(f"{base}/tahap/", {"tahap": "rancangan_akhir"})
    assert blocked.status_code == 409
    assert "melebihi pagu indikatif" in blocked.content.decode()
    moved = bappeda.post(f"{base}/tahap/", {"tahap": "rancangan_akhir",
                                            "alasan": "Disepakati Forum Perangkat Daerah 12 Maret."})
    assert moved.status_code == 302
    assert "Rancangan Akhir" in bappeda.get(f"{base}/").content.decode()
    assert bappeda.get(f"{base}/versi/").status_code == 200
    page = bappeda.get(f"{base}/banding/?a=1&b=2")
    assert page.status_code == 200 and 'data-changed>1<' in page.content.decode()
    assert bappeda.get(f"{base}/banding/?a=1").status_code == 200  # against the document now
    xlsx = bappeda.get(f"{base}/banding.xlsx?a=1&b=2")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    for bad in ("?a=abc", "?a=99", "?a=1&b=%00", "?a=1&b=99999999999999999999999"):
        assert bappeda.get(f"{base}/banding/{bad}").status_code in (400, 404), bad


def test_submitting_over_the_ceiling_shows_the_overrun_on_the_stage_page(pw):
    renja = pw.renja["pupr"]
    agency = client_for(pw.perencana_pupr)
    line = renja.lines.get()
    agency.post(f"/penyusunan/sel/renja_line/{line.pk}/budget/", {"nilai": "6.500.000.000"})
    refused = agency.post(f"/penyusunan/renja/{renja.pk}/tahap/", {"tahap": "rancangan"})
    page = refused.content.decode()
    assert refused.status_code == 409 and 'role="alert"' in page
    assert "Rp 6.500.000.000" in page and "Rp 5.000.000.000" in page and "sebesar Rp 1.500.000.000" in page
    renja.refresh_from_db()
    assert renja.stage == "rancangan_awal"


def test_notes_through_the_pages(pw):
    renja = pw.renja["pupr"]
    line = renja.lines.get()
    base = f"/penyusunan/renja/{renja.pk}"
    bappeda, agency = client_for(pw.bappeda), client_for(pw.perencana_pupr)
    assert agency.post(f"{base}/catatan/", {"catatan": "x"}).status_code == 403
    assert bappeda.post(f"{base}/catatan/", {"catatan": "Target belum sesuai Renstra.", "jenis_baris": "renja_line",
                                             "baris": line.pk, "penilaian": "needs_correction"}).status_code == 302
    from selaras.web.planning.models import ReviewNote

    note = ReviewNote.objects.get()
    assert "Target belum sesuai Renstra." in agency.get(f"{base}/").content.decode()
    assert client_for(pw.perencana_dinkes).post(f"/penyusunan/catatan/{note.pk}/jawab/",
                                                {"jawaban": "x"}).status_code == 403
    assert agency.post(f"/penyusunan/catatan/{note.pk}/jawab/", {"jawaban": "Sudah.", "selesai": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.status == "resolved"
    assert bappeda.get("/penyusunan/catatan/").status_code == 200
    assert bappeda.get("/penyusunan/catatan/?pd=abc").status_code == 400


def test_excel_pages(pw):
    renja = pw.renja["pupr"]
    base = f"/penyusunan/renja/{renja.pk}"
    agency = client_for(pw.perencana_pupr)
    data = agency.get(f"{base}/unduh.xlsx")
    assert data.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = agency.post(f"{base}/unggah/", {"berkas": SimpleUploadedFile("r.xlsx", data.content)}, follow=True)
    assert ok.status_code == 200 and "Berkas diterapkan" in ok.content.decode()
    bad = agency.post(f"{base}/unggah/", {"berkas": SimpleUploadedFile("r.xlsx", b"bukan excel")}, follow=True)
    assert "Berkas tidak diterapkan" in bad.content.decode()
    assert agency.post(f"{base}/unggah/").status_code == 400
    assert client_for(pw.camat).post(f"{base}/unggah/", {"berkas": SimpleUploadedFile("r.xlsx", data.content)}
                                     ).status_code == 403


def test_add_line_and_code_lookup(pw):
    renstra = pw.renstra["pupr"]
    agency = client_for(pw.perencana_pupr)
    # the name the government's nomenclature edition gives (the shipped edition may already hold the code)
    name = NomenclatureItem.objects.filter(edition=pw.world.gov.nomenclature_edition,
                                           code="1.03.10.2.01.0001").values_list("name", flat=True).first()
    assert name and escape(name) in agency.get("/penyusunan/kode/?kode=1.03.10.2.01.0001").content.decode()
    assert "nomenklatur" in agency.get("/penyusunan/kode/?kode=1.03.10.2.01.9999").content.decode()
    assert "tidak sah" in agency.get("/penyusunan/kode/?kode=1.3").content.decode().lower()
    agency.post(f"/penyusunan/renstra/{renstra.pk}/baris/", {"kode": "1.03.10.2.01.0001"})
    assert renstra.lines.filter(code="1.03.10.2.01.0001", name=name).exists()
    answer = agency.post(f"/penyusunan/renstra/{renstra.pk}/baris/", {"kode": "1.03.10.2.01.0001"}, follow=True)
    assert "sudah ada" in answer.content.decode()


def test_bappeda_carries_postponed_proposals_from_the_index(pw):
    page = client_for(pw.bappeda).get("/penyusunan/")
    assert page.status_code == 200
    assert client_for(pw.perencana_pupr).post("/penyusunan/bawa-usulan-ditunda/").status_code == 403


def test_bappeda_adds_priority_programme(pw):
    base = f"/penyusunan/rkpd/{pw.rkpd.pk}"
    assert client_for(pw.perencana_pupr).post(f"{base}/baris/", {"kode": "1.03.10"}).status_code == 403
    client_for(pw.bappeda).post(f"{base}/baris/", {"kode": "1.03.10"})
    assert list(pw.rkpd.priority_programs.values_list("code", "name")) == [("1.03.10", "Program Penyelenggaraan Jalan")]
    page = client_for(pw.bappeda).post(f"{base}/baris/", {"kode": "1.03.10.2.01"}, follow=True)
    assert "bukan kode program" in page.content.decode()


@pytest.mark.parametrize(("row", "column", "year"), [
    ("renstra_line", "baseline", False), ("renstra_line", "end_target", False), ("renstra_year", "target", True),
    ("renstra_year", "target_max", True)])
def test_negative_renstra_baselines_and_targets_are_refused(pw, row, column, year):
    line = pw.renstra["pupr"].lines.get(level="sub_activity")
    client = client_for(pw.perencana_pupr)
    query = f"?tahun={pw.renstra['pupr'].start_year}" if year else ""
    if column == "target_max":
        client.post(f"/penyusunan/sel/renstra_year/{line.pk}/target/{query}", {"nilai": ""})
    before = (list(RenstraLine.objects.filter(pk=line.pk).values()), list(RenstraLineYear.objects.values()))
    answer = client.post(f"/penyusunan/sel/{row}/{line.pk}/{column}/{query}", {"nilai": "-2"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 422 and "tidak boleh negatif" in answer.content.decode()
    assert (list(RenstraLine.objects.filter(pk=line.pk).values()), list(RenstraLineYear.objects.values())) == before
    assert client.post(f"/penyusunan/sel/{row}/{line.pk}/{column}/{query}", {"nilai": "0"}).status_code == 200


def test_negative_rpjmd_indicator_values_only_for_a_rate_of_change(pw):
    """'Persentase jalan mantap' is never negative; a growth rate may be (the economy shrank in
    2020)."""
    from selaras.web.plans.models import Indicator, IndicatorTarget

    client = client_for(pw.bappeda)
    indicator, year = pw.indicator, pw.rpjmd.start_year
    for column, query in (("baseline", ""), ("end_value", "")):
        answer = client.post(f"/penyusunan/sel/indicator/{indicator.pk}/{column}/{query}", {"nilai": "-1,5"})
        assert answer.status_code == 422 and "laju atau pertumbuhan" in answer.content.decode()
    answer = client.post(f"/penyusunan/sel/indicator_target/{indicator.pk}/value/?tahun={year}", {"nilai": "-1"})
    assert answer.status_code == 422 and "tidak boleh negatif" in answer.content.decode()
    assert IndicatorTarget.objects.get(indicator=indicator, year=year).value == Decimal(72)
    growth = Indicator.objects.create(rpjmd=pw.rpjmd, key="economic_growth", name="Laju pertumbuhan ekonomi",
                                      unit="%", direction="up")
    assert client.post(f"/penyusunan/sel/indicator/{growth.pk}/baseline/", {"nilai": "-2,1"}).status_code == 200
    assert client.post(f"/penyusunan/sel/indicator_target/{growth.pk}/value/?tahun={year}",
                       {"nilai": "-0,5"}).status_code == 200
    assert Indicator.objects.get(pk=growth.pk).baseline == Decimal("-2.1")
