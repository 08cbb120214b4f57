"""The background face check of one check-in: consent, liveness, 1:1 match, photo reuse.

Called by the integrity app's registered check (hadir.attendance.checks), before the risk score.
Idempotent: running it again replaces the check-in's FaceCheck.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import date

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hadir.attendance.checkin import employee_zone
from hadir.attendance.models import CheckIn
from hadir.biometrics import crypto, face, pipeline
from hadir.biometrics.choices import AccessPurpose, FaceCheckStatus
from hadir.biometrics.models import BiometricAccess, FaceCheck
from hadir.biometrics.rules import hamming
from hadir.biometrics.services import (
    access_log,
    biometric_erase,
    biometric_rules,
    consent_open,
    template_read,
)
from hadir.tpp.ruleset.biometrics import BiometricRules

ACTOR = "system:verifikasi"
log = logging.getLogger(__name__)
HISTORY_CHECKS = 200  # earlier check-ins of the employee compared by perceptual hash
SAME_DAY_CANDIDATES = 500  # other employees' check-ins of the day compared by encoding


def frames_read(checkin: CheckIn, *, actor: str, purpose: str) -> list[bytes]:
    """The stored JPEG frames of a check-in in order, the read logged."""
    out: list[bytes] = []
    frames = list(checkin.frames.order_by("index"))
    for frame in frames:
        try:
            with frame.image.open("rb") as fh:
                out.append(fh.read())
        except OSError:  # a frame lost from storage: judged without it (no face there)
            log.warning("frame %s of check-in %s is missing from storage", frame.index, checkin.pk)
            out.append(b"")
    access_log(
        actor=actor,
        employee=checkin.employee_id,
        what="frames",
        purpose=purpose,
        object_id=str(checkin.pk),
        detail=f"{len(out)} bingkai",
    )
    return out


def _reused_from(checkin: CheckIn, hashes: list[str], rules: BiometricRules) -> int | None:
    """An earlier check-in of the employee whose frames match `reuse_frame_share` of these."""
    if not hashes:
        return None
    need = math.ceil(len(hashes) * rules.reuse_frame_share)
    earlier = (
        FaceCheck.objects.filter(employee_id=checkin.employee_id)
        .exclude(checkin_id=checkin.pk)
        .order_by("-checked_at")
        .values_list("checkin_id", "hashes")[:HISTORY_CHECKS]
    )
    for other_id, other_hashes in earlier:
        others = [h for h in other_hashes or [] if len(h) == len(hashes[0])]
        if not others:
            continue
        close = sum(
            1 for h in hashes if min(hamming(h, o) for o in others) <= rules.reuse_hash_bits
        )
        if close >= need:
            return int(other_id)
    return None


def _shared_with(
    checkin: CheckIn, day: date, embedding: np.ndarray, rules: BiometricRules
) -> int | None:
    """Another employee's check-in of the same day (same unit, or the same device key) whose
    face is near-identical: one person checking in for two. Each other employee whose encoding
    is read gets a row in the access log (written in one insert)."""
    candidates = list(
        FaceCheck.objects.filter(day=day, embedding__isnull=False)
        .exclude(employee_id=checkin.employee_id)
        .filter(
            Q(employee__unit_id=checkin.employee.unit_id)
            | Q(checkin__device__thumbprint=checkin.device.thumbprint)
        )
        .order_by("-checked_at")
        .values_list("checkin_id", "employee_id", "embedding")[:SAME_DAY_CANDIDATES]
    )
    if not candidates:
        return None
    BiometricAccess.objects.bulk_create(
        [
            BiometricAccess(
                actor=ACTOR,
                employee_id=other_employee,
                what="embedding",
                object_id=str(other_id),
                purpose=AccessPurpose.VERIFY,
                detail=f"pembanding pemakaian ulang untuk check-in {checkin.pk}",
            )
            for other_id, other_employee, _ in candidates
        ]
    )
    for other_id, _, sealed in candidates:
        vectors = crypto.unseal(sealed)
        if vectors and face.distance(vectors[0], embedding) <= rules.reuse_distance:
            return int(other_id)
    return None


def checkin_face_check(checkin: CheckIn) -> FaceCheck:
    """Run the face work of a check-in and store its FaceCheck."""
    started = time.perf_counter()
    employee = checkin.employee
    day = timezone.localtime(checkin.at, employee_zone(employee)).date()
    values: dict[str, object] = {
        "employee": employee,
        "day": day,
        "frames": checkin.frames.count(),
        "checked_at": timezone.now(),
    }
    if not employee.active:
        biometric_erase(employee=employee, actor=ACTOR, reason="employee_left")
    if not employee.active or consent_open(employee) is None:
        # No face processing at all: the record falls to the atasan's verification.
        values.update(status=FaceCheckStatus.NO_CONSENT)
        return _store(checkin, values, started)
    rules = biometric_rules(employee, day)
    frames = frames_read(checkin, actor=ACTOR, purpose=AccessPurpose.VERIFY)
    result = pipeline.analyze_burst(frames, checkin.instruction, rules)
    values.update(
        faces_found=result.faces_found,
        liveness_passed=result.liveness.passed,
        liveness_code=result.liveness.code,
        liveness_measure=round(result.liveness.measure, 4),
        hashes=result.hashes,
    )
    if result.embedding is None:
        values.update(status=FaceCheckStatus.NO_FACE)
    else:
        template = template_read(
            employee=employee,
            actor=ACTOR,
            purpose=AccessPurpose.VERIFY,
            detail=f"check-in {checkin.pk}",
        )
        if template:
            distance = min(face.distance(v, result.embedding) for v in template)
            values.update(
                status=FaceCheckStatus.CHECKED,
                distance=round(distance, 4),
                matched=distance <= rules.match_threshold,
            )
        else:
            values.update(status=FaceCheckStatus.NOT_ENROLLED)
        values["embedding"] = crypto.seal([result.embedding])
        values["shared_with_id"] = _shared_with(checkin, day, result.embedding, rules)
    values["reused_from_id"] = _reused_from(checkin, result.hashes, rules)
    return _store(checkin, values, started)


def _store(checkin: CheckIn, values: dict[str, object], started: float) -> FaceCheck:
    values["duration_ms"] = round((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        check, _ = FaceCheck.objects.update_or_create(checkin=checkin, defaults=values)
    return check
