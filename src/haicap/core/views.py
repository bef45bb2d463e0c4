"""Health check, and the bare JSON view the benchmarks compare against."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


def bare(request: HttpRequest) -> JsonResponse:
    """A JSON answer with no database work: the reference for throughput benchmarks."""
    return JsonResponse({"ok": True})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; load balancers poll this."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return JsonResponse(
        {"error": {"code": "not_found", "message": f"No API endpoint at {request.path}"}},
        status=404,
    )
