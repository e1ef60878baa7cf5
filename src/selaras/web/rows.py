"""Rows read with one plain statement and turned into model instances, as the ORM would.

For the reads every request makes (the session's user with role and government, a stage window):
there, building the statement with the ORM cost more CPU than running it. `columns` writes a
model's concrete columns for a SELECT; `instance` turns that part of a row into the model, with
the same conversions as the ORM (the database backend's first, then the field's: SQLite's naive
datetimes become aware, its 0/1 become booleans).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, models

__all__ = ["columns", "instance", "width"]

M = TypeVar("M", bound=models.Model)

_CONVERTERS: dict[tuple[str, type[models.Model]], list[tuple[Any, list[Callable[..., Any]]]]] = {}


def columns(model: type[models.Model], alias: str) -> str:
    """The model's concrete columns, qualified by `alias`, in field order."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


def _converters(db: str, model: type[models.Model]) -> list[tuple[Any, list[Callable[..., Any]]]]:
    key = (db, model)
    found = _CONVERTERS.get(key)
    if found is None:
        connection = connections[db]
        found = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            found.append((column, [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]))
        _CONVERTERS[key] = found
    return found


def instance(db: str, model: type[M], values: Sequence[Any]) -> M:
    """The model instance of `values` (one per concrete field, in `columns` order) read from `db`."""
    connection = connections[db]
    converted = []
    for value, (column, converters) in zip(values, _converters(db, model), strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(db, [f.attname for f in model._meta.concrete_fields], converted)
