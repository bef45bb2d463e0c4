"""The input guard's date rule and the shared limiter's counters (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core import ratelimit
from haicap.core.errors import TooManyRequests
from haicap.core.guards import MAX_YEAR, MIN_YEAR, year_out_of_range


@given(st.dates(min_value=dt.date(MIN_YEAR, 1, 1), max_value=dt.date(MAX_YEAR, 12, 31)))
def test_dates_in_range_pass_in_every_format(day: dt.date) -> None:
    for text in (day.isoformat(), f"{day.isoformat()}T10:00:00+07:00", day.strftime("%d/%m/%Y")):
        assert not year_out_of_range(text)


@given(st.integers(min_value=0, max_value=99_999).filter(lambda y: not MIN_YEAR <= y <= MAX_YEAR))
def test_years_out_of_range_are_caught(year: int) -> None:
    assert year_out_of_range(f"{year:04d}-01-02")
    assert year_out_of_range(f"02/01/{year:04d}")


@pytest.mark.parametrize("text", ["01.00004-261201-0001", "1-2-3", "0912-345-678", "abc", ""])
def test_codes_and_numbers_are_not_dates(text: str) -> None:
    assert not year_out_of_range(text)


def test_hit_refuses_past_the_limit_and_clear_forgets() -> None:
    assert [ratelimit.hit("t", "k", "2/h") for _ in range(2)] == [1, 2]
    with pytest.raises(TooManyRequests) as refused:
        ratelimit.hit("t", "k", "2/h")
    assert 0 < (refused.value.retry_after or 0) <= 3601
    assert ratelimit.over("t", "k", "2/h") is not None
    assert ratelimit.over("t", "other", "2/h") is None
    ratelimit.clear("t", "k", "2/h")
    assert ratelimit.count("t", "k", "2/h") == 0


def test_a_lock_holds_until_lifted() -> None:
    ratelimit.lock("s", "alice", 60)
    assert 0 < (ratelimit.locked("s", "alice") or 0) <= 61
    assert ratelimit.clear("s", "alice", "3/h") is True
    assert ratelimit.locked("s", "alice") is None
    assert ratelimit.clear("s", "alice", "3/h") is False


def test_off_counts_nothing() -> None:
    assert ratelimit.hit("t", "k", "off") == 0
    assert ratelimit.over("t", "k", "off") is None
