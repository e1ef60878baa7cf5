"""Editions on the shipped data: importers (every layout, refusals with row and column) and the
derived mappings 2023 -> 2025 (regions) and 2020 -> 2027 (nomenclature). No database."""

from __future__ import annotations

import csv
import gzip
import io
import lzma
from functools import cache
from pathlib import Path

import pytest
from openpyxl import Workbook

from selaras.domain.errors import InvalidEditionFile
from selaras.reference import editions as E
from selaras.reference import read_nomenclature, read_regions
from selaras.reference.importers import read_edition_file
from selaras.reference.mapping import (
    SPELLING,
    Entry,
    _similarity,
    derive_mapping,
    name_change,
    nomenclature_entries,
    normalise_name,
    region_entries,
    summary,
)
from selaras.web.errors.messages import error_text


@cache
def region_mapping() -> tuple[dict[str, object], dict[str, int]]:
    old, new = read_regions(E.REGION_EDITION_2023), read_regions(E.REGION_EDITION)
    mapped = derive_mapping(region_entries(old), region_entries(new), proper_names=True)
    return {m.from_code: m for m in mapped}, summary(mapped, [r.code for r in new])


@cache
def nomenclature_mapping() -> tuple[dict[str, object], list[object]]:
    old, new = read_nomenclature(E.NOMENCLATURE_EDITION), read_nomenclature(E.NOMENCLATURE_EDITION_2027)
    official: dict[str, list[str]] = {}
    for r in new:
        if r.previous_code:
            official.setdefault(r.previous_code, []).append(r.code)
    mapped = derive_mapping(nomenclature_entries(old), nomenclature_entries(new), official)
    return {m.from_code: m for m in mapped}, new


# ---------------------------------------------------------------- shipped editions


def test_shipped_editions_and_planning_years() -> None:
    assert len(read_regions(E.REGION_EDITION_2023)) == 91_591
    new = read_nomenclature(E.NOMENCLATURE_EDITION_2027)
    subs = [r for r in new if r.level == "sub_activity"]
    # 7,115 distinct codes: 466 codes (L = 3..8) appear for both PROV and KABKOT
    assert len(subs) == 7_581 and len({r.code for r in subs}) == 7_115
    assert sum(1 for r in subs if r.previous_code) == 346
    assert all(r.indicator and r.unit for r in subs if r.code == "1.01.02.1.01.0001")
    assert E.nomenclature_edition_for_year(2026) is E.NOMENCLATURE_EDITION
    assert E.nomenclature_edition_for_year(2027) is E.NOMENCLATURE_EDITION_2027
    assert E.nomenclature_edition_for_year(2031) is E.NOMENCLATURE_EDITION_2027
    assert E.edition_for_year("region", 2024) is E.REGION_EDITION_2023
    assert E.edition_for_year("region", 2026) is E.REGION_EDITION


# ---------------------------------------------------------------- regions 2023 -> 2025


CARVED_OUT = {"92.01": "96.01", "92.04": "96.02", "92.05": "96.03", "92.09": "96.04", "92.10": "96.05",
              "92.71": "96.71"}


def test_province_96_carved_out_of_92_with_its_regencies() -> None:
    by_code, counts = region_mapping()
    assert by_code["92"].change == "unchanged" and "96" not in by_code  # 96 is new: counted in "added"
    moved = {code: m.to_codes for code, m in by_code.items() if code.startswith("92.") and code.count(".") == 1
             and m.change == "moved"}
    assert moved == {old: (new,) for old, new in CARVED_OUT.items()}
    assert all(by_code[old].status == "auto" for old in CARVED_OUT)
    # their kecamatan and villages follow the regency (same name under the new parent)
    assert by_code["92.01.01"].to_codes == ("96.01.01",) and by_code["92.01.01"].status == "auto"
    below = [m for code, m in by_code.items() if code[:5] in CARVED_OUT and code.count(".") >= 2]
    assert len(below) == 1_145
    followed = [m for m in below if m.to_codes and all(t.startswith(CARVED_OUT[m.from_code[:5]] + ".")
                                                       for t in m.to_codes)]
    assert len(followed) == 1_136 and sum(m.status == "auto" for m in followed) == 1_118
    # nine villages have no successor of the same or a similar name: reported, never guessed
    assert {m.change for m in below if m not in followed} == {"removed"}


def test_renamed_villages_are_flagged_not_mapped_silently() -> None:
    by_code, _ = region_mapping()
    kisam = by_code["11.02.03.2002"]  # Kisam -> Kuta Buluh: same code, another village name
    assert kisam.to_codes == ("11.02.03.2002",) and kisam.status == "review" and kisam.confidence < 0.5
    dropped = by_code["14.05.02.1009"]  # Pangkalan Kerinci Timur Agung -> Pangkalan Kerinci Timur
    assert (dropped.reason, dropped.status) == ("wording_changed", "review")
    joined = by_code["18.06.15.2012"]  # Suka Maju -> Sukamaju: spelling only
    assert (joined.change, joined.status) == ("renamed", "auto")
    assert by_code["31.75"].change == "unchanged"  # KOTA ADM. JAKARTA TIMUR = Kota Administrasi Jakarta Timur
    flagged = [m for m in by_code.values() if m.reason in ("name_changed", "wording_changed")]
    assert len(flagged) == 341 and all(m.status == "review" for m in flagged)
    for m in by_code.values():  # every same-code row accepted without a person is a spelling change
        if m.to_codes == (m.from_code,) and m.status == "auto":
            assert name_change(normalise_name(m.from_name), normalise_name(m.to_names[0]),
                               proper_names=True) != "wording", m


def test_region_counts_by_kind_are_stable() -> None:
    _, counts = region_mapping()
    assert counts == {"unchanged": 89_078, "renamed": 1_261, "moved": 1_225, "split": 0, "merged": 5,
                      "removed": 22, "review": 569, "added": 33}
    assert sum(counts[k] for k in ("unchanged", "renamed", "moved", "split", "merged", "removed")) == 91_591


def test_moved_codes_of_the_papua_split_are_mapped() -> None:
    old = [Entry("91", "PAPUA", "", 0), Entry("91.01", "KAB. MERAUKE", "91", 1),
           Entry("91.01.01", "Merauke", "91.01", 2), Entry("91.03", "KAB. JAYAPURA", "91", 1)]
    new = [Entry("91", "Papua", "", 0), Entry("91.03", "Kabupaten Jayapura", "91", 1),
           Entry("93", "Papua Selatan", "", 0), Entry("93.01", "Kabupaten Merauke", "93", 1),
           Entry("93.01.01", "Merauke", "93.01", 2)]
    by_code = {m.from_code: m for m in derive_mapping(old, new)}
    assert by_code["91.01"].change == "moved" and by_code["91.01"].to_codes == ("93.01",)
    assert by_code["91.01.01"].to_codes == ("93.01.01",)
    assert by_code["91.03"].change == "unchanged"


def test_a_child_is_no_surer_than_its_parent() -> None:
    old = [Entry("1", "Satu", "", 0), Entry("1.01", "Pendidikan Dasar", "1", 1),
           Entry("1.01.01", "Pembangunan Sekolah", "1.01", 2)]
    new = [Entry("1", "Satu", "", 0), Entry("1.02", "Pendidikan Dasar Menengah", "1", 1),
           Entry("1.02.01", "Pembangunan Sekolah", "1.02", 2)]
    by_code = {m.from_code: m for m in derive_mapping(old, new)}
    assert by_code["1.01"].to_codes == ("1.02",) and by_code["1.01"].status == "review"  # similar name
    child = by_code["1.01.01"]  # the same name under the parent's candidate: waits with its parent
    assert child.to_codes == ("1.02.01",) and child.status == "review"
    assert child.confidence <= by_code["1.01"].confidence


def test_normalised_names() -> None:
    assert normalise_name("KAB. SORONG") == normalise_name("Kabupaten Sorong")
    assert normalise_name("KOTA ADM. JAKARTA UTARA") == normalise_name("Kota Administrasi Jakarta Utara")
    assert normalise_name("Ala'ang") == "alaang"
    assert _similarity("kisam", "kuta buluh") < SPELLING


@pytest.mark.parametrize(("old", "new", "proper_names", "expected"), [
    ("Fasilitasi Kerjasama Daerah", "Fasilitasi Kerja Sama Daerah", False, "spelling"),
    ("Inventarisasi Obyek Redistribusi Tanah", "Inventarisasi Objek Redistribusi Tanah", False, "spelling"),
    ("Evaluasi Pelaksanaan Kebijakan Perekonomian", "Pelaksanaan Kebijakan Perekonomian", False, "wording"),
    ("Pelaksanaan Koordinasi di Bidang Ideologi", "Pelaksanaan Kebijakan di Bidang Ideologi", False, "wording"),
    ("Sertifikasi Penyelenggara Provinsi", "Sertifikasi Penyelenggara Kabupaten/Kota", False, "wording"),
    ("Penataan Ruang Daerah", "Pendataan Ruang Daerah", False, "wording"),  # one letter, another meaning
    ("Agung Dalem", "Agung Dalam", True, "spelling"),
    ("Sukamaju I", "Sukamaju II", True, "wording"),
    ("Pangkalan Kerinci Timur Agung", "Pangkalan Kerinci Timur", True, "wording"),
    ("Suka Maju", "Sukamaju", True, "spelling"),
    ("Kisam", "Kuta Buluh", True, "wording"),
])
def test_name_change(old: str, new: str, proper_names: bool, expected: str) -> None:
    assert name_change(normalise_name(old), normalise_name(new), proper_names=proper_names) == expected


# ---------------------------------------------------------------- nomenclature 2020 -> 2027


def test_official_previous_codes_are_mapped_as_the_file_says() -> None:
    by_code, new = nomenclature_mapping()
    rows = [r for r in new if r.previous_code]
    assert len(rows) == 346
    published: dict[str, set[str]] = {}
    for r in rows:
        published.setdefault(r.previous_code, set()).add(r.code)
    for previous, codes in published.items():
        m = by_code[previous]
        assert set(m.to_codes) == codes, previous  # exactly the codes the file names, no more
        assert m.status == "official" and m.confidence == 1.0
        assert m.change == ("split" if len(codes) > 1 else "renamed" if codes == {previous} else "moved")


def test_removed_sub_activities_are_reported() -> None:
    by_code, new = nomenclature_mapping()
    new_codes = {r.code for r in new}
    removed = [m for m in by_code.values() if m.change == "removed"]
    subs = [m for m in removed if m.from_code.count(".") == 5]
    assert len(removed) == 1_157 and len(subs) == 1_068
    assert all(m.to_codes == () and m.from_code not in new_codes for m in removed)
    counts = summary(by_code.values(), new_codes)
    assert counts["removed"] == 1_157
    # a name found on several codes is offered, for a person, on the code that ends like the old one
    ambiguous = by_code["4.01.01.1.16.0002"]  # Fasilitasi Fraksi DPRD
    assert ambiguous.to_codes == ("X.XX.01.1.16.0002",) and ambiguous.status == "review"


def test_no_silent_same_code_mapping_when_the_name_changed() -> None:
    by_code, new = nomenclature_mapping()
    names: dict[str, dict[str, str]] = {}
    for r in new:
        names.setdefault(r.code, {})[r.government_level] = r.name
    old = {(r.code, r.government_level): r.name for r in read_nomenclature(E.NOMENCLATURE_EDITION)}
    checked = 0
    for (code, level), name in old.items():
        m = by_code.get(code)
        if m is None or m.to_codes != (code,) or m.status != "auto":
            continue
        new_name = names[code].get(level) or next(iter(names[code].values()))
        # level by level: only the same name or a change of spelling is carried on without a person
        assert name_change(normalise_name(name), normalise_name(new_name)) != "wording", (code, level)
        checked += 1
    assert checked > 3_000
    # names that changed beyond spelling wait for a person, however many letters they share
    for code in ("4.01.03.2.01", "5.04.02.2.02.0002", "8.01.02.2.01.0003", "3.32.03.2.01.0006"):
        assert by_code[code].status == "review" and by_code[code].reason == "wording_changed", code
    assert by_code["4.01.02.2.04"].status == "auto"  # Kerjasama -> Kerja Sama
    # 4.01.02 has one name per government level in both editions: compared level by level
    assert by_code["4.01.02"].change == "unchanged"
    counts = summary(by_code.values(), {r.code for r in new})
    assert counts == {"unchanged": 3_247, "renamed": 258, "moved": 1_231, "split": 0, "merged": 1_099,
                      "removed": 1_157, "review": 1_190, "added": 3_725}


# ---------------------------------------------------------------- importers


def _write(path: Path, text: str) -> Path:
    if path.suffix == ".xz":
        path.write_bytes(lzma.compress(text.encode()))
    elif path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _region_sample() -> list[object]:
    return [r for r in read_regions(E.REGION_EDITION) if r.code == "32" or r.code.startswith("32.15")]


def test_region_csv_and_sql_dump(tmp_path: Path) -> None:
    sample = _region_sample()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kode", "nama"])
    writer.writerows([r.code, r.name] for r in sample)
    parsed = read_edition_file(_write(tmp_path / "w.csv.xz", buffer.getvalue()), "wilayah")
    assert parsed.layout == "wilayah-csv" and [r.code for r in parsed.regions] == [r.code for r in sample]
    values = ",\n".join("('{}','{}')".format(r.code, r.name.replace("'", "''")) for r in sample)
    sql = f"-- dump\nCREATE TABLE wilayah (kode varchar(13), nama varchar(100));\nINSERT INTO `wilayah` (`kode`, `nama`) VALUES\n{values};\n"
    parsed_sql = read_edition_file(_write(tmp_path / "w.sql", sql), "wilayah")
    assert parsed_sql.layout == "wilayah-sql"
    assert [(r.code, r.name, r.level) for r in parsed_sql.regions] == [(r.code, r.name, r.level) for r in sample]


@pytest.mark.parametrize(("text", "row", "column", "fragment"), [
    ("kode,nama\n32,JAWA BARAT\n32.15,Karawang\n32.15.x,Salah\n", 4, "kode", "baris 4, kolom 'kode'"),
    ("kode,nama\n32,JAWA BARAT\n32.15,\n", 3, "nama", "nama kosong"),
    ("kode,nama\n32,JAWA BARAT\n32,JAWA BARAT\n", 3, "kode", "sudah ada pada baris 2"),
    ("kode,nama\n32.15,Karawang\n", 2, "kode", "induk"),
    ("code,name\n32,JAWA BARAT\n", 1, "kode", "kolom wajib 'kode'"),
])
def test_malformed_region_csv_refused_with_row_and_column(tmp_path: Path, text: str, row: int, column: str,
                                                          fragment: str) -> None:
    with pytest.raises(InvalidEditionFile) as caught:
        read_edition_file(_write(tmp_path / "w.csv", text), "wilayah")
    assert caught.value.params["row"] == row and caught.value.params["column"] == column
    assert fragment in error_text(caught.value)


def test_malformed_sql_refused_with_line(tmp_path: Path) -> None:
    sql = "INSERT INTO wilayah (kode, nama) VALUES\n('32','JAWA BARAT'),\n('32.15' 'Karawang');\n"
    with pytest.raises(InvalidEditionFile) as caught:
        read_edition_file(_write(tmp_path / "w.sql", sql), "wilayah")
    assert caught.value.params["row"] == 3


def _sipd_workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["JENIS PEMDA", "BIDANG", "PROGRAM", "KEGIATAN", "SUBKEGIATAN", "KINERJA", "INDIKATOR", "SATUAN",
                  "TAG", "DEFINISI OPERASIONAL", "PELAKSANA", "SPM", "JENIS", "SUBKEGIATAN SEBELUMNYA"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _sipd_rows_from_shipped(limit: int) -> list[list[object]]:
    records = read_nomenclature(E.NOMENCLATURE_EDITION_2027)
    names = {(r.code, r.government_level): r.name for r in records}
    level = {"provinsi": "PROV", "kab/kota": "KABKOT"}
    rows = []
    for r in [r for r in records if r.level == "sub_activity"][:limit]:
        parts = r.code.split(".")
        cells = [level[r.government_level]]
        for cut in (2, 3, 5):
            code = ".".join(parts[:cut])
            cells.append(f"{code} {names[(code, r.government_level)]}")
        cells += [f"{r.code} {r.name}", r.performance, r.indicator, r.unit, "[null]", r.definition, r.implementer,
                  r.spm, r.service_type, f"{r.previous_code} {r.previous_name}" if r.previous_code else None]
        rows.append(cells)
    return rows


def test_sipd_export_layout(tmp_path: Path) -> None:
    rows = _sipd_rows_from_shipped(60)
    parsed = read_edition_file(_sipd_workbook(tmp_path / "sipd.xlsx", rows), "nomenklatur")
    assert parsed.layout == "sipd-xlsx"
    subs = [r for r in parsed.nomenclature if r.level == "sub_activity"]
    shipped = {(r.code, r.government_level): r for r in read_nomenclature(E.NOMENCLATURE_EDITION_2027)}
    assert len(subs) == 60
    for r in subs:
        expected = shipped[(r.code, r.government_level)]
        assert (r.name, r.indicator, r.unit, r.performance) == (expected.name, expected.indicator, expected.unit,
                                                                expected.performance)
    assert {r.level for r in parsed.nomenclature} == {"affair", "sector", "program", "activity", "sub_activity"}


def test_sipd_export_bad_row_refused(tmp_path: Path) -> None:
    rows = _sipd_rows_from_shipped(5)
    rows[3][4] = "1.01.02.1.01.12 Dua angka"
    with pytest.raises(InvalidEditionFile) as caught:
        read_edition_file(_sipd_workbook(tmp_path / "sipd.xlsx", rows), "nomenklatur")
    assert caught.value.params["row"] == 5 and caught.value.params["column"] == "SUBKEGIATAN"
    rows = _sipd_rows_from_shipped(5)
    rows[1][3] = "1.02.02.1.01 Kegiatan lain"
    with pytest.raises(InvalidEditionFile) as caught:
        read_edition_file(_sipd_workbook(tmp_path / "sipd.xlsx", rows), "nomenklatur")
    assert caught.value.params["row"] == 3 and caught.value.params["column"] == "KEGIATAN"
