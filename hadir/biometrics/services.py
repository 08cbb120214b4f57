"""Writes of the biometrics app: consent, enrollment, template reads (logged) and erasure.

No face is processed without an open consent (`ConsentRequired`). Every read of a template or
a stored encoding goes through `access_log` (who, whose, what, why).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from django.db import transaction
from django.utils import timezone

from hadir.audit.services import audit_record
from hadir.biometrics import crypto
from hadir.biometrics.choices import AccessPurpose, TemplateSource
from hadir.biometrics.models import BiometricAccess, Consent, FaceCheck, FaceTemplate
from hadir.biometrics.rules import message
from hadir.core.errors import DomainError
from hadir.org.models import Employee
from hadir.tpp.ruleset.biometrics import DEFAULT_BIOMETRICS, BiometricRules
from hadir.tpp.selectors import RuleBook

MAX_TEMPLATE_VECTORS = 5


class ConsentRequired(DomainError):
    code = "consent_required"
    status = 403  # the JSON API's answer


class EnrollmentRejected(DomainError):
    """No photo was good enough; `problems` are Indonesian lines, one per photo problem."""

    code = "enrollment_rejected"
    status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def biometric_rules(employee: Employee, day: date | None = None) -> BiometricRules:
    """The `[biometrics]` table in force for the employee's region (defaults without a rule set)."""
    book = RuleBook(employee.region)
    try:
        return book.in_force(day or timezone.localdate()).rules.biometrics
    except DomainError:  # no rule set (yet) on that day: the defaults
        return DEFAULT_BIOMETRICS


def consent_open(employee: Employee) -> Consent | None:
    return Consent.objects.filter(employee=employee, withdrawn_at__isnull=True).first()


def access_log(
    *,
    actor: str,
    employee: Employee | int | None,
    what: str,
    purpose: str,
    object_id: str = "",
    detail: str = "",
) -> None:
    employee_id = employee.pk if isinstance(employee, Employee) else employee
    BiometricAccess.objects.create(
        actor=actor[:150],
        employee_id=employee_id,
        what=what,
        object_id=str(object_id),
        purpose=AccessPurpose(purpose),
        detail=detail[:300],
    )


def consent_give(*, employee: Employee, actor: str, via: str = "app") -> Consent:
    """Record consent (idempotent: an open consent is returned as it is)."""
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        existing = consent_open(employee)
        if existing is not None:
            return existing
        if not employee.active:
            raise DomainError("Pegawai tidak aktif.", code="employee_inactive")
        consent = Consent.objects.create(
            employee=employee, given_at=timezone.now(), given_via=via, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="biometrics.consent_give",
            object_type="biometrics.Consent",
            object_id=str(consent.pk),
            data={"employee": employee.key, "via": via},
        )
    return consent


def consent_withdraw(*, employee: Employee, actor: str, reason: str = "") -> bool:
    """Withdraw consent and erase the employee's biometric data. False when none was open."""
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(employee=employee, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            return False
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        consent.withdraw_reason = reason[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        biometric_erase(employee=employee, actor=actor, reason="consent_withdrawn")
    return True


def biometric_erase(*, employee: Employee | int, actor: str, reason: str) -> int:
    """Delete the template and every stored encoding of the employee; returns rows touched."""
    employee_id = employee.pk if isinstance(employee, Employee) else employee
    with transaction.atomic():
        deleted, _ = FaceTemplate.objects.filter(employee_id=employee_id).delete()
        cleared = FaceCheck.objects.filter(employee_id=employee_id, embedding__isnull=False).update(
            embedding=None
        )
        if deleted or cleared:
            audit_record(
                actor=actor,
                action="biometrics.erase",
                object_type="org.Employee",
                object_id=str(employee_id),
                data={"reason": reason, "templates": deleted, "encodings": cleared},
            )
    return deleted + cleared


def departed_erase(*, actor: str = "system:purge") -> int:
    """Erase the biometric data of employees who left (active false); the scheduler runs it."""
    ids = set(
        FaceTemplate.objects.filter(employee__active=False).values_list("employee_id", flat=True)
    )
    ids |= set(
        FaceCheck.objects.filter(employee__active=False, embedding__isnull=False).values_list(
            "employee_id", flat=True
        )
    )
    for employee_id in sorted(ids):
        biometric_erase(employee=employee_id, actor=actor, reason="employee_left")
    return len(ids)


def _enroll(
    *,
    employee: Employee,
    photos: Sequence[bytes],
    actor: str,
    source: TemplateSource,
    lang: str = "id",
) -> FaceTemplate:
    if consent_open(employee) is None:
        raise ConsentRequired(
            "Pegawai belum memberikan persetujuan pemrosesan data wajah."
            if lang != "en"
            else "The employee has not consented to face processing."
        )
    if not photos:
        raise EnrollmentRejected([message("no_face", lang)])
    from hadir.biometrics import pipeline  # dlib only where faces are processed

    rules = biometric_rules(employee)
    vectors: list[np.ndarray] = []
    quality: list[dict[str, float]] = []
    problems: list[str] = []
    for i, data in enumerate(photos[: MAX_TEMPLATE_VECTORS * 2]):
        label = f"Foto {i + 1}" if lang != "en" else f"Photo {i + 1}"
        try:
            result = pipeline.analyze_photo(data, rules)
        except DomainError as exc:
            problems.append(f"{label}: {exc.message}")
            continue
        if result.problems or result.embedding is None:
            problems.extend(f"{label}: {p.text(lang)}" for p in result.problems)
            continue
        if len(vectors) < MAX_TEMPLATE_VECTORS:
            vectors.append(result.embedding)
            m = result.measure
            quality.append(
                {
                    "face_px": m.face_px,
                    "sharpness": round(m.sharpness, 1),
                    "brightness": round(m.brightness, 1),
                }
            )
    if not vectors:
        raise EnrollmentRejected(problems)
    spread = max((float(np.linalg.norm(a - b)) for a in vectors for b in vectors), default=0.0)
    if spread > rules.match_threshold:
        raise EnrollmentRejected(
            [
                "Foto-foto tidak menunjukkan orang yang sama."
                if lang != "en"
                else "The photos do not show the same person."
            ]
        )
    with transaction.atomic():
        template, _ = FaceTemplate.objects.update_or_create(
            employee=employee,
            defaults={
                "ciphertext": crypto.seal(vectors),
                "vectors": len(vectors),
                "source": source,
                "enrolled_at": timezone.now(),
                "enrolled_by": actor,
                "quality": {"photos": quality, "skipped": problems},
            },
        )
        audit_record(
            actor=actor,
            action="biometrics.enroll",
            object_type="biometrics.FaceTemplate",
            object_id=str(template.pk),
            data={"employee": employee.key, "source": source, "vectors": len(vectors)},
        )
    return template


def enroll_from_frames(
    *, employee: Employee, frames: Sequence[bytes], actor: str, lang: str = "id"
) -> FaceTemplate:
    """Enroll from live frames taken in the app (the employee's own session)."""
    return _enroll(
        employee=employee, photos=frames, actor=actor, source=TemplateSource.APP_FRAMES, lang=lang
    )


def enroll_from_photo(
    *, employee: Employee, photo: bytes, operator: str, lang: str = "id"
) -> FaceTemplate:
    """Enroll from a photo an operator took in person."""
    return _enroll(
        employee=employee,
        photos=[photo],
        actor=operator,
        source=TemplateSource.OPERATOR_PHOTO,
        lang=lang,
    )


def template_read(
    *, employee: Employee, actor: str, purpose: str, detail: str = ""
) -> list[np.ndarray]:
    """The employee's template vectors (empty without one), the read logged."""
    template = FaceTemplate.objects.filter(employee=employee).first()
    if template is None:
        return []
    access_log(
        actor=actor,
        employee=employee,
        what="template",
        purpose=purpose,
        object_id=str(template.pk),
        detail=detail,
    )
    return crypto.unseal(template.ciphertext)
