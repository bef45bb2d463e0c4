"""/api/v1/meetings and /api/v1/connection-points, for officers with a bearer token."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal, TypedDict

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, P, PathEx, QueryEx, Router, Schema, Status

from haicap.core.api_errors import ErrorOut
from haicap.core.pagination import MAX_PAGE_SIZE, Page, paginate
from haicap.meetings import actions
from haicap.meetings.access import get_meeting_for, get_point_for, visible_meetings, visible_points
from haicap.meetings.models import AgendaItem, MeetingKind, MeetingStatus
from haicap.meetings.serializers import (
    board_rows,
    conclusion_json,
    invitation_json,
    meeting_json,
    point_json,
)
from haicap.staff.auth import TokenAuth
from haicap.units.queries import unit_by_code

router = Router(tags=["meetings"], auth=TokenAuth())
points = Router(tags=["meetings"], auth=TokenAuth())


ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 401, 403, 404, 409, 422, 502, 503), ErrorOut)
MeetingId = PathEx[int, P(ge=1, le=2**31 - 1)]
PageNo = QueryEx[int, P(ge=1, le=100_000)]
PageSize = QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)]


class AgendaIn(Schema):
    title: str = Field(..., max_length=300)
    presenter: str = Field("", max_length=100)
    minutes: int = Field(15, ge=1, le=600)
    documents: list[int] = Field([], max_length=20, description="ids of documents you see")


class MeetingIn(Schema):
    kind: Literal["conference", "training", "first_session", "party", "rehearsal"]
    title: str = Field(..., max_length=300)
    host: int = Field(..., ge=1, description="id of the host connection point")
    starts_at: dt.datetime
    ends_at: dt.datetime
    invite: Literal["province", "all", "list"] = "province"
    points: list[int] = Field([], max_length=500, description="point ids, with invite=list")
    chair: str = Field("", max_length=100)
    secretary: str = Field("", max_length=100)
    agenda: list[AgendaIn] = Field([], max_length=50)


class ConclusionIn(Schema):
    unit: str = Field(..., max_length=10, description="code of the unit in force")
    text: str = Field(..., max_length=2000)
    working_days: int = Field(..., ge=1, le=250)


class PointIn(Schema):
    room_name: str = Field("", max_length=200)
    has_camera: bool = False
    has_microphone: bool = False
    has_screen: bool = False
    has_speakers: bool = False
    uplink_mbps: Decimal | None = Field(None, ge=0, le=10_000)
    contact_name: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=20)
    contact_email: str = Field("", max_length=254)
    version: int | None = None


class PageJson(TypedDict):
    """A page of meetings or points. The routes answer free-form JSON (response=dict, and
    the serializers' dicts): a schema here would change the OpenAPI document."""

    count: int
    page: int
    pages: int
    items: list[dict[str, Any]]


def _page(found: Page[Any], page: int, size: int, items: list[dict[str, Any]]) -> PageJson:
    return {"count": found.count, "page": found.number, "pages": found.pages, "items": items}


def _with_agenda(found: Any) -> Any:
    return found.select_related("host", "province").prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.prefetch_related("documents"))
    )


@router.get("", response={200: dict[str, Any], **ERRORS}, summary="Meetings you see")
def list_meetings(
    request: HttpRequest,
    status: QueryEx[str | None, P(max_length=10)] = None,
    kind: QueryEx[str | None, P(max_length=16)] = None,
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> PageJson:
    found = visible_meetings(request.user).annotate(points=Count("invitations"))
    if status in MeetingStatus.values:
        found = found.filter(status=status)
    if kind in MeetingKind.values:
        found = found.filter(kind=kind)
    if starts_from:
        found = found.filter(starts_at__date__gte=starts_from)
    if starts_to:
        found = found.filter(starts_at__date__lte=starts_to)
    listed = paginate(_with_agenda(found).order_by("-starts_at", "-id"), page, page_size)
    items = [meeting_json(m, points=m.points) for m in listed.items]
    return _page(listed, page, page_size, items)


@router.post("", response={201: dict[str, Any], 200: dict[str, Any], **ERRORS})
def create_meeting(request: HttpRequest, body: MeetingIn) -> Any:
    """Schedule a meeting; the same one sent again answers 200 with the first one."""
    spec = actions.MeetingSpec(
        kind=body.kind,
        title=body.title,
        host=body.host,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        invite=body.invite,
        points=body.points,
        chair=body.chair,
        secretary=body.secretary,
        agenda=[
            actions.AgendaSpec(a.title, a.presenter, a.minutes, a.documents) for a in body.agenda
        ],
    )
    meeting, created = actions.do_create_meeting(spec, actor=request.user)
    fresh = _with_agenda(visible_meetings(request.user)).get(pk=meeting.pk)
    return Status(201 if created else 200, meeting_json(fresh, points=fresh.invitations.count()))


@router.get("/{meeting_id}", response={200: dict[str, Any], **ERRORS})
def get_meeting(request: HttpRequest, meeting_id: MeetingId) -> Any:
    meeting = get_meeting_for(request.user, meeting_id)
    fresh = _with_agenda(visible_meetings(request.user)).get(pk=meeting.pk)
    return meeting_json(fresh, points=fresh.invitations.count())


@router.get("/{meeting_id}/points", response={200: list[dict[str, Any]], **ERRORS})
def meeting_points(request: HttpRequest, meeting_id: MeetingId) -> Any:
    """Each invited point's state, connection test, roll-call, join and leave times."""
    meeting = get_meeting_for(request.user, meeting_id)
    now = timezone.now()
    return [invitation_json(invitation, now) for invitation in board_rows(meeting)]


@router.get("/{meeting_id}/conclusions", response={200: list[dict[str, Any]], **ERRORS})
def meeting_conclusions(request: HttpRequest, meeting_id: MeetingId) -> Any:
    meeting = get_meeting_for(request.user, meeting_id)
    now = timezone.now()
    return [conclusion_json(c, now) for c in meeting.conclusions.select_related("unit")]


@router.post("/{meeting_id}/conclusions", response={201: dict[str, Any], **ERRORS})
def add_conclusion(request: HttpRequest, meeting_id: MeetingId, body: ConclusionIn) -> Any:
    meeting = get_meeting_for(request.user, meeting_id)
    conclusion = actions.do_add_conclusion(
        meeting,
        unit=unit_by_code(body.unit),
        text=body.text,
        working_days=body.working_days,
        actor=request.user,
    )
    return Status(201, conclusion_json(conclusion, timezone.now()))


@points.get("", response={200: dict[str, Any], **ERRORS}, summary="Connection points you see")
def list_points(
    request: HttpRequest,
    province: QueryEx[str | None, P(max_length=10)] = None,
    kind: QueryEx[str | None, P(max_length=16)] = None,
    active: bool = True,
    page: PageNo = 1,
    page_size: PageSize = MAX_PAGE_SIZE,
) -> PageJson:
    found = visible_points(request.user).select_related("unit", "province").filter(is_active=active)
    if province:
        found = found.filter(province=unit_by_code(province))
    if kind:
        found = found.filter(kind=kind)
    listed = paginate(found.order_by("-kind", "unit__code", "pk"), page, page_size)
    return _page(listed, page, page_size, [point_json(p) for p in listed.items])


@points.get("/{point_id}", response={200: dict[str, Any], **ERRORS})
def get_point(request: HttpRequest, point_id: MeetingId) -> Any:
    return point_json(get_point_for(request.user, point_id))


@points.put("/{point_id}", response={200: dict[str, Any], **ERRORS})
def update_point(request: HttpRequest, point_id: MeetingId, body: PointIn) -> Any:
    """The point's room, equipment checklist and technical contact."""
    point = get_point_for(request.user, point_id)
    details = actions.PointDetails(**body.dict(exclude={"version"}))
    actions.do_update_point(point, details, actor=request.user, version=body.version)
    return point_json(get_point_for(request.user, point_id))
