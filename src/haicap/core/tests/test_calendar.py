"""Working days and deadlines: Vietnamese holidays, announced days, the 15:00 rule, pauses."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.core.actions import do_remove_calendar_day, do_set_calendar_day
from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE, WorkingCalendar, calendar
from haicap.core.errors import Invalid
from haicap.core.models import AuditEvent, CalendarDay, CalendarDayKind

CAL = WorkingCalendar()


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZONE)


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (d(2026, 2, 13), True),  # Friday before Tết
        (d(2026, 2, 16), False),  # Tết 2026: 16-20 February
        (d(2026, 2, 17), False),
        (d(2026, 2, 20), False),
        (d(2026, 2, 23), True),
        (d(2027, 2, 5), False),  # Tết 2027: 4-10 February
        (d(2027, 2, 10), False),
        (d(2027, 2, 11), True),
        (d(2026, 4, 27), False),  # Hùng Kings' day 2026 falls on Sunday 26/4: observed Monday
        (d(2027, 4, 16), False),  # Hùng Kings' day 2027
        (d(2026, 4, 30), False),
        (d(2026, 5, 1), False),
        (d(2026, 9, 2), False),
        (d(2026, 9, 1), False),
        (d(2025, 4, 26), True),  # Saturday worked in exchange for Friday 2 May 2025
        (d(2025, 5, 2), False),
        (d(2026, 11, 21), False),  # an ordinary Saturday
    ],
)
def test_working_days(day: dt.date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_three_working_days_across_tet_2026() -> None:
    assert CAL.due_in_working_days(at(2026, 2, 13, 10), 3) == at(2026, 2, 25, 17)


def test_five_working_days_across_30_april_and_1_may_2026() -> None:
    # Wed 29/4 → Thu 30/4 off, Fri 1/5 off, weekend → Mon 4 ... Fri 8
    assert CAL.due_in_working_days(at(2026, 4, 29, 8), 5) == at(2026, 5, 8, 17)


def test_after_closing_counts_from_the_next_working_day() -> None:
    # Wednesday 17:30: day 0 is Thursday, one working day later is Friday.
    assert CAL.due_in_working_days(at(2026, 11, 18, 17, 30), 1) == at(2026, 11, 20, 17)
    assert CAL.due_in_working_days(at(2026, 11, 18, 16, 59), 1) == at(2026, 11, 19, 17)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2026, 11, 19, 14, 59), at(2026, 11, 19, 17)),  # before 15:00: same day
        (at(2026, 11, 19, 15, 0), at(2026, 11, 20, 17)),  # at 15:00: next working day
        (at(2026, 11, 20, 16, 0), at(2026, 11, 23, 17)),  # Friday after 15:00: Monday
        (at(2026, 11, 21, 9, 0), at(2026, 11, 23, 17)),  # filed online on Saturday: Monday
        (at(2026, 2, 13, 15, 30), at(2026, 2, 23, 17)),  # Friday before Tết, late: after Tết
    ],
)
def test_the_15_00_rule(received: dt.datetime, due: dt.datetime) -> None:
    assert CAL.due_same_day(received) == due


@pytest.mark.django_db
def test_an_announced_make_up_day_and_extra_day_off() -> None:
    saturday = d(2026, 12, 19)
    friday = d(2026, 12, 18)
    assert not calendar().is_working_day(saturday)
    do_set_calendar_day(saturday, kind=CalendarDayKind.WORKING, note="làm bù", actor=SYSTEM)
    do_set_calendar_day(friday, kind=CalendarDayKind.DAY_OFF, note="nghỉ bù", actor=SYSTEM)
    current = calendar()
    assert current.is_working_day(saturday)
    assert not current.is_working_day(friday)
    # Thursday 17/12 + 1 working day: Friday is off, Saturday is worked.
    assert current.due_in_working_days(at(2026, 12, 17, 9), 1) == at(2026, 12, 19, 17)
    changes = AuditEvent.objects.filter(verb="calendar.set").order_by("id")
    assert [(e.subject_id, e.after and e.after["kind"]) for e in changes] == [
        ("2026-12-19", "working"),
        ("2026-12-18", "day_off"),
    ]
    do_remove_calendar_day(friday, actor=SYSTEM)
    assert calendar().is_working_day(friday)


@pytest.mark.django_db
def test_a_calendar_day_outside_the_covered_years_is_refused() -> None:
    with pytest.raises(Invalid):
        do_set_calendar_day(d(9999, 12, 31), kind=CalendarDayKind.WORKING, actor=SYSTEM)
    assert not CalendarDay.objects.exists()


def test_a_supplement_pause_moves_the_due_date_by_the_office_time_waited() -> None:
    due = at(2026, 11, 27, 17)  # Friday
    paused = at(2026, 11, 25, 10)  # Wednesday 10:00
    resumed = at(2026, 11, 26, 10)  # Thursday 10:00: one full office day later
    new_due, seconds = CAL.shift_for_pause(due, paused, resumed)
    assert seconds == CAL.seconds_per_day
    assert new_due == at(2026, 11, 30, 17)  # the Monday after


def test_a_pause_over_a_weekend_counts_only_office_time() -> None:
    paused = at(2026, 11, 20, 16)  # Friday 16:00
    resumed = at(2026, 11, 23, 8, 30)  # Monday 8:30
    assert CAL.working_seconds(paused, resumed) == 2 * 3600


moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=ZONE, microsecond=0)
)


@settings(max_examples=200, deadline=None)
@given(received=moments, days=st.integers(min_value=1, max_value=30))
def test_due_dates_fall_at_closing_on_working_days_and_grow(
    received: dt.datetime, days: int
) -> None:
    due = CAL.due_in_working_days(received, days)
    assert due > received
    assert due.time() == CAL.office_close
    assert CAL.is_working_day(due.date())
    assert CAL.due_in_working_days(received, days + 1) > due
    # Exactly ``days`` full office days lie between the first counted day and the due date.
    assert CAL.working_seconds(received, due) >= (days) * CAL.seconds_per_day


@settings(max_examples=200, deadline=None)
@given(received=moments)
def test_same_day_is_never_later_than_one_working_day(received: dt.datetime) -> None:
    due = CAL.due_same_day(received)
    assert due > received
    assert CAL.is_working_day(due.date())
    assert CAL.working_seconds(received, due) <= 2 * CAL.seconds_per_day


@settings(max_examples=200, deadline=None)
@given(start=moments, seconds=st.integers(min_value=1, max_value=40 * 34200))
def test_adding_then_measuring_office_time_round_trips(start: dt.datetime, seconds: int) -> None:
    end = CAL.add_working_seconds(start, seconds)
    assert CAL.working_seconds(start, end) == seconds


@settings(max_examples=200, deadline=None)
@given(a=moments, b=moments, c=moments)
def test_office_time_adds_up(a: dt.datetime, b: dt.datetime, c: dt.datetime) -> None:
    first, middle, last = sorted([a, b, c])
    assert CAL.working_seconds(first, middle) + CAL.working_seconds(
        middle, last
    ) == CAL.working_seconds(first, last)


@settings(max_examples=100, deadline=None)
@given(due=moments, paused=moments, wait=st.integers(min_value=0, max_value=20 * 86400))
def test_a_pause_never_shortens_the_time_left(
    due: dt.datetime, paused: dt.datetime, wait: int
) -> None:
    resumed = paused + dt.timedelta(seconds=wait)
    new_due, seconds = CAL.shift_for_pause(due, paused, resumed)
    assert new_due >= due
    assert seconds == CAL.working_seconds(paused, resumed)
    left = CAL.working_seconds(paused, due)
    if left > 0:
        # Office time left after the pause equals what was left when it started.
        assert CAL.working_seconds(resumed, new_due) == left
