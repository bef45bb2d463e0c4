"""Conclusions assigned to units with deadlines in working days (Tết and weekends skipped),
tracked until done, overdue ones flagged; the minutes saved and issued through documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.core.calendar import ZONE, WorkingCalendar
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.documents.models import Document
from haicap.meetings import actions
from haicap.meetings.models import ConnectionPoint, Meeting
from haicap.units.models import AdminUnit

pytestmark = pytest.mark.django_db

# Friday 13 February 2026, the last working day before Tết Bính Ngọ (16–20 February off).
BEFORE_TET = dt.datetime(2026, 2, 13, 8, 0, tzinfo=ZONE)


@pytest.fixture
def tet_meeting(dave: User, hub: ConnectionPoint, ba_dinh: ConnectionPoint) -> Meeting:
    with time_machine.travel(BEFORE_TET - dt.timedelta(days=2), tick=False):
        meeting, _ = actions.do_create_meeting(
            actions.MeetingSpec(
                kind="conference",
                title="Hội nghị tổng kết năm",
                host=hub.pk,
                starts_at=BEFORE_TET,
                ends_at=BEFORE_TET + dt.timedelta(hours=3),
                invite="list",
                points=[ba_dinh.pk],
            ),
            actor=dave,
        )
    Meeting.objects.filter(pk=meeting.pk).update(status="open")
    meeting.refresh_from_db()
    return meeting


def test_a_deadline_across_tet_skips_the_holiday(
    tet_meeting: Meeting, dave: User, ba_dinh: ConnectionPoint
) -> None:
    conclusion = actions.do_add_conclusion(
        tet_meeting, unit=ba_dinh.unit, text="Rà soát hồ sơ tồn đọng", working_days=3, actor=dave
    )
    # 16–20 February are Tết, 21–22 a weekend: the 3rd working day after the 13th is the 25th.
    assert conclusion.due_at == dt.datetime(2026, 2, 25, 17, 0, tzinfo=ZONE)
    with time_machine.travel(dt.datetime(2026, 2, 25, 16, 0, tzinfo=ZONE)):
        assert not conclusion.is_overdue()
    with time_machine.travel(dt.datetime(2026, 2, 26, 8, 0, tzinfo=ZONE)):
        assert conclusion.is_overdue()


def test_conclusions_are_tracked_until_done(
    tet_meeting: Meeting,
    dave: User,
    alice: User,
    carol: User,
    erin: User,
    ba_dinh: ConnectionPoint,
    client: Client,
) -> None:
    conclusion = actions.do_add_conclusion(
        tet_meeting, unit=ba_dinh.unit, text="Báo cáo kết quả", working_days=1, actor=dave
    )
    with pytest.raises(Invalid):
        actions.do_add_conclusion(
            tet_meeting, unit=ba_dinh.unit, text="x", working_days=0, actor=dave
        )
    elsewhere = AdminUnit.objects.filter(province__code="22", tier="commune").first()
    assert elsewhere is not None
    with pytest.raises(Invalid):  # not an invited unit
        actions.do_add_conclusion(tet_meeting, unit=elsewhere, text="x", working_days=2, actor=dave)
    with pytest.raises(Forbidden):
        actions.do_add_conclusion(
            tet_meeting, unit=ba_dinh.unit, text="x", working_days=2, actor=alice
        )

    client.force_login(alice)
    overdue = client.get("/staff/meetings/conclusions/?tab=overdue").content.decode()
    assert "Báo cáo kết quả" in overdue
    assert "quá hạn" in overdue
    client.force_login(carol)
    assert "Báo cáo kết quả" not in client.get("/staff/meetings/conclusions/").content.decode()
    assert (
        client.post(f"/staff/meetings/conclusions/{conclusion.pk}/done/", {"note": "x"}).status_code
        == 404
    )
    client.force_login(alice)
    assert (
        client.post(f"/staff/meetings/conclusions/{conclusion.pk}/done/", {"note": ""}).status_code
        == 422
    )
    answer = client.post(
        f"/staff/meetings/conclusions/{conclusion.pk}/done/", {"note": "Đã báo cáo"}
    )
    assert answer.status_code == 302
    conclusion.refresh_from_db()
    assert conclusion.status == "done"
    assert conclusion.done_note == "Đã báo cáo"
    # A retried report changes nothing.
    again = actions.do_complete_conclusion(conclusion, note="Lần hai", actor=alice)
    assert again.done_note == "Đã báo cáo"


def test_minutes_are_saved_and_issued_through_the_documents_app(
    tet_meeting: Meeting, dave: User, ba_dinh: ConnectionPoint, settings: Any
) -> None:
    actions.do_save_minutes(tet_meeting, "Khai mạc lúc 8 giờ.\nCác điểm cầu báo cáo.", actor=dave)
    actions.do_add_conclusion(
        tet_meeting, unit=ba_dinh.unit, text="Hoàn thành", working_days=5, actor=dave
    )
    tet_meeting.refresh_from_db()
    with pytest.raises(Conflict):  # open meetings issue no minutes yet
        actions.do_issue_minutes(tet_meeting, actor=dave)
    Meeting.objects.filter(pk=tet_meeting.pk).update(status="closed")
    tet_meeting.refresh_from_db()
    # dave is the provincial administrator: the province's clerk issues the documents.
    from haicap.core.actors import SYSTEM

    document = actions.do_issue_minutes(tet_meeting, actor=SYSTEM)
    assert document.type_code == "BB"
    assert document.status == "draft"
    assert document.attachments.get().content_type == "application/pdf"
    assert Document.objects.filter(type_code="BB").count() == 1
    assert actions.do_issue_minutes(tet_meeting, actor=SYSTEM).pk == document.pk
    tet_meeting.refresh_from_db()
    with pytest.raises(Conflict):  # frozen once issued
        actions.do_save_minutes(tet_meeting, "Sửa", actor=dave)


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
    hour=st.integers(min_value=0, max_value=23),
    days=st.integers(min_value=1, max_value=30),
)
def test_deadlines_land_on_working_days_after_the_meeting(
    day: dt.date, hour: int, days: int
) -> None:
    calendar = WorkingCalendar()
    ends = dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)
    due = calendar.due_in_working_days(ends, days)
    assert due > ends
    assert calendar.is_working_day(due.date())
    assert due.time() == calendar.office_close
    counted = sum(
        calendar.is_working_day(ends.date() + dt.timedelta(days=n))
        for n in range(1, (due.date() - ends.date()).days + 1)
    )
    assert counted in (days, days + 1)  # the meeting's own day counts when it ends before close
