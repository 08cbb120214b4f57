"""Authentication of the employee app's API calls: the bearer token of a bound device, and the
region's minimum app version (`X-Hadir-App-Version`).

`AppBearer` puts the live DeviceToken on `request.auth`; `app_update_header` (a middleware)
adds `X-Hadir-Update: <min_version>` to the answer when the app is older than the region's
minimum but the deadline has not passed yet.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.security import HttpBearer

from hadir.devices.models import DeviceToken
from hadir.devices.services.phones import app_version_check, token_authenticate

VERSION_HEADER = "HTTP_X_HADIR_APP_VERSION"


def app_version_of(request: HttpRequest) -> str:
    return request.META.get(VERSION_HEADER, "")[:32]


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AppBearer(HttpBearer):
    """`Authorization: Bearer <token>` of the employee app; checks the app version too."""

    def authenticate(self, request: HttpRequest, token: str) -> DeviceToken | None:
        now = timezone.now()
        row = token_authenticate(token, now=now)
        update = app_version_check(
            region=row.device.employee.region, version=app_version_of(request), now=now
        )
        if update:
            request.hadir_update = update  # type: ignore[attr-defined]
        return row


def app_update_header(get_response: Callable[[HttpRequest], HttpResponse]):  # type: ignore[no-untyped-def]
    """Middleware: advertise the region's minimum app version to an app that is older."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        update = getattr(request, "hadir_update", None)
        if update:
            response["X-Hadir-Update"] = update
        return response

    return middleware
