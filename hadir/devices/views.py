"""The ADMS push endpoints: thin text views over the devices services.

Every answer is plain text with a `Date` header (machines set their clocks from it). A
request that cannot be understood gets `ERROR: <reason>` with a 4xx status; the machine
retries after its ErrorDelay.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from hadir.devices import protocol, services
from hadir.devices.models import FingerprintMachine


def _text(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Date"] = http_date()
    return response


def _error(reason: str, status: int = 400) -> HttpResponse:
    return _text(f"ERROR: {reason}", status)


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _machine(request: HttpRequest) -> FingerprintMachine | HttpResponse:
    """The approved machine named by `SN`, or the refusal to send."""
    serial = request.GET.get("SN", "")
    try:
        machine = services.machine_contact(
            serial=serial,
            ip=_ip(request),
            now=timezone.now(),
            push_version=request.GET.get("pushver", ""),
            info=request.GET.get("INFO", ""),
        )
    except services.MachineRefused as exc:
        return _error(exc.message, 403 if exc.code == "unknown_device" else 400)
    return machine


def _body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over the limit (read no further than the limit)."""
    cap = settings.HADIR_ADMS_MAX_BODY_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        return None
    data = request.read(cap + 1)
    return None if len(data) > cap else data


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cdata(request: HttpRequest) -> HttpResponse:
    machine = _machine(request)
    if isinstance(machine, HttpResponse):
        return machine
    now = timezone.now()
    if request.method == "GET":
        return _text(protocol.handshake_text(services.machine_options(machine, now)))
    table = request.GET.get("table", "")
    body = _body(request)
    if body is None:
        services.reject_request(serial=machine.serial, table=table, body=b"", reason="too large")
        return _error("body too large", 413)
    try:
        answer = services.cdata_upload(
            machine=machine, table=table, stamp=request.GET.get("Stamp", ""), body=body, now=now
        )
    except protocol.ProtocolError as exc:
        services.reject_request(serial=machine.serial, table=table, body=body, reason=str(exc))
        return _error(str(exc))
    return _text(answer)


@csrf_exempt
@require_GET
def getrequest(request: HttpRequest) -> HttpResponse:
    machine = _machine(request)
    if isinstance(machine, HttpResponse):
        return machine
    commands = services.machine_commands_fetch(machine=machine, now=timezone.now())
    return _text(protocol.commands_text(commands))


@csrf_exempt
@require_http_methods(["POST"])
def devicecmd(request: HttpRequest) -> HttpResponse:
    machine = _machine(request)
    if isinstance(machine, HttpResponse):
        return machine
    body = _body(request)
    if body is None:
        return _error("body too large", 413)
    try:
        results = protocol.parse_devicecmd(protocol.decode_text(body))
    except protocol.ProtocolError as exc:
        services.reject_request(
            serial=machine.serial, table="devicecmd", body=body, reason=str(exc)
        )
        return _error(str(exc))
    services.machine_results_record(machine=machine, results=results, now=timezone.now())
    return _text("OK")


@csrf_exempt
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    machine = _machine(request)
    return machine if isinstance(machine, HttpResponse) else _text("OK")
