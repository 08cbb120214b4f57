"""One INSERT per row with SQL built once per model, for the rows a check-in writes on every
request (the event and the check-in): the ORM's building of the INSERT cost more CPU than the
database's work. Values go through each field's `pre_save` and `get_db_prep_save`, exactly as
`Model.save()` would pass them; these models have no `save()` override and no signals."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Model

_SQL: dict[tuple[str, type], tuple[str, list[Any]]] = {}


def row_insert(obj: Model, *, alias: str = "default") -> Model:
    """Insert `obj` (a new instance) and set its primary key."""
    model = type(obj)
    connection = connections[alias]
    key = (alias, model)
    if key not in _SQL:
        qn = connection.ops.quote_name
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        columns = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        _SQL[key] = (
            f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks}) "  # noqa: S608
            f"RETURNING {qn(meta.pk.column)}",
            fields,
        )
    sql, fields = _SQL[key]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = alias
    return obj
