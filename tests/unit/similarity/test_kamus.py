"""The kamus usulan shipped with Selaras and the kamus CSV reader."""

from __future__ import annotations

import pytest

from selaras.engines.similarity.classify import Classifier, Example
from selaras.engines.similarity.kamus import (
    HISTORY_ENOUGH,
    KamusError,
    default_kamus,
    parse_kamus,
    shipped_for,
)
from selaras.reference import read_nomenclature


def test_shipped_kamus_names_sub_activities_of_the_nomenclature_in_force():
    entries = default_kamus()
    assert len(entries) >= 60
    in_force = {r.code for r in read_nomenclature() if r.level == "sub_activity" and r.active}
    assert {e.sub_activity_code for e in entries} <= in_force
    assert all(e.text and not e.agency_code for e in entries)  # agency codes are each government's own
    assert default_kamus(["1.03.10.2.01.0009"]) and {e.sub_activity_code for e in default_kamus(
        ["1.03.10.2.01.0009"])} == {"1.03.10.2.01.0009"}


def test_shipped_kamus_teaches_village_words_a_government_with_no_history():
    nomenclature = [(r.code, r.name) for r in read_nomenclature()
                    if r.level == "sub_activity" and r.active and r.code.startswith(("1.03.10", "1.04", "2.15"))]
    agencies = {"PUPR": ("Dinas PUPR", ("1.03",)), "PERKIM": ("Dinas Perkim", ("1.04",)),
                "DISHUB": ("Dinas Perhubungan", ("2.15",))}
    bare = Classifier.train([], nomenclature, agencies)
    taught = Classifier.train(shipped_for([c for c, _ in nomenclature], []), nomenclature, agencies)
    text = "Pemasangan lampu PJU gg. Melati"
    assert taught.suggest(text).sub_activities[0].code.startswith("2.15.02")
    assert taught.suggest(text).agencies[0].code == "DISHUB"
    assert not bare.suggest(text).sub_activities or not bare.suggest(text).sub_activities[0].code.startswith(
        "2.15.02.2.02.0002")


def test_with_enough_history_the_shipped_kamus_only_adds_words_to_sub_activities_it_names():
    codes = [e.sub_activity_code for e in default_kamus()]
    history = [Example("jalan", "PUPR", "1.03.10.2.01.0009")] * HISTORY_ENOUGH
    kept = shipped_for(codes, history)
    assert kept and {e.sub_activity_code for e in kept} == {"1.03.10.2.01.0009"}
    assert len(shipped_for(codes, history[:10])) == len(default_kamus())


def test_kamus_csv_semicolon_extra_columns_and_missing_columns():
    text = "\ufeffUsulan;kode_sub_kegiatan;kode_perangkat_daerah;catatan\nbetonisasi gang;1.03.10.2.01.0009;PUPR;x\n;1.2;;\n"
    assert parse_kamus(text) == [Example("betonisasi gang", "PUPR", "1.03.10.2.01.0009")]
    assert parse_kamus("") == []
    with pytest.raises(KamusError):
        parse_kamus("judul_saja\nabc\n")
