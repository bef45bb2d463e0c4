"""The media engine against a real Janus (Debian's package, started on loopback for the run):
rooms, secrets, join tokens, the session's life, and the event callbacks reaching haicap."""

from __future__ import annotations

import contextlib
import itertools
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from haicap.core.errors import Invalid
from haicap.meetings.janus import JanusEngine
from haicap.meetings.media import (
    EventKind,
    MediaEngine,
    MediaError,
    MediaEvent,
    MediaUnavailable,
    RoomExists,
    RoomNotFound,
    media_engine,
)
from haicap.testing.janus import (
    EventLog,
    JanusServer,
    RestPublisher,
    free_port,
    janus_events,
    janus_server,
)

__all__ = ["janus_events", "janus_server"]

SECRET = "room-secret-for-tests"
_rooms = itertools.count(1_000)  # the run's own Janus: any numbers are free


def token() -> str:
    return secrets.token_urlsafe(24)


@pytest.fixture
def engine(janus_server: JanusServer) -> Iterator[JanusEngine]:
    with janus_server.engine() as engine:
        yield engine


@pytest.fixture
def room(engine: JanusEngine) -> Iterator[int]:
    """A fresh room number; its room, if a test made one, is destroyed afterwards."""
    number = next(_rooms)
    yield number
    with contextlib.suppress(RoomNotFound):
        engine.destroy_room(number, secret=SECRET)


def make_room(engine: MediaEngine, room: int, tokens: list[str]) -> None:
    engine.create_room(
        room, secret=SECRET, description="Hội nghị trực tuyến", max_publishers=6, tokens=tokens
    )


@pytest.fixture
def publisher(janus_server: JanusServer) -> Iterator[RestPublisher]:
    joining = RestPublisher(janus_server)
    yield joining
    joining.close()


def test_a_room_is_created_edited_and_destroyed(engine: JanusEngine, room: int) -> None:
    make_room(engine, room, [token()])
    assert engine.participants(room) == []
    with pytest.raises(RoomExists):
        make_room(engine, room, [token()])
    engine.edit_room(room, secret=SECRET, description="Hội nghị sơ kết", max_publishers=120)

    engine.destroy_room(room, secret=SECRET)
    with pytest.raises(RoomNotFound, match="No such room"):
        engine.participants(room)
    with pytest.raises(RoomNotFound):
        engine.destroy_room(room, secret=SECRET)


def test_the_room_secret_guards_the_room(engine: JanusEngine, room: int) -> None:
    make_room(engine, room, [token()])
    with pytest.raises(MediaError, match="secret") as refused:
        engine.destroy_room(room, secret="not-the-room-secret")
    assert refused.value.code == "media_refused"
    with pytest.raises(MediaError, match="secret"):
        engine.set_tokens(room, secret="not-the-room-secret", tokens=[token()])
    assert engine.participants(room) == []  # still there


def test_only_haicap_creates_rooms(janus_server: JanusServer, room: int) -> None:
    """Janus asks for the VideoRoom admin key: a client without it (a browser) makes none."""
    stranger = JanusEngine(janus_server.url, api_secret=janus_server.api_secret, admin_key="wrong")
    with stranger, pytest.raises(MediaError, match="admin key") as refused:
        make_room(stranger, room, [token()])
    assert refused.value.code == "media_refused"
    with janus_server.engine() as ours, pytest.raises(RoomNotFound):
        ours.participants(room)


def test_a_wrong_api_secret_or_an_absent_janus_is_a_clear_error(
    janus_server: JanusServer, room: int
) -> None:
    with pytest.raises(MediaError, match="HAICAP_JANUS_API_SECRET"):
        JanusEngine(janus_server.url, api_secret="wrong").participants(room)
    absent = JanusEngine(f"http://127.0.0.1:{free_port()}/janus", timeout=2)
    with pytest.raises(MediaUnavailable, match="cannot be reached") as unavailable:
        absent.participants(room)
    assert unavailable.value.status == 503


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("room", {"room": 0}),
        ("room", {"room": 2**53}),
        ("secret", {"secret": "short"}),
        ("description", {"description": "nul\x00byte"}),
        ("description", {"description": "x" * 201}),
        ("max_publishers", {"max_publishers": 0}),
        ("max_publishers", {"max_publishers": 501}),
        ("tokens", {"tokens": ["too-short"]}),
        ("tokens", {"tokens": ["spaces are not allowed in tokens"]}),
        ("tokens", {"tokens": "a-string-is-not-a-list-of-tokens"}),
    ],
)
def test_bad_room_settings_are_refused_before_janus_sees_them(
    engine: JanusEngine, room: int, field: str, changes: dict[str, Any]
) -> None:
    arguments: dict[str, Any] = {
        "room": room,
        "secret": SECRET,
        "description": "Hội nghị",
        "max_publishers": 6,
        "tokens": [token()],
    }
    arguments.update(changes)
    with pytest.raises(Invalid) as refused:
        engine.create_room(**arguments)
    assert refused.value.field == field
    with pytest.raises(RoomNotFound):
        engine.participants(room)


def test_only_a_token_in_the_rooms_list_joins(
    engine: JanusEngine, room: int, janus_server: JanusServer
) -> None:
    hai_phong, hai_duong, other_room = token(), token(), token()
    make_room(engine, room, [hai_phong, hai_duong])
    make_room(engine, room + 1, [other_room])
    try:
        for refused_token in (None, token(), other_room):
            joining = RestPublisher(janus_server)
            answer = joining.join(room, token=refused_token, display="Điểm cầu lạ")
            joining.close()
            assert answer.get("error_code") == 433, answer
            assert "allowed" in answer["error"]

        joining = RestPublisher(janus_server)
        answer = joining.join(room, token=hai_phong, display="Điểm cầu Hải Phòng")
        assert answer["videoroom"] == "joined", answer
        [inside] = engine.participants(room)
        assert (inside.id, inside.display, inside.publishing) == (
            str(answer["id"]),
            "Điểm cầu Hải Phòng",
            False,  # joined without media
        )
        joining.close()
    finally:
        engine.destroy_room(room + 1, secret=SECRET)


def test_replacing_the_tokens_lets_new_points_in_and_keeps_old_ones_out(
    engine: JanusEngine, room: int, janus_server: JanusServer
) -> None:
    staying, dropped, added = token(), token(), token()
    make_room(engine, room, [staying, dropped])
    inside = RestPublisher(janus_server)
    assert inside.join(room, token=dropped, display="Vào trước")["videoroom"] == "joined"

    engine.set_tokens(room, secret=SECRET, tokens=[staying, added])
    answers = {}
    for name, value in {"staying": staying, "dropped": dropped, "added": added}.items():
        joining = RestPublisher(janus_server)
        answers[name] = joining.join(room, token=value, display=name)
        joining.close()
    assert answers["staying"]["videoroom"] == "joined"
    assert answers["added"]["videoroom"] == "joined"
    assert answers["dropped"].get("error_code") == 433
    # Replacing the list does not put out who is already in.
    assert [p.display for p in engine.participants(room)] == ["Vào trước"]

    engine.set_tokens(room, secret=SECRET, tokens=[])
    late = RestPublisher(janus_server)
    assert late.join(room, token=staying, display="late").get("error_code") == 433
    late.close()
    inside.close()


def test_a_room_made_without_tokens_lets_nobody_in(
    engine: JanusEngine, room: int, publisher: RestPublisher
) -> None:
    make_room(engine, room, [])
    assert publisher.join(room, token=None, display="anyone").get("error_code") == 433


def test_the_engine_opens_a_new_session_when_janus_dropped_its_own(
    engine: JanusEngine, room: int, janus_server: JanusServer
) -> None:
    make_room(engine, room, [token()])
    stale = engine.session.id
    # Janus forgets a session idle past its session_timeout: destroy it behind the engine's back.
    requests.post(
        f"{janus_server.url}/{stale}",
        json={"janus": "destroy", "transaction": "t", "apisecret": janus_server.api_secret},
        timeout=5,
    ).raise_for_status()
    assert engine.participants(room) == []
    assert engine.session.id not in (None, stale)

    engine.keepalive()
    session = engine.session.id
    engine.close()
    assert engine.session.id is None
    answer = requests.post(
        f"{janus_server.url}/{session}",
        json={"janus": "keepalive", "transaction": "t", "apisecret": janus_server.api_secret},
        timeout=5,
    ).json()
    assert answer["error"]["code"] == 458  # closing destroyed it on Janus too


def joined(room: int, display: str) -> Callable[[MediaEvent], bool]:
    return lambda e: e.kind == EventKind.JOIN and e.room == room and e.display == display


def test_joins_and_leaves_reach_haicap_with_their_token(
    engine: JanusEngine, room: int, janus_server: JanusServer, janus_events: EventLog
) -> None:
    point, other = token(), token()
    make_room(engine, room, [point, other])
    first = RestPublisher(janus_server)
    answer = first.join(room, token=point, display="Phường Hồng Bàng")
    participant = str(answer["id"])

    [join] = janus_events.wait_for(joined(room, "Phường Hồng Bàng"))
    assert (join.participant, join.token) == (participant, point)
    assert join.connection is not None  # the handle that media events will name
    assert abs(time.time() - join.at.timestamp()) < 30  # Janus's wall-clock microseconds

    first.leave()
    [leave] = janus_events.wait_for(
        lambda e: e.kind == EventKind.LEAVE and e.participant == participant
    )
    assert (leave.room, leave.stats["reason"]) == (room, "leaving")
    first.close()

    # A participant whose session ends without leaving (a closed tab) is counted out too.
    second = RestPublisher(janus_server)
    gone = str(second.join(room, token=other, display="Xã Cát Hải")["id"])
    second.close()
    janus_events.wait_for(lambda e: e.kind == EventKind.LEAVE and e.participant == gone)


def test_callbacks_with_a_wrong_secret_reach_nothing(
    engine: JanusEngine,
    room: int,
    janus_server: JanusServer,
    janus_events: EventLog,
    live_server: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"{live_server.url}/-/janus/events"
    make_room(engine, room, [point := token()])
    # Janus posts from one queue, in order: once this join arrived, nothing older is pending.
    marker = RestPublisher(janus_server)
    marker.join(room, token=point, display="Mốc")
    janus_events.wait_for(joined(room, "Mốc"))

    janus_server.send_events_to(url, password="not-the-shared-secret")
    refused = RestPublisher(janus_server)
    refused.join(room, token=point, display="Gửi sai mật khẩu")
    # Its three events (session created, handle attached, joined) are refused one by one.
    deadline = time.monotonic() + 10
    while caplog.text.count("Janus callback refused") < 3:
        assert time.monotonic() < deadline, "Janus never posted with the wrong secret"
        time.sleep(0.05)

    janus_server.send_events_to(url)
    accepted = RestPublisher(janus_server)
    accepted.join(room, token=point, display="Gửi đúng mật khẩu")
    janus_events.wait_for(joined(room, "Gửi đúng mật khẩu"))
    assert janus_events.matching(joined(room, "Gửi sai mật khẩu")) == []
    for joining in (marker, refused, accepted):
        joining.close()


def test_grouped_callbacks_are_read_too(
    engine: JanusEngine,
    room: int,
    janus_server: JanusServer,
    janus_events: EventLog,
    live_server: Any,
) -> None:
    """With ``grouping = true`` Janus posts arrays of events; the receiver reads those."""
    url = f"{live_server.url}/-/janus/events"
    janus_server.send_events_to(url, grouping=True)
    try:
        tokens = [token() for _ in range(5)]
        make_room(engine, room, tokens)
        publishers = [RestPublisher(janus_server) for _ in tokens]
        for number, (joining, value) in enumerate(zip(publishers, tokens, strict=True)):
            joining.join(room, token=value, display=f"Điểm {number}")
        found: list[MediaEvent] = janus_events.wait_for(
            lambda e: e.kind == EventKind.JOIN and e.room == room, count=5
        )
        assert sorted(event.token or "" for event in found) == sorted(tokens)
        for joining in publishers:
            joining.close()
    finally:
        janus_server.send_events_to(url)


def test_the_configured_engine_is_janus_from_the_settings(
    janus_server: JanusServer, settings: Any, room: int
) -> None:
    settings.JANUS_URL = janus_server.url
    settings.JANUS_API_SECRET = janus_server.api_secret
    settings.JANUS_ADMIN_KEY = janus_server.admin_key
    media_engine.cache_clear()
    try:
        engine = media_engine()
        assert engine is media_engine()  # one per process: it keeps its session open
        make_room(engine, room, [token()])
        assert engine.participants(room) == []
        engine.destroy_room(room, secret=SECRET)
    finally:
        media_engine.cache_clear()
