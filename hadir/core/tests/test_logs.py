"""The console log handler follows sys.stderr, so a replaced stream never swallows a record."""

from __future__ import annotations

import io
import logging
import sys

from hadir.core.logs import StderrHandler


def test_it_writes_to_the_current_stderr_even_after_the_first_one_closed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    handler = StderrHandler()
    logger = logging.getLogger("hadir.tests.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("one")
        first.close()
        second = io.StringIO()
        monkeypatch.setattr(sys, "stderr", second)
        logger.warning("two")
        assert second.getvalue() == "two\n"
    finally:
        logger.removeHandler(handler)
