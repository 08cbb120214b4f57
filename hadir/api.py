"""The JSON API under /api/v1/: one ninja Router per app, one handler for domain errors."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from hadir import __version__
from hadir.core.errors import DomainError

api = NinjaAPI(title="hadir", version=__version__, urls_namespace="api-v1")


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = getattr(exc, "status", 400)  # API errors name their status (hadir.devices)
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=status)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Kiriman terlalu besar.", "code": "upload_too_large"},
        status=413,
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.errors, "code": "validation_error"}, status=422
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Belum masuk atau sesi tidak berlaku. Silakan masuk.", "code": "unauthorized"},
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc), "code": f"http_{exc.status_code}"}, status=exc.status_code
    )


@api.get("/version", tags=["meta"])
def version(request: HttpRequest) -> dict[str, str]:
    return {"version": __version__}


def _employee_app_routers() -> None:
    """The employee app's API (docs/checkin.md): login, check-ins, the employee's own data."""
    from hadir.attendance.api import router as checkins_router
    from hadir.attendance.me_api import router as me_router
    from hadir.devices.api import router as app_router

    api.add_router("/", app_router)
    api.add_router("/", checkins_router)
    api.add_router("/", me_router)
    from hadir.biometrics.api import router as biometrics_router

    api.add_router("/", biometrics_router)


_employee_app_routers()
