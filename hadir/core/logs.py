"""Logging helpers."""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A console handler that writes to whatever `sys.stderr` is when a record is emitted.

    The stock StreamHandler keeps the stream it was created with; when that stream is later
    replaced and closed (pytest's output capture, a daemon redirecting its output), records
    are lost with "I/O operation on closed file" instead of being written.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # always the current sys.stderr
