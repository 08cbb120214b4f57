"""Face photos encrypted at rest (UU PDP: a face image is specific personal data).

`SealedStorage` wraps the default storage (local files, or S3-compatible object storage in
production): what it writes is a Fernet token under `HADIR_BIOMETRIC_KEY`, what it reads back
is the original bytes. Nothing in the storage backend, its backups or a copied media folder
shows a face. Reads of these files go through hadir's views and services, which log them.
A file written before encryption was introduced (a JPEG as it came) is read as it is.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.deconstruct import deconstructible

from hadir.biometrics.crypto import seal_bytes, unseal_bytes

_PLAIN_MAGIC = (b"\xff\xd8\xff", b"\x89PNG")  # JPEG, PNG: written before sealing existed


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
        created directly, never overwriting: the check-in writes three on every request and
        the generic `save()` path (name checks, locks, chunked copy) cost more than sealing."""
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

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("sealed files are written with save(), never opened for writing")
        with self.inner.open(name, "rb") as fh:
            data = fh.read()
        plain = data if data.startswith(_PLAIN_MAGIC) else unseal_bytes(data)
        return ContentFile(plain, name=name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.inner.get_available_name(name, max_length=max_length)

    def delete(self, name: str) -> None:
        self.inner.delete(name)

    def exists(self, name: str) -> bool:
        return self.inner.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.inner.listdir(path)

    def size(self, name: str) -> int:
        return self.inner.size(name)  # of the sealed file

    def url(self, name: str | None) -> str:
        """No public address: face photos are served only by hadir's views, which check the
        reader's scope and log the read (the admin shows the name, linking nowhere)."""
        return ""

    def get_modified_time(self, name: str) -> Any:
        return self.inner.get_modified_time(name)


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
