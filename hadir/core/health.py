"""Reachability checks behind GET /healthz."""

from __future__ import annotations

from django.db import connection

from hadir.celery import app as celery_app


def database_reachable() -> str | None:
    """None when a query round-trips, else the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        return f"{type(exc).__name__}: {exc}"
    return None


def broker_reachable() -> str | None:
    """None when the task broker accepts a connection, else the reason."""
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many kinds
        return f"{type(exc).__name__}: {exc}"
    return None
