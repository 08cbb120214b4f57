from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from hadir.core.health import broker_reachable, database_reachable


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    problems = {
        name: reason
        for name, reason in (("database", database_reachable()), ("broker", broker_reachable()))
        if reason
    }
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})
