"""Face photos encrypted at rest (UU PDP: a face image is specific personal data).

`SealedStorage` wraps the default storage (local files, or S3-compatible object storage in
production): what it writes is a Fernet token under `HADIR_BIOMETRIC_KEY`, what it reads back
is the original bytes. Nothing in the storage backend, its backups or a copied media folder
shows a face. Reads of these files go through hadir's views and services, which log them.
A file written before encryption was introduced (a JPEG as it came) is read as it is.

The frames of one check-in are sealed together in one file (`put_parts`): creating a file cost
more than sealing its bytes, three times per check-in. Each frame's name is the bundle's
name with its index, `…/<key>-<hash>.frames#2`; opening it reads that part. The parts of a
bundle are stored and erased together: deleting one deletes the bundle.
"""

from __future__ import annotations

import os
import re
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.deconstruct import deconstructible

from hadir.biometrics.crypto import seal_bytes, unseal_bytes

_PLAIN_MAGIC = (b"\xff\xd8\xff", b"\x89PNG")  # JPEG, PNG: written before sealing existed
_BUNDLE_MAGIC = b"HADIR-PARTS-1\n"
_PART = re.compile(r"^(?P<bundle>.+\.frames)#(?P<index>\d+)$")


def bundle_pack(parts: list[bytes]) -> bytes:
    """Parts in one byte string: a magic line, the count and each length, then the parts."""
    lengths = b"".join(len(p).to_bytes(4, "big") for p in parts)
    return _BUNDLE_MAGIC + len(parts).to_bytes(2, "big") + lengths + b"".join(parts)


def bundle_part(data: bytes, index: int) -> bytes:
    """Part `index` of a packed bundle; OSError (as for a missing file) when there is none."""
    if not data.startswith(_BUNDLE_MAGIC):
        raise OSError("not a bundle of parts")
    position = len(_BUNDLE_MAGIC)
    count = int.from_bytes(data[position : position + 2], "big")
    lengths = [
        int.from_bytes(data[position + 2 + 4 * i : position + 6 + 4 * i], "big")
        for i in range(count)
    ]
    start = position + 2 + 4 * count + sum(lengths[:index])
    if not 0 <= index < count or start + lengths[index] > len(data):
        raise OSError(f"no part {index} in this bundle")
    return data[start : start + lengths[index]]


def _stored(name: str) -> tuple[str, int | None]:
    """The stored file behind a name, and the part's index when it names a bundle's part."""
    match = _PART.match(name)
    return (match["bundle"], int(match["index"])) if match else (name, None)


@deconstructible(path="hadir.biometrics.storage.SealedStorage")
class SealedStorage(Storage):
    def __init__(self, inner: Storage | None = None) -> None:
        self._inner = inner

    @property
    def inner(self) -> Storage:
        return self._inner if self._inner is not None else default_storage

    def _save(self, name: str, content: File) -> str:  # type: ignore[type-arg]
        content.seek(0)
        return self.inner.save(name, ContentFile(seal_bytes(content.read())))

    def put(self, name: str, data: bytes) -> str:
        """Seal and store `data` as a new file named `name` (or, if that name is taken,
        the storage's next free name); returns the name stored. On local disk the file is
        created directly, never overwriting: every check-in writes one, and the generic
        `save()` path (name checks, temporary file, chunked copy) cost more than sealing."""
        sealed = seal_bytes(data)
        inner = self.inner
        if not isinstance(inner, FileSystemStorage):
            return inner.save(name, ContentFile(sealed))
        path = inner.path(name)  # refuses names outside the storage's folder
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            try:
                fd = os.open(path, flags, 0o666)
            except FileNotFoundError:
                _folder(os.path.dirname(path), inner.directory_permissions_mode)
                fd = os.open(path, flags, 0o666)
        except FileExistsError:
            return inner.save(name, ContentFile(sealed))
        with os.fdopen(fd, "wb") as fh:
            fh.write(sealed)
        if inner.file_permissions_mode is not None:
            os.chmod(path, inner.file_permissions_mode)
        return name

    def put_parts(self, name: str, parts: list[bytes]) -> list[str]:
        """Seal `parts` together in one new file named `name` (ending in `.frames`); returns
        each part's name."""
        if not name.endswith(".frames"):
            raise ValueError("a bundle's name ends in .frames")
        stored = self.put(name, bundle_pack(parts))
        return [f"{stored}#{index}" for index in range(len(parts))]

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("sealed files are written with save(), never opened for writing")
        stored, index = _stored(name)
        with self.inner.open(stored, "rb") as fh:
            data = fh.read()
        plain = data if data.startswith(_PLAIN_MAGIC) else unseal_bytes(data)
        if index is not None:
            plain = bundle_part(plain, index)
        return ContentFile(plain, name=name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.inner.get_available_name(name, max_length=max_length)

    def delete(self, name: str) -> None:
        self.inner.delete(_stored(name)[0])  # a part: the whole bundle

    def exists(self, name: str) -> bool:
        return self.inner.exists(_stored(name)[0])

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.inner.listdir(path)

    def size(self, name: str) -> int:
        return self.inner.size(_stored(name)[0])  # of the sealed file

    def url(self, name: str | None) -> str:
        """No public address: face photos are served only by hadir's views, which check the
        reader's scope and log the read (the admin shows the name, linking nowhere)."""
        return ""

    def get_modified_time(self, name: str) -> Any:
        return self.inner.get_modified_time(_stored(name)[0])


def _folder(path: str, mode: int | None) -> None:
    """Create `path` as `FileSystemStorage` does: with its permissions mode, if it has one."""
    if mode is None:
        os.makedirs(path, exist_ok=True)
        return
    umask = os.umask(0)  # the mode is applied as given, as Django does
    try:
        os.makedirs(path, mode, exist_ok=True)
    finally:
        os.umask(umask)


def sealed_storage() -> SealedStorage:
    """The storage of face photos (a callable, so migrations name it instead of copying it)."""
    return _SEALED


_SEALED = SealedStorage()

__all__ = ["SealedStorage", "sealed_storage"]
