"""Attendance from the media engine's events: who joined which room when, with what media and
bitrate, and when they left. Connected to ``media.media_events``; each callback is one
transaction of a few set-based statements, so the board is current once Janus's POST returns.

A join names its room and the token it used: the token says which invitation (point) it is,
and a token of another meeting's room is ignored (Janus refuses such a join anyway). Media and
statistics events name only Janus's handle (``connection``), which the join stored.
Statistics are telemetry, not decisions: joins and leaves are audited, statistics are not.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection, transaction

from haicap.core import audit
from haicap.core.actors import SYSTEM
from haicap.meetings.media import EventKind, MediaEvent, media_events
from haicap.meetings.models import Attendance, Invitation

logger = logging.getLogger(__name__)

JOIN = """
SELECT i.id, m.id, m.province_id, (m.test_room = %(room)s)
FROM meetings_invitation i JOIN meetings_meeting m ON m.id = i.meeting_id
WHERE i.token = %(token)s AND (m.room = %(room)s OR m.test_room = %(room)s)
"""

LEAVE = """
WITH ended AS (
    UPDATE meetings_attendance SET left_at = %(at)s, leave_reason = %(reason)s
    WHERE room = %(room)s AND participant = %(participant)s AND left_at IS NULL
    RETURNING id, invitation_id, is_test
)
UPDATE meetings_invitation i SET connected = false, audio = false, video = false
FROM ended
WHERE i.id = ended.invitation_id AND NOT ended.is_test
  AND NOT EXISTS (
      SELECT 1 FROM meetings_attendance a
      -- The statement sees the stays as they were before it: leave out those it ended.
      WHERE a.invitation_id = i.id AND a.left_at IS NULL AND NOT a.is_test
        AND a.id NOT IN (SELECT id FROM ended)
  )
RETURNING i.id, i.meeting_id
"""

# A track's statistics: its bitrate and the point's live state, in one statement.
STATS = """
WITH seen AS (
    UPDATE meetings_attendance SET
        last_seen = greatest(last_seen, %(at)s),
        audio_kbps = CASE WHEN %(media)s = 'audio' THEN %(kbps)s ELSE audio_kbps END,
        video_kbps = CASE WHEN %(media)s = 'video' THEN %(kbps)s ELSE video_kbps END,
        audio = CASE WHEN %(media)s = 'audio' THEN %(kbps)s > 0 ELSE audio END,
        video = CASE WHEN %(media)s = 'video' THEN %(kbps)s > 0 ELSE video END,
        rtt_ms = coalesce(%(rtt)s, rtt_ms),
        lost = coalesce(%(lost)s, lost)
    WHERE connection = %(connection)s AND left_at IS NULL
    RETURNING invitation_id, is_test, audio, video, audio_kbps, video_kbps, last_seen
)
UPDATE meetings_invitation i SET
    last_seen = seen.last_seen, audio = seen.audio, video = seen.video,
    bitrate_kbps = coalesce(seen.audio_kbps, 0) + coalesce(seen.video_kbps, 0)
FROM seen WHERE i.id = seen.invitation_id AND NOT seen.is_test
"""

# Media switched on or off: publishing (by participant) or a track received (by handle).
MEDIA = """
WITH seen AS (
    UPDATE meetings_attendance SET
        last_seen = greatest(last_seen, %(at)s),
        audio = coalesce(%(audio)s, audio),
        video = coalesce(%(video)s, video)
    WHERE left_at IS NULL AND (
        (%(connection)s::text IS NOT NULL AND connection = %(connection)s)
        OR (%(room)s::bigint IS NOT NULL AND room = %(room)s AND participant = %(participant)s)
    )
    RETURNING invitation_id, is_test, audio, video, last_seen
)
UPDATE meetings_invitation i SET last_seen = seen.last_seen, audio = seen.audio,
    video = seen.video
FROM seen WHERE i.id = seen.invitation_id AND NOT seen.is_test
"""


def _join(event: MediaEvent) -> None:
    if not (event.token and event.room and event.participant):
        return
    with connection.cursor() as cursor:
        cursor.execute(JOIN, {"token": event.token, "room": event.room})
        row = cursor.fetchone()
    if row is None:
        # Janus admitted a token haicap does not know for this room: say so, without the token.
        logger.warning("Janus join in room %s with a token of no invitation there", event.room)
        return
    invitation_id, meeting_id, province_id, is_test = row
    stay = Attendance.objects.create(
        invitation_id=invitation_id,
        is_test=bool(is_test),
        room=event.room,
        participant=event.participant[:32],
        connection=(event.connection or "")[:32],
        joined_at=event.at,
        last_seen=event.at,
    )
    if not is_test:
        Invitation.objects.filter(pk=invitation_id).update(connected=True, last_seen=event.at)
    audit.record(
        "meetings.join",
        actor=SYSTEM,
        subject_type="meeting",
        subject_id=meeting_id,
        unit_id=province_id,
        after={"invitation": invitation_id, "attendance": stay.pk, "test": bool(is_test)},
    )


def _leave(event: MediaEvent) -> None:
    reason = str(event.stats.get("reason", "leaving"))[:20]
    with connection.cursor() as cursor:
        cursor.execute(
            LEAVE,
            {
                "at": event.at,
                "reason": reason,
                "room": event.room,
                "participant": event.participant,
            },
        )
        rows = cursor.fetchall()
    for invitation_id, meeting_id in rows:
        audit.record(
            "meetings.leave",
            actor=SYSTEM,
            subject_type="meeting",
            subject_id=meeting_id,
            after={"invitation": invitation_id, "reason": reason},
        )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _stats(event: MediaEvent) -> None:
    media = event.stats.get("media")
    received = _number(event.stats.get("bitrate_received"))
    if media not in ("audio", "video") or received is None or not event.connection:
        return
    lost = _number(event.stats.get("lost"))
    with connection.cursor() as cursor:
        cursor.execute(
            STATS,
            {
                "at": event.at,
                "media": media,
                "kbps": received / 1000,
                "rtt": _number(event.stats.get("rtt_ms")),
                "lost": int(lost) if lost is not None and 0 <= lost < 2**31 else None,
                "connection": event.connection,
            },
        )


def _media(event: MediaEvent) -> None:
    stats = event.stats
    audio = video = None
    if "publishing" in stats:
        publishing = bool(stats["publishing"])
        audio = publishing and bool(stats.get("audio"))
        video = publishing and bool(stats.get("video"))
    elif stats.get("media") in ("audio", "video") and isinstance(stats.get("receiving"), bool):
        if stats["media"] == "audio":
            audio = bool(stats["receiving"])
        else:
            video = bool(stats["receiving"])
    elif stats.get("connection") == "hangup":
        audio = video = False
    else:
        return
    by_participant = event.room is not None and event.participant is not None
    with connection.cursor() as cursor:
        cursor.execute(
            MEDIA,
            {
                "at": event.at,
                "audio": audio,
                "video": video,
                "connection": None if by_participant else event.connection,
                "room": event.room if by_participant else None,
                "participant": event.participant,
            },
        )


HANDLERS = {
    EventKind.JOIN: _join,
    EventKind.LEAVE: _leave,
    EventKind.BITRATE: _stats,
    EventKind.MEDIA: _media,
}


def record_events(events: list[MediaEvent]) -> None:
    """Apply one callback's events in order, in one transaction."""
    with transaction.atomic():
        if not any(event.kind in (EventKind.JOIN, EventKind.LEAVE) for event in events):
            # Telemetry only: the commit need not wait for the disk. A crash loses at most the
            # last moments of statistics, which the next period's replace; joins and leaves,
            # the attendance record itself, still commit durably.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for event in events:
            HANDLERS[event.kind](event)


def _receive(sender: Any, events: list[MediaEvent], **kwargs: Any) -> None:
    record_events(events)


media_events.connect(_receive, dispatch_uid="meetings.attendance")
