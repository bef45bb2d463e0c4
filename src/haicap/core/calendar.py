"""Working days and deadlines (Asia/Ho_Chi_Minh): the only place deadline arithmetic lives.

A working day is Monday to Friday, minus Viet Nam's public holidays (the `holidays` package,
which also knows the weekend days worked in exchange for a bridge day off), minus or plus the
days a province announces in the admin (``CalendarDay``). Working time runs from office open to
office close on working days; waiting for a citizen's supplement is taken out by shifting the
due date by the working time the wait lasted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_OVERRIDES_KEY = "calendar:overrides"
_OVERRIDES_SECONDS = 60


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


class WorkingCalendar:
    """Working-day arithmetic with a fixed set of announced overrides (True: working)."""

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        *,
        office_open: dt.time = dt.time(7, 30),
        office_close: dt.time = dt.time(17, 0),
        same_day_cutoff: dt.time = dt.time(15, 0),
    ) -> None:
        if not office_open < same_day_cutoff <= office_close:
            raise ValueError("office hours must satisfy open < same-day cutoff <= close")
        self.overrides = dict(overrides or {})
        self.office_open = office_open
        self.office_close = office_close
        self.same_day_cutoff = same_day_cutoff
        self.seconds_per_day = int(
            (
                dt.datetime.combine(dt.date.min, office_close)
                - dt.datetime.combine(dt.date.min, office_open)
            ).total_seconds()
        )

    # Days

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return bool(_public_holidays(day.year).is_working_day(day))

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def opening(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.office_open, tzinfo=ZONE)

    def closing(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.office_close, tzinfo=ZONE)

    def _first_counted_day(self, moment: dt.datetime) -> dt.date:
        """Day 0 of a deadline: the day of receipt if worked and still open, else the next."""
        local = moment.astimezone(ZONE)
        day = local.date()
        if self.is_working_day(day) and local < self.closing(day):
            return day
        return self.next_working_day(day)

    # Deadlines

    def due_in_working_days(self, received_at: dt.datetime, days: int) -> dt.datetime:
        """Close of office on the ``days``-th working day after the day of receipt."""
        return self.closing(self.add_working_days(self._first_counted_day(received_at), days))

    def due_same_day(self, received_at: dt.datetime) -> dt.datetime:
        """Same day if received on a working day before the cutoff (15:00), else the next."""
        local = received_at.astimezone(ZONE)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.same_day_cutoff:
            return self.closing(day)
        return self.closing(self.next_working_day(day))

    # Working time

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        """Office seconds between two moments (0 if ``end`` is not after ``start``)."""
        if end <= start:
            return 0
        start, end = start.astimezone(ZONE), end.astimezone(ZONE)
        total = 0.0
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                low = max(start, self.opening(day))
                high = min(end, self.closing(day))
                if high > low:
                    total += (high - low).total_seconds()
            day += dt.timedelta(days=1)
        return round(total)

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> float:
        return self.working_seconds(start, end) / self.seconds_per_day

    def add_working_seconds(self, start: dt.datetime, seconds: int) -> dt.datetime:
        """The moment ``seconds`` of office time after ``start``."""
        if seconds <= 0:
            return start
        moment = start.astimezone(ZONE)
        remaining = seconds
        day = moment.date()
        while True:
            if self.is_working_day(day):
                low = max(moment, self.opening(day))
                high = self.closing(day)
                if high > low:
                    available = int((high - low).total_seconds())
                    if remaining <= available:
                        return low + dt.timedelta(seconds=remaining)
                    remaining -= available
            day += dt.timedelta(days=1)

    def shift_for_pause(
        self, due_at: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime
    ) -> tuple[dt.datetime, int]:
        """The due date moved by the office time a pause lasted, and that time in seconds."""
        paused = self.working_seconds(paused_at, resumed_at)
        return self.add_working_seconds(due_at, paused), paused


def _overrides() -> dict[dt.date, bool]:
    cached: dict[dt.date, bool] | None = cache.get(_OVERRIDES_KEY)
    if cached is None:
        from haicap.core.models import CalendarDay, CalendarDayKind

        cached = {
            entry.day: entry.kind == CalendarDayKind.WORKING for entry in CalendarDay.objects.all()
        }
        cache.set(_OVERRIDES_KEY, cached, _OVERRIDES_SECONDS)
    return cached


def forget_overrides() -> None:
    """Called when an announced day is edited."""
    cache.delete(_OVERRIDES_KEY)


def calendar() -> WorkingCalendar:
    """The calendar with the announced days from the database and the configured hours."""
    return WorkingCalendar(
        _overrides(),
        office_open=settings.OFFICE_OPEN,
        office_close=settings.OFFICE_CLOSE,
        same_day_cutoff=settings.SAME_DAY_CUTOFF,
    )
