"""What Janus's HTTP event handler (``janus.eventhandler.sampleevh``) posts, read as MediaEvents.

The handler posts one event as a JSON object, or with ``grouping = true`` up to 100 of them
as an array. Every event has a numeric ``type`` (a mask bit: 1 session, 2 handle, 8 JSEP,
16 WebRTC, 32 media, 64 plugin, 128 transport, 256 core), a ``timestamp`` in microseconds of
wall-clock time, usually ``session_id`` and ``handle_id``, and an ``event`` body. haicap keeps:

- plugin events from the VideoRoom: ``joined`` (room, participant id, display, the join token),
  ``leaving`` and ``kicked`` (room, participant id), ``published`` and ``unpublished``;
- WebRTC state (subtype 6): the connection up (``webrtcup``) or down (``hangup``);
- media state (subtype 1: a track received or not), slow links (2), and statistics (3).

Media and WebRTC events name only the handle: ``connection`` carries it, and the ``joined``
event with the same handle says whose it is. Everything else is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeGuard

from haicap.core.errors import Invalid
from haicap.meetings.janus import MAX_ROOM, VIDEOROOM
from haicap.meetings.media import EventKind, MediaEvent, StatValue

WEBRTC, MEDIA, PLUGIN = 16, 32, 64
WEBRTC_STATE = 6
MEDIA_STATE, MEDIA_SLOWLINK, MEDIA_STATS = 1, 2, 3
MAX_EVENTS = 1000
MAX_TEXT = 255
# Timestamps outside these years are someone's mistake: the time of receipt stands instead.
EARLIEST, LATEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
# Janus's names for the statistics haicap keeps, and haicap's names for them.
STATS = {
    "rtt": "rtt_ms",
    "lost": "lost",
    "lost-by-remote": "lost_by_remote",
    "jitter-local": "jitter_local",
    "jitter-remote": "jitter_remote",
    "packets-received": "packets_received",
    "packets-sent": "packets_sent",
    "bytes-received": "bytes_received",
    "bytes-sent": "bytes_sent",
    "nacks-received": "nacks_received",
    "nacks-sent": "nacks_sent",
    "in-link-quality": "in_link_quality",
    "out-link-quality": "out_link_quality",
}


def parse_events(payload: Any, *, received_at: dt.datetime) -> list[MediaEvent]:
    """The MediaEvents in one callback body (already decoded from JSON)."""
    batch = payload if isinstance(payload, list) else [payload]
    if len(batch) > MAX_EVENTS:
        raise Invalid(f"A callback carries at most {MAX_EVENTS} events")
    events: list[MediaEvent] = []
    for entry in batch:
        if not isinstance(entry, dict) or not _is_int(entry.get("type")):
            raise Invalid("Every Janus event is a JSON object with a numeric type")
        events.extend(_read(entry, received_at))
    return events


def _read(entry: dict[str, Any], received_at: dt.datetime) -> list[MediaEvent]:
    kind, subtype, body = entry["type"], entry.get("subtype"), entry.get("event")
    at = _time(entry.get("timestamp"), received_at)
    connection = str(entry["handle_id"]) if _is_int(entry.get("handle_id")) else None
    if kind == MEDIA and subtype == MEDIA_STATS and connection is not None:
        # With combine_media_stats = true the event is a list, one entry per track.
        tracks = body if isinstance(body, list) else [body]
        return [
            MediaEvent(EventKind.BITRATE, at, connection=connection, stats=_track_stats(track))
            for track in tracks
            if isinstance(track, dict)
        ]
    if not isinstance(body, dict):
        return []
    if kind == PLUGIN and body.get("plugin") == VIDEOROOM and isinstance(body.get("data"), dict):
        event = _videoroom(body["data"], at, connection)
        return [event] if event else []
    if connection is None:
        return []
    if kind == WEBRTC and subtype == WEBRTC_STATE and isinstance(body.get("connection"), str):
        stats: dict[str, StatValue] = {"connection": _text(body["connection"]) or ""}
        if isinstance(body.get("reason"), str):
            stats["reason"] = _text(body["reason"]) or ""
        return [MediaEvent(EventKind.MEDIA, at, connection=connection, stats=stats)]
    if kind == MEDIA and subtype == MEDIA_STATE and isinstance(body.get("receiving"), bool):
        stats = {"media": _text(body.get("media")) or "", "receiving": body["receiving"]}
        return [MediaEvent(EventKind.MEDIA, at, connection=connection, stats=stats)]
    if kind == MEDIA and subtype == MEDIA_SLOWLINK:
        stats = {"media": _text(body.get("media")) or "", "slow_link": True}
        stats.update(_numbers(body, {"lost_lastsec": "lost_last_second"}))
        return [MediaEvent(EventKind.MEDIA, at, connection=connection, stats=stats)]
    return []


def _videoroom(data: dict[str, Any], at: dt.datetime, connection: str | None) -> MediaEvent | None:
    name, room, participant = data.get("event"), data.get("room"), data.get("id")
    if not (_is_int(room) and 0 < room <= MAX_ROOM and _is_int(participant)):
        return None  # room-wide events (created, destroyed) and string ids are not haicap's
    who = str(participant)
    if name == "joined":
        return MediaEvent(
            EventKind.JOIN,
            at,
            room=room,
            participant=who,
            display=_text(data.get("display")),
            token=_text(data.get("token")),
            connection=connection,
        )
    if name in ("leaving", "kicked"):
        return MediaEvent(EventKind.LEAVE, at, room=room, participant=who, stats={"reason": name})
    if name in ("published", "unpublished"):
        stats: dict[str, StatValue] = {"publishing": name == "published"}
        for stream in data.get("streams") or []:
            if isinstance(stream, dict) and stream.get("type") in ("audio", "video", "data"):
                stats[stream["type"]] = True
        return MediaEvent(
            EventKind.MEDIA, at, room=room, participant=who, connection=connection, stats=stats
        )
    return None


def _track_stats(track: dict[str, Any]) -> dict[str, StatValue]:
    stats: dict[str, StatValue] = {"media": _text(track.get("media")) or ""}
    stats.update(_numbers(track, STATS))
    # Janus counts the bytes of the last second; haicap speaks of bits per second.
    for direction in ("received", "sent"):
        lastsec = track.get(f"bytes-{direction}-lastsec")
        if _is_number(lastsec):
            stats[f"bitrate_{direction}"] = int(lastsec) * 8
    return stats


def _numbers(body: dict[str, Any], names: dict[str, str]) -> dict[str, StatValue]:
    return {ours: body[theirs] for theirs, ours in names.items() if _is_number(body.get(theirs))}


def _time(timestamp: Any, received_at: dt.datetime) -> dt.datetime:
    if _is_int(timestamp):
        try:
            at = dt.datetime.fromtimestamp(timestamp / 1_000_000, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return received_at
        if EARLIEST <= at < LATEST:
            return at
    return received_at


def _text(value: Any) -> str | None:
    """Text a browser chose (a display name, a token): without NUL bytes, and bounded."""
    if not isinstance(value, str):
        return None
    cleaned = value.replace("\x00", "").strip()[:MAX_TEXT]
    return cleaned or None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
