"""Per-process memos: an entry lives its time, a clear forgets, the size stays bounded."""

from __future__ import annotations

from hadir.core import memo as memo_module
from hadir.core.memo import Memo, memos_clear


def test_an_entry_lives_its_time_and_a_clear_forgets_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock = [100.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: clock[0])
    memo: Memo[int] = Memo(10.0)
    loads: list[str] = []

    def load(value: int) -> int:
        loads.append("load")
        return value

    assert memo.get("k", lambda: load(1)) == 1
    clock[0] += 9.9
    assert memo.get("k", lambda: load(2)) == 1  # still remembered
    clock[0] += 0.2
    assert memo.get("k", lambda: load(3)) == 3  # expired: read again
    memos_clear()
    assert memo.get("k", lambda: load(4)) == 4
    assert loads == ["load"] * 3


def test_it_stays_within_its_size() -> None:
    memo: Memo[int] = Memo(60.0, size=3)
    for key in range(10):
        memo.get(key, lambda key=key: key)
    assert len(memo._items) <= 3
    assert memo.get(9, lambda: -1) == 9
