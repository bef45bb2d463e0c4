"""haicap's receiver of Janus callbacks, fed what a real Janus 1.1.2 (Debian 12) posted.

``janus_callbacks.json`` holds every body Janus's sample event handler posted (grouping off)
while one point joined and left over the REST API and a Chromium point joined, published
audio and video for five seconds (stats_period = 2) and closed its tab, and the room was
destroyed. ``janus_combined_stats.json`` holds statistics posted with combine_media_stats on.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from haicap.core.errors import Invalid
from haicap.meetings.events import MAX_BODY
from haicap.meetings.janus_events import parse_events
from haicap.meetings.media import EventKind, MediaEvent, media_events

HERE = Path(__file__).parent
RECORDED: list[dict[str, Any]] = json.loads((HERE / "janus_callbacks.json").read_text())
COMBINED: list[dict[str, Any]] = json.loads((HERE / "janus_combined_stats.json").read_text())
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
URL = "/-/janus/events"
SECRET = "shared-secret-for-tests"
TOKEN = "tok-aaaaaaaaaaaaaaaaaaaa"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def received(settings: Any) -> Iterator[list[MediaEvent]]:
    settings.JANUS_EVENT_SECRET = SECRET
    kept: list[MediaEvent] = []

    def keep(sender: Any, events: list[MediaEvent], **kwargs: Any) -> None:
        kept.extend(events)

    media_events.connect(keep, dispatch_uid="test_events")
    yield kept
    media_events.disconnect(dispatch_uid="test_events")


def post(client: Client, body: Any, *, auth: str | None = None, **headers: str) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    if auth is not None:
        headers["Authorization"] = auth
    return client.post(URL, data, content_type="application/json", headers=headers)


def test_what_janus_posted_reads_as_joins_media_bitrate_and_leaves() -> None:
    events = parse_events(RECORDED, received_at=NOW)
    assert Counter(event.kind for event in events) == {
        EventKind.JOIN: 2,
        EventKind.LEAVE: 1,
        EventKind.MEDIA: 7,  # published, webrtcup, audio and video received then not, hangup
        EventKind.BITRATE: 10,
    }
    rest, browser = (e for e in events if e.kind == EventKind.JOIN)
    assert (rest.room, rest.display, rest.token) == (5000, "Điểm REST", TOKEN)
    assert (browser.display, browser.token) == ("Điểm cầu Hải Phòng", TOKEN)
    [leave] = (e for e in events if e.kind == EventKind.LEAVE)
    assert (leave.room, leave.participant) == (5000, rest.participant)

    # The browser's media, tied to its join by the handle Janus names.
    media = [e.stats for e in events if e.kind == EventKind.MEDIA]
    assert {"publishing": True, "audio": True, "video": True} in media
    assert {"connection": "webrtcup"} in media
    assert {"connection": "hangup", "reason": "Close PC"} in media
    assert {"media": "video", "receiving": True} in media
    assert {"media": "video", "receiving": False} in media
    bitrates = [e for e in events if e.kind == EventKind.BITRATE]
    assert {e.connection for e in bitrates} == {browser.connection}
    video = [e.stats for e in bitrates if e.stats["media"] == "video"]
    assert max(int(s["bitrate_received"]) for s in video) > 100_000  # the fake camera, bit/s
    first_stats = next(
        body["event"] for body in RECORDED if body["type"] == 32 and body.get("subtype") == 3
    )
    assert bitrates[0].stats["bitrate_received"] == first_stats["bytes-received-lastsec"] * 8
    assert bitrates[0].stats["packets_received"] == first_stats["packets-received"]

    # Janus stamps events with wall-clock microseconds.
    assert rest.at == dt.datetime.fromtimestamp(RECORDED[5]["timestamp"] / 1e6, tz=dt.UTC)


def test_combined_statistics_give_one_bitrate_event_per_track() -> None:
    events = parse_events(COMBINED, received_at=NOW)
    assert [e.stats["media"] for e in events] == ["audio", "video", "audio", "video"]
    assert all(e.kind == EventKind.BITRATE for e in events)


def test_text_a_browser_chose_is_cleaned_and_bounded() -> None:
    joined = json.loads(json.dumps(RECORDED[5]))
    joined["event"]["data"]["display"] = "Điểm\x00cầu " + "x" * 400
    joined["timestamp"] = 253402300800 * 1_000_000  # year 10000
    [event] = parse_events(joined, received_at=NOW)
    assert event.display is not None
    assert "\x00" not in event.display
    assert len(event.display) == 255
    assert event.at == NOW  # an impossible time gives way to the time of receipt


@pytest.mark.parametrize(
    "payload",
    [
        "not an event",
        [{"event": {}}],
        [{"type": "64"}],
        [{"type": True}],
        [RECORDED[0]] * 1001,
    ],
)
def test_bodies_that_are_not_janus_events_are_refused(payload: Any) -> None:
    with pytest.raises(Invalid):
        parse_events(payload, received_at=NOW)


def test_events_haicap_does_not_keep_are_skipped() -> None:
    core = {"type": 256, "timestamp": 1, "event": {"status": "started"}}
    string_room = json.loads(json.dumps(RECORDED[5]))
    string_room["event"]["data"]["room"] = "5000"
    assert parse_events([core, string_room, RECORDED[0], RECORDED[1]], received_at=NOW) == []


@pytest.mark.django_db  # the attendance receiver reads the database
def test_the_receiver_passes_on_what_janus_posts(client: Client, received: list[Any]) -> None:
    for body in RECORDED:
        answer = post(client, body, auth=basic("janus", SECRET))
        assert answer.status_code == 200
    assert len(received) == 20
    answer = post(client, RECORDED, auth=basic("janus", SECRET))  # grouped
    assert answer.json() == {"received": 44, "kept": 20}
    assert len(received) == 40


@pytest.mark.django_db
def test_the_receiver_takes_gzip_as_janus_sends_it(client: Client, received: list[Any]) -> None:
    body = gzip.compress(json.dumps(RECORDED).encode())
    answer = post(client, body, auth=basic("janus", SECRET), Content_Encoding="gzip")
    assert answer.json()["kept"] == 20


@pytest.mark.parametrize(
    "auth",
    [
        None,
        basic("janus", "wrong-secret"),
        basic("someone", SECRET),
        basic("janus", SECRET + "x"),
        "Bearer " + SECRET,
        "Basic not-base64!",
    ],
)
def test_callbacks_without_the_shared_secret_are_refused(
    client: Client, received: list[Any], auth: str | None
) -> None:
    answer = post(client, RECORDED, auth=auth)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Basic")
    assert answer.json()["error"]["code"] == "unauthorized"
    assert received == []


def test_no_callback_is_taken_while_no_secret_is_set(
    client: Client, received: list[Any], settings: Any
) -> None:
    settings.JANUS_EVENT_SECRET = None
    answer = post(client, RECORDED, auth=basic("janus", ""))
    assert answer.status_code == 403
    assert received == []


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {}, 400),
        (b"\xff\xfe", {}, 400),
        ([{"type": "x"}], {}, 400),
        (b"x" * (MAX_BODY + 1), {}, 413),
        (gzip.compress(b"[" + b" " * (MAX_BODY + 10) + b"]"), {"Content_Encoding": "gzip"}, 413),
        (b"not gzip at all", {"Content_Encoding": "gzip"}, 400),
    ],
)
def test_bad_bodies_get_a_clear_error_and_reach_nothing(
    client: Client, received: list[Any], body: Any, headers: dict[str, str], status: int
) -> None:
    answer = post(client, body, auth=basic("janus", SECRET), **headers)
    assert answer.status_code == status
    assert answer.json()["error"]["message"]
    assert received == []


def test_only_posts_are_taken(client: Client, received: list[Any]) -> None:
    answer = client.get(URL, headers={"Authorization": basic("janus", SECRET)})
    assert answer.status_code == 405
