"""A JPEG's size read from its markers, and what is refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from hadir.attendance.jpeg import JpegInvalid, jpeg_size


def _jpeg(size: tuple[int, int], **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG", **options)
    return buffer.getvalue()


@pytest.mark.parametrize("options", [{}, {"progressive": True}, {"optimize": True}])
def test_it_reads_the_size_of_baseline_and_progressive_jpegs(options: dict) -> None:
    assert jpeg_size(_jpeg((320, 240), **options)) == (320, 240)
    assert jpeg_size(_jpeg((1, 4000), **options)) == (1, 4000)


def test_it_reads_what_the_browser_camera_sends() -> None:
    from hadir.attendance.tests.appclient import jpeg

    data = jpeg(0)
    assert jpeg_size(data) == Image.open(io.BytesIO(data)).size


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda d: b"GIF89a" + d[2:], "start-of-image"),
        (lambda d: d[:-2], "end-of-image"),
        (lambda d: d[:200] + b"\xff\xd9", "past the end|no marker"),
        (lambda d: d[:2] + b"\x00\x00" + d[4:], "no marker"),
        (lambda d: b"\xff\xd8\xff\xda\x00\x02\xff\xd9", "scan before any frame"),
        (
            lambda d: b"\xff\xd8\xff\xc0\x00\x11\x08\x00\x00\x00\x00" + b"\x00" * 9 + b"\xff\xd9",
            "size zero",
        ),
        (lambda d: b"\xff\xd8\xff\xd9", "no scan"),
    ],
)
def test_it_refuses_what_is_not_a_whole_jpeg(mangle, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(JpegInvalid, match=reason):
        jpeg_size(mangle(_jpeg((64, 48))))
