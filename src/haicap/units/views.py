"""The public unit browser: provinces, their communes, search, and each unit's history."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from haicap.core.errors import DomainError
from haicap.core.http import HtmxHttpRequest
from haicap.core.pagination import page_number, paginate
from haicap.core.text import search_terms
from haicap.units import queries
from haicap.units.models import AdminUnit, Tier
from haicap.units.source import LEGACY_LAST_DAY

PAGE_SIZE = 50


def _day(request: HttpRequest) -> tuple[dt.date, bool]:
    """The date asked for with ?on=, today if absent or unreadable; and whether it was given."""
    raw = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(raw), True
    except ValueError:
        return queries.today(), False


def index(request: HtmxHttpRequest) -> HttpResponse:
    day, dated = _day(request)
    query = request.GET.get("q", "").strip()
    context: dict[str, object] = {
        "day": day,
        "dated": dated,
        "query": query,
        "legacy_day": LEGACY_LAST_DAY,
    }
    if query:
        context["results"] = paginate(queries.units(on=day, query=query), page_number(request), 25)
        if request.htmx:
            return render(request, "units/_results.html", context)
    else:
        context["provinces"] = (
            AdminUnit.objects.in_force_on(day)
            .filter(tier=Tier.PROVINCE)
            .annotate(
                districts=Count("province_units", filter=Q(province_units__tier=Tier.DISTRICT)),
                communes=Count("province_units", filter=Q(province_units__tier=Tier.COMMUNE)),
            )
            .order_by("name")
        )
    return render(request, "units/index.html", context)


def detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    day, dated = _day(request)
    try:
        unit = queries.unit_by_code(code, day)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    children = AdminUnit.objects.filter(parent=unit).order_by("name")
    if unit.tier == Tier.PROVINCE and unit.valid_from is not None:
        children = children.filter(tier=Tier.COMMUNE)
    child_query = request.GET.get("q", "").strip()
    for term in search_terms(child_query):
        children = children.filter(search_key__contains=term)
    context = {
        "unit": unit,
        "day": day,
        "dated": dated,
        "successions": queries.successions_from(unit),
        "predecessors": queries.successions_into(unit),
        "children": paginate(children, page_number(request), PAGE_SIZE),
        "child_query": child_query,
        "in_force_today": unit.in_force_on(queries.today()),
    }
    if request.htmx and request.GET.get("part") == "children":
        return render(request, "units/_children.html", context)
    return render(request, "units/detail.html", context)
