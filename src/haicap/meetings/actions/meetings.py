"""Meetings: scheduling (no host holds two at once), invited points with one join token each,
the agenda with documents, invitations to each point's contact, rehearsals, cancelling."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor, person_id
from haicap.core.errors import Conflict, Forbidden, Invalid, NotFound
from haicap.documents.access import visible_documents
from haicap.documents.models import Document
from haicap.meetings import tasks
from haicap.meetings.access import can_run_province, visible_points
from haicap.meetings.actions.common import (
    bump,
    check_version,
    clean_text,
    locked,
    need_organiser,
    need_status,
    record,
)
from haicap.meetings.models import (
    AgendaItem,
    ConnectionPoint,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PointKind,
)

# A VideoRoom of Janus holds at most 500 publishers (janus.MAX_PUBLISHERS): every point publishes.
MAX_POINTS = 500
MAX_AGENDA = 50
MAX_DOCUMENTS = 20
MAX_LENGTH = dt.timedelta(hours=24)
EARLIEST = dt.timedelta(days=30)  # a meeting held already may be recorded up to a month late
LATEST = dt.timedelta(days=2 * 366)


@dataclass
class AgendaSpec:
    title: str
    presenter: str = ""
    minutes: int = 15
    documents: list[int] = field(default_factory=list)


@dataclass
class MeetingSpec:
    """What an organiser fills in (page form or API body)."""

    kind: str
    title: str
    host: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    # "province": the host province's points; "all": every active point; "list": ``points``.
    invite: str = "province"
    points: list[int] = field(default_factory=list)
    chair: str = ""
    secretary: str = ""
    agenda: list[AgendaSpec] = field(default_factory=list)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _check_schedule(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise Invalid(_("Give the times with their time zone."), field="starts_at")
    if ends_at <= starts_at:
        raise Invalid(_("The meeting ends after it starts."), field="ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise Invalid(_("A meeting lasts at most 24 hours."), field="ends_at")
    now = timezone.now()
    if not now - EARLIEST <= starts_at <= now + LATEST:
        raise Invalid(
            _("A meeting starts between 30 days ago and two years from now."), field="starts_at"
        )


def _host(actor: Actor, host_id: int) -> ConnectionPoint:
    host = visible_points(actor).select_related("unit").filter(pk=host_id, is_active=True).first()
    if host is None:
        raise Invalid(_("Choose an active connection point as the host."), field="host")
    if not can_run_province(actor, host.province_id):
        raise Forbidden(_("Only the province's organisers schedule its meetings."))
    return host


def _invited(actor: Actor, spec: MeetingSpec, host: ConnectionPoint) -> list[int]:
    points = ConnectionPoint.objects.filter(is_active=True)
    if spec.invite == "province":
        points = points.filter(province_id=host.province_id)
    elif spec.invite == "all":
        points = points.filter(kind__in=[PointKind.COMMUNE, PointKind.PROVINCIAL_HUB, "hub"])
    elif spec.invite == "list":
        if len(spec.points) > MAX_POINTS:
            raise Invalid(_("At most %(n)d points.") % {"n": MAX_POINTS}, field="points")
        wanted = set(spec.points)
        points = points.filter(pk__in=wanted)
        found = set(points.values_list("pk", flat=True))
        if wanted - found:
            raise Invalid(
                _("No active connection point %(ids)s.")
                % {"ids": ", ".join(str(i) for i in sorted(wanted - found)[:10])},
                field="points",
            )
    else:
        raise Invalid(_("Invite a province's points, all points, or a list."), field="invite")
    ids = set(points.values_list("pk", flat=True)) | {host.pk}
    if len(ids) > MAX_POINTS:
        raise Invalid(
            _("%(count)d points: one meeting joins at most %(n)d.")
            % {"count": len(ids), "n": MAX_POINTS},
            field="invite",
        )
    return sorted(ids)


def _agenda(actor: Actor, items: Sequence[AgendaSpec]) -> list[tuple[AgendaSpec, list[Document]]]:
    if len(items) > MAX_AGENDA:
        raise Invalid(_("At most %(n)d agenda items.") % {"n": MAX_AGENDA}, field="agenda")
    cleaned = []
    for item in items:
        if len(item.documents) > MAX_DOCUMENTS:
            raise Invalid(
                _("At most %(n)d documents per item.") % {"n": MAX_DOCUMENTS}, field="agenda"
            )
        documents = list(visible_documents(actor).filter(pk__in=item.documents))
        if len(documents) != len(set(item.documents)):
            raise Invalid(_("You see no such document to attach."), field="agenda")
        if not 1 <= item.minutes <= 600:
            raise Invalid(_("An item takes 1 to 600 minutes."), field="agenda")
        spec = AgendaSpec(
            title=clean_text(item.title, "agenda", limit=300, required=True),
            presenter=clean_text(item.presenter, "agenda", limit=100),
            minutes=item.minutes,
        )
        cleaned.append((spec, documents))
    return cleaned


def _overlapping(
    host: ConnectionPoint, starts_at: dt.datetime, ends_at: dt.datetime
) -> Meeting | None:
    return (
        Meeting.objects.filter(host=host, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .first()
    )


def do_create_meeting(spec: MeetingSpec, *, actor: Actor) -> tuple[Meeting, bool]:
    """A scheduled meeting with its invited points and agenda; (meeting, created).

    The same meeting sent again (same host, title and times) is the one made the first time.
    """
    if spec.kind not in MeetingKind.values:
        raise Invalid(_("Unknown kind of meeting."), field="kind")
    title = clean_text(spec.title, "title", limit=300, required=True)
    _check_schedule(spec.starts_at, spec.ends_at)
    host = _host(actor, spec.host)
    invited = _invited(actor, spec, host)
    agenda = _agenda(actor, spec.agenda)
    chair = clean_text(spec.chair, "chair", limit=100)
    secretary = clean_text(spec.secretary, "secretary", limit=100)
    with transaction.atomic():
        clash = _overlapping(host, spec.starts_at, spec.ends_at)
        if clash is not None:
            if clash.title == title and (clash.starts_at, clash.ends_at) == (
                spec.starts_at,
                spec.ends_at,
            ):
                return clash, False
            raise Conflict(
                _("%(host)s already hosts “%(title)s” at that time.")
                % {"host": host.name, "title": clash.title},
                code="overlap",
                field="starts_at",
            )
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    kind=spec.kind,
                    title=title,
                    host=host,
                    province_id=host.province_id,
                    starts_at=spec.starts_at,
                    ends_at=spec.ends_at,
                    chair=chair,
                    secretary=secretary,
                    created_by_id=person_id(actor),
                )
        except IntegrityError:  # another request scheduled the host in between
            raise Conflict(
                _("%(host)s already hosts a meeting at that time.") % {"host": host.name},
                code="overlap",
                field="starts_at",
            ) from None
        Invitation.objects.bulk_create(
            Invitation(meeting=meeting, point_id=point, token=new_token()) for point in invited
        )
        for position, (item, documents) in enumerate(agenda, start=1):
            made = AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                title=item.title,
                presenter=item.presenter,
                minutes=item.minutes,
            )
            made.documents.set(documents)
        record(
            "create",
            meeting,
            actor=actor,
            after={"title": title, "kind": spec.kind, "points": len(invited)},
        )
    return meeting, True


def do_add_agenda_item(
    meeting: Meeting, item: AgendaSpec, *, actor: Actor, version: int | None = None
) -> AgendaItem:
    need_organiser(actor, meeting)
    ((spec, documents),) = _agenda(actor, [item])
    with transaction.atomic():
        meeting = locked(meeting)
        check_version(meeting, version)
        if meeting.agenda.count() >= MAX_AGENDA:
            raise Invalid(_("At most %(n)d agenda items.") % {"n": MAX_AGENDA}, field="agenda")
        position = 1 + max(meeting.agenda.values_list("position", flat=True), default=0)
        made = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=spec.title,
            presenter=spec.presenter,
            minutes=spec.minutes,
        )
        made.documents.set(documents)
        bump(meeting, [])
        record("agenda_add", meeting, actor=actor, after={"item": spec.title})
    return made


def do_invite_points(meeting: Meeting, point_ids: Sequence[int], *, actor: Actor) -> int:
    """Invite more points; their tokens join the rooms already open. How many were added."""
    from haicap.meetings.actions.rooms import push_tokens

    need_organiser(actor, meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        need_status(meeting, MeetingStatus.SCHEDULED, MeetingStatus.OPEN, what=_("invite points"))
        existing = set(meeting.invitations.values_list("point_id", flat=True))
        wanted = set(point_ids) - existing
        found = set(
            ConnectionPoint.objects.filter(pk__in=wanted, is_active=True).values_list(
                "pk", flat=True
            )
        )
        if wanted - found:
            raise Invalid(_("Invite active connection points only."), field="points")
        if len(existing) + len(found) > MAX_POINTS:
            raise Invalid(_("One meeting joins at most %(n)d points.") % {"n": MAX_POINTS})
        Invitation.objects.bulk_create(
            Invitation(meeting=meeting, point_id=point, token=new_token()) for point in found
        )
        bump(meeting, [])
        record("invite", meeting, actor=actor, after={"added": len(found)})
        push_tokens(meeting)
    return len(found)


def do_send_invitations(meeting: Meeting, *, actor: Actor) -> int:
    """Notify each invited point's technical contact (a job each); how many were queued."""
    need_organiser(actor, meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        need_status(
            meeting, MeetingStatus.SCHEDULED, MeetingStatus.OPEN, what=_("send invitations")
        )
        pending = list(
            meeting.invitations.filter(notified_at__isnull=True).values_list("pk", flat=True)
        )
        now = timezone.now()
        Invitation.objects.filter(pk__in=pending).update(notified_at=now)
        for invitation in pending:
            tasks.notify_invitation.defer(invitation_id=invitation)
        record("invitations_sent", meeting, actor=actor, after={"notified": len(pending)})
    return len(pending)


def do_cancel_meeting(meeting: Meeting, *, actor: Actor, version: int | None = None) -> Meeting:
    need_organiser(actor, meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        check_version(meeting, version)
        need_status(meeting, MeetingStatus.SCHEDULED, what=_("be cancelled"))
        if meeting.room or meeting.test_room:
            raise Conflict(_("Close the connection test before cancelling."), code="rooms_open")
        meeting.status = MeetingStatus.CANCELLED
        bump(meeting, ["status"])
        record("cancel", meeting, actor=actor)
    return meeting


def do_create_rehearsal(
    meeting: Meeting, *, starts_at: dt.datetime, ends_at: dt.datetime, actor: Actor
) -> Meeting:
    """A rehearsal of the whole meeting: the same host, points and agenda, at its own time."""
    if meeting.rehearsal_of_id is not None:
        raise Invalid(_("A rehearsal is not rehearsed again."))
    points = list(meeting.invitations.values_list("point_id", flat=True))
    spec = MeetingSpec(
        kind=MeetingKind.REHEARSAL,
        title=f"{_('Rehearsal')}: {meeting.title}"[:300],
        host=meeting.host_id,
        starts_at=starts_at,
        ends_at=ends_at,
        invite="list",
        points=points,
        chair=meeting.chair,
        secretary=meeting.secretary,
        agenda=[
            AgendaSpec(
                a.title, a.presenter, a.minutes, list(a.documents.values_list("pk", flat=True))
            )
            for a in meeting.agenda.all()
        ],
    )
    with transaction.atomic():
        rehearsal, created = do_create_meeting(spec, actor=actor)
        if created:
            Meeting.objects.filter(pk=rehearsal.pk).update(rehearsal_of=meeting)
            rehearsal.rehearsal_of = meeting
    return rehearsal


def point_of(meeting: Meeting, point_id: int) -> Invitation:
    """The meeting's invitation of a point; a point not invited is refused (404)."""
    invitation = (
        meeting.invitations.select_related("point", "point__unit").filter(point_id=point_id).first()
    )
    if invitation is None:
        raise NotFound(_("That point is not invited to this meeting."), field="point")
    return invitation
