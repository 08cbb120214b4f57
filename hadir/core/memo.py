"""Short-lived memos, per process, of small reads that every check-in would otherwise repeat
(the rule set version in force, the sites of a unit). Each entry lives `ttl_s` seconds; a
change saved in this process clears the memo at once (the owner connects the model's
signals), a change saved by another process is seen within `ttl_s`. Tests clear them all
between tests (`memos_clear`), since a rolled-back row sends no signal."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")

_ALL: list[Memo[Any]] = []


class Memo(Generic[V]):
    def __init__(self, ttl_s: float, *, size: int = 4096) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self._items: dict[Hashable, tuple[float, V]] = {}
        _ALL.append(self)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if len(self._items) >= self.size:
            self._items.clear()  # a bound on memory; entries are cheap to read again
        self._items[key] = (now + self.ttl_s, value)
        return value

    def clear(self) -> None:
        self._items.clear()


def memos_clear() -> None:
    for memo in _ALL:
        memo.clear()


__all__ = ["Memo", "memos_clear"]
