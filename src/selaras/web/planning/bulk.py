"""Creating many plan rows with their history in a few statements (the Excel import).

`simple_history.utils.bulk_create_with_history` builds one historical object per row in Python;
for the 16,000 yearly rows of a district's Renstra that was half of the import. Here the rows are
created with `bulk_create` (their ids come back) and their '+' history rows are copied by the
database itself (`INSERT INTO <history> ... SELECT ... FROM <table> WHERE id IN (...)`), with the
same columns, date, user and reason simple_history would write. Where the database cannot return
the ids of a bulk insert, simple_history's own helper is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

__all__ = ["create_with_history"]

M = TypeVar("M", bound=models.Model)
_CHUNK = 900


def create_with_history(rows: Sequence[M], model: type[M], *, user: Any, reason: str) -> list[M]:
    """Insert `rows` and one '+' history row each; the rows come back with their ids."""
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:
        return list(bulk_create_with_history(rows, model, default_user=user, default_change_reason=reason))
    created = model.objects.bulk_create(rows, batch_size=2000)  # type: ignore[attr-defined]
    history = model.history.model  # type: ignore[attr-defined]
    columns = [str(f.column) for f in model._meta.concrete_fields]
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = getattr(user, "pk", None) if user is not None else None
    ids = [row.pk for row in created]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            cursor.execute(
                f"INSERT INTO {qn(history._meta.db_table)} ({names}, {qn('history_date')}, "
                f"{qn('history_change_reason')}, {qn('history_type')}, {qn('history_user_id')}) "
                f"SELECT {names}, %s, %s, %s, %s FROM {qn(model._meta.db_table)} "
                f"WHERE {qn(str(model._meta.pk.column))} IN ({', '.join(['%s'] * len(chunk))})",
                [now, reason, "+", user_id, *chunk])
    return list(created)
