"""Public pages: the home page, the catalogue, a procedure, the centres and places."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from haicap.core.errors import NotFound
from haicap.core.http import HtmxHttpRequest, cache_for_anonymous
from haicap.core.pagination import page_number, paginate
from haicap.core.text import search_terms
from haicap.portal.forms import LookupForm
from haicap.procedures import queries as procedure_queries
from haicap.procedures.models import CompetentTier, OnlineLevel, Procedure, Sector
from haicap.procedures.rules import due_at
from haicap.units.models import AdminUnit, ServiceCenter, Tier
from haicap.units.queries import former_communes, today

# Public pages are rendered at most once a minute for visitors without a session.
PUBLIC_PAGE_SECONDS = 60

POPULAR = [
    "1.001193.000.00.00.H01",
    "HCP.HT.002",
    "HCP.HT.003",
    "HCP.CT.001",
    "HCP.CTR.001",
    "HCP.CTR.002",
]


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def home(request: HttpRequest) -> HttpResponse:
    in_force = AdminUnit.objects.in_force_on(today())
    return render(
        request,
        "portal/home.html",
        {
            "popular": Procedure.objects.filter(code__in=POPULAR, is_active=True).order_by("name"),
            "provinces": in_force.filter(tier=Tier.PROVINCE).count(),
            "communes": in_force.filter(tier=Tier.COMMUNE).count(),
            "lookup_form": LookupForm(),
        },
    )


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def catalogue(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    sector = request.GET.get("sector") if request.GET.get("sector") in Sector.values else None
    tier = request.GET.get("tier") if request.GET.get("tier") in CompetentTier.values else None
    online = request.GET.get("online") if request.GET.get("online") in OnlineLevel.values else None
    page = paginate(
        procedure_queries.procedures(query=query, sector=sector, tier=tier, online=online),
        page_number(request),
        20,
    )
    context = {
        "page": page,
        "query": query,
        "sector": sector,
        "tier": tier,
        "online": online,
        "sectors": Sector.choices,
        "tiers": CompetentTier.choices,
        "online_levels": OnlineLevel.choices,
    }
    if request.htmx:
        return render(request, "portal/_catalogue_results.html", context)
    return render(request, "portal/catalogue.html", context)


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def procedure_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = procedure_queries.procedure_by_code(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    now = timezone.now()
    return render(
        request,
        "portal/procedure.html",
        {"procedure": procedure, "due_if_now": due_at(procedure, now), "now": now},
    )


def provinces() -> list[AdminUnit]:
    return list(AdminUnit.objects.in_force_on(today()).filter(tier=Tier.PROVINCE).order_by("name"))


def communes_of(province_code: str) -> list[AdminUnit]:
    province = (
        AdminUnit.objects.in_force_on(today())
        .filter(code=province_code, tier=Tier.PROVINCE)
        .first()
    )
    if province is None:
        return []
    return list(
        AdminUnit.objects.in_force_on(today())
        .filter(province=province, tier=Tier.COMMUNE)
        .order_by("name")
    )


def communes_options(request: HttpRequest) -> HttpResponse:
    """The commune <option>s of a province (htmx, when the province changes)."""
    return render(
        request,
        "portal/_commune_options.html",
        {"communes": communes_of(request.GET.get("province", "")), "selected": ""},
    )


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def centres(request: HtmxHttpRequest) -> HttpResponse:
    province_code = request.GET.get("province", "")
    query = request.GET.get("q", "").strip()
    found = ServiceCenter.objects.filter(is_active=True).select_related("unit", "unit__province")
    province = None
    if province_code:
        province = (
            AdminUnit.objects.in_force_on(today())
            .filter(code=province_code, tier=Tier.PROVINCE)
            .first()
        )
        if province is not None:
            found = found.filter(Q(unit=province) | Q(unit__province=province))
    for term in search_terms(query):
        found = found.filter(unit__search_key__contains=term)
    page = (
        paginate(found.order_by("kind", "name"), page_number(request), 30)
        if (province or query)
        else None
    )
    context = {
        "provinces": provinces(),
        "province": province,
        "query": query,
        "page": page,
        "former": former_communes(query, province=province, limit=5),
    }
    if request.htmx:
        return render(request, "portal/_centres.html", context)
    return render(request, "portal/centres.html", context)
