"""Home page, health check, and the bare JSON view the benchmarks compare against."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from haicap.units.models import AdminUnit, Tier
from haicap.units.queries import today


def home(request: HttpRequest) -> HttpResponse:
    day = today()
    in_force = AdminUnit.objects.in_force_on(day)
    return render(
        request,
        "core/home.html",
        {
            "provinces": in_force.filter(tier=Tier.PROVINCE).count(),
            "communes": in_force.filter(tier=Tier.COMMUNE).count(),
        },
    )


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
