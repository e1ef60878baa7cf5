"""Editions on the shipped data: importers (every layout, refusals with row and column) and the
derived mappings 2023 -> 2025 (regions) and 2020 -> 2027 (nomenclature). No database."""

from __future__ import annotations

import csv
import gzip
import io
import lzma
from collections import Counter
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
    nomenclature_entries,
    normalise_name,
    region_entries,
    summary,
)
from selaras.web.errors.messages import error_text


@cache
def region_mapping() -> tuple[dict[str, object], dict[str, int]]:
    old, new = read_regions(E.REGION_EDITION_2023), read_regions(E.REGION_EDITION)
    mapped = derive_mapping(region_entries(old), region_entries(new))
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


def test_province_96_carved_out_of_92_with_its_regencies() -> None:
    by_code, _ = region_mapping()
    assert by_code["92"].change == "unchanged"
    moved = {code: m.to_codes for code, m in by_code.items() if code.startswith("92.") and code.count(".") == 1
             and m.change == "moved"}
    assert moved == {"92.01": ("96.01",), "92.04": ("96.02",), "92.05": ("96.03",), "92.09": ("96.04",),
                     "92.10": ("96.05",), "92.71": ("96.71",)}
    # their kecamatan follow the regency (same name under the new parent)
    assert by_code["92.01.01"].to_codes == ("96.01.01",) and by_code["92.01.01"].status == "auto"


def test_renamed_village_is_flagged_not_mapped_silently() -> None:
    by_code, _ = region_mapping()
    kisam = by_code["11.02.03.2002"]
    assert kisam.to_codes == ("11.02.03.2002",) and kisam.status == "review" and kisam.confidence < 0.5
    flagged = [m for m in by_code.values() if m.reason == "name_changed"]
    assert len(flagged) > 300 and all(m.status == "review" for m in flagged)


def test_region_counts_by_kind_are_stable() -> None:
    _, counts = region_mapping()
    assert counts == {"unchanged": 89_045, "renamed": 1_294, "moved": 1_225, "split": 0, "merged": 5,
                      "removed": 22, "review": 635, "added": 33}


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


def test_normalised_names() -> None:
    assert normalise_name("KAB. SORONG") == normalise_name("Kabupaten Sorong")
    assert _similarity("kisam", "kuta buluh") < SPELLING


# ---------------------------------------------------------------- nomenclature 2020 -> 2027


def test_official_previous_codes_are_mapped_as_the_file_says() -> None:
    by_code, new = nomenclature_mapping()
    pairs = {(r.previous_code, r.code) for r in new if r.previous_code}
    assert len(pairs) == 346
    for previous, code in pairs:
        m = by_code[previous]
        assert code in m.to_codes and m.status == "official" and m.confidence == 1.0


def test_removed_sub_activities_are_reported() -> None:
    by_code, _ = nomenclature_mapping()
    removed = [m for m in by_code.values() if m.change == "removed"]
    assert len(removed) > 100
    assert all(m.to_codes == () for m in removed)


def test_no_silent_same_code_mapping_when_the_name_changed() -> None:
    by_code, _ = nomenclature_mapping()
    for m in by_code.values():
        if m.to_codes == (m.from_code,) and m.status == "auto":
            assert m.change == "unchanged" or _similarity(normalise_name(m.from_name),
                                                         normalise_name(m.to_names[0])) >= SPELLING
    assert Counter(m.status for m in by_code.values())["review"] > 0


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
