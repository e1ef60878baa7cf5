"""The demo fits any district: full-scale counts in proportion to population, city agencies and
wording in cities, place names of the district's own region, Jakarta's administrative areas refused.

A sample at full scale (no database): Kota Tangerang (36.71, Banten), Kabupaten Pacitan (35.01,
East Java), Kabupaten Jayapura (91.03, Papua); together about 132k proposals, ~2-3 CPU seconds.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from selaras.demo import SCALES, UnknownRegionError, generate_district
from selaras.demo.codes import region_slice
from selaras.demo.names import HAMLET_PARTS
from selaras.demo.regional import (
    CALIBRATION_POPULATION,
    AdministrativeRegionError,
    council_seats,
    fit_scale,
)
from selaras.domain.proposals import Channel
from selaras.reference import read_nomenclature, read_regions

SAMPLE = ("36.71", "35.01", "91.03")
BEKASI = {Channel.VILLAGE_MUSRENBANG.value: 9_946, Channel.POKIR.value: 9_883, Channel.AGENCY_DRAFT.value: 143_101}
DESA = re.compile(r"\bdesa\b", re.IGNORECASE)
ROMAN = {"I", "II", "III", "IV", "V"}


@pytest.fixture(scope="module")
def reference():
    return read_regions(), read_nomenclature()


@pytest.fixture(scope="module")
def sample(reference):
    regions, nomenclature = reference
    return {code: generate_district(code, "bekasi", 2025, regions=regions, nomenclature=nomenclature)
            for code in SAMPLE}


def _population(regions, code):
    return next(r.population for r in regions if r.code == code)


def _place_words(regions, code):
    """Words of the district's own village and kecamatan names."""
    return {w for r in regions if r.code.startswith(code + ".") and r.level >= 3
            for w in r.name.replace("-", " ").split()}


def test_counts_follow_population_with_bekasi_as_calibration(sample, reference):
    regions, _ = reference
    assert _population(regions, "32.16") == CALIBRATION_POPULATION
    for code, district in sample.items():
        population = _population(regions, code)
        counts = Counter(district.proposals.channel)
        for channel, bekasi_count in BEKASI.items():
            # same proposals per inhabitant as Bekasi's real cycle (no floor binds in this sample)
            assert counts[channel] == round(bekasi_count * population / CALIBRATION_POPULATION), (code, channel)
        seats = council_seats(population)
        assert len(district.councillors) == round(seats * 50 / 55)
    tangerang, pacitan, jayapura = (sample[c] for c in SAMPLE)
    assert len(tangerang.proposals) > len(pacitan.proposals) > len(jayapura.proposals)
    # the budget follows the population too (0.3 + 0.7 r times Bekasi's amounts)
    ceilings = [sample[c].rkpd.ceiling for c in SAMPLE]
    assert ceilings == sorted(ceilings, reverse=True)
    assert 0.5e12 < jayapura.rkpd.ceiling < 2.5e12 < tangerang.rkpd.ceiling < 5e12


def test_fitted_scale_for_every_district(reference):
    """Every regency and city of the edition (Jakarta aside): Bekasi unchanged, others per capita,
    sparse districts at least 3 village proposals per village."""
    regions, _ = reference
    codes = [r.code for r in regions if r.level == 2 and not r.code.startswith("31.")]
    assert len(codes) > 500
    full = SCALES["bekasi"]
    assert fit_scale(full, region_slice("32.16", regions), 57) is full
    by_parent: dict[str, list] = {}
    for r in regions:
        if r.level >= 3:
            by_parent.setdefault(r.code[:5], []).append(r)
    for code in codes[::7]:
        region = region_slice(code, [r for r in regions if r.code == code or r.code == code[:2]]
                              + by_parent.get(code, []))
        fitted = fit_scale(full, region, 40)
        share = region.population / CALIBRATION_POPULATION
        assert fitted.village_proposals == max(round(9_946 * share), 3 * len(region.villages))
        assert fitted.pokir_proposals >= round(9_883 * share)
        assert fitted.agency_draft_proposals == max(round(143_101 * share), 30 * 40)
        assert 18 <= fitted.councillors <= 50
    bintang = region_slice("95.02", regions)  # 114,581 people in 277 villages: the floor binds
    assert fit_scale(full, bintang, 68).village_proposals == 3 * 277


def test_city_gets_city_agencies_and_wording(sample, reference):
    _, nomenclature = reference
    city = sample["36.71"]
    assert city.level == "city"
    names = {a.name for a in city.agencies}
    assert "Dinas Pemberdayaan Masyarakat dan Desa" not in names
    assert not any(DESA.search(name) for name in names)
    assert "Dinas Ketahanan Pangan, Pertanian dan Perikanan" in names
    assert len({a.code for a in city.agencies}) == len(city.agencies)
    p = city.proposals
    for column in (p.title, p.description, p.address, p.proposer_name, p.proposer_role):
        hits = [text for text in column if DESA.search(text) and not text.startswith("Fraksi ")]  # party names
        assert not hits, hits[:3]
    reasons = set(city.decisions.reason)
    assert not [r for r in reasons if DESA.search(r) or "kabupaten" in r.lower()], reasons
    assert "Bukan kewenangan pemerintah kota" in reasons
    assert any(a.startswith("Kelurahan ") or ", Kelurahan " in a for a in p.address)
    assert any("Wali Kota" in d for d in p.description)
    assert not any("Bupati" in d for d in p.description)
    sub_names = {r.code: r.name for r in nomenclature if r.government_level == "kab/kota" and r.active}
    assert not [c for c in set(p.sub_activity_code) if c and DESA.search(sub_names[c])]
    # a regency keeps its desa wording and agencies
    assert "Dinas Pemberdayaan Masyarakat dan Desa" in {a.name for a in sample["35.01"].agencies}
    assert any("Kepala Desa" in n for n in sample["35.01"].proposals.proposer_name)


def test_place_names_come_from_the_own_region(sample, reference):
    regions, _ = reference
    sundanese_only = set(HAMLET_PARTS) - {w for code in SAMPLE for w in _place_words(regions, code)}
    for code, district in sample.items():
        own = _place_words(regions, code)
        hamlets = Counter()
        for address in district.proposals.address:
            if not address:
                continue
            where = address.split(", ")[0]
            first, _, rest = where.partition(" ")
            if first in ("RT", "Desa", "Kelurahan", "Kampung") or (first in ("Dusun", "Blok") and rest in ROMAN | set("ABCDE")):
                continue
            assert first in ("Kp.", "Gg.", "Dusun", "Dsn.", "Kampung", "Lingkungan"), (code, address)
            assert rest in own, (code, address)
            hamlets[first] += 1
        assert sum(hamlets.values()) > 100, code
        p = district.proposals
        people = [t for t, ch in zip(p.title, p.channel, strict=True) if ch != Channel.AGENCY_DRAFT.value]
        text = " ".join(p.address) + " " + " ".join(people)  # (agency titles are nomenclature names)
        assert not {w for w in sundanese_only if re.search(rf"\b{w}\b", text)}, code
    assert set(Counter(a.split(" ")[0] for a in sample["35.01"].proposals.address)) >= {"Dusun", "Dsn."}
    assert not any(a.startswith("Kp.") for code in ("35.01", "91.03") for a in sample[code].proposals.address)
    assert any(a.startswith("Kp. ") for a in sample["36.71"].proposals.address)  # Banten's kampung


def test_papua_has_distrik_and_kampung(sample):
    jayapura = sample["91.03"]
    offices = [a.name for a in jayapura.agencies if a.district_code]
    assert offices and all(name.startswith("Distrik ") for name in offices)
    assert any(", Kampung " in a for a in jayapura.proposals.address)
    assert any(r.startswith("Disepakati pada Musrenbang Distrik ") for r in jayapura.decisions.reason)
    assert any(r.startswith("Hasil Musrenbang Kampung ") for r in jayapura.decisions.reason)


@pytest.mark.parametrize("code", ["31.01", "31.71", "31.75"])
def test_jakarta_administrative_areas_are_refused(code, reference):
    regions, nomenclature = reference
    with pytest.raises(AdministrativeRegionError, match="DKI Jakarta") as caught:
        generate_district(code, "small", 1, regions=regions, nomenclature=nomenclature)
    assert isinstance(caught.value, UnknownRegionError)
    assert "tanpa DPRD" in str(caught.value)


def test_peoples_names_come_from_the_region(sample):
    from selaras.demo.names import NAME_POOLS, SUNDANESE_GIVEN

    for code, pool in (("35.01", "jawa"), ("91.03", "papua")):
        district = sample[code]
        people = [n for n, r in zip(district.proposals.proposer_name, district.proposals.proposer_role, strict=True)
                  if r in ("Tokoh masyarakat", "Kader Posyandu", "Karang Taruna", "Warga")]
        people += [c.name for c in district.councillors]
        assert len(people) > 50
        given = {n.replace("H. ", "").replace("Hj. ", "").replace("Drs. ", "").replace("Ir. ", "")
                 .replace("Pdt. ", "").split()[0] for n in people}
        assert not given & SUNDANESE_GIVEN, (code, given & SUNDANESE_GIVEN)
        male, female, family = NAME_POOLS[pool]
        assert given <= set(male) | set(female), code
    assert not any(c.name.startswith(("H. ", "Hj. ")) for c in sample["91.03"].councillors)
