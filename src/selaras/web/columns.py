"""Column names of model fields, for the raw bulk INSERT and COPY paths.

Those paths skip the ORM on purpose (speed) but must still follow `db_column` and foreign-key
`_id` columns; asking the field keeps them right. One helper, so each bulk writer does not
narrow Django's `Field | ForeignObjectRel` union by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

__all__ = ["column_names"]


def column_names(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The database column of each named concrete field of `model`, in order."""
    meta = model._meta
    columns = []
    for name in names:
        field = meta.get_field(name)
        if not isinstance(field, models.Field) or not field.column:
            raise ValueError(f"{model.__name__}.{name} bukan kolom tabel")
        columns.append(field.column)
    return columns
