"""Prepared statements for the few queries every request of the employee app runs (the bearer
token's lookup, a check-in's one INSERT statement). Django binds parameters on the client,
so PostgreSQL plans each query afresh: for the token's six-table join planning cost six times
the execution. Here the query is prepared once per connection (psycopg keeps the statements)
and only executed after that. Errors come out as Django's database errors and the query is
logged where Django logs queries. Other databases run the query through Django's cursor."""

from __future__ import annotations

import time
from typing import Any

import psycopg
from django.db import connections


def fetch_one(sql: str, params: list[Any], *, alias: str = "default") -> tuple[Any, ...] | None:
    """The first row of `sql` (with %s placeholders), prepared on PostgreSQL."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    connection.ensure_connection()
    start = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"/* prepared */ {sql}", "time": f"{time.monotonic() - start:.3f}"}
        )
    return row


__all__ = ["fetch_one"]
