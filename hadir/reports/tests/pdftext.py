"""Reading back the PDFs fpdf2 writes, for tests: the pages and the text of each page."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_TEXT = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def pdf_text(data: bytes) -> str:
    """Every string shown by a Tj operator, one per line, in stream order."""
    assert data.startswith(b"%PDF-")
    lines = []
    for raw in _STREAM.findall(data):
        try:
            body = zlib.decompress(raw)
        except zlib.error:
            body = raw
        for text in _TEXT.findall(body):
            unescaped = re.sub(rb"\\([()\\])", rb"\1", text)
            lines.append(unescaped.decode("latin-1"))
    return "\n".join(lines)
