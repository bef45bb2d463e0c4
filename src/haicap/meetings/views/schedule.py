"""The schedule of meetings an officer sees (filters, search, export) and the new-meeting form."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.core.errors import DomainError
from haicap.core.pagination import page_number, paginate
from haicap.core.tables import FORMATS, table_response
from haicap.core.text import search_key
from haicap.meetings import actions
from haicap.meetings.access import is_organiser, organised_provinces, visible_meetings
from haicap.meetings.forms import MeetingForm
from haicap.meetings.models import ConnectionPoint, MeetingKind, MeetingStatus, PointKind
from haicap.meetings.views.common import officers

PAGE_SIZE = 25


@officers
def schedule(request: HttpRequest) -> HttpResponse:
    found = (
        visible_meetings(request.user).select_related("host").annotate(points=Count("invitations"))
    )
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    when = request.GET.get("when", "upcoming")
    now = timezone.now()
    if status in MeetingStatus.values:
        found = found.filter(status=status)
    if kind in MeetingKind.values:
        found = found.filter(kind=kind)
    if query:
        found = found.filter(Q(title__icontains=query) | Q(host__name__icontains=query))
    if when == "past":
        found = found.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        when = "upcoming"
        found = found.filter(ends_at__gte=now).order_by("starts_at", "id")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = [
            [
                m.title,
                m.get_kind_display(),
                m.host.name,
                m.starts_at.astimezone(ZONE).strftime("%d/%m/%Y %H:%M"),
                m.ends_at.astimezone(ZONE).strftime("%d/%m/%Y %H:%M"),
                m.get_status_display(),
                m.points,
            ]
            for m in found[:5000]
        ]
        header = [
            _("Title"),
            _("Kind"),
            _("Host point"),
            _("Starts"),
            _("Ends"),
            _("Status"),
            _("Points"),
        ]
        return table_response(fmt, "lich-hop", header, rows)
    context = {
        "page": paginate(found, page_number(request), PAGE_SIZE),
        "statuses": MeetingStatus.choices,
        "kinds": MeetingKind.choices,
        "status": status,
        "kind": kind,
        "query": query,
        "when": when,
        "organiser": is_organiser(request.user),
        "search_key": search_key(query),
    }
    return render(request, "meetings/schedule.html", context)


def _hosts(request: HttpRequest) -> list[ConnectionPoint]:
    provinces = organised_provinces(request.user)
    found = ConnectionPoint.objects.filter(is_active=True).select_related("unit")
    if provinces is None:
        # The national administrator: hubs first (3,000 communes would make a long list).
        found = found.filter(kind__in=[PointKind.PROVINCIAL_HUB, PointKind.HUB])
    else:
        found = found.filter(province_id__in=provinces)
    return list(found.order_by("kind", "name")[:2000])


@officers
def new_meeting(request: HttpRequest) -> HttpResponse:
    if not is_organiser(request.user):
        return render(
            request,
            "meetings/message.html",
            {"message": _("Only the province's organisers schedule meetings.")},
            status=403,
        )
    hosts = _hosts(request)
    form = MeetingForm(request.POST or None, hosts=hosts)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                ids = _point_ids(form.unit_codes()) if data["invite"] == "list" else []
                meeting, _created = actions.do_create_meeting(
                    actions.MeetingSpec(
                        kind=data["kind"],
                        title=data["title"],
                        host=data["host"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        invite=data["invite"],
                        points=ids,
                        chair=data["chair"],
                        secretary=data["secretary"],
                        agenda=[actions.AgendaSpec(t, p) for t, p in form.agenda_items()],
                    ),
                    actor=request.user,
                )
                return redirect("conferences:meeting", meeting_id=meeting.pk)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
    return render(request, "meetings/new.html", {"form": form}, status=status)


def _point_ids(codes: list[str]) -> list[int]:
    if not codes:
        raise actions_invalid(_("List the unit codes of the points to invite."))
    if len(codes) > 500:
        raise actions_invalid(_("At most 500 points."))
    found = dict(
        ConnectionPoint.objects.filter(
            unit__code__in=codes,
            is_active=True,
            kind__in=[PointKind.COMMUNE, PointKind.PROVINCIAL_HUB],
        ).values_list("unit__code", "pk")
    )
    missing = [code for code in codes if code not in found]
    if missing:
        raise actions_invalid(
            _("No active point for the unit codes %(codes)s.") % {"codes": ", ".join(missing[:10])}
        )
    return sorted(set(found.values()))


def actions_invalid(message: str) -> DomainError:
    from haicap.core.errors import Invalid

    return Invalid(message, field="points")
