"""Face photos are encrypted at rest: the storage holds a token, the field reads the JPEG."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from hadir.biometrics import crypto
from hadir.biometrics.storage import SealedStorage, sealed_storage


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 150, 120)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def test_it_writes_a_token_and_reads_back_the_photo(media) -> None:  # type: ignore[no-untyped-def]
    photo = _jpeg()
    name = sealed_storage().save("checkins/7/2026-11-30/1-0.jpg", ContentFile(photo))
    on_disk = (media / name).read_bytes()
    assert not on_disk.startswith(b"\xff\xd8") and photo not in on_disk
    assert crypto.unseal_bytes(on_disk) == photo
    with sealed_storage().open(name) as fh:
        assert fh.read() == photo
    assert sealed_storage().url(name) == ""  # no public address for a face
    sealed_storage().delete(name)
    assert not (media / name).exists()


def test_a_photo_stored_before_sealing_is_read_as_it_is(media) -> None:  # type: ignore[no-untyped-def]
    photo = _jpeg()
    name = default_storage.save("devices/photos/old.jpg", ContentFile(photo))
    with SealedStorage().open(name) as fh:
        assert fh.read() == photo


def test_a_token_under_another_key_is_refused(media, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    name = default_storage.save("checkins/x.jpg", ContentFile(b"gAAAAA-not-a-token"))
    with pytest.raises(crypto.BiometricKeyError):
        SealedStorage().open(name)


def test_check_in_frames_and_machine_photos_use_it() -> None:
    from hadir.attendance.models import CheckInFrame
    from hadir.devices.models import MachineRecord

    for model, field in ((CheckInFrame, "image"), (MachineRecord, "photo")):
        assert isinstance(model._meta.get_field(field).storage, SealedStorage)


def test_put_writes_a_new_sealed_file_and_never_overwrites_one(media, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FILE_UPLOAD_PERMISSIONS = 0o640
    storage = sealed_storage()
    first, second = _jpeg(), b"\xff\xd8\xff another photo"
    name = storage.put("checkins/7/2026-11-30/key-0-abc.jpg", first)
    assert name == "checkins/7/2026-11-30/key-0-abc.jpg"  # its folders created on the way
    path = media / name
    assert first not in path.read_bytes() and (path.stat().st_mode & 0o777) == 0o640
    again = storage.put(name, second)  # the name is taken: another one, the first intact
    assert again != name and again.startswith("checkins/7/2026-11-30/key-0-abc")
    with storage.open(name) as fh:
        assert fh.read() == first
    with storage.open(again) as fh:
        assert fh.read() == second


def test_put_refuses_a_name_outside_the_storage(media) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import SuspiciousFileOperation

    with pytest.raises(SuspiciousFileOperation):
        sealed_storage().put("../outside.jpg", _jpeg())
    assert not (media.parent / "outside.jpg").exists()


def test_a_check_ins_frames_are_parts_of_one_sealed_file(media) -> None:  # type: ignore[no-untyped-def]
    storage = sealed_storage()
    frames = [_jpeg(), b"\xff\xd8\xff second", b""]
    names = storage.put_parts("checkins/7/2026-11-30/key-abc.frames", frames)
    assert names == [f"checkins/7/2026-11-30/key-abc.frames#{i}" for i in range(3)]
    assert [p.name for p in (media / "checkins/7/2026-11-30").iterdir()] == ["key-abc.frames"]
    sealed = (media / "checkins/7/2026-11-30/key-abc.frames").read_bytes()
    assert frames[0] not in sealed and frames[1] not in sealed
    for name, frame in zip(names, frames, strict=True):
        with storage.open(name) as fh:
            assert fh.read() == frame
        assert storage.exists(name)
    with pytest.raises(OSError, match="no part 3"):
        storage.open("checkins/7/2026-11-30/key-abc.frames#3")
    storage.delete(names[1])  # the parts go together
    assert not any(storage.exists(name) for name in names)
    with pytest.raises(ValueError, match=r"\.frames"):
        storage.put_parts("checkins/7/x.jpg", frames)


def test_a_name_with_a_hash_sign_that_is_no_part_is_an_ordinary_file(media) -> None:  # type: ignore[no-untyped-def]
    storage = sealed_storage()
    name = storage.save("devices/AB12-photo#1.jpg", ContentFile(_jpeg()))
    with storage.open(name) as fh:
        assert fh.read() == _jpeg()
