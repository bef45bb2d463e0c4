"""The media engine haicap drives for online conferences, kept small enough for a second one.

haicap owns meetings, connection points and attendance; a WebRTC server (Janus today, see
``janus.py``) owns rooms and media. haicap asks it for four things: a room with a secret and
a list of join tokens (one per connection point), the room's end, a new token list, and who is
in the room now. The engine tells haicap what happens as ``MediaEvent`` values, sent through
the ``media_events`` signal by its callback receiver.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.dispatch import Signal

from haicap.core.errors import DomainError

StatValue = int | float | str | bool

# Sent with ``events=list[MediaEvent]`` for every authenticated callback from the engine.
# Receivers run inside the callback's request: keep them quick (store and return).
media_events = Signal()


class EventKind(enum.StrEnum):
    JOIN = "join"  # a participant entered a room (with the join token it used)
    LEAVE = "leave"  # a participant left, was kicked, or its session timed out
    MEDIA = "media"  # media state: publishing or not, a track received or not, link up or down
    BITRATE = "bitrate"  # periodic statistics of one track: bitrate, loss, round-trip time


@dataclass(frozen=True)
class MediaEvent:
    """One thing that happened in a room, as haicap keeps it whatever the engine."""

    kind: EventKind
    at: dt.datetime
    room: int | None = None
    participant: str | None = None
    display: str | None = None
    token: str | None = None
    # The engine's id of the participant's connection: media and bitrate events often carry
    # only this, and the join event that carried the same value says whose it is.
    connection: str | None = None
    stats: Mapping[str, StatValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Participant:
    id: str
    display: str | None
    publishing: bool


class MediaError(DomainError):
    """The media engine could not do what was asked; the message says what it answered."""

    status = 502
    code = "media_engine"


class RoomNotFound(MediaError):
    status = 404
    code = "media_room_not_found"


class RoomExists(MediaError):
    status = 409
    code = "media_room_exists"


class MediaUnavailable(MediaError):
    """The engine did not answer (down, unreachable, too slow)."""

    status = 503
    code = "media_unavailable"


class MediaEngine(Protocol):
    def create_room(
        self,
        room: int,
        *,
        secret: str,
        description: str,
        max_publishers: int,
        tokens: Sequence[str],
    ) -> None:
        """A room only holders of one of ``tokens`` may join; ``secret`` manages it."""

    def destroy_room(self, room: int, *, secret: str) -> None: ...

    def set_tokens(self, room: int, *, secret: str, tokens: Sequence[str]) -> None:
        """Replace the room's join tokens; participants already in stay."""

    def participants(self, room: int) -> list[Participant]: ...


@functools.cache
def media_engine() -> MediaEngine:
    """The engine configured in settings, one per process (it keeps a session open)."""
    from haicap.meetings.janus import JanusEngine

    return JanusEngine(
        settings.JANUS_URL,
        api_secret=settings.JANUS_API_SECRET,
        admin_key=settings.JANUS_ADMIN_KEY,
        timeout=settings.JANUS_TIMEOUT,
    )
