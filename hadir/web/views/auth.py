"""Staff login with a lockout after repeated failures (django-axes) and a TOTP second factor
(django-otp) for BKPSDM admins and operators, with enrolment by QR code."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hadir.audit.services import audit_record
from hadir.web.access import staff_of


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    status = 200
    username = request.POST.get("username", "").strip()
    if request.method == "POST":
        credentials = {"username": username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return render(request, "web/locked.html", status=429)
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if user is None:
            # authenticate() sent user_login_failed: axes counted it.
            if not AxesProxyHandler.is_allowed(request, credentials):
                return render(request, "web/locked.html", status=429)
            error = _("Nama pengguna atau kata sandi salah.")
            status = 401
        else:
            login(request, user)
            staff = staff_of(request)
            if staff.needs_otp:
                request.session["otp_next"] = _next(request)
                return redirect("web:otp")
            return redirect(_next(request))
    return render(
        request,
        "web/login.html",
        {"error": error, "username": username, "next": _next(request)},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


def _device(user) -> TOTPDevice | None:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or enrolment when there is none."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    device = _device(request.user)
    if device is None:
        return redirect("web:otp_enrol")
    error = ""
    if request.method == "POST":
        credentials = {"username": request.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            logout(request)
            return render(request, "web/locked.html", status=429)
        if device.verify_token(request.POST.get("token", "").strip()):
            otp_login(request, device)
            return redirect(request.session.pop("otp_next", settings.LOGIN_REDIRECT_URL))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        error = _("Kode tidak cocok. Coba kode terbaru dari aplikasi autentikator.")
    return render(request, "web/otp.html", {"error": error}, status=401 if error else 200)


@require_http_methods(["GET", "POST"])
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: a QR code (SVG, drawn here, nothing fetched) and a first code."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    if _device(request.user) is not None:
        return redirect("web:otp")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="hadir", confirmed=False)
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("token", "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(
                actor=request.user.get_username(),
                action="otp.enrol",
                object_type="TOTPDevice",
                object_id=str(device.pk),
            )
            otp_login(request, device)
            return redirect(request.session.pop("otp_next", settings.LOGIN_REDIRECT_URL))
        error = _("Kode tidak cocok. Pindai ulang kode QR lalu masukkan kode terbaru.")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # inline: drop the XML declaration
    return render(
        request,
        "web/otp_enrol.html",
        {"qr_svg": svg, "secret": _b32(device.bin_key), "error": error},
        status=401 if error else 200,
    )


def _b32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")
