"""Shared set-up of the employee-app browser tests: a rule set whose checkpoints are open all
day every day (so the tests do not depend on the hour they run at), Ani with a password, a
geofence around her office and browser contexts with a location and camera permissions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from conftest import EMPLOYEE_NIP, RULESET_TOML
from hadir.org.models import Employee, Site

PASSWORD = "kata-sandi-ani-2026"
OFFICE = {"latitude": -0.5021374, "longitude": 117.1535839}
# About 1.1 km north of the office: outside its 150 m circle.
AWAY = {"latitude": -0.4921374, "longitude": 117.1535839}

ALL_DAY_RULES = (
    RULESET_TOML.split("[[schedules]]")[0]
    + """
[[schedules]]
code = "5hk"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
checkpoints = [
  {code = "masuk",  kind = "in",  opens = "00:00", due = "23:58", closes = "23:59"},
  {code = "pulang", kind = "out", opens = "00:00", due = "00:00", closes = "23:59"},
]
"""
)


@pytest.fixture
def ruleset_file(tmp_path):  # type: ignore[no-untyped-def]
    """Overrides conftest's: the same region, checkpoints open all day, every day."""
    path = tmp_path / "rules.toml"
    path.write_text(ALL_DAY_RULES, encoding="utf-8")
    return path


@pytest.fixture
def ani(region_setup, settings, tmp_path) -> Employee:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    employee = Employee.objects.get(nip=EMPLOYEE_NIP)
    user = get_user_model().objects.create_user(EMPLOYEE_NIP, password=PASSWORD)
    employee.user = user
    employee.save(update_fields=["user"])
    Site.objects.create(
        unit=employee.unit,
        name="Kantor Dinas Contoh",
        latitude=Decimal(str(OFFICE["latitude"])),
        longitude=Decimal(str(OFFICE["longitude"])),
        radius_m=150,
    )
    return employee


@pytest.fixture
def app_page(camera_browser, live_server) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """`app_page(permissions=[...], where=OFFICE)`: a fresh phone (context) at /app/."""
    contexts = []
    errors: list[str] = []
    # Uploads run the background face checks inline in this process: give assertions the
    # page's patience, not expect()'s 5 s, on a loaded machine; restored afterwards.
    expect.set_options(timeout=20_000)

    def open_app(*, permissions=("geolocation", "camera"), where=OFFICE, accuracy=11.8):  # type: ignore[no-untyped-def]
        context = camera_browser.new_context(
            locale="id-ID",
            timezone_id="Asia/Makassar",
            viewport={"width": 412, "height": 860},
            geolocation={**where, "accuracy": accuracy},
        )
        context.grant_permissions(list(permissions), origin=live_server.url)
        contexts.append(context)
        # Every page of the context, the first and any opened later, reports uncaught errors
        # (unhandled promise rejections included): a test with one fails at teardown.
        context.on("page", lambda p: p.on("pageerror", lambda e: errors.append(str(e))))
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("body[data-ready='1']")
        return page

    yield open_app
    expect.set_options(timeout=5_000)
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the app: {errors}"


def login(page, nip: str = EMPLOYEE_NIP, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.fill("#nip", nip)
    page.fill("#password", password)
    page.click("#login-submit")


# Page-side helpers for reading and editing the app's IndexedDB from a test.
_DB_PRELUDE = """
const db = await new Promise((ok) => {
  const q = indexedDB.open('hadir');
  q.onsuccess = () => ok(q.result);
});
const all = (store) => new Promise((ok) => {
  const q = db.transaction(store).objectStore(store).getAll();
  q.onsuccess = () => ok(q.result);
});
const get = (store, key) => new Promise((ok) => {
  const q = db.transaction(store).objectStore(store).get(key);
  q.onsuccess = () => ok(q.result);
});
const write = (store, change) => new Promise((ok) => {
  const tx = db.transaction(store, 'readwrite');
  change(tx.objectStore(store));
  tx.oncomplete = ok;
});
"""


def in_db(page, body: str):  # type: ignore[no-untyped-def]
    """Run `body` in the page with `db`, `all(store)`, `get(store, key)` and
    `write(store, fn)` at hand; returns what it returns."""
    return page.evaluate(f"async () => {{{_DB_PRELUDE}{body}\n}}")


def queued(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """The offline queue as the test reads it (frames left out)."""
    return in_db(
        page,
        "return (await all('queue')).map((e) => ({seq: e.seq, hash: e.hash, record: e.record}));",
    )
