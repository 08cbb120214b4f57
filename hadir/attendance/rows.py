"""INSERTs with SQL built once per model, for the rows a check-in writes on every request: the
ORM's building of the INSERT cost more CPU than the database's work. Values go through each
field's `pre_save` and `get_db_prep_save`, exactly as `Model.save()` would pass them; these
models have no `save()` override and no signals."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Field, Model

_SQL: dict[tuple[str, type], tuple[str, list[Field[Any, Any]]]] = {}


def row_layout(model: type[Model], *, alias: str = "default") -> tuple[str, list[Field[Any, Any]]]:
    """`table (column, ...)`, quoted, and the fields in that order (the key left out)."""
    key = (alias, model)
    if key not in _SQL:
        qn = connections[alias].ops.quote_name
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        _SQL[key] = (f"{qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)})", fields)
    return _SQL[key]


def row_values(obj: Model, *, alias: str = "default") -> list[Any]:
    """The values `Model.save()` would insert for `obj`, in `row_layout`'s order."""
    connection = connections[alias]
    _, fields = row_layout(type(obj), alias=alias)
    return [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]


def row_saved(obj: Model, pk: int, *, alias: str = "default") -> Model:
    """Mark `obj` as the stored row `pk`."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias
    return obj


def row_insert(obj: Model, *, alias: str = "default") -> Model:
    """Insert `obj` (a new instance) and set its primary key."""
    model = type(obj)
    connection = connections[alias]
    target, fields = row_layout(model, alias=alias)
    marks = ", ".join(["%s"] * len(fields))
    pk = connection.ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} VALUES ({marks}) RETURNING {pk}",  # noqa: S608
            row_values(obj, alias=alias),
        )
        return row_saved(obj, cursor.fetchone()[0], alias=alias)
