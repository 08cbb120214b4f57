"""A check-in's frames for the people who judge it, each read logged (who, whose, why)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from hadir.biometrics.choices import AccessPurpose
from hadir.biometrics.services import access_log
from hadir.integrity.selectors import checkins_for_evidence


@require_GET
@login_required
def frame(request: HttpRequest, checkin_id: int, index: int) -> HttpResponse:
    checkin = checkins_for_evidence(request.user).filter(pk=checkin_id).first()
    stored = checkin.frames.filter(index=index).first() if checkin is not None else None
    if checkin is None or stored is None:
        raise Http404("Bingkai tidak ditemukan.")
    with stored.image.open("rb") as fh:
        data = fh.read()
    access_log(
        actor=request.user.get_username(),
        employee=checkin.employee_id,
        what="frame",
        purpose=AccessPurpose.REVIEW,
        object_id=f"{checkin.pk}#{index}",
    )
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
