"""The benchmark-only URLconf: hadir's URLs plus `bench/write`, a view that writes one row."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

TABLE = "bench_ceiling"
CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(id bigserial PRIMARY KEY, k text NOT NULL, at timestamptz NOT NULL DEFAULT now())"
)


@csrf_exempt
def write_one_row(request: HttpRequest) -> HttpResponse:
    key = request.headers.get("X-Key", "")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (k) VALUES (%s) RETURNING id", [key])  # noqa: S608
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [
    path("bench/write", write_one_row),
    path("", include("hadir.urls")),
]
