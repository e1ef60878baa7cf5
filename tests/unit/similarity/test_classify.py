"""Classification: top three with confidence and words; nomenclature alone when no history."""

from __future__ import annotations

import io

import numpy as np
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


def test_the_kecamatan_office_of_the_proposals_kecamatan_is_suggested():
    nomenclature = [*NOMENCLATURE, ("7.01.03.2.02.0004", "Evaluasi Kelurahan")]
    agencies = {**AGENCIES, "KEC1": ("Kecamatan Satu", ("7.01",)), "KEC2": ("Kecamatan Dua", ("7.01",)),
                "KEC3": ("Kecamatan Tiga", ("7.01",))}
    districts = {"KEC1": "32.16.01", "KEC2": "32.16.02", "KEC3": "32.16.03"}
    model = Classifier.from_bytes(Classifier.train([], nomenclature, agencies, districts).to_bytes())
    assert model.agency_districts == ["", "", "32.16.01", "32.16.02", "32.16.03", ""]
    # every office carries the same nomenclature: only the place tells them apart
    s = model.suggest("Evaluasi kelurahan di Desa Mekar", district_code="32.16.02")
    assert s.agencies[0].code == "KEC2" and {"KEC1", "KEC3"}.isdisjoint(c.code for c in s.agencies)
    _, agency = model.top_many(["evaluasi kelurahan"] * 2, district_codes=["32.16.03", ""])
    assert model.agency_codes[agency[0][0]] == "KEC3"
    assert {model.agency_codes[a] for a in agency[1]} == {"KEC1", "KEC2", "KEC3"}  # no place: any office
    # a district-wide agency is not pushed out by the place
    assert model.suggest("rehab jalan", district_code="32.16.02").agencies[0].code == "PUPR"


def test_a_model_stored_before_the_kecamatan_offices_still_loads():
    model = Classifier.train([], NOMENCLATURE, AGENCIES)
    model.agency_districts = []
    blob = model.to_bytes()
    z = dict(np.load(io.BytesIO(blob)))
    z.pop("agency_districts")
    buf = io.BytesIO()
    np.savez_compressed(buf, **z)
    loaded = Classifier.from_bytes(buf.getvalue())
    assert loaded.agency_districts == ["", "", ""]
    assert loaded.suggest("rehab jln", district_code="32.16.02").agencies[0].code == "PUPR"
