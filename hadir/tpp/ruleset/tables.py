"""What the optional rule-set tables ([checkin], [discipline], [verification], [biometrics],
[integrity]) share when they are validated: the table itself, its unknown keys, and a count of
the problems reported as `path.key`."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

Add = Callable[[str, str], None]


class Problems:
    """Reports a problem of one key of the table (call it like a function) and counts them."""

    def __init__(self, add: Add, path: str) -> None:
        self._add, self._path = add, path
        self.count = 0

    def __call__(self, key: str, message: str) -> None:
        self.count += 1
        self._add(f"{self._path}.{key}", message)


def table_open(
    add: Add, path: str, value: Any, known: Collection[str] | None = None
) -> Problems | None:
    """None (the problem reported) when `value` is not a table; else its problem reporter,
    with every key outside `known` already reported (None: the caller checks the keys)."""
    if not isinstance(value, dict):
        add(path, "must be a table")
        return None
    bad = Problems(add, path)
    if known is not None:
        for key in value:
            if key not in known:
                bad(key, "unknown key")
    return bad
