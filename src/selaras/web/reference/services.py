"""Write use cases of the reference app: loading the packaged editions into the database.

`load_reference()` is idempotent. Each edition is keyed by its `EditionInfo.key`; the stored
`Edition.checksum` is a digest of the packaged files plus `LOADER_VERSION`, so a changed file
(or a changed way of reading it) triggers a reload of that edition, and nothing else does.
Plans never point at reference rows by foreign key (they keep code + edition as text), so
replacing the rows of an edition does not touch any plan.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import Count

from selaras.reference import (
    NOMENCLATURE_EDITION,
    PACKAGED_EDITIONS,
    REGION_EDITION,
    EditionInfo,
    checksum,
    read_mapping,
    read_nomenclature,
    read_regions,
)
from selaras.reference.mapping import MAPPING_VERSION
from selaras.web.columns import column_names
from selaras.web.reference.models import CodeMapping, Edition, NomenclatureItem, Region

__all__ = ["LOADER_VERSION", "Progress", "edition_checksum", "import_edition", "load_reference", "reference_counts"]

# Bump when the way records are turned into rows changes, so existing databases reload.
LOADER_VERSION = "3"
BATCH_SIZE = 2_000

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage is "wilayah" or "nomenklatur"."""

REGION_LEVEL_KEYS = {1: "provinces", 2: "regencies_cities", 3: "districts", 4: "villages"}
NOMENCLATURE_LEVEL_KEYS = {
    "affair": "affairs",
    "sector": "sectors",
    "program": "programs",
    "activity": "activities",
    "sub_activity": "sub_activities",
}

T = TypeVar("T")


def edition_checksum(edition: EditionInfo) -> str:
    """Digest of the packaged files of `edition` and of the loader version; for an edition whose
    loading derives a mapping (the 2027 nomenclature from 2020; the 2023 regions, loaded on
    request, to 2025), also of `MAPPING_VERSION`, so a changed derivation reaches existing
    databases (that edition reloads once, people's confirmations are kept)."""
    version = LOADER_VERSION
    if edition.derive_mapping or not edition.autoload:
        version += f":m{MAPPING_VERSION}"
    return hashlib.sha256(f"{checksum(edition)}:{version}".encode()).hexdigest()


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _is_current(edition: EditionInfo, digest: str, model: type[models.Model]) -> bool:
    stored = Edition.objects.filter(key=edition.key).first()
    if stored is None or stored.checksum != digest:
        return False
    manager: Any = model._default_manager
    return bool(manager.filter(edition=edition.key).count() == stored.row_count)


def _insert_sql(model: type[models.Model], fields: tuple[str, ...]) -> str:
    """Parameterised INSERT of `fields`, which must be every concrete field but the primary key.

    Goes below bulk_create on purpose: compiling ~100k model instances costs most of the load
    time. SQLite (and other backends) take this INSERT through `executemany`, several times
    faster than bulk_create; PostgreSQL takes the same tuples through COPY (`_copy`).
    """
    meta = model._meta
    expected = {f.name for f in meta.concrete_fields if not f.primary_key}
    if set(fields) != expected:
        raise ValueError(f"{model.__name__}: kolom {sorted(expected ^ set(fields))} tidak cocok")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in column_names(model, fields))
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"


def _write(
    stage: str, model: type[models.Model], edition: EditionInfo, fields: tuple[str, ...],
    values: list[tuple[Any, ...]], progress: Progress | None,
) -> None:
    manager: Any = model._default_manager
    manager.filter(edition=edition.key).delete()
    sql = _insert_sql(model, fields)
    total, done = len(values), 0
    if progress:
        progress(stage, 0, total)
    with connection.cursor() as cursor:
        for batch in _batches(values, BATCH_SIZE):
            if connection.vendor == "postgresql":
                _copy(cursor.cursor, model, fields, batch)
            else:
                cursor.executemany(sql, batch)
            done += len(batch)
            if progress:
                progress(stage, done, total)


def _copy(raw_cursor: Any, model: type[models.Model], fields: tuple[str, ...],
          rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: COPY is the bulk path (executemany would cost one round trip per row)."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in column_names(model, fields))
    with raw_cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _save_edition(edition: EditionInfo, digest: str, row_count: int) -> None:
    Edition.objects.update_or_create(
        key=edition.key,
        defaults={
            "kind": edition.kind, "regulation": edition.regulation, "source": edition.source,
            "licence": edition.licence, "checksum": digest, "row_count": row_count,
            "valid_from": edition.valid_from, "valid_to": edition.valid_to, "replaces": edition.replaces,
        },
    )


def _descendant_counts(records: list[Any]) -> Counter[tuple[str, int]]:
    """(ancestor code, level) -> how many regions of that level lie inside the ancestor."""
    counts: Counter[tuple[str, int]] = Counter()
    for r in records:
        parts = r.code.split(".")
        for depth in range(1, len(parts)):
            counts[(".".join(parts[:depth]), r.level)] += 1
    return counts


REGION_FIELDS = ("edition", "code", "name", "level", "parent_code", "kind", "population", "population_synthetic",
                 "area_km2", "regency_count", "district_count", "village_count")
NOMENCLATURE_FIELDS = ("edition", "code", "name", "level", "parent_code", "government_level", "active",
                       "regulation_ref", "performance", "indicator", "unit", "previous_code", "previous_name",
                       "spm", "service_type", "tags", "implementer", "definition")


def _load_regions(edition: EditionInfo, progress: Progress | None,
                  records: list[Any] | None = None) -> int:
    records = read_regions(edition) if records is None else records
    inside = _descendant_counts(records)
    key = edition.key
    values = [
        (key, r.code, r.name, r.level, r.parent_code, r.kind, r.population, False, r.area_km2,
         inside[(r.code, 2)], inside[(r.code, 3)], inside[(r.code, 4)])
        for r in records
    ]
    _write("wilayah", Region, edition, REGION_FIELDS, values, progress)
    return len(values)


def _load_nomenclature(edition: EditionInfo, progress: Progress | None,
                       records: list[Any] | None = None) -> int:
    key = edition.key
    values = [
        (key, r.code, r.name, r.level, r.parent_code, r.government_level, r.active,
         r.regulation_ref, r.performance, r.indicator, r.unit[:100], r.previous_code, r.previous_name,
         r.spm, r.service_type, r.tags[:200], r.implementer, r.definition)
        for r in (read_nomenclature(edition) if records is None else records)
    ]
    _write("nomenklatur", NomenclatureItem, edition, NOMENCLATURE_FIELDS, values, progress)
    return len(values)


def _load_mapping(edition: EditionInfo) -> int:
    """Replace the packaged code changes from `edition.replaces` to `edition`.

    Rows entered by hand (in the admin) for other edition pairs are left alone.
    """
    if not edition.replaces or not edition.mapping_file:
        return 0
    CodeMapping.objects.filter(kind=edition.kind, from_edition=edition.replaces, to_edition=edition.key).delete()
    mappings = [
        CodeMapping(kind=edition.kind, from_edition=edition.replaces, from_code=m.from_code,
                    to_edition=edition.key, to_code=m.to_code, note=m.note[:200])
        for m in read_mapping(edition)
    ]
    CodeMapping.objects.bulk_create(mappings, batch_size=BATCH_SIZE)
    return len(mappings)


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load (both SQLite and PostgreSQL)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Region, NomenclatureItem):
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


_MODELS: dict[str, type[models.Model]] = {"region": Region, "nomenclature": NomenclatureItem}
_LOADERS = {"region": _load_regions, "nomenclature": _load_nomenclature}


def load_reference(progress: Progress | None = None, *, only: str | None = None) -> dict[str, int]:
    """Load every packaged edition (`PACKAGED_EDITIONS`: regions and nomenclature) into the
    database, with the code mappings between successive editions.

    Idempotent: an edition whose stored checksum and row count match is skipped (a second run
    only hashes the files, well under a second). A changed edition is replaced as a whole;
    other editions, and plans (which keep codes as text), are not touched. Everything happens
    in one transaction. Returns the counts of the editions in force (see `reference_counts`)
    plus `editions_loaded` and `rows_written` for this run.
    """
    from selaras.web.reference.mappings import derive_and_store

    loaded = written = 0
    with transaction.atomic():
        for edition in PACKAGED_EDITIONS:
            if (edition.key != only) if only else not edition.autoload:
                continue
            digest = edition_checksum(edition)
            if _is_current(edition, digest, _MODELS[edition.kind]):
                continue
            count = _LOADERS[edition.kind](edition, progress)
            _load_mapping(edition)
            _save_edition(edition, digest, count)
            loaded += 1
            written += count
            # Derive the mapping to and from this edition where the neighbour is loaded.
            for other in PACKAGED_EDITIONS:
                if other.replaces == edition.key and Edition.objects.filter(key=other.key).exists():
                    derive_and_store(edition.key, other.key)
            if edition.replaces and (edition.derive_mapping or not edition.autoload) and Edition.objects.filter(
                    key=edition.replaces).exists():
                derive_and_store(edition.replaces, edition.key)
        if loaded:
            _analyze()
    return {**reference_counts(), "editions_loaded": loaded, "rows_written": written}


def reference_counts() -> dict[str, int]:
    """Rows of the packaged editions in the database, in total and per level."""
    regions = dict(
        Region.objects.filter(edition=REGION_EDITION.key)
        .order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    items = dict(
        NomenclatureItem.objects.filter(edition=NOMENCLATURE_EDITION.key)
        .order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    counts = {"regions": sum(regions.values())}
    counts.update({name: regions.get(level, 0) for level, name in REGION_LEVEL_KEYS.items()})
    counts["nomenclature"] = sum(items.values())
    counts.update({name: items.get(level, 0) for level, name in NOMENCLATURE_LEVEL_KEYS.items()})
    return counts


def import_edition(path: str, *, kind: str, key: str, regulation: str = "", valid_from: int | None = None,
                   valid_to: int | None = None, replaces: str = "", source: str = "", licence: str = "",
                   replace: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Load an edition from a user's file (see `selaras.reference.importers` for the layouts).

    The whole file is read and checked first (a malformed file raises `InvalidEditionFile` with
    row and column before anything is written); the rows, the `Edition` row and the mapping from
    `replaces` (derived when that edition is loaded) are then written in one transaction.
    An existing key is refused unless `replace` is True; packaged editions cannot be replaced.
    """
    from pathlib import Path

    from selaras.domain.errors import Conflict, InvalidInput
    from selaras.reference.editions import packaged_edition
    from selaras.reference.importers import read_edition_file
    from selaras.web.reference.mappings import derive_and_store

    parsed = read_edition_file(path, kind)
    if not key or len(key) > 64 or not key.replace("-", "").replace(".", "").replace("_", "").isalnum():
        raise InvalidInput("Nama edisi harus 1-64 huruf, angka, titik, garis bawah atau tanda minus.")
    existing = Edition.objects.filter(key=key).first()
    if existing is not None and (not replace or existing.origin == "packaged" or packaged_edition(key)):
        raise Conflict(f"Edisi '{key}' sudah ada; pilih nama lain" + ("" if existing.origin == "packaged"
                                                                         else " atau pakai --ganti") + ".")
    if replaces and not Edition.objects.filter(key=replaces, kind=parsed.kind).exists():
        raise InvalidInput(f"Edisi '{replaces}' yang digantikan belum dimuat atau jenisnya lain.")
    info = EditionInfo(kind=parsed.kind, key=key, regulation=regulation or key, source=source or Path(path).name,
                       licence=licence, files=(), replaces=replaces, valid_from=valid_from, valid_to=valid_to)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    result: dict[str, Any] = {"edition": key, "kind": parsed.kind, "layout": parsed.layout, "rows": parsed.row_count}
    with transaction.atomic():
        if parsed.kind == "region":
            count = _load_regions(info, progress, parsed.regions)
        else:
            count = _load_nomenclature(info, progress, parsed.nomenclature)
        _save_edition(info, digest, count)
        Edition.objects.filter(key=key).update(origin="imported", file_name=Path(path).name[:200])
        if replaces:
            result["mapping"] = derive_and_store(replaces, key)
        _analyze()
    return result
