"""The registry of connection points (filters, search, export) and a point's own page, where
its officers keep the room, equipment checklist and technical contact up to date."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError
from haicap.core.pagination import page_number, paginate
from haicap.core.tables import FORMATS, table_response
from haicap.meetings import actions
from haicap.meetings.access import get_point_for, speaks_for, visible_points
from haicap.meetings.forms import PointForm
from haicap.meetings.models import PointKind
from haicap.meetings.views.common import officers
from haicap.units.models import AdminUnit, Tier

PAGE_SIZE = 50


@officers
def point_list(request: HttpRequest) -> HttpResponse:
    found = visible_points(request.user).select_related("unit", "province")
    province = request.GET.get("province", "").strip()[:10]
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    retired = request.GET.get("retired") == "1"
    found = found.filter(is_active=not retired)
    if province:
        found = found.filter(province__code=province)
    if kind in PointKind.values:
        found = found.filter(kind=kind)
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(unit__code=query) | Q(contact_name__icontains=query)
        )
    found = found.order_by("province__code", "-kind", "unit__code", "pk")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        header = [
            _("Point"),
            _("Unit code"),
            _("Province"),
            _("Room"),
            _("Camera"),
            _("Microphone"),
            _("Screen"),
            _("Speakers"),
            _("Uplink (Mbit/s)"),
            _("Technical contact"),
        ]
        rows = [
            [
                p.name,
                p.unit.code,
                p.province.code,
                p.room_name,
                p.has_camera,
                p.has_microphone,
                p.has_screen,
                p.has_speakers,
                float(p.uplink_mbps) if p.uplink_mbps else "",
                p.contact_name,
            ]
            for p in found[:10_000]
        ]
        return table_response(fmt, "diem-cau", header, rows)
    provinces = AdminUnit.objects.filter(
        tier=Tier.PROVINCE, pk__in=visible_points(request.user).values("province_id")
    ).order_by("code")
    context = {
        "page": paginate(found, page_number(request), PAGE_SIZE),
        "province": province,
        "provinces": list(provinces),
        "kinds": PointKind.choices,
        "kind": kind,
        "query": query,
        "retired": retired,
    }
    return render(request, "meetings/points.html", context)


@officers
def point_page(request: HttpRequest, point_id: int) -> HttpResponse:
    try:
        point = get_point_for(request.user, point_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    editable = speaks_for(request.user, point) and point.is_active
    initial = {name: getattr(point, name) for name in PointForm.base_fields if name != "version"}
    form = PointForm(request.POST or None, initial={**initial, "version": point.version})
    status = 200
    if request.method == "POST":
        status = 422
        if not editable:
            form.add_error(
                None, _("Only the officers of %(point)s may edit it.") % {"point": point.name}
            )
            status = 403
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                actions.do_update_point(
                    point,
                    actions.PointDetails(**data),
                    actor=request.user,
                    version=form.cleaned_data["version"],
                )
                messages.success(request, _("The point is up to date."))
                return redirect("conferences:point", point_id=point.pk)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
    upcoming = (
        point.invitations.select_related("meeting")
        .exclude(meeting__status__in=["closed", "cancelled"])
        .order_by("meeting__starts_at")[:20]
    )
    context = {"point": point, "form": form, "editable": editable, "upcoming": list(upcoming)}
    return render(request, "meetings/point.html", context, status=status)
