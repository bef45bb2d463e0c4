"""A meeting's rooms on the real Janus: created with the points' tokens and destroyed at the
end; a token of another meeting refused (by Janus and by the join page); Janus's callbacks
turning into attendance with join and leave times; callbacks without the secret refused."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.meetings import actions
from haicap.meetings.media import RoomNotFound
from haicap.meetings.models import Attendance, ConnectionPoint, Invitation, Meeting
from haicap.testing.janus import EventLog, JanusServer, RestPublisher, janus_events, janus_server

__all__ = ["janus_events", "janus_server"]

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("not in time")
        time.sleep(0.1)


def test_rooms_are_created_with_the_points_tokens_and_destroyed(
    engine_settings: JanusServer,
    make_meeting: Callable[..., Meeting],
    dave: User,
    ba_dinh: ConnectionPoint,
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    meeting = actions.do_open_test(meeting, actor=dave)
    meeting = actions.do_open_meeting(meeting, actor=dave)
    assert meeting.room
    assert meeting.test_room
    assert meeting.status == "open"
    with engine_settings.engine() as engine:
        assert engine.participants(meeting.room) == []
        token = Invitation.objects.get(meeting=meeting, point=ba_dinh).token
        publisher = RestPublisher(engine_settings)
        try:
            joined = publisher.join(meeting.room, token=token, display=ba_dinh.name)
            assert joined.get("videoroom") == "joined", joined
            assert [p.display for p in engine.participants(meeting.room)] == [ba_dinh.name]
        finally:
            publisher.close()
        room, test_room = meeting.room, meeting.test_room
        actions.do_close_meeting(meeting, actor=dave)
        for number in (room, test_room):
            with pytest.raises(RoomNotFound):
                engine.participants(number)
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    assert meeting.room is None


def test_a_token_of_another_meeting_is_refused(
    engine_settings: JanusServer,
    make_meeting: Callable[..., Meeting],
    dave: User,
    ba_dinh: ConnectionPoint,
    client: Client,
) -> None:
    first = actions.do_open_meeting(make_meeting(points=[ba_dinh]), actor=dave)
    second = actions.do_open_meeting(make_meeting(points=[ba_dinh], hours=72), actor=dave)
    other_token = Invitation.objects.get(meeting=second, point=ba_dinh).token
    publisher = RestPublisher(engine_settings)
    try:
        refused = publisher.join(first.room or 0, token=other_token, display=ba_dinh.name)
        assert refused.get("error_code") == 433, refused  # not in the room's allowed list
    finally:
        publisher.close()
    page = client.get(f"/staff/meetings/{first.pk}/join/?token={other_token}")
    assert page.status_code == 404
    assert "không hợp lệ" in page.content.decode() or "not valid" in page.content.decode()
    for meeting in (first, second):
        actions.do_close_meeting(meeting, actor=dave)


def test_callbacks_update_attendance_with_join_and_leave_times(
    engine_settings: JanusServer,
    janus_events: EventLog,
    make_meeting: Callable[..., Meeting],
    dave: User,
    ba_dinh: ConnectionPoint,
    hub: ConnectionPoint,
) -> None:
    meeting = actions.do_open_meeting(make_meeting(points=[ba_dinh]), actor=dave)
    invitation = Invitation.objects.get(meeting=meeting, point=ba_dinh)
    publisher = RestPublisher(engine_settings)
    try:
        assert (
            publisher.join(meeting.room or 0, token=invitation.token, display=ba_dinh.name)[
                "videoroom"
            ]
            == "joined"
        )
        wait_until(lambda: Invitation.objects.get(pk=invitation.pk).connected)
        stay = Attendance.objects.get(invitation=invitation)
        assert stay.left_at is None
        assert not stay.is_test
        assert stay.room == meeting.room
        assert not Invitation.objects.get(meeting=meeting, point=hub).connected
        publisher.leave()
        wait_until(lambda: Attendance.objects.get(pk=stay.pk).left_at is not None)
    finally:
        publisher.close()
    stay.refresh_from_db()
    invitation.refresh_from_db()
    assert stay.left_at
    assert stay.left_at >= stay.joined_at
    assert stay.leave_reason == "leaving"
    assert not invitation.connected
    actions.do_close_meeting(meeting, actor=dave)


def test_a_test_room_join_counts_as_a_test_not_attendance(
    engine_settings: JanusServer,
    janus_events: EventLog,
    make_meeting: Callable[..., Meeting],
    dave: User,
    ba_dinh: ConnectionPoint,
) -> None:
    meeting = actions.do_open_test(make_meeting(points=[ba_dinh]), actor=dave)
    invitation = Invitation.objects.get(meeting=meeting, point=ba_dinh)
    publisher = RestPublisher(engine_settings)
    try:
        publisher.join(meeting.test_room or 0, token=invitation.token, display=ba_dinh.name)
        wait_until(lambda: Attendance.objects.filter(invitation=invitation).exists())
    finally:
        publisher.close()
    assert Attendance.objects.get(invitation=invitation).is_test
    assert not Invitation.objects.get(pk=invitation.pk).connected
    actions.do_close_test(meeting, actor=dave)


def test_callbacks_without_the_secret_are_refused_and_change_nothing(
    make_meeting: Callable[..., Meeting],
    ba_dinh: ConnectionPoint,
    dave: User,
    settings: Any,
    client: Client,
) -> None:
    settings.JANUS_EVENT_SECRET = "the-shared-secret-1"
    meeting = make_meeting(points=[ba_dinh])
    Meeting.objects.filter(pk=meeting.pk).update(room=4242, status="open")
    invitation = Invitation.objects.get(meeting=meeting, point=ba_dinh)
    join = {
        "type": 64,
        "timestamp": int(time.time() * 1_000_000),
        "handle_id": 77,
        "event": {
            "plugin": "janus.plugin.videoroom",
            "data": {
                "event": "joined",
                "room": 4242,
                "id": 5,
                "display": "x",
                "token": invitation.token,
            },
        },
    }
    for auth in (None, "Basic " + base64.b64encode(b"janus:wrong").decode()):
        headers = {"Authorization": auth} if auth else {}
        answer = client.post(
            "/-/janus/events", json.dumps(join), content_type="application/json", headers=headers
        )
        assert answer.status_code == 401
    assert not Attendance.objects.exists()
    good = "Basic " + base64.b64encode(b"janus:the-shared-secret-1").decode()
    answer = client.post(
        "/-/janus/events",
        json.dumps(join),
        content_type="application/json",
        headers={"Authorization": good},
    )
    assert answer.status_code == 200
    assert Attendance.objects.get().invitation == invitation
    assert Invitation.objects.get(pk=invitation.pk).connected
