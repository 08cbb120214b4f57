"""The app shell, its manifest and its service worker as the server sends them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from hadir import __version__
from hadir.pwa.views import shell_assets


@pytest.fixture
def client() -> Client:
    return Client()


def test_it_serves_the_shell_with_the_version_and_a_strict_policy(client: Client) -> None:
    response = client.get("/app/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<meta name="hadir-version" content="{__version__}">' in html
    assert '<html lang="id">' in html
    assert 'type="module" src="/static/pwa/js/app.js"' in html
    assert 'href="/app/manifest.webmanifest"' in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "http" not in csp  # nothing from another origin
    assert response["Cache-Control"] == "no-cache"


def test_it_refuses_to_post_to_the_shell(client: Client) -> None:
    assert client.post("/app/").status_code == 405


def test_it_describes_an_installable_app_in_the_manifest(client: Client) -> None:
    response = client.get("/app/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["scope"] == "/app/"
    assert manifest["start_url"].startswith("/app/")
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "id"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert icon["src"] in shell_assets()


def test_it_serves_a_versioned_service_worker_that_caches_the_whole_shell(client: Client) -> None:
    response = client.get("/app/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/app/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert f"const VERSION = {json.dumps(__version__)};" in body
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    assert shell[:2] == ["/app/", "/app/manifest.webmanifest"]
    assert "/static/pwa/js/app.js" in shell
    assert "/static/pwa/app.css" in shell
    assert "{%" not in body and "{{" not in body
    assert "&quot;" not in body  # the JSON went in unescaped


def test_it_lists_every_module_the_app_imports(client: Client) -> None:
    """A module missing from the offline cache would break the app's start without network."""
    assets = set(shell_assets())
    from django.contrib.staticfiles import finders

    app_js = finders.find("pwa/js/app.js")
    assert app_js
    root = app_js.rsplit("/js/", 1)[0]
    pending = ["js/app.js"]
    seen: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        assert f"/static/pwa/{module}" in assets
        source = Path(root, module).read_text(encoding="utf-8")
        base = module.rsplit("/", 1)[0]
        for target in re.findall(r'from "(\.{1,2}/[^"]+)"', source):
            parts = f"{base}/{target}".split("/")
            resolved: list[str] = []
            for part in parts:
                if part == "..":
                    resolved.pop()
                elif part != ".":
                    resolved.append(part)
            pending.append("/".join(resolved))
    assert len(seen) >= 15


def test_it_ships_the_icons_the_script_draws() -> None:
    from PIL import Image

    from hadir.pwa.icons import OUT, draw

    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-512.png", 512, True),
    ):
        with Image.open(OUT / name) as shipped:
            assert shipped.size == (size, size)
            fresh = draw(size, maskable=maskable)
            # Same picture: the committed file is the script's output, not a stale drawing.
            assert shipped.convert("RGBA").tobytes() == fresh.tobytes()
    # A maskable icon has no transparent corners (the launcher applies its own mask).
    with Image.open(OUT / "maskable-512.png") as icon:
        assert icon.convert("RGBA").getpixel((0, 0))[3] == 255
    with Image.open(OUT / "icon-512.png") as icon:
        assert icon.convert("RGBA").getpixel((0, 0))[3] == 0
