"""The app shell at /app/, its web manifest and its service worker (scope /app/).

The server puts the app version (``hadir.__version__``) into the shell and into the service
worker, so a new release installs a new worker with a fresh cache of the shell's files. Every
screen is drawn by the ES modules under ``static/pwa/js/``; the JSON API does the rest.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from hadir import __version__

STATIC_DIR = Path(__file__).resolve().parent / "static"
THEME = "#0f5132"

# The shell loads nothing from another origin; the camera stream and frames are blob: URLs.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob: mediastream:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


@cache
def shell_assets() -> tuple[str, ...]:
    """Every static file of the app (modules, style, icons), as URLs for the offline cache."""
    files = sorted(p for p in (STATIC_DIR / "pwa").rglob("*") if p.is_file())
    return tuple(static(p.relative_to(STATIC_DIR).as_posix()) for p in files)


@require_GET
def shell(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "pwa/shell.html",
        {
            "version": __version__,
            "theme": THEME,
            "api_base": "/api/v1",
            "sw_url": reverse("pwa:sw"),
            "scope": reverse("pwa:shell"),
        },
    )
    response["Content-Security-Policy"] = CSP
    response["Cache-Control"] = "no-cache"
    response["Referrer-Policy"] = "same-origin"
    response["Permissions-Policy"] = "camera=(self), geolocation=(self), microphone=()"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    scope = reverse("pwa:shell")
    icons = [
        {"src": static(f"pwa/icons/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
        for n in (192, 512)
    ]
    icons.append(
        {
            "src": static("pwa/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    body = {
        "name": "hadir: presensi pegawai",
        "short_name": "hadir",
        "description": "Presensi, cuti dan TPP pegawai ASN",
        "lang": "id",
        "id": scope,
        "start_url": f"{scope}#/today",
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    scope = reverse("pwa:shell")
    shell_urls = [scope, reverse("pwa:manifest"), *shell_assets()]
    response = render(
        request,
        "pwa/sw.js",
        {
            "version": json.dumps(__version__),
            "shell_urls": json.dumps(shell_urls),
            "scope": json.dumps(scope),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on every visit; never serve a stale one.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = scope
    return response
