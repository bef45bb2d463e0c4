"""Open311 GeoReport v2 at /open311/v2/ (docs/feedback.md#open311): discovery, services,
requests (GET with the spec's filters, POST with an api_key), requests/{id}, tokens/{id},
and FixMyStreet's servicerequestupdates. The format is the path's extension; XML by default."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from haicap.core import ratelimit
from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.core.errors import DomainError
from haicap.feedback import categories, routing
from haicap.feedback.access import public_reports
from haicap.feedback.actions import Intake, do_file_report
from haicap.feedback.actions.apikeys import app_for_key
from haicap.feedback.models import DONE, OPEN, ApiApp, Channel, Report, ReportEvent
from haicap.feedback.open311 import serialize
from haicap.feedback.open311.render import error, respond
from haicap.units.models import AdminUnit, Tier
from haicap.units.queries import today

MAX_RESULTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
FIRST_DAY = dt.datetime(2000, 1, 1, tzinfo=ZONE)

Handler = Callable[..., HttpResponse]


def open311(methods: tuple[str, ...]) -> Callable[[Handler], Handler]:
    """The format from the path, the method checked, domain errors in the spec's shape."""

    def decorate(view: Handler) -> Handler:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str = "xml", **kwargs: Any) -> Any:
            fmt = fmt or "xml"
            if request.method not in methods:
                response = error(fmt, 405, "Method not allowed")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                field = f"{exc.field}: " if exc.field else ""
                status = 400 if exc.status == 422 else exc.status
                return error(fmt, status, field + exc.message)

        return wrapper

    return decorate


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _jurisdiction(value: str) -> AdminUnit | None:
    """jurisdiction_id is a province's code (optional: one deployment serves many)."""
    code = value.strip()[:10]
    if not code:
        return None
    province = AdminUnit.objects.in_force_on(today()).filter(code=code, tier=Tier.PROVINCE).first()
    if province is None:
        raise DomainError(f"Unknown jurisdiction_id {code}", field="jurisdiction_id")
    return province


@open311(("GET",))
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    url = _base(request) + reverse("open311:discovery_root")
    body = {
        "changeset": "2026-01-01T00:00:00+07:00",
        "contact": "Đường dây nóng 1022 / haicap",
        "key_service": "haicap feedback apikey create NAME",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": url,
                "changeset": "2026-01-01T00:00:00+07:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, body, root="discovery", item=None)


@open311(("GET",))
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    province = _jurisdiction(request.GET.get("jurisdiction_id", ""))
    body = [serialize.service(c) for c in categories.offered(province)]
    return respond(fmt, body, root="services", item="service")


@open311(("GET",))
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    province = _jurisdiction(request.GET.get("jurisdiction_id", ""))
    category = categories.category(code, province)
    return respond(fmt, serialize.definition(category), root="service_definition", item=None)


def _moment(request: HttpRequest, name: str) -> dt.datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        parsed = parse_datetime(raw.replace(" ", "+")) if len(raw) <= 40 else None
    except ValueError:  # the right shape, not a moment (month 13)
        parsed = None
    if parsed is None:
        raise DomainError(f"{name} must be a W3C datetime, e.g. 2026-01-05T09:30:00+07:00")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=ZONE)
    if not FIRST_DAY <= parsed <= timezone.now() + dt.timedelta(days=366):
        raise DomainError(f"{name} is out of range")
    return parsed


@open311(("GET", "POST"))
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    found = public_reports()
    ids = [i.strip().upper() for i in request.GET.get("service_request_id", "").split(",")]
    ids = [i for i in ids if i][:MAX_RESULTS]
    if ids:
        found = found.filter(code__in=ids)
    else:
        start, end = _moment(request, "start_date"), _moment(request, "end_date")
        if start and end and start > end:
            raise DomainError("start_date is after end_date")
        if start is None:
            start = (end or timezone.now()) - DEFAULT_WINDOW
        found = found.filter(received_at__gte=start)
        if end is not None:
            found = found.filter(received_at__lte=end)
        codes = [c for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            found = found.filter(category__code__in=[c.strip()[:40] for c in codes[:50]])
        status = request.GET.get("status", "").strip().lower()
        if status:
            wanted = set(status.split(","))
            if not wanted <= {"open", "closed"}:
                raise DomainError("status is open or closed")
            if wanted == {"open"}:
                found = found.filter(status__in=OPEN)
            elif wanted == {"closed"}:
                found = found.filter(status__in=DONE)
        province = _jurisdiction(request.GET.get("jurisdiction_id", ""))
        if province is not None:
            found = found.filter(province=province)
    rows = serialize.request_rows(found.order_by("-received_at", "-id")[:MAX_RESULTS])
    base = _base(request)
    body = [serialize.request(row, base) for row in rows]
    return respond(fmt, body, root="service_requests", item="request")


def _float(value: str, name: str) -> float | None:
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise DomainError(f"{name} must be a number", field=name) from None
    if number != number or abs(number) == float("inf"):
        raise DomainError(f"{name} must be a number", field=name)
    return number


def _api_app(request: HttpRequest) -> ApiApp:
    app = app_for_key(request.POST.get("api_key", "").strip())
    if app is None:
        raise _Forbidden("Invalid api_key")
    return app


class _Forbidden(DomainError):
    status = 403
    code = "forbidden"


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    ratelimit.check(request, "open311-post", settings.RATE_LIMIT_FEEDBACK_CLIENT)
    data = request.POST
    app = _api_app(request)
    ratelimit.check(request, "open311-key", settings.RATE_LIMIT_FEEDBACK_KEY, key=f"app{app.pk}")
    province = _jurisdiction(data.get("jurisdiction_id", ""))
    code = data.get("service_code", "").strip()
    if not code:
        raise DomainError("service_code is required", field="service_code")
    lat, lon = _float(data.get("lat", ""), "lat"), _float(data.get("long", ""), "long")
    address, address_id = data.get("address_string", ""), data.get("address_id", "").strip()
    if lat is not None and lon is not None:
        place = routing.from_coordinates(lat, lon, province=province)
    elif address_id:
        place = routing.from_registry(code=address_id[:10])
    elif address.strip():
        place = routing.from_address(address[:300])
    else:
        raise DomainError("A location is required: lat and long, address_string or address_id")
    category = categories.category(code, province or place.province)
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    uploads = request.FILES.getlist("media")[:4]
    report, _created = do_file_report(
        Intake(
            channel=Channel.APP,
            category=category,
            place=place,
            description=data.get("description", ""),
            address=address,
            latitude=lat,
            longitude=lon,
            full_name=name,
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            device_id=data.get("device_id", ""),
            account_id=data.get("account_id", ""),
            is_public=data.get("attribute[public]", "").strip().lower() in ("yes", "true", "1"),
            api_app=app,
            client_key=data.get("attribute[client_key]", ""),
            dossier_code=data.get("attribute[dossier_code]", ""),
            media_url=data.get("media_url", ""),
            photos=[f.read(settings.FEEDBACK_PHOTO_MAX_BYTES + 1) for f in uploads],
        ),
        actor=SYSTEM,
    )
    body = [
        {
            "service_request_id": report.code,
            "token": report.token,
            "service_notice": f"Hạn trả lời: {report.due_at.astimezone(ZONE):%d/%m/%Y}",
            "account_id": report.account_id,
        }
    ]
    return respond(fmt, body, root="service_requests", item="request", status=201)


def _own_or_public(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    rows = serialize.request_rows(public_reports().filter(code=code.upper()[:20]))
    return [serialize.request(row, _base(request)) for row in rows]


@open311(("GET",))
def request_detail(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    body = _own_or_public(request, code)
    if not body:
        return error(fmt, 404, f"No service request {code[:20]}")
    return respond(fmt, body, root="service_requests", item="request")


@open311(("GET",))
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    report = Report.objects.filter(token=token[:40]).only("code", "token").first()
    if report is None:
        return error(fmt, 404, "No such token")
    body = [{"service_request_id": report.code, "token": report.token}]
    return respond(fmt, body, root="service_requests", item="request")


@open311(("GET",))
def updates(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """FixMyStreet's servicerequestupdates: public steps of public reports, oldest first."""
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    if start and end and start > end:
        raise DomainError("start_date is after end_date")
    found = ReportEvent.objects.filter(
        public=True, report__is_public=True, action__in=serialize.FMS_STATES
    ).select_related("report")
    found = found.filter(at__gte=start or timezone.now() - DEFAULT_WINDOW)
    if end is not None:
        found = found.filter(at__lte=end)
    body = [serialize.update(step) for step in found.order_by("at", "id")[:MAX_RESULTS]]
    return respond(fmt, body, root="service_request_updates", item="request_update")
