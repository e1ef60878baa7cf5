"""Indonesian normalisation: abbreviations, spelling variants, RT numbers and filler words."""

from __future__ import annotations

import pytest

from selaras.engines.similarity.normalize import normalize_title, place_hints, word_pairs


@pytest.mark.parametrize(("a", "b"), [
    ("Pemb. jln lingk. RT.03 (lanjutan)", "Pembangunan Jalan Lingkungan RT 3"),
    ("REHAB SALURAN DRAINASE tahap II", "Rehabilitasi saluran drenase"),
    ("Perbaikan gorong2", "perbaikan gorong-gorong"),
    ("Usulan pemasangan PJU", "Pengadaan penerangan jalan umum"),
    ("Perbaikan RUTILAHU", "Rehabilitasi Rumah Tidak Layak Huni (RTLH)"),
])
def test_variants_normalise_alike(a, b):
    assert normalize_title(a) == normalize_title(b)


def test_rt_numbers_are_places_not_words():
    assert place_hints("RT 003/RW 004, Desa Sukamaju") == place_hints("rt 3 rw 4")
    assert place_hints("Jalan RT.03").rt == 3
    assert place_hints("Kp. Sukamaju").hamlet == "kampung sukamaju"
    assert normalize_title("Jalan RT 03") == normalize_title("Jalan RT 7") == "jalan"


@pytest.mark.parametrize("text", ["", "   ", "???", "di dan yang", "2026", "RT 3"])
def test_empty_or_garbage_gives_nothing(text):
    assert normalize_title(text) == ""


def test_word_pairs_keep_the_written_word_for_reasons():
    assert word_pairs("Perbaikan jln") == [("perbaikan", "rehabilitasi"), ("jalan", "jalan")]


def test_speller_fixes_rare_words_only():
    from selaras.engines.similarity.normalize import Speller

    s = Speller({"pembangunan": 50, "saluran": 20, "komunal": 10, "jalan": 80, "jala": 1, "kolam": 6, "kolom": 5})
    assert s.text("pembanguann salurran kkkomunal") == "pembangunan saluran komunal"
    assert s.word("jala") == "jala"  # short words kept as written
    assert s.word("kolom") == "kolom"  # a word several proposals use is not a typo
    assert s.word("posyandu") == "posyandu"  # nothing near it
