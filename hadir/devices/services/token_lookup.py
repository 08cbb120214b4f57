"""The bearer token's one query, written once as SQL: the token with its device, employee,
unit, region and the region's app version policy, turned into model instances with the same
converters the ORM applies. Every API call of the employee app runs it, and compiling the
equivalent six-table `select_related` cost more CPU than the rest of a challenge; on
PostgreSQL it is a prepared statement (planning the join cost six times running it)."""

from __future__ import annotations

from typing import Any

from django.db import connections

from hadir.core.prepared import fetch_one
from hadir.devices.models import AppVersionPolicy, DeviceToken, EmployeeDevice
from hadir.org.models import Employee, Region, Unit

_MODELS: tuple[tuple[str, type], ...] = (
    ("t", DeviceToken),
    ("d", EmployeeDevice),
    ("e", Employee),
    ("u", Unit),
    ("r", Region),
    ("p", AppVersionPolicy),
)
_PLANS: dict[str, tuple[str, list[tuple[type, list[tuple[str, list[Any], Any]]]]]] = {}


def _plan(alias: str) -> tuple[str, list[tuple[type, list[tuple[str, list[Any], Any]]]]]:
    if alias in _PLANS:
        return _PLANS[alias]
    connection = connections[alias]
    qn = connection.ops.quote_name
    select: list[str] = []
    layout = []
    for table_alias, model in _MODELS:
        columns = []
        for field in model._meta.concrete_fields:
            select.append(f"{table_alias}.{qn(field.column)}")
            col = field.get_col(table_alias)
            converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            columns.append((field.attname, converters, col))
        layout.append((model, columns))

    def table(model: type) -> str:
        return qn(model._meta.db_table)  # type: ignore[attr-defined]

    sql = (
        f"SELECT {', '.join(select)} FROM {table(DeviceToken)} t "  # noqa: S608 (no input)
        f"JOIN {table(EmployeeDevice)} d ON d.id = t.device_id "
        f"JOIN {table(Employee)} e ON e.id = d.employee_id "
        f"JOIN {table(Unit)} u ON u.id = e.unit_id "
        f"JOIN {table(Region)} r ON r.id = e.region_id "
        f"LEFT JOIN {table(AppVersionPolicy)} p ON p.region_id = r.id "
        "WHERE t.token_hash = %s"
    )
    _PLANS[alias] = (sql, layout)
    return _PLANS[alias]


def token_with_context(digest: str, *, alias: str = "default") -> DeviceToken | None:
    """The token whose SHA-256 is `digest`, its relations loaded; None when unknown."""
    connection = connections[alias]
    sql, layout = _plan(alias)
    row = fetch_one(sql, [digest], alias=alias)
    if row is None:
        return None
    objects = []
    position = 0
    for model, columns in layout:
        names, values = [], []
        for name, converters, col in columns:
            value = row[position]
            for converter in converters:
                value = converter(value, col, connection)
            names.append(name)
            values.append(value)
            position += 1
        objects.append(None if values[0] is None else model.from_db(alias, names, values))  # type: ignore[attr-defined]
    token, device, employee, unit, region, policy = objects
    device.employee = employee
    employee.unit = unit
    employee.region = region
    region._state.fields_cache["app_version_policy"] = policy
    token.device = device
    return token
