"""The background check registered with hadir.attendance.checks: the face work of the
biometrics app, then the risk score (in that order, in one check, so the score sees the face)."""

from __future__ import annotations

from hadir.attendance.checks import register_check
from hadir.attendance.models import CheckIn
from hadir.biometrics.verify import checkin_face_check
from hadir.integrity.services import checkin_assess


@register_check
def face_and_risk(checkin: CheckIn) -> None:
    checkin_face_check(checkin)
    checkin_assess(checkin)
