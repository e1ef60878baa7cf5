"""Classification: top three with confidence and words; nomenclature alone when no history."""

from __future__ import annotations

import pytest

from selaras.engines.similarity.classify import Classifier, Example

NOMENCLATURE = [
    ("1.03.10.2.01.0009", "Rehabilitasi Jalan"),
    ("1.03.06.2.01.0007", "Pembangunan Saluran Drainase"),
    ("1.02.02.2.01.0014", "Pengadaan Alat Kesehatan"),
    ("2.17.07.2.01.0004", "Pelatihan Usaha Mikro"),
]
AGENCIES = {"PUPR": ("Dinas PUPR", ("1.03",)), "DINKES": ("Dinas Kesehatan", ("1.02",)),
            "DISKOP": ("Dinas Koperasi", ("2.17",))}


def test_no_history_still_suggests_from_the_nomenclature():
    model = Classifier.train([], NOMENCLATURE, AGENCIES)
    s = model.suggest("rehab jln desa")
    assert s.sub_activities[0].code == "1.03.10.2.01.0009"
    assert s.agencies[0].code == "PUPR"
    assert "rehabilitasi" in s.sub_activities[0].words or "jalan" in s.sub_activities[0].words
    assert 0 < s.sub_activities[0].confidence <= 1 and len(s.sub_activities) <= 3


def test_history_teaches_local_words_and_round_trips():
    examples = [Example("Betonisasi gang RT 2", "PUPR", "1.03.10.2.01.0009")] * 3 + [
        Example("Timbangan posyandu", "DINKES", "1.02.02.2.01.0014")] * 3
    model = Classifier.from_bytes(Classifier.train(examples, NOMENCLATURE, AGENCIES).to_bytes())
    s = model.suggest("timbangan untuk posyandu melati")
    assert s.agencies[0].code == "DINKES" and s.sub_activities[0].code == "1.02.02.2.01.0014"
    assert "timbangan" in s.agencies[0].words
    sub, agency = model.top_many(["betonisasi gang"])
    assert model.sub_codes[sub[0][0]] == "1.03.10.2.01.0009" and model.agency_codes[agency[0][0]] == "PUPR"


@pytest.mark.parametrize("text", ["", "  ", "???", "xqzv", "di dan"])
def test_empty_or_garbage_text_gives_no_suggestion(text):
    assert Classifier.train([], NOMENCLATURE, AGENCIES).suggest(text).is_empty()


def test_an_agency_found_through_its_sub_activities_says_which_words_led_there():
    s = Classifier.train([], NOMENCLATURE, AGENCIES).suggest("pengadaan alat kesehatan puskesmas")
    assert s.agencies[0].code == "DINKES" and "kesehatan" in s.agencies[0].words
