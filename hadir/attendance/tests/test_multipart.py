"""The check-in's multipart reader: what browsers send, and clear errors for the rest."""

from __future__ import annotations

import io

import pytest
from django.test.client import encode_multipart

from hadir.attendance.multipart import (
    MAX_PARTS,
    MultipartError,
    multipart_boundary,
    multipart_parts,
)


def _named(name: str, data: bytes) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def test_it_reads_a_json_field_and_files_as_a_browser_sends_them() -> None:
    body = encode_multipart(
        "b0UnD",
        {
            "payload": '{"a": 1}',
            "frames": [_named("f1.jpg", b"\xff\xd8one\r\n--b0U"), _named("f2.jpg", b"two")],
        },
    )
    parts = multipart_parts(body, multipart_boundary("multipart/form-data; boundary=b0UnD"))
    assert [(p.name, p.filename, p.data) for p in parts] == [
        ("payload", None, b'{"a": 1}'),
        ("frames", "f1.jpg", b"\xff\xd8one\r\n--b0U"),  # a boundary's prefix inside data
        ("frames", "f2.jpg", b"two"),
    ]
    assert parts[1].content_type == "image/jpeg"


def test_it_reads_bare_and_spaced_parameters() -> None:
    body = b"--xyz\r\ncontent-disposition:Form-Data ;NAME = a ; filename=f.jpg \r\n\r\nd\r\n--xyz--"
    (part,) = multipart_parts(body, b"xyz")
    assert (part.name, part.filename, part.data) == ("a", "f.jpg", b"d")


def test_it_skips_a_preamble_and_an_epilogue_and_reads_quoted_names() -> None:
    body = (
        b"preamble\r\n--xyz\r\n"
        b'Content-Disposition: form-data; name="a b"; filename="x \\"y\\".jpg"\r\n\r\n'
        b"data\r\n--xyz--\r\nepilogue"
    )
    (part,) = multipart_parts(body, b"xyz")
    assert (part.name, part.filename, part.data) == ("a b", 'x "y".jpg', b"data")


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "multipart/form-data", "multipart/form-data; boundary=" + "x" * 71],
)
def test_it_refuses_a_content_type_without_a_usable_boundary(content_type: str) -> None:
    with pytest.raises(MultipartError):
        multipart_boundary(content_type)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"no boundary at all", "boundary tidak ditemukan"),
        (b"--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nno end", "tidak ditutup"),
        (b"--xyz\r\nContent-Disposition: form-data; name=a", "tidak lengkap"),
        (b"--xyzJUNK\r\n", "baris boundary rusak"),
        (b"--xyz\r\nbroken header\r\n\r\nx\r\n--xyz--", "kepala bagian rusak"),
        (b"--xyz\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--xyz--", "form-data"),
        (b"--xyz\r\nContent-Type: text/plain\r\n\r\nx\r\n--xyz--", "form-data"),
        (b'--xyz\r\nContent-Disposition: form-data; name="a\r\n\r\nx\r\n--xyz--', "rusak"),
    ],
)
def test_it_refuses_malformed_bodies_with_a_reason(body: bytes, message: str) -> None:
    with pytest.raises(MultipartError, match=message):
        multipart_parts(body, b"xyz")


def test_it_refuses_too_many_parts() -> None:
    part = b"--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n"
    with pytest.raises(MultipartError, match="bagian"):
        multipart_parts(part * (MAX_PARTS + 1) + b"--xyz--", b"xyz")
    assert len(multipart_parts(part * MAX_PARTS + b"--xyz--", b"xyz")) == MAX_PARTS
