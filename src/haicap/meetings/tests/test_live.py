"""Around the meeting: the connection-test result a page posts (validated, bounded), the
roll-call by point with its delegates, requests to speak, the attendance export."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.meetings import actions
from haicap.meetings.models import ConnectionPoint, Invitation, Meeting, SpeakRequest

pytestmark = pytest.mark.django_db


def invitation(meeting: Meeting, point: ConnectionPoint) -> Invitation:
    return Invitation.objects.select_related("meeting", "point").get(meeting=meeting, point=point)


def post_result(client: Client, meeting: Meeting, body: Any) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(
        f"/staff/meetings/{meeting.pk}/join/test/", data, content_type="application/json"
    )


GOOD = {
    "rtt_ms": 42.0,
    "bitrate_kbps": 900,
    "loss_percent": 0.2,
    "camera": True,
    "microphone": True,
}


def test_a_connection_test_result_is_stored_and_bad_ones_change_nothing(
    make_meeting: Callable[..., Meeting],
    ba_dinh: ConnectionPoint,
    hub: ConnectionPoint,
    client: Client,
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    mine = invitation(meeting, ba_dinh)
    other = make_meeting(points=[ba_dinh], hours=96)
    for bad, status in (
        ({**GOOD, "token": mine.token, "rtt_ms": -1}, 422),
        ({**GOOD, "token": mine.token, "loss_percent": 101}, 422),
        ({**GOOD, "token": mine.token, "bitrate_kbps": "fast"}, 422),
        ({**GOOD, "token": mine.token, "camera": "yes"}, 422),
        ({**GOOD, "token": invitation(other, ba_dinh).token}, 404),  # another meeting's token
        ({**GOOD, "token": "x" * 40}, 404),
        (GOOD, 400),
        (b"not json", 400),
        (b"{" + b" " * 5000 + b"}", 413),
    ):
        answer = post_result(client, meeting, bad)
        assert answer.status_code == status, (bad, answer.content)
        assert "error" in answer.json()
    mine.refresh_from_db()
    assert mine.tested_at is None
    assert mine.readiness == "untested"

    answer = post_result(client, meeting, {**GOOD, "token": mine.token})
    assert answer.status_code == 200
    assert answer.json()["readiness"] == "ready"
    slow = post_result(
        client, meeting, {**GOOD, "token": invitation(meeting, hub).token, "rtt_ms": 900}
    )
    assert slow.json()["readiness"] == "not_ready"
    mine.refresh_from_db()
    assert (mine.test_rtt_ms, mine.test_camera, mine.readiness) == (42.0, True, "ready")


def test_roll_call_by_point_with_delegates(
    make_meeting: Callable[..., Meeting],
    alice: User,
    carol: User,
    dave: User,
    ba_dinh: ConnectionPoint,
    hub: ConnectionPoint,
    client: Client,
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    mine = invitation(meeting, ba_dinh)
    actions.do_roll_call(
        mine, present=True, delegates=2, names="Nguyễn Văn An\nTrần Thị Bích\n", actor=alice
    )
    mine.refresh_from_db()
    assert (mine.present, mine.delegates, mine.delegate_names) == (
        True,
        2,
        "Nguyễn Văn An\nTrần Thị Bích",
    )
    with pytest.raises(Forbidden):  # carol answers for Hoàn Kiếm, not Ba Đình
        actions.do_roll_call(mine, present=False, delegates=0, names="", actor=carol)
    with pytest.raises(Invalid):
        actions.do_roll_call(mine, present=True, delegates=0, names="", actor=alice)
    with pytest.raises(Invalid):
        actions.do_roll_call(mine, present=True, delegates=501, names="", actor=alice)
    mine.refresh_from_db()
    assert mine.delegates == 2

    # The organiser records the hub's roll-call on the board.
    client.force_login(dave)
    answer = client.post(
        f"/staff/meetings/{meeting.pk}/roll-call/",
        {"point": hub.pk, "present": "1", "delegates": "12", "names": "Chủ tịch UBND"},
    )
    assert answer.status_code == 302
    board = client.get(f"/staff/meetings/{meeting.pk}/board/rows/").content.decode()
    assert "2 điểm cầu có mặt, 14 đại biểu" in board
    refused = client.post(
        f"/staff/meetings/{meeting.pk}/roll-call/",
        {"point": hub.pk, "present": "1", "delegates": "x"},
    )
    assert refused.status_code == 422
    # The join page records it with the point's token.
    answer = client.post(
        f"/staff/meetings/{meeting.pk}/join/roll-call/",
        {"token": mine.token, "present": "0"},
    )
    assert answer.status_code == 200
    mine.refresh_from_db()
    assert mine.present is False
    assert mine.delegates == 0
    export = client.get(f"/staff/meetings/{meeting.pk}/attendance.csv").content.decode("utf-8-sig")
    assert "Chủ tịch UBND" in export
    assert export.splitlines()[0].startswith("Điểm cầu")


def test_requests_to_speak(
    make_meeting: Callable[..., Meeting],
    dave: User,
    alice: User,
    ba_dinh: ConnectionPoint,
    client: Client,
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    mine = invitation(meeting, ba_dinh)
    with pytest.raises(Conflict):  # not open yet
        actions.do_ask_to_speak(mine, speaker="Ông An", topic="", actor=alice)
    Meeting.objects.filter(pk=meeting.pk).update(status="open")
    mine = invitation(meeting, ba_dinh)
    first, created = actions.do_ask_to_speak(mine, speaker="Ông An", topic="Đất đai", actor=alice)
    again, created_again = actions.do_ask_to_speak(
        mine, speaker="Ông An", topic="Đất đai", actor=alice
    )
    assert created
    assert not created_again
    assert again.pk == first.pk
    answer = client.post(
        f"/staff/meetings/{meeting.pk}/join/speak/", {"token": mine.token, "speaker": "Ông An"}
    )
    assert answer.status_code == 200
    assert SpeakRequest.objects.count() == 1
    with pytest.raises(Forbidden):
        actions.do_handle_speak(first, "granted", actor=alice)
    actions.do_handle_speak(first, "granted", actor=dave)
    with pytest.raises(Conflict):
        actions.do_handle_speak(first, "granted", actor=dave)
    actions.do_handle_speak(first, "done", actor=dave)
    client.force_login(dave)
    assert client.post(f"/staff/meetings/{meeting.pk}/speak/{first.pk}/done/").status_code == 409
