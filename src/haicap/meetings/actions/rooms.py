"""A meeting's rooms on the media engine: the connection-test room before it and the meeting's
own room, each created with the room's secret and the invited points' tokens, destroyed at the
end. Janus is asked first; the database then records what Janus holds."""

from __future__ import annotations

import contextlib
import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.errors import Conflict
from haicap.meetings.actions.common import bump, locked, need_organiser, need_status, record
from haicap.meetings.janus import MAX_ROOM
from haicap.meetings.media import MediaError, RoomExists, RoomNotFound, media_engine
from haicap.meetings.models import Attendance, Invitation, Meeting, MeetingStatus

logger = logging.getLogger(__name__)


def _tokens(meeting: Meeting) -> list[str]:
    return list(meeting.invitations.values_list("token", flat=True))


def _create(meeting: Meeting, description: str) -> int:
    """A new room on the engine for the meeting's points; its number."""
    engine = media_engine()
    tokens = _tokens(meeting)
    for _attempt in range(3):
        number = 1 + secrets.randbelow(MAX_ROOM - 1)
        try:
            engine.create_room(
                number,
                secret=meeting.room_secret,
                description=description[:200] or "haicap",
                max_publishers=max(len(tokens), 1),
                tokens=tokens,
            )
        except RoomExists:
            continue
        return number
    raise Conflict(_("The media server refused three new room numbers; try again."))


def _destroy(meeting: Meeting, room: int | None) -> None:
    if room is None:
        return
    # Gone already (Janus restarted) is what destroying it was for.
    with contextlib.suppress(RoomNotFound):
        media_engine().destroy_room(room, secret=meeting.room_secret)


def _description(meeting: Meeting, test: bool) -> str:
    text = " ".join(meeting.title.split())
    text = "".join(c for c in text if c.isprintable())
    return f"{_('Connection test')}: {text}" if test else text


def _open(meeting: Meeting, *, actor: Actor, test: bool) -> Meeting:
    need_organiser(actor, meeting)
    field = "test_room" if test else "room"
    with transaction.atomic():
        meeting = locked(meeting)
        need_status(
            meeting,
            MeetingStatus.SCHEDULED,
            *([] if test else [MeetingStatus.OPEN]),
            what=_("open a room"),
        )
        if getattr(meeting, field):
            return meeting  # open already: opening twice is harmless
        if not meeting.room_secret:
            meeting.room_secret = secrets.token_urlsafe(24)
        number = _create(meeting, _description(meeting, test))
        try:
            setattr(meeting, field, number)
            fields = [field, "room_secret"]
            if not test:
                meeting.status = MeetingStatus.OPEN
                fields.append("status")
            bump(meeting, fields)
            record("test_open" if test else "open", meeting, actor=actor, after={field: number})
        except Exception:
            _destroy(meeting, number)
            raise
    return meeting


def do_open_test(meeting: Meeting, *, actor: Actor) -> Meeting:
    """The connection-test room, where each point checks its camera, microphone and link."""
    return _open(meeting, actor=actor, test=True)


def do_open_meeting(meeting: Meeting, *, actor: Actor) -> Meeting:
    """The meeting's room: points join, the board goes live."""
    return _open(meeting, actor=actor, test=False)


def _end_stays(meeting: Meeting, room: int, reason: str) -> int:
    now = timezone.now()
    ended = Attendance.objects.filter(
        invitation__meeting=meeting, room=room, left_at__isnull=True
    ).update(left_at=now, leave_reason=reason)
    return ended


def do_close_test(meeting: Meeting, *, actor: Actor) -> Meeting:
    need_organiser(actor, meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.test_room is None:
            return meeting
        _destroy(meeting, meeting.test_room)
        _end_stays(meeting, meeting.test_room, "closed")
        room, meeting.test_room = meeting.test_room, None
        bump(meeting, ["test_room"])
        record("test_close", meeting, actor=actor, before={"test_room": room})
    return meeting


def do_close_meeting(meeting: Meeting, *, actor: Actor) -> Meeting:
    """The end: both rooms destroyed, every point still in marked as left now."""
    need_organiser(actor, meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        need_status(meeting, MeetingStatus.OPEN, what=_("be closed"))
        ended = 0
        for room in (meeting.room, meeting.test_room):
            if room is not None:
                _destroy(meeting, room)
                ended += _end_stays(meeting, room, "closed")
        Invitation.objects.filter(meeting=meeting).update(connected=False, audio=False, video=False)
        before = {"room": meeting.room, "test_room": meeting.test_room}
        meeting.room = meeting.test_room = None
        meeting.status = MeetingStatus.CLOSED
        bump(meeting, ["room", "test_room", "status"])
        record("close", meeting, actor=actor, before=before, after={"stays_ended": ended})
    return meeting


def push_tokens(meeting: Meeting) -> None:
    """Give the open rooms the invited points' tokens (after points are invited)."""
    tokens = _tokens(meeting)
    for room in (meeting.room, meeting.test_room):
        if room is not None:
            try:
                media_engine().set_tokens(room, secret=meeting.room_secret, tokens=tokens)
            except MediaError:
                logger.warning("Janus did not take the new tokens of meeting %s", meeting.pk)
                raise
