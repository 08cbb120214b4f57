"""The size of a JPEG from its markers, without an image library: the check-in reads three
frames on every request, and opening each with Pillow cost more than the rest of the frame
checks. The face check decodes the frames fully later, in the background."""

from __future__ import annotations

# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}  # RSTn, TEM: no length field


class JpegInvalid(ValueError):
    pass


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a baseline or progressive JPEG; raises JpegInvalid when `data` is
    not one (no start of image, a truncated or malformed segment, no frame before the scan,
    no end-of-image marker)."""
    if not data.startswith(b"\xff\xd8"):
        raise JpegInvalid("no start-of-image marker")
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise JpegInvalid("no end-of-image marker")
    position, end = 2, len(data)
    size: tuple[int, int] | None = None
    while position + 4 <= end:
        if data[position] != 0xFF:
            raise JpegInvalid(f"no marker at byte {position}")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE:
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2 or position + 2 + length > end:
            raise JpegInvalid(f"segment {marker:02X} runs past the end")
        if marker in _SOF:
            if length < 8:
                raise JpegInvalid("frame header too short")
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            if not width or not height:
                raise JpegInvalid("frame of size zero")
            size = (width, height)
        elif marker == 0xDA:  # start of scan: the compressed data follows
            if size is None:
                raise JpegInvalid("scan before any frame header")
            return size
        position += 2 + length
    raise JpegInvalid("no scan")


__all__ = ["JpegInvalid", "jpeg_size"]
