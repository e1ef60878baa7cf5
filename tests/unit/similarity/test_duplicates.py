"""Duplicate candidates: known pairs found and explained, look-alikes elsewhere not flagged."""

from __future__ import annotations

import pytest

from selaras.engines.similarity.duplicates import DuplicateIndex, ProposalText

V1, V2 = "32.16.05.2001", "32.16.06.2003"
ROAD = "1.03.10.2.01.0009"


def rec(key, title, village=V1, address="RT 003/RW 002", cost=450_000_000, **kw):
    return ProposalText(key=key, title=title, village_code=village, district_code=village[:8], address=address,
                        estimated_cost=cost, year=kw.pop("year", 2026), sub_activity_code=kw.pop("sub", ROAD), **kw)


@pytest.fixture
def index():
    return DuplicateIndex.build([
        rec(1, "Rehabilitasi jalan lingkungan Kp. Cibeber", channel="musrenbang_village"),
        rec(2, "rehab jln lingk. kp cibeber", address="RT 3 / RW 2", cost=430_000_000, channel="pokir"),
        rec(3, "Rehabilitasi jalan lingkungan Kp. Cibeber", village=V2),  # same words, another village
        rec(4, "Rehabilitasi jalan lingkungan", address="RT 009/RW 005", cost=90_000_000),  # another road
        rec(5, "Pelatihan UMKM", sub="2.17.07.2.01.0004", cost=40_000_000),
        rec(6, "Rehabiltasi jalan lingkugan Kp. Cibeber", year=2025, cost=450_000_000),  # typos, last year
        rec(7, "", cost=450_000_000),
    ])


def test_known_pairs_are_found_and_explained(index):
    found = {(c.a, c.b): c for c in index.pairs()}
    assert (1, 2) in found and (1, 6) in found and (2, 6) in found
    text = found[(1, 2)].text()
    assert text.startswith("judul mirip 1,00: 'rehabilitasi jalan lingkungan")
    assert "desa sama" in text and "RT sama (RT 3)" in text and "sub kegiatan sama" in text
    assert "biaya mirip (selisih 4%)" in text and "jalur berbeda" in text
    assert "tahun berbeda: 2026 dan 2025" in found[(1, 6)].text() or "tahun berbeda" in found[(1, 6)].text()


def test_look_alikes_elsewhere_or_different_are_not_flagged(index):
    pairs = {(c.a, c.b) for c in index.pairs()}
    assert not any(3 in p for p in pairs)  # another village
    assert not any(4 in p for p in pairs)  # another RT and another cost
    assert not any(5 in p or 7 in p for p in pairs)


def test_check_one_new_proposal(index):
    found = index.check(rec(99, "Perbaikan jalan lingkungan Kampung Cibeber", address="rt 03 rw 02"))
    assert [c.b for c in found][:3] == [1, 2, 6] or {c.b for c in found} >= {1, 2}
    assert all(c.a == 99 for c in found)
    assert index.check(rec(99, "Pelatihan UMKM", village="32.16.99.9999")) == []  # unknown village: no block


@pytest.mark.parametrize("title", ["", "   ", "???", "di dan yang", "RT 3"])
def test_empty_or_garbage_title_gives_no_candidate(index, title):
    assert index.check(rec(99, title)) == []


SUPPORT = "X.XX.01.2.05.0001"


def line(key, title, cost, volume, agency="1.03.0.00.0.00.01.0000", sub=SUPPORT, district=""):
    """A Pra-Renja line: an agency's own proposal with no village, address or coordinates."""
    return ProposalText(key=key, title=title, agency_code=agency, sub_activity_code=sub, district_code=district,
                        estimated_cost=cost, volume=volume, year=2026, channel="agency_draft")


def test_lines_without_a_place_are_compared_within_the_agency_and_sub_activity():
    index = DuplicateIndex.build([
        line(1, "Penyediaan Gaji dan Tunjangan ASN", 120_000_000, 12),
        line(2, "PENYEDIAAN GAJI DAN TUNJANGAN ASN (lanjutan)", 120_000_000, 12),  # re-submitted as it was
        line(3, "Penyediaan Gaji dan Tunjangan ASN Tahap II", 132_000_000, 11),  # another line, near cost
        line(4, "Penyediaan Gaji dan Tunjangan ASN", 96_000_000, 9.6),  # re-submitted with another volume
        line(5, "Penyediaan Gaji dan Tunjangan ASN", 120_000_000, 12, agency="2.17.0.00.0.00.01.0000"),
        line(6, "Penyediaan Gaji dan Tunjangan ASN", 120_000_000, 12, sub="X.XX.01.2.05.0002"),
        line(7, "Penyediaan Gaji dan Tunjangan ASN", 120_000_000, 12, district="32.16.05"),
        ProposalText(key=8, title="Penyediaan Gaji dan Tunjangan ASN", estimated_cost=120_000_000),  # nothing
        ProposalText(key=9, title="Penyediaan Gaji dan Tunjangan ASN", estimated_cost=120_000_000),
    ])
    found = {(c.a, c.b): c for c in index.pairs()}
    assert set(found) == {(1, 2), (1, 4), (2, 4)}
    text = found[(1, 2)].text()
    assert "tanpa desa/lokasi (perangkat daerah dan sub kegiatan sama)" in text and "biaya sama persis" in text
    assert "harga satuan sama (volume 12 dan 9,6)" in found[(1, 4)].text()
    # the entry warning of a new line finds them too; a line of another agency does not
    new = line(-1, "Penyediaan gaji & tunjangan ASN", 120_000_000, 12)
    assert {c.b for c in index.check(new)} == {1, 2, 4}
    assert index.check(line(-1, "Penyediaan gaji ASN", 120_000_000, 12, agency="9.99")) == []


def test_coordinates_bring_neighbours_together():
    index = DuplicateIndex.build([
        rec(1, "Pembangunan jembatan gantung", village=V1, address="", latitude=-6.2, longitude=107.1),
        rec(2, "Pemb. jembatan gantung", village=V2, address="", latitude=-6.2001, longitude=107.1001),
    ])
    [pair] = index.pairs(threshold=0.7)
    assert "lokasi berjarak" in pair.text() and "desa berbeda" in pair.text()


def test_typos_are_corrected_against_the_district_words():
    common = [rec(10 + i, t, village=V2, address=f"RT 00{i % 9 + 1}/RW 001") for i, t in enumerate(
        ["Pembangunan saluran irigasi tersier"] * 6 + ["Pembangunan jembatan penghubung"] * 6)]
    index = DuplicateIndex.build([
        *common,
        rec(1, "Pembangunan saluran irigasi tersier", address="Desa Sukamulya"),
        rec(2, "Pembangnuan salurran irigasi tersier", address="Desa Sukamulya"),
    ])
    [pair] = [c for c in index.pairs() if c.a == 1]
    assert pair.b == 2 and "judul mirip 1,00" in pair.text() and "saluran" in pair.text()


def test_an_rt_on_one_side_of_the_same_kampung_is_the_same_place():
    index = DuplicateIndex.build([
        rec(1, "Perbaikan gorong-gorong", address="Dusun II, Desa Jatibaru"),
        rec(2, "Perbaikan gorong-gorong", address="RT 007, Dusun II, Desa Jatibaru"),
    ])
    [pair] = index.pairs()
    assert "dusun ii sama" in pair.text()


def test_a_place_named_on_one_side_only_needs_more_than_a_title():
    index = DuplicateIndex.build([
        rec(1, "Pembinaan disiplin ASN", address="Desa Sukamulya", cost=100_000_000),
        rec(2, "Pembinaan disiplin ASN", address="RT 008/RW 007, Desa Sukamulya", cost=85_000_000),
    ])
    assert index.pairs() == []
    [pair] = index.pairs(threshold=0.5)
    assert "hanya satu usulan menyebut RT/kampung" in pair.text()
