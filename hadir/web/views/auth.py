"""Staff login with a lockout after repeated failures (django-axes) and a TOTP second factor
(django-otp) for BKPSDM admins and operators, with enrolment by QR code.

A user who needs TOTP gets no authenticated session until the code is right: the password step
only remembers who is pending (for five minutes), so neither the staff pages nor the Django
admin can be reached with the password alone. The admin's own login page sends people here.
"""

from __future__ import annotations

import base64
import io
import time

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hadir.audit.services import audit_record
from hadir.web.access import user_needs_otp

PENDING = "hadir_otp_pending"  # [user id, auth backend, unix time, next]
PENDING_S = 300


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _locked(request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    status = 200
    username = request.POST.get("username", "").strip()
    if request.method == "POST":
        if _locked(request, username):
            return render(request, "web/locked.html", status=429)
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if user is None:  # authenticate() sent user_login_failed: axes counted it
            if _locked(request, username):
                return render(request, "web/locked.html", status=429)
            error = _("Nama pengguna atau kata sandi salah.")
            status = 401
        elif user_needs_otp(user):
            request.session.cycle_key()
            request.session[PENDING] = [user.pk, user.backend, time.time(), _next(request)]
            return redirect("web:otp")
        else:
            login(request, user)
            return redirect(_next(request))
    return render(
        request,
        "web/login.html",
        {"error": error, "username": username, "next": _next(request)},
        status=status,
    )


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The Django admin's login page: the staff login, which enforces lockout and TOTP."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('web:login')}?{urlencode({'next': target})}")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


def _pending(request: HttpRequest):  # type: ignore[no-untyped-def]
    raw = request.session.get(PENDING)
    if not raw or time.time() - raw[2] > PENDING_S:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=raw[0], is_active=True).first()
    if user is not None:
        user.backend = raw[1]
    return user


def _finish(request: HttpRequest, user, device: TOTPDevice) -> HttpResponse:  # type: ignore[no-untyped-def]
    target = request.session.pop(PENDING)[3]
    login(request, user)
    otp_login(request, device)
    return redirect(target)


def _failed(request: HttpRequest, user) -> None:  # type: ignore[no-untyped-def]
    credentials = {"username": user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)


@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or enrolment when there is none."""
    user = _pending(request)
    if user is None:
        return redirect("web:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("web:otp_enrol")
    error = ""
    if request.method == "POST":
        if _locked(request, user.get_username()):
            request.session.pop(PENDING, None)
            return render(request, "web/locked.html", status=429)
        if device.verify_token(request.POST.get("token", "").strip()):
            return _finish(request, user, device)
        _failed(request, user)
        error = _("Kode tidak cocok. Coba kode terbaru dari aplikasi autentikator.")
    return render(request, "web/otp.html", {"error": error}, status=401 if error else 200)


@require_http_methods(["GET", "POST"])
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: a QR code (SVG, drawn here, nothing fetched) and a first code."""
    user = _pending(request)
    if user is None:
        return redirect("web:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("web:otp")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="hadir", confirmed=False)
    error = ""
    if request.method == "POST":
        if _locked(request, user.get_username()):
            request.session.pop(PENDING, None)
            return render(request, "web/locked.html", status=429)
        if device.verify_token(request.POST.get("token", "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(
                actor=user.get_username(),
                action="otp.enrol",
                object_type="TOTPDevice",
                object_id=str(device.pk),
            )
            return _finish(request, user, device)
        _failed(request, user)
        error = _("Kode tidak cocok. Pindai ulang kode QR lalu masukkan kode terbaru.")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # inline: drop the XML declaration
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "web/otp_enrol.html",
        {"qr_svg": svg, "secret": secret, "error": error},
        status=401 if error else 200,
    )
