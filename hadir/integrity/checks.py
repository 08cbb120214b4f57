"""The background check registered with hadir.attendance.checks: the face work of the
biometrics app, then the risk score (in that order, in one check, so the score sees the face)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hadir.attendance.checks import register_check

if TYPE_CHECKING:
    from hadir.attendance.models import CheckIn


@register_check
def face_and_risk(checkin: CheckIn) -> None:
    # Imported here: dlib and the model package take a while to import, and every process
    # that sets Django up (the CLI, the web) registers this check without running it.
    from hadir.biometrics.verify import checkin_face_check
    from hadir.integrity.services import checkin_assess

    checkin_face_check(checkin)
    checkin_assess(checkin)
