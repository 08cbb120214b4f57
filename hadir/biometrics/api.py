"""The employee app's biometric consent and face enrollment (docs/biometrics.md).

`GET /me/biometrics` tells the state; `POST /me/biometrics/consent` records explicit consent;
`DELETE /me/biometrics/consent` withdraws it and erases the template; `POST /me/biometrics/enroll`
takes 1 to 5 live JPEG frames (multipart, field `frames`) and answers which photo failed and why.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import Router, Schema, Status

from hadir.biometrics.models import FaceTemplate
from hadir.biometrics.services import (
    EnrollmentRejected,
    consent_give,
    consent_open,
    consent_withdraw,
    enroll_from_frames,
)
from hadir.devices.api import ERRORS
from hadir.devices.app_auth import AppBearer

router = Router(tags=["biometrics"], auth=AppBearer())
MAX_FRAMES = 5
MAX_FRAME_BYTES = 512 * 1024


class BiometricOut(Schema):
    biometric: bool  # consent given and not withdrawn
    enrolled: bool
    vectors: int = 0


class ConsentIn(Schema):
    agree: bool  # must be true: the text was shown and accepted


def _state(employee: Any) -> dict[str, Any]:
    template = FaceTemplate.objects.filter(employee=employee).only("vectors").first()
    return {
        "biometric": consent_open(employee) is not None,
        "enrolled": template is not None,
        "vectors": template.vectors if template else 0,
    }


def _employee(request: HttpRequest) -> Any:
    return request.auth.device.employee  # type: ignore[attr-defined]


@router.get("/me/biometrics", response={200: BiometricOut, **ERRORS})
def state(request: HttpRequest) -> dict[str, Any]:
    return _state(_employee(request))


@router.post("/me/biometrics/consent", response={200: BiometricOut, **ERRORS})
def consent(request: HttpRequest, body: ConsentIn) -> dict[str, Any]:
    """Explicit consent to face processing (UU PDP 27/2022); `agree` must be true."""
    employee = _employee(request)
    if not body.agree:
        raise EnrollmentRejected(["Persetujuan harus dinyatakan secara tegas (agree = true)."])
    consent_give(employee=employee, actor=f"app:{employee.key}", via="app")
    return _state(employee)


@router.delete("/me/biometrics/consent", response={200: BiometricOut, **ERRORS})
def withdraw(request: HttpRequest) -> dict[str, Any]:
    """Withdraw consent: the template and stored encodings are deleted at once."""
    employee = _employee(request)
    consent_withdraw(employee=employee, actor=f"app:{employee.key}", reason="ditarik di aplikasi")
    return _state(employee)


ENROLL_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["frames"],
                    "properties": {
                        "frames": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "1 to 5 live JPEG frames, each <= 512 KiB",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/me/biometrics/enroll",
    response={201: BiometricOut, **ERRORS},
    openapi_extra=ENROLL_DOC,
)
def enroll(request: HttpRequest) -> Status[dict[str, Any]]:
    """Enroll the face from live frames; 422 `enrollment_rejected` says which photo failed and
    why (one line each), 403 `consent_required` without consent."""
    employee = _employee(request)
    try:
        files = request.FILES.getlist("frames")
    except RequestDataTooBig as exc:
        raise EnrollmentRejected(["Kiriman terlalu besar."]) from exc
    if not 1 <= len(files) <= MAX_FRAMES:
        raise EnrollmentRejected([f"Kirim 1 sampai {MAX_FRAMES} foto (bagian 'frames')."])
    blobs = []
    for i, upload in enumerate(files):
        if upload.size is not None and upload.size > MAX_FRAME_BYTES:
            raise EnrollmentRejected([f"Foto {i + 1}: terlalu besar (maksimal 512 KiB)."])
        blobs.append(upload.read(MAX_FRAME_BYTES + 1))
    lang = "en" if getattr(request, "LANGUAGE_CODE", "id").startswith("en") else "id"
    enroll_from_frames(employee=employee, frames=blobs, actor=f"app:{employee.key}", lang=lang)
    return Status(201, _state(employee))
