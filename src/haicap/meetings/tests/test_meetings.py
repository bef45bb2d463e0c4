"""Scheduling meetings: invited points with one token each, the schedule's bounds, a host that
holds one meeting at a time, retries that make no duplicates, and who sees which meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.core.actors import SYSTEM
from haicap.core.errors import Conflict, DomainError, Invalid, NotFound
from haicap.core.models import AuditEvent
from haicap.meetings import actions
from haicap.meetings.access import get_meeting_for, visible_meetings
from haicap.meetings.models import ConnectionPoint, Invitation, Meeting
from haicap.meetings.tests.conftest import soon
from haicap.staff.actions import do_create_api_token

pytestmark = pytest.mark.django_db


def bearer(user: User) -> Client:
    _token, key = do_create_api_token(user.get_username(), name="test", actor=SYSTEM)
    return Client(headers={"Authorization": f"Bearer {key}"})


def spec(host: ConnectionPoint, **changes: Any) -> actions.MeetingSpec:
    values: dict[str, Any] = {
        "kind": "conference",
        "title": "Hội nghị triển khai mô hình chính quyền hai cấp",
        "host": host.pk,
        "starts_at": soon(24),
        "ends_at": soon(26),
        "invite": "province",
    }
    values.update(changes)
    return actions.MeetingSpec(**values)


def test_a_province_meeting_invites_every_point_of_the_province_with_its_own_token(
    dave: User, hub: ConnectionPoint
) -> None:
    meeting, created = actions.do_create_meeting(
        spec(
            hub,
            agenda=[
                actions.AgendaSpec("Khai mạc", "Chủ tịch UBND"),
                actions.AgendaSpec("Thảo luận"),
            ],
        ),
        actor=dave,
    )
    assert created
    points = ConnectionPoint.objects.filter(province=hub.province, is_active=True).count()
    assert meeting.invitations.count() == points == 127  # Hà Nội's hub and its 126 communes
    tokens = list(meeting.invitations.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens)
    assert all(len(t) >= 16 for t in tokens)
    assert [a.title for a in meeting.agenda.all()] == ["Khai mạc", "Thảo luận"]
    assert AuditEvent.objects.filter(verb="meetings.create", subject_id=str(meeting.pk)).exists()


def test_the_same_meeting_sent_twice_is_one_meeting(dave: User, hub: ConnectionPoint) -> None:
    same = spec(hub)
    first, created = actions.do_create_meeting(same, actor=dave)
    again, created_again = actions.do_create_meeting(same, actor=dave)
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": soon(23)}, "ends_at"),  # ends before it starts
        ({"ends_at": soon(24)}, "ends_at"),  # ends as it starts
        ({"ends_at": soon(24 + 25)}, "ends_at"),  # longer than a day
        ({"starts_at": soon(-24 * 40), "ends_at": soon(-24 * 40 + 2)}, "starts_at"),
        ({"starts_at": soon(24 * 800), "ends_at": soon(24 * 800 + 2)}, "starts_at"),
        ({"title": "  "}, "title"),
        ({"title": "Hội\x00nghị"}, "title"),
        ({"kind": "party_time"}, "kind"),
        ({"invite": "list", "points": [999_999_999]}, "points"),
        ({"invite": "somewhere"}, "invite"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_is_written(
    dave: User, hub: ConnectionPoint, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        actions.do_create_meeting(spec(hub, **changes), actor=dave)
    assert refused.value.field == field
    assert Meeting.objects.count() == Invitation.objects.count() == 0


def test_a_host_holds_one_meeting_at_a_time(dave: User, hub: ConnectionPoint) -> None:
    actions.do_create_meeting(spec(hub), actor=dave)
    with pytest.raises(Conflict) as clash:
        actions.do_create_meeting(
            spec(hub, title="Một cuộc họp khác", starts_at=soon(25), ends_at=soon(27)), actor=dave
        )
    assert clash.value.code == "overlap"
    assert Meeting.objects.count() == 1
    # Back to back is fine.
    actions.do_create_meeting(
        spec(hub, title="Họp tiếp", starts_at=soon(26), ends_at=soon(27)), actor=dave
    )


def test_only_the_provinces_organisers_schedule(
    alice: User, erin: User, hub: ConnectionPoint
) -> None:
    for officer in (alice, erin):
        with pytest.raises(DomainError) as refused:
            actions.do_create_meeting(spec(hub), actor=officer)
        assert refused.value.status in (403, 422)
    assert Meeting.objects.count() == 0


def test_who_sees_a_meeting_of_ba_dinh_and_the_hub(
    make_meeting: Callable[..., Meeting],
    dave: User,
    alice: User,
    carol: User,
    erin: User,
    citizen: User,
    national_admin: User,
    ba_dinh: ConnectionPoint,
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    # Must see: the organiser, Ba Đình's officers (their point is invited), the national admin.
    for user in (dave, alice, national_admin):
        assert get_meeting_for(user, meeting.pk) == meeting
    # Must not: Hoàn Kiếm (not invited), Quảng Ninh, a citizen, the public.
    for user in (carol, erin, citizen):
        assert not visible_meetings(user).exists()
        with pytest.raises(NotFound):
            get_meeting_for(user, meeting.pk)


def test_a_point_not_invited_is_refused(
    make_meeting: Callable[..., Meeting], ba_dinh: ConnectionPoint, hoan_kiem: ConnectionPoint
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    assert actions.point_of(meeting, ba_dinh.pk).point == ba_dinh
    with pytest.raises(NotFound):
        actions.point_of(meeting, hoan_kiem.pk)


def test_api_create_list_get_points(
    dave: User, alice: User, carol: User, hub: ConnectionPoint, ba_dinh: ConnectionPoint
) -> None:
    client = bearer(dave)
    body = {
        "kind": "training",
        "title": "Tập huấn phần mềm một cửa",
        "host": hub.pk,
        "starts_at": soon(48).isoformat(),
        "ends_at": soon(50).isoformat(),
        "invite": "list",
        "points": [ba_dinh.pk],
        "agenda": [{"title": "Hướng dẫn tiếp nhận hồ sơ", "minutes": 45}],
    }
    made = client.post("/api/v1/meetings", body, content_type="application/json")
    assert made.status_code == 201, made.content
    meeting = made.json()
    assert meeting["points"] == 2
    assert meeting["agenda"][0]["minutes"] == 45
    again = client.post("/api/v1/meetings", body, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == meeting["id"]
    overlapping = client.post(
        "/api/v1/meetings", {**body, "title": "Khác"}, content_type="application/json"
    )
    assert overlapping.status_code == 409
    assert overlapping.json()["error"]["code"] == "overlap"
    backwards = client.post(
        "/api/v1/meetings",
        {**body, "ends_at": soon(47).isoformat()},
        content_type="application/json",
    )
    assert backwards.status_code == 422
    assert Meeting.objects.count() == 1

    listed = bearer(alice).get("/api/v1/meetings").json()
    assert [m["id"] for m in listed["items"]] == [meeting["id"]]
    assert bearer(carol).get("/api/v1/meetings").json()["count"] == 0
    assert bearer(carol).get(f"/api/v1/meetings/{meeting['id']}").status_code == 404
    points = client.get(f"/api/v1/meetings/{meeting['id']}/points").json()
    assert {p["point"]["id"] for p in points} == {hub.pk, ba_dinh.pk}
    assert all(
        p["connection_test"]["readiness"] == "untested" and p["state"] == "absent" for p in points
    )
    assert client.get(f"/api/v1/meetings/{meeting['id']}/conclusions").json() == []


def test_schedule_and_meeting_pages(
    make_meeting: Callable[..., Meeting],
    dave: User,
    alice: User,
    carol: User,
    client: Client,
    ba_dinh: ConnectionPoint,
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    client.force_login(alice)
    schedule = client.get("/staff/meetings/")
    assert schedule.status_code == 200
    assert meeting.title in schedule.content.decode()
    page = client.get(f"/staff/meetings/{meeting.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Điểm cầu Phường Ba Đình" in text
    assert "token=" in text
    assert client.get(f"/staff/meetings/{meeting.pk}/board/").status_code == 200
    assert client.get(f"/staff/meetings/{meeting.pk}/attendance.xlsx").status_code == 200
    assert client.get("/staff/meetings/new/").status_code == 403
    client.force_login(carol)
    assert client.get(f"/staff/meetings/{meeting.pk}/").status_code == 404
    client.force_login(dave)
    form = client.get("/staff/meetings/new/")
    assert form.status_code == 200
    refused = client.post(
        "/staff/meetings/new/",
        {
            "kind": "conference",
            "title": "Chồng giờ",
            "host": meeting.host_id,
            "starts_at": (meeting.starts_at + dt.timedelta(minutes=30))
            .astimezone()
            .strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (meeting.ends_at + dt.timedelta(minutes=30))
            .astimezone()
            .strftime("%Y-%m-%dT%H:%M"),
            "invite": "province",
        },
    )
    assert refused.status_code == 409
    assert "đã chủ trì" in refused.content.decode() or "already hosts" in refused.content.decode()
    assert Meeting.objects.count() == 1


def test_cancelling_asks_first_on_a_page_of_its_own(
    client: Client, dave: User, erin: User, make_meeting: Callable[..., Meeting]
) -> None:
    meeting = make_meeting()
    url = f"/staff/meetings/{meeting.pk}/act/cancel/"
    client.force_login(dave)
    asked = client.post(url)
    assert asked.status_code == 200
    assert "core/confirm.html" in [t.name for t in asked.templates]
    assert 'name="confirmed" value="yes"' in asked.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"  # asking changed nothing
    done = client.post(url, {"confirmed": "yes"})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    # Another province's officer gets neither the question nor the step.
    other = make_meeting(title="Họp khác")
    client.force_login(erin)
    assert client.post(f"/staff/meetings/{other.pk}/act/cancel/").status_code == 404
    assert (
        client.post(f"/staff/meetings/{other.pk}/act/cancel/", {"confirmed": "yes"}).status_code
        == 404
    )


def test_issuing_minutes_that_cannot_be_issued_says_why(
    client: Client, dave: User, make_meeting: Callable[..., Meeting]
) -> None:
    meeting = make_meeting()  # scheduled: no minutes to issue yet
    client.force_login(dave)
    url = f"/staff/meetings/{meeting.pk}/minutes/"
    asked = client.post(url, {"what": "issue"})
    assert "core/confirm.html" in [t.name for t in asked.templates]
    refused = client.post(url, {"what": "issue", "confirmed": "yes"})
    assert 400 <= refused.status_code < 500
    assert "message error" in refused.content.decode()
