"""Statements drafted in the web app (RPJMD missions → policy directions by Bappeda, Renstra goals →
policy directions by the agency, RPJPD vision and missions) and the Renja's n+1 target and
'catatan penting' (editor, Excel round trip, versions)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook

from selaras.web.planning import documents, excel, versions
from selaras.web.plans.models import (
    Goal,
    Indicator,
    LongTermPlan,
    MediumTermPlan,
    Mission,
    Objective,
    PolicyDirection,
    RenjaLine,
    RenstraGoal,
    RenstraObjective,
    RenstraPolicyDirection,
    RenstraStrategy,
    Strategy,
)
from selaras.web.reference.models import NomenclatureItem
from tests.planning_world import client_for

pytestmark = pytest.mark.django_db


def add(client: Client, kind: str, pk: int, item: str, text: str, parent: int | None = None, number: str = ""):
    data = {"jenis": item, "uraian": text, "nomor": number}
    if parent is not None:
        data["induk"] = str(parent)
    return client.post(f"/penyusunan/{kind}/{pk}/butir/", data)


def test_bappeda_drafts_the_rpjmd_statements_in_the_web(pw):
    client = client_for(pw.bappeda)
    rpjmd = pw.rpjmd
    assert add(client, "rpjmd", rpjmd.pk, "misi", "Tata kelola pemerintahan yang baik").status_code == 302
    mission = Mission.objects.get(rpjmd=rpjmd, number=2)
    add(client, "rpjmd", rpjmd.pk, "tujuan", "Birokrasi bersih", parent=mission.pk)
    goal = Goal.objects.get(mission=mission)
    assert goal.number == "2.1"  # numbered under its mission
    add(client, "rpjmd", rpjmd.pk, "sasaran", "Indeks reformasi birokrasi meningkat", parent=goal.pk)
    objective = Objective.objects.get(goal=goal)
    add(client, "rpjmd", rpjmd.pk, "strategi", "Digitalisasi layanan", parent=objective.pk)
    strategy = Strategy.objects.get(objective=objective)
    add(client, "rpjmd", rpjmd.pk, "arah", "Satu data daerah", parent=strategy.pk)
    assert PolicyDirection.objects.get(strategy=strategy).text == "Satu data daerah"
    # an indicator on the new objective, and the vision and a mission edited in place
    client.post(f"/penyusunan/rpjmd/{rpjmd.pk}/indikator/", {"nama": "Indeks RB", "satuan": "indeks", "arah": "up",
                                                             "sasaran": str(objective.pk)})
    assert Indicator.objects.get(objective=objective).name == "Indeks RB"
    saved = client.post(f"/penyusunan/sel/rpjmd/{rpjmd.pk}/vision/", {"nilai": "Bekasi maju, sejahtera, bersih"})
    assert "Visi: tersimpan." in saved.content.decode()
    client.post(f"/penyusunan/sel/mission/{mission.pk}/text/", {"nilai": "Tata kelola yang bersih"})
    assert MediumTermPlan.objects.get(pk=rpjmd.pk).vision == "Bekasi maju, sejahtera, bersih"
    assert Mission.objects.get(pk=mission.pk).text == "Tata kelola yang bersih"
    empty = client.post(f"/penyusunan/sel/goal/{goal.pk}/text/", {"nilai": "  "})
    assert "wajib diisi" in empty.content.decode()
    page = client.get(f"/penyusunan/rpjmd/{rpjmd.pk}/").content.decode()
    assert "Digitalisasi layanan" in page and "Satu data daerah" in page and 'id="struktur"' in page
    # a goal without its mission is refused with a message; a number used twice too
    add(client, "rpjmd", rpjmd.pk, "tujuan", "Tanpa induk")
    add(client, "rpjmd", rpjmd.pk, "tujuan", "Nomor kembar", parent=mission.pk, number="2.1")
    assert Goal.objects.filter(mission__rpjmd=rpjmd).count() == 2
    # removing a mission removes what is below it
    client.post(f"/penyusunan/rpjmd/{rpjmd.pk}/butir/misi/{mission.pk}/hapus/")
    assert not Strategy.objects.filter(pk=strategy.pk).exists()


def test_statements_are_versioned_and_compared(pw):
    from selaras.web.planning import structure

    doc = documents.load("rpjmd", pw.rpjmd.pk)
    before = versions.payload_of(doc)
    objective = Objective.objects.get(goal__mission__rpjmd=pw.rpjmd)
    structure.add_item(pw.bappeda, doc, "strategi", "Preservasi jalan", parent_id=objective.pk)
    Mission.objects.filter(rpjmd=pw.rpjmd).update(text="Infrastruktur merata dan tangguh")
    cmp = versions.compare(before, versions.payload_of(documents.load("rpjmd", pw.rpjmd.pk)))
    assert [(c.key, c.status) for c in cmp.changes if c.key.startswith(("mission", "strategy"))] == [
        ("mission:1", "changed"), ("strategy:1.1", "added")]


def test_agency_drafts_its_renstra_statements_not_another(pw):
    renstra = pw.renstra["pupr"]
    client = client_for(pw.perencana_pupr)
    add(client, "renstra", renstra.pk, "tujuan", "Jalan kabupaten mantap")
    goal = RenstraGoal.objects.get(renstra=renstra, number="2")
    add(client, "renstra", renstra.pk, "sasaran", "Kondisi jalan baik meningkat", parent=goal.pk)
    objective = RenstraObjective.objects.get(goal=goal)
    assert objective.number == "2.1"
    add(client, "renstra", renstra.pk, "strategi", "Pemeliharaan rutin", parent=objective.pk)
    strategy = RenstraStrategy.objects.get(objective=objective)
    add(client, "renstra", renstra.pk, "arah", "Prioritas jalan poros desa", parent=strategy.pk)
    assert RenstraPolicyDirection.objects.get(strategy=strategy).text == "Prioritas jalan poros desa"
    saved = client.post(f"/penyusunan/sel/renstra_objective/{objective.pk}/text/", {"nilai": "Jalan baik 90%"})
    assert "tersimpan" in saved.content.decode()
    page = client.get(f"/penyusunan/renstra/{renstra.pk}/").content.decode()
    assert "Pemeliharaan rutin" in page and "Tambah strategi" in page
    # another agency's planner: refused, nothing written
    other = client_for(pw.perencana_dinkes)
    assert add(other, "renstra", renstra.pk, "strategi", "Bukan urusan saya", parent=objective.pk).status_code == 403
    assert other.post(f"/penyusunan/sel/renstra_strategy/{strategy.pk}/text/", {"nilai": "X"}).status_code == 403
    assert other.post(f"/penyusunan/renstra/{renstra.pk}/butir/strategi/{strategy.pk}/hapus/").status_code == 403
    assert RenstraStrategy.objects.filter(objective=objective).count() == 1
    # the agency cannot write the RPJMD's statements
    mission = Mission.objects.get(rpjmd=pw.rpjmd)
    assert client.post(f"/penyusunan/sel/mission/{mission.pk}/text/", {"nilai": "X"}).status_code == 403
    # an item of another document (the other agency's goal) is not found through this one
    dinkes_goal = RenstraGoal.objects.get(renstra=pw.renstra["dinkes"])
    assert client.post(f"/penyusunan/renstra/{renstra.pk}/butir/tujuan/{dinkes_goal.pk}/hapus/").status_code == 404
    assert RenstraGoal.objects.filter(pk=dinkes_goal.pk).exists()


def test_rpjpd_vision_and_missions_in_place(pw):
    plan = LongTermPlan.objects.create(government=pw.gov, start_year=2025, end_year=2045, vision="Bekasi 2045",
                                       missions=["Satu"])
    client = client_for(pw.bappeda)
    page = client.get(f"/penyusunan/rpjpd/{plan.pk}/").content.decode()
    assert "<textarea" in page
    answer = client.post(f"/penyusunan/sel/rpjpd/{plan.pk}/missions/", {"nilai": "Satu\n\n  Dua  misi \nTiga"})
    assert "Misi: tersimpan." in answer.content.decode()
    plan.refresh_from_db()
    assert plan.missions == ["Satu", "Dua misi", "Tiga"]
    assert client_for(pw.perencana_pupr).post(f"/penyusunan/sel/rpjpd/{plan.pk}/vision/",
                                              {"nilai": "X"}).status_code == 403


def test_renja_forward_target_and_note(pw):
    line = pw.renja["pupr"].lines.get()
    client = client_for(pw.perencana_pupr)
    for column, value in (("forward_target", "4"), ("note", "Lanjutan tahun lalu")):
        answer = client.post(f"/penyusunan/sel/renja_line/{line.pk}/{column}/", {"nilai": value})
        assert "tersimpan." in answer.content.decode(), answer.content
    both = client.post(f"/penyusunan/sel/renja_line/{line.pk}/forward_target_min/", {"nilai": "3"})
    assert "bukan keduanya" in both.content.decode()  # a single value and a range at once
    line.refresh_from_db()
    assert (line.forward_target, line.forward_target_min, line.note) == (Decimal(4), None, "Lanjutan tahun lalu")
    page = client.get(f"/penyusunan/renja/{pw.renja['pupr'].pk}/").content.decode()
    assert "Prakiraan maju tahun" in page and "Catatan penting" in page and "Lanjutan tahun lalu" in page

    # the Excel round trip carries both, and a changed note is read back
    doc = documents.load("renja", pw.renja["pupr"].pk)
    rows = excel.export_rows(doc)
    assert rows[0]["note"] == "Lanjutan tahun lalu" and rows[0]["forward_target"][0] == Decimal(4)
    data = excel.export_document(doc)
    same = excel.import_document(pw.perencana_pupr, doc, data)
    assert same.ok and (same.created, same.updated, same.deleted) == (0, 0, 0)
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)]
    note_col = headers.index("Catatan Penting") + 1
    forward_col = [i for i, h in enumerate(headers, 1) if h == "Target Capaian Kinerja"][1]
    sheet.cell(4, note_col).value = "Diubah di Excel"
    sheet.cell(4, forward_col).value = "5–6"
    out = io.BytesIO()
    book.save(out)
    changed = excel.import_document(pw.perencana_pupr, doc, out.getvalue())
    assert changed.ok, [excel.problem_text(p) for p in changed.problems]
    line = RenjaLine.objects.get(pk=line.pk)
    assert (line.note, line.forward_target, line.forward_target_min, line.forward_target_max) == (
        "Diubah di Excel", None, Decimal(5), Decimal(6))
    # and a version comparison names the note and the n+1 target
    v = versions.store_version(pw.bappeda, doc)
    RenjaLine.objects.filter(pk=line.pk).update(note="Lagi", forward_target_max=Decimal(7))
    cmp = versions.compare(v.payload, versions.payload_of(documents.load("renja", doc.pk)))
    assert {c.column for c in cmp.changed[0].cells} == {"note", "forward_target"}


def test_programme_line_serves_a_renstra_objective(pw):
    renstra = pw.renstra["pupr"]
    program = renstra.lines.get(level="program")
    goal = RenstraGoal.objects.get(renstra=renstra)
    second = RenstraObjective.objects.create(goal=goal, number="1.2", text="Jembatan mantap")
    client = client_for(pw.perencana_pupr)
    page = client.get(f"/penyusunan/renstra/{renstra.pk}/").content.decode()
    assert f'id="c-renstra_line-{program.pk}-objective"' in page and "Jembatan mantap" in page
    answer = client.post(f"/penyusunan/sel/renstra_line/{program.pk}/objective/", {"nilai": str(second.pk)})
    assert "Sasaran: tersimpan." in answer.content.decode()
    assert set(renstra.lines.values_list("objective_id", flat=True)) == {second.pk}  # the lines below follow
    other = RenstraObjective.objects.get(goal__renstra=pw.renstra["dinkes"])
    refused = client.post(f"/penyusunan/sel/renstra_line/{program.pk}/objective/", {"nilai": str(other.pk)})
    assert "Sasaran tidak ditemukan" in refused.content.decode()
    assert renstra.lines.get(pk=program.pk).objective_id == second.pk

    # T-C.27: the objective column reads back; an unknown objective is named by row and column
    doc = documents.load("renstra", renstra.pk)
    data = excel.export_document(doc)
    same = excel.import_document(pw.perencana_pupr, doc, data)
    assert same.ok and (same.created, same.updated, same.deleted) == (0, 0, 0)
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)]
    col = headers.index("Sasaran") + 1
    sheet.cell(4, col).value = "Sasaran karangan"
    out = io.BytesIO()
    book.save(out)
    bad = excel.import_document(pw.perencana_pupr, doc, out.getvalue())
    letter = sheet.cell(2, col).column_letter
    assert [excel.problem_text(p).split(" (")[0] for p in bad.problems] == [f"Baris 4, kolom {letter}"]
    sheet.cell(4, col).value = "Sasaran Dinas PUPR"
    out = io.BytesIO()
    book.save(out)
    moved = excel.import_document(pw.perencana_pupr, doc, out.getvalue())
    assert moved.ok and moved.updated == 1
    assert renstra.lines.get(pk=program.pk).objective.text == "Sasaran Dinas PUPR"


def test_lines_are_found_by_name(pw):
    client = client_for(pw.perencana_pupr)
    answer = client.get("/penyusunan/kode/", {"kode": "jalan bangun", "tingkat": "sub_activity"}).content.decode()
    # the name the government's edition gives the code (the shipped edition may already hold it)
    name = NomenclatureItem.objects.filter(edition=pw.world.gov.nomenclature_edition,
                                           code="1.03.10.2.01.0001").values_list("name", flat=True).first()
    answer = client.get("/penyusunan/kode/", {"kode": " ".join(w.strip(",") for w in name.split()[-3:]), "tingkat": "sub_activity"}).content.decode()
    assert '<datalist id="kode-saran" hx-swap-oob="true">' in answer
    assert f'<option value="1.03.10.2.01.0001">{escape(name)}' in answer
    programmes = client.get("/penyusunan/kode/", {"kode": "jalan", "tingkat": "program"}).content.decode()
    assert 'value="1.03.10"' in programmes and "1.03.10.2.01.0001" not in programmes
    nothing = client.get("/penyusunan/kode/", {"kode": "kapal selam"}).content.decode()
    assert "Tidak ada nomenklatur" in nothing
    page = client.get(f"/penyusunan/renja/{pw.renja['pupr'].pk}/").content.decode()
    assert 'list="kode-saran"' in page and "sub_activity" in page


def test_agency_drafts_the_indicators_of_its_renstra_objectives(pw):
    renstra = pw.renstra["pupr"]
    objective = RenstraObjective.objects.get(goal__renstra=renstra)
    client = client_for(pw.perencana_pupr)
    client.post(f"/penyusunan/renstra/{renstra.pk}/indikator/", {"nama": "Persentase jalan kondisi baik",
                                                                 "satuan": "%", "arah": "up",
                                                                 "sasaran": str(objective.pk)})
    indicator = Indicator.objects.get(renstra_objective=objective)
    year = renstra.start_year + 1
    answer = client.post(f"/penyusunan/sel/indicator_target/{indicator.pk}/value/?tahun={year}", {"nilai": "75,5"})
    assert "tersimpan." in answer.content.decode()
    assert indicator.targets.get(year=year).value == Decimal("75.5")
    page = client.get(f"/penyusunan/renstra/{renstra.pk}/").content.decode()
    assert "Indikator sasaran" in page and f'id="c-indicator_target-{indicator.pk}-value-{year}"' in page
    payload = versions.payload_of(documents.load("renstra", renstra.pk))
    assert [line["targets"][str(year)] for line in payload["lines"] if line["key"].startswith("indicator:1.1:")] == [
        "75,5"]
    # without an objective, or from another agency: refused
    client.post(f"/penyusunan/renstra/{renstra.pk}/indikator/", {"nama": "Tanpa sasaran"})
    assert not Indicator.objects.filter(name="Tanpa sasaran").exists()
    other = client_for(pw.perencana_dinkes)
    assert other.post(f"/penyusunan/sel/indicator_target/{indicator.pk}/value/?tahun={year}",
                      {"nilai": "1"}).status_code == 403
    assert other.post(f"/penyusunan/renstra/{renstra.pk}/indikator/", {"nama": "X", "sasaran": str(objective.pk)}
                      ).status_code == 403


def test_rpjmd_priority_programmes_with_funding_per_year(pw):
    from selaras.web.plans.models import RenstraLine, RenstraLineYear

    page = client_for(pw.bappeda).get(f"/penyusunan/rpjmd/{pw.rpjmd.pk}/").content.decode()
    assert "Program prioritas dan kerangka pendanaan" in page
    program = RenstraLine.objects.get(renstra=pw.renstra["pupr"], level="program")
    year = pw.rpjmd.start_year
    assert f'id="c-renstra_year-{program.pk}-budget-{year}"' in page and "Dinas PUPR" in page
    answer = client_for(pw.bappeda).post(f"/penyusunan/sel/renstra_year/{program.pk}/budget/?tahun={year}",
                                         {"nilai": "2.000.000.000"})
    assert "tersimpan." in answer.content.decode()
    assert RenstraLineYear.objects.get(line=program, year=year).budget == 2_000_000_000
    # read only for an operator; a Renstra in penetapan is read only for Bappeda too
    assert f'id="c-renstra_year-{program.pk}-budget-{year}"' not in client_for(pw.camat).get(
        f"/penyusunan/rpjmd/{pw.rpjmd.pk}/").content.decode()
    type(pw.renstra["pupr"]).objects.filter(pk=pw.renstra["pupr"].pk).update(stage="penetapan")
    page = client_for(pw.bappeda).get(f"/penyusunan/rpjmd/{pw.rpjmd.pk}/").content.decode()
    assert f'id="c-renstra_year-{program.pk}-budget-{year}"' not in page and "Rp 2.000.000.000" in page


def test_bappeda_sets_the_rkpd_priorities(pw):
    from selaras.web.plans.models import AnnualPlan

    client = client_for(pw.bappeda)
    answer = client.post(f"/penyusunan/sel/rkpd/{pw.rkpd.pk}/priorities/",
                         {"nilai": "Infrastruktur konektivitas\nPenurunan stunting\n\n"})
    assert "Prioritas pembangunan: tersimpan." in answer.content.decode()
    assert AnnualPlan.objects.get(pk=pw.rkpd.pk).priorities == ["Infrastruktur konektivitas", "Penurunan stunting"]
    payload = versions.payload_of(documents.load("rkpd", pw.rkpd.pk))
    assert [line["name"] for line in payload["lines"] if line["key"].startswith("priority:")] == [
        "Infrastruktur konektivitas", "Penurunan stunting"]
    page = client_for(pw.perencana_pupr).get(f"/penyusunan/rkpd/{pw.rkpd.pk}/")  # read only for an agency
    assert page.status_code == 200 and "<li>Penurunan stunting</li>" in page.content.decode()
    assert f"c-rkpd-{pw.rkpd.pk}-priorities" not in page.content.decode()
    assert client_for(pw.perencana_pupr).post(f"/penyusunan/sel/rkpd/{pw.rkpd.pk}/priorities/",
                                              {"nilai": "X"}).status_code == 403
