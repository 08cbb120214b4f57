"""Work of the face benchmark's processes (imported by spawned workers, so kept importable).

`init` sets a worker up on the benchmark's own database; `setup_data` enrolls employees and
stores check-ins with rendered frames; `verify` runs the real registered background check of one
check-in (face work, then the risk score) exactly as the Celery task does.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def init(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hadir.settings"
    import django

    django.setup()
    from hadir.biometrics import face

    face.warm_up()


def ready(_: int) -> int:
    import time

    time.sleep(0.2)
    return os.getpid()


def setup_data(checkins: int, per_unit: int = 1) -> list[int]:
    """Employees in units of `per_unit`, each consenting and enrolled; `checkins` stored
    check-ins of 5 frames each (9 in 10 genuine, 1 in 10 another person's face).

    With only two real faces to render from, colleagues in one unit would all show the same
    face and rightly be flagged `face_shared`; one employee per unit keeps the genuine records
    genuine (the same-day comparison then has no colleague to read)."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from hadir.attendance.models import CheckIn, CheckInFrame
    from hadir.biometrics import testing as render
    from hadir.biometrics.services import consent_give, enroll_from_photo
    from hadir.devices.models import EmployeeDevice
    from hadir.org.models import Employee, Unit
    from hadir.tpp.services import ruleset_load

    ruleset_load(
        text=(ROOT / "hadir" / "demo" / "ruleset.toml").read_text(),
        source_name="bench",
        actor="bench",
    )
    from hadir.org.models import Region

    region = Region.objects.get()
    employees_n = max(1, checkins // 3)
    photo = render.jpeg(render.person("astronaut"))
    employees = []
    units: list[Unit] = []
    for i in range(employees_n):
        if i % per_unit == 0:
            unit = Unit.objects.create(region=region, code=f"B{i}", name=f"Unit {i}")
            Unit.objects.filter(pk=unit.pk).update(path=f"/{unit.pk}/")
            units.append(unit)
        emp = Employee.objects.create(
            region=region, key=f"K{i}", kind="NONASN", name=f"Pegawai {i}", unit=units[-1]
        )
        consent_give(employee=emp, actor="bench")
        enroll_from_photo(employee=emp, photo=photo, operator="bench")
        device = EmployeeDevice.objects.create(
            employee=emp, thumbprint=f"bench-{i}", public_key={}, status="active"
        )
        EmployeeDevice.objects.filter(pk=device.pk).update(
            created_at=timezone.now() - timedelta(days=90)
        )
        employees.append((emp, device))
    ids = []
    now = timezone.now()
    instructions = ("blink", "turn_left", "turn_right")
    for i in range(checkins):
        emp, device = employees[i % employees_n]
        person = "hopper" if i % 10 == 9 else "astronaut"
        instruction = instructions[i % 3]
        if person == "hopper" and instruction == "blink":
            instruction = "turn_left"
        frames = render.burst(person, instruction, seed=i)
        record = CheckIn.objects.create(
            employee=emp,
            device=device,
            checkpoint="masuk",
            idempotency_key=f"bench-{i}",
            at=now - timedelta(seconds=30 * (checkins - i)),
            received_at=now,
            latitude=0.5021347 + i * 0.0000013,
            longitude=117.1536123 - i * 0.0000011,
            accuracy_m=11.7,
            status="accepted",
            instruction=instruction,
        )
        for index, data in enumerate(frames):
            frame = CheckInFrame(checkin=record, index=index, sha256=f"{i}-{index}", size=len(data))
            frame.image.save(f"{index}.jpg", ContentFile(data), save=False)
            frame.save()
        ids.append(record.pk)
    return ids


def reset() -> None:
    from hadir.attendance.models import CheckIn
    from hadir.biometrics.models import BiometricAccess, FaceCheck

    FaceCheck.objects.all().delete()
    BiometricAccess.objects.all().delete()
    CheckIn.objects.update(risk_score=None, risk_reasons=[], checked_at=None, status="accepted")


def verify(checkin_id: int) -> tuple[float, float]:
    """One verification end to end: read the stored frames, face work, risk score written.
    Returns its wall-clock and CPU seconds (in this process; the database's are not counted)."""
    import time

    from hadir.attendance.checks import checks_run

    started, cpu = time.perf_counter(), time.process_time()
    failed = checks_run(checkin_id=checkin_id)
    if failed:
        raise RuntimeError(f"check-in {checkin_id}: {failed}")
    return time.perf_counter() - started, time.process_time() - cpu


def outcome() -> dict[str, object]:
    from collections import Counter

    from hadir.attendance.models import CheckIn

    codes: Counter[str] = Counter()
    for reasons in CheckIn.objects.values_list("risk_reasons", flat=True):
        codes.update(r["code"] for r in reasons)
    return {
        "checked": CheckIn.objects.filter(checked_at__isnull=False).count(),
        "queued": CheckIn.objects.filter(status="pending_review").count(),
        "signals": dict(sorted(codes.items())),
    }
