"""load_reference() on the real packaged data: every row, exact counts, idempotency, reload."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selaras.reference import NOMENCLATURE_EDITION, REGION_EDITION, read_nomenclature, read_regions
from selaras.web.reference import selectors, services
from selaras.web.reference.models import Edition, NomenclatureItem, Region

EXPECTED = {
    "regions": 91_599, "provinces": 38, "regencies_cities": 514, "districts": 7_285, "villages": 83_762,
    "nomenclature": 6_938, "affairs": 10, "sectors": 99, "programs": 408, "activities": 1_073,
    "sub_activities": 5_348,
}


@pytest.fixture(scope="session")
def first_load(django_db_setup, django_db_blocker):
    calls: list[tuple[str, int, int]] = []
    with django_db_blocker.unblock():
        counts = services.load_reference(lambda stage, done, total: calls.append((stage, done, total)))
    return counts, calls


@pytest.fixture
def loaded(first_load, db):
    services.load_reference()  # no-op unless another test emptied the tables
    return first_load


def test_first_load_counts_are_exact(loaded):
    counts, _ = loaded
    assert {k: counts[k] for k in EXPECTED} == EXPECTED
    assert services.reference_counts() == EXPECTED


def test_progress_reports_both_stages_to_completion(loaded):
    # Forget the stored editions (inside this test's transaction) so that a full load runs,
    # whichever test module loaded the data first in this database.
    Edition.objects.all().delete()
    calls: list[tuple[str, int, int]] = []
    services.load_reference(lambda stage, done, total: calls.append((stage, done, total)))
    finals = {stage: (done, total) for stage, done, total in calls}
    assert finals == {"wilayah": (91_599, 91_599), "nomenklatur": (9_717, 9_717)}  # the last edition: 2027


def test_every_region_row_is_stored(loaded):
    stored = {r[0]: r[1:] for r in Region.objects.filter(edition=REGION_EDITION.key).values_list(
        "code", "name", "level", "parent_code", "kind", "population", "area_km2")}
    records = read_regions()
    assert len(stored) == len(records)
    for r in records:
        name, level, parent, kind, population, area = stored[r.code]
        assert (name, level, parent, kind, population) == (r.name, r.level, r.parent_code, r.kind, r.population)
        assert (area is None) == (r.area_km2 is None)
        if area is not None:
            assert abs(Decimal(area) - r.area_km2) < Decimal("0.001")
    assert Region.objects.filter(population__isnull=False).count() == 552
    assert Region.objects.filter(area_km2__isnull=False).count() == 547
    assert Region.objects.filter(level=4, kind="kelurahan").count() == 8_496
    assert Region.objects.get(code="32.04").population == 3_839_721


def test_every_nomenclature_row_is_stored(loaded):
    stored = set(NomenclatureItem.objects.filter(edition=NOMENCLATURE_EDITION.key).values_list(
        "code", "government_level", "name", "level", "parent_code", "active", "regulation_ref"))
    expected = {(r.code, r.government_level, r.name, r.level, r.parent_code, r.active, r.regulation_ref)
                for r in read_nomenclature()}
    assert stored == expected
    assert NomenclatureItem.objects.filter(edition=NOMENCLATURE_EDITION.key, level="sub_activity",
                                           government_level="kab/kota", active=True).count() == 2_250
    assert NomenclatureItem.objects.filter(edition=NOMENCLATURE_EDITION.key, code__startswith="?").count() == 106


def test_editions_are_recorded(loaded):
    region = Edition.objects.get(key=REGION_EDITION.key)
    assert region.kind == "region" and region.row_count == 91_599
    assert region.checksum == services.edition_checksum(REGION_EDITION)
    nomenclature = Edition.objects.get(key=NOMENCLATURE_EDITION.key)
    assert nomenclature.row_count == 6_938 and nomenclature.regulation.startswith("Permendagri 90/2019")


def test_second_load_changes_nothing(loaded):
    before = (Region.objects.order_by("-id").values_list("id", flat=True).first(),
              NomenclatureItem.objects.order_by("-id").values_list("id", flat=True).first())
    with CaptureQueriesContext(connection) as queries:
        counts = services.load_reference()
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert counts["editions_loaded"] == 0 and counts["rows_written"] == 0
    assert {k: counts[k] for k in EXPECTED} == EXPECTED
    after = (Region.objects.order_by("-id").values_list("id", flat=True).first(),
             NomenclatureItem.objects.order_by("-id").values_list("id", flat=True).first())
    assert after == before


def test_changed_checksum_reloads_only_that_edition(loaded, monkeypatch):
    subset = read_regions()[:120]
    monkeypatch.setattr(services, "read_regions", lambda edition=None: subset)
    Edition.objects.filter(key=REGION_EDITION.key).update(checksum="changed")
    counts = services.load_reference()
    assert counts["editions_loaded"] == 1 and counts["rows_written"] == 120
    assert counts["regions"] == 120 and counts["nomenclature"] == 6_938
    assert Edition.objects.get(key=REGION_EDITION.key).row_count == 120


def test_missing_rows_trigger_reload(loaded, monkeypatch):
    subset = read_nomenclature()[:50]
    monkeypatch.setattr(services, "read_nomenclature", lambda edition=None: subset)
    NomenclatureItem.objects.filter(edition=NOMENCLATURE_EDITION.key, code__startswith="1.01").delete()
    counts = services.load_reference()
    assert counts["editions_loaded"] == 1 and counts["nomenclature"] == 50


# ---------------------------------------------------------------- selectors on the real data


def test_region_selectors(loaded):
    assert selectors.region_children(None).count() == 38
    assert [r.code for r in selectors.region_children("32")][:2] == ["32.01", "32.02"]
    assert [a.code for a in selectors.region_ancestors("32.04.12.2005")] == ["32", "32.04", "32.04.12"]
    counts = selectors.region_level_counts("32.04")
    assert counts[3] == 31 and counts[4] == 280
    per_child = selectors.child_descendant_counts("32")
    assert per_child["32.04"] == {3: 31, 4: 280}
    assert sum(v.get(4, 0) for v in selectors.child_descendant_counts(None).values()) == 83_762
    assert selectors.search_regions("bandung barat").first().code == "32.17"
    assert all(r.code.startswith("32.04") for r in selectors.search_regions("32.04"))
    assert selectors.villages_in("32.04").count() == 280


def test_village_belongs_to(loaded):
    village = selectors.villages_in("32.04").first().code
    assert selectors.village_belongs_to(village, "32.04")
    assert selectors.village_belongs_to(village, "32")
    assert not selectors.village_belongs_to(village, "32.05")
    assert not selectors.village_belongs_to("32.04", "32")  # not a village
    assert not selectors.village_belongs_to("32.04.99.2999", "32.04")  # valid code, not in the edition
    assert not selectors.village_belongs_to("nonsense", "32.04")


def test_nomenclature_selectors(loaded):
    top = list(selectors.nomenclature_children(None))
    assert [i.code for i in top if i.level == "affair"] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X"]
    assert [i.code for i in top if i.level == "sector"] == ["?.01"]
    assert {i.code for i in selectors.nomenclature_children("1.02", "kab/kota")} >= {"1.02.02"}
    item = selectors.nomenclature_item("X.XX.01", "provinsi")
    assert item.government_level == "provinsi"
    assert selectors.nomenclature_item("X.XX.01").government_level == "kab/kota"
    assert selectors.nomenclature_item("1").level == "affair"
    assert [a.code for a in selectors.nomenclature_ancestors("1.02.02.2.01.0001")] == [
        "1", "1.02", "1.02.02", "1.02.02.2.01"]
    found = selectors.search_nomenclature("imunisasi", level="sub_activity")
    assert found.exists() and all("imunisasi" in i.name.lower() for i in found)
    assert selectors.search_nomenclature("x.xx", level="program").count() == 2
    assert selectors.search_nomenclature("", active=False).count() == 348


def test_sub_activities_for_an_agency(loaded):
    qs = selectors.sub_activities_for_sectors(["1.02"], selectors.government_level_for("regency"))
    codes = [i.code for i in qs]
    assert codes and all(c.startswith(("1.02.", "X.XX.")) for c in codes)
    assert any(c.startswith("X.XX.") for c in codes)
    assert all(i.active and i.government_level == "kab/kota" for i in qs)
    only_own = selectors.sub_activities_for_sectors(["1.02"], "kab/kota", include_supporting=False)
    assert all(i.code.startswith("1.02.") for i in only_own)
    assert not selectors.sub_activities_for_sectors([], "kab/kota", include_supporting=False).exists()
    assert selectors.government_level_for("province") == "provinsi"


def test_mapping_of_a_later_edition(loaded, monkeypatch):
    from dataclasses import replace

    from selaras.reference import MappingRecord
    from selaras.web.reference.models import CodeMapping

    later = replace(NOMENCLATURE_EDITION, key="kepmendagri-later", replaces=NOMENCLATURE_EDITION.key,
                    mapping_file="mapping.csv.gz")
    monkeypatch.setattr(services, "read_mapping", lambda edition: [
        MappingRecord("1.02.02.2.01.0001", "1.02.02.2.01.0101", "dipecah"),
        MappingRecord("1.02.02.2.01.0001", "1.02.02.2.01.0102", "dipecah"),
        MappingRecord("1.02.02.2.01.0002", "", "dihapus"),
    ])
    assert services._load_mapping(later) == 3
    assert services._load_mapping(later) == 3  # replaced, not added twice
    assert CodeMapping.objects.filter(to_edition="kepmendagri-later").count() == 3
    NomenclatureItem.objects.create(edition="kepmendagri-later", code="1.02.02.2.01.0003", name="x",
                                    level="sub_activity", government_level="kab/kota")
    old = NOMENCLATURE_EDITION.key
    assert selectors.successor_codes("nomenclature", "1.02.02.2.01.0001", old, "kepmendagri-later") == [
        "1.02.02.2.01.0101", "1.02.02.2.01.0102"]
    assert selectors.successor_codes("nomenclature", "1.02.02.2.01.0002", old, "kepmendagri-later") == []
    assert selectors.successor_codes("nomenclature", "1.02.02.2.01.0003", old, "kepmendagri-later") == [
        "1.02.02.2.01.0003"]
    assert selectors.successor_codes("nomenclature", "1.02.02.2.01.0004", old, "kepmendagri-later") == []
    assert selectors.successor_codes("region", "32.04", REGION_EDITION.key, REGION_EDITION.key) == ["32.04"]
