"""Defects of the drafting pages found in a walkthrough of the demo: moves offered to roles that
cannot make them, old cell messages left on screen, English directions in read-only tables, a
parser message for a name typed as a code, codes outside the government's nomenclature."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selaras.web.planning import documents, stages
from selaras.web.plans.models import RenstraLine
from selaras.web.reference.models import NomenclatureItem
from tests.planning_world import ROAD_ACTIVITY, client_for, set_rkpd_stage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["tapd", "dprd", "camat", "perencana_dinkes"])
def test_no_move_form_for_who_cannot_move(pw, username):
    """The stage page and the editor's header offer the move only to who may make it (the
    permission `stages.move` checks); the others are told why."""
    renja = pw.renja["pupr"]
    client = client_for(pw.world.users[username])
    page = client.get(f"/penyusunan/renja/{renja.pk}/tahap/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pindahkan" not in text and 'name="tahap"' not in text
    assert "data-move-refused" in text
    editor = client.get(f"/penyusunan/renja/{renja.pk}/").content.decode()
    assert f"/penyusunan/renja/{renja.pk}/tahap/" not in editor


def test_move_form_for_who_may_move(pw):
    renja = pw.renja["pupr"]
    for user in (pw.bappeda, pw.perencana_pupr):  # the agency submits its own Renja
        text = client_for(user).get(f"/penyusunan/renja/{renja.pk}/tahap/").content.decode()
        assert "Pindahkan" in text and 'value="rancangan"' in text
        assert f"/penyusunan/renja/{renja.pk}/tahap/" in client_for(user).get(
            f"/penyusunan/renja/{renja.pk}/").content.decode()
    stages.move(pw.perencana_pupr, documents.load("renja", renja.pk), "rancangan")
    agency = client_for(pw.perencana_pupr).get(f"/penyusunan/renja/{renja.pk}/tahap/").content.decode()
    assert "Pindahkan" not in agency and "Hanya Bappeda yang dapat memindahkan" in agency
    # Bappeda may make the next move: told why it waits while the RKPD is not enacted, then offered it
    waiting = client_for(pw.bappeda).get(f"/penyusunan/renja/{renja.pk}/tahap/").content.decode()
    assert "data-move-held" in waiting and "Hanya Bappeda" not in waiting
    set_rkpd_stage(pw)
    assert "Pindahkan" in client_for(pw.bappeda).get(f"/penyusunan/renja/{renja.pk}/tahap/").content.decode()


def test_a_saved_cell_replaces_its_earlier_message(pw):
    """A refused cell answers its input and message in one box that the input's next answer
    replaces whole (hx-target): -5000, abc, 999… then 750.000 leave no message behind."""
    line = pw.renja["pupr"].lines.get()
    client = client_for(pw.perencana_pupr)
    url = f"/penyusunan/sel/renja_line/{line.pk}/budget/"
    ident = f"c-renja_line-{line.pk}-budget"
    for bad in ("-5000", "abc", "9" * 30):
        answer = client.post(url, {"nilai": bad})
        html = answer.content.decode()
        assert answer.status_code == 422
        box = re.search(rf'<span class="cell-box" id="{ident}-box">(.*?)</span></span>', html, re.S)
        assert box is not None, html
        assert f'hx-target="#{ident}-box"' in box.group(1) and f'id="{ident}-e"' in box.group(1)
        assert html.count('class="cell-error"') == 1
    saved = client.post(url, {"nilai": "750.000"})
    html = saved.content.decode()
    assert saved.status_code == 200
    assert "cell-error" not in html and "-box" not in html and f'id="{ident}"' in html


def test_read_only_directions_are_in_bahasa(pw):
    """An issued or another agency's Renja/Renstra shows "naik"/"turun"/"—", not up/down/none."""
    renja, renstra = pw.renja["pupr"], pw.renstra["pupr"]
    renja.lines.update(direction="down")
    RenstraLine.objects.filter(renstra=renstra, level="program").update(direction="none")
    type(renja).objects.filter(pk=renja.pk).update(stage="penetapan")
    renja_page = client_for(pw.perencana_pupr).get(f"/penyusunan/renja/{renja.pk}/").content.decode()
    assert "<td>turun</td>" in renja_page and "<td>down</td>" not in renja_page
    renstra_page = client_for(pw.perencana_dinkes).get(f"/penyusunan/renstra/{renstra.pk}/").content.decode()
    assert "<td>naik</td>" in renstra_page and "<td>—</td>" in renstra_page
    assert not re.search(r"<td>(up|down|none|band)</td>", renstra_page)


def test_money_inputs_show_long_amounts_whole():
    """A pagu of 38.351.233.000 (and up to Rp 999 triliun) reads whole: the money inputs grow with
    their value and are at least as wide as the longest amount."""
    css = (Path(__file__).parents[3] / "src/selaras/web/planning/static/planning/planning.css").read_text()
    rule = next(line for line in css.splitlines() if '[id*="-budget"]' in line)
    assert "field-sizing: content" in rule
    width = re.search(r"min-width: (\d+)ch", rule)
    assert width and int(width.group(1)) >= len("999.999.999.999.999") and "content-box" in rule


def test_a_name_typed_as_code_gets_a_plain_message(pw):
    renstra = pw.renstra["pupr"]
    page = client_for(pw.perencana_pupr).post(f"/penyusunan/renstra/{renstra.pk}/baris/",
                                              {"kode": "Pembangunan Jalan"}, follow=True).content.decode()
    assert "Pilih kode dari daftar atau ketik kode nomenklatur (mis. 1.03.10.2.01.0001)" in page
    assert "tidak sah pada bagian" not in page


@pytest.mark.parametrize("code", ["9.99.99", "9.99.99.9.99", "9.99.99.9.99.9999", "1.03.10.2.01.9998"])
def test_codes_outside_the_nomenclature_are_refused(pw, code):
    """With a name typed too: a plan line carries a code of the government's nomenclature edition."""
    renstra = pw.renstra["pupr"]
    client = client_for(pw.perencana_pupr)
    page = client.post(f"/penyusunan/renstra/{renstra.pk}/baris/", {"kode": code, "nama": "Jalan desa"},
                       follow=True).content.decode()
    assert f"Kode {code} tidak ada di nomenklatur edisi" in page
    assert not renstra.lines.filter(code=code).exists()
    assert "tidak ada di nomenklatur edisi" in client.get(f"/penyusunan/kode/?kode={code}").content.decode()


def test_codes_of_the_province_are_refused_to_a_regency(pw):
    """1.03.06.1.01.0001 is a province's sub-activity: not offered by name, refused by code."""
    edition = pw.world.gov.nomenclature_edition
    province = "1.03.10.1.01.0001"
    NomenclatureItem.objects.get_or_create(edition=edition, code=province, government_level="provinsi", defaults={
        "name": "Pembangunan Jalan Provinsi Uji", "level": "sub_activity", "parent_code": "1.03.10.1.01"})
    client = client_for(pw.perencana_pupr)
    offered = client.get("/penyusunan/kode/?kode=Pembangunan+Jalan").content.decode()
    assert province not in offered and "1.03.10.2.01" in offered
    for code in (province, "1.03.06.1.01.0001"):
        assert "bukan kode nomenklatur untuk pemerintah daerah kab/kota" in client.get(
            f"/penyusunan/kode/?kode={code}").content.decode()
    RenstraLine.objects.create(renstra=pw.renstra["pupr"], level="activity", code="1.03.10.1.01", name="Provinsi")
    page = client.post(f"/penyusunan/renstra/{pw.renstra['pupr'].pk}/baris/", {"kode": province, "nama": "Jalan"},
                       follow=True).content.decode()
    assert "bukan kode nomenklatur untuk pemerintah daerah kab/kota" in page
    assert not RenstraLine.objects.filter(code=province).exists()
    # a sector's supporting programme U.BB.01 is listed once, as X.XX.01: it still goes in, named
    NomenclatureItem.objects.get_or_create(edition=edition, code="X.XX.01", government_level="kab/kota", defaults={
        "name": "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "level": "program",
        "parent_code": "X.XX"})
    client.post(f"/penyusunan/renstra/{pw.renstra['pupr'].pk}/baris/", {"kode": "1.03.01"})
    assert RenstraLine.objects.get(renstra=pw.renstra["pupr"], code="1.03.01").name.lower().startswith("program penunjang")
    assert ROAD_ACTIVITY in client.get("/penyusunan/kode/?kode=Penyelenggaraan+Jalan").content.decode()
