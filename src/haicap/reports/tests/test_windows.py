"""Reporting windows of Decree 09/2019 and calendar periods."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.reports.windows import ReportKind, periods, reporting_window

YEARS = st.integers(min_value=2025, max_value=2100)


@pytest.mark.parametrize(
    ("kind", "number", "start", "end"),
    [
        (ReportKind.MONTHLY, 1, dt.date(2025, 12, 15), dt.date(2026, 1, 14)),
        (ReportKind.MONTHLY, 10, dt.date(2026, 9, 15), dt.date(2026, 10, 14)),
        (ReportKind.QUARTERLY, 1, dt.date(2025, 12, 15), dt.date(2026, 3, 14)),
        (ReportKind.QUARTERLY, 3, dt.date(2026, 6, 15), dt.date(2026, 9, 14)),
        (ReportKind.SIX_MONTHS, 1, dt.date(2025, 12, 15), dt.date(2026, 6, 14)),
        (ReportKind.NINE_MONTHS, 1, dt.date(2025, 12, 15), dt.date(2026, 9, 14)),
        (ReportKind.ANNUAL, 1, dt.date(2025, 12, 15), dt.date(2026, 12, 14)),
    ],
)
def test_windows_run_from_the_15th_to_the_14th(
    kind: ReportKind, number: int, start: dt.date, end: dt.date
) -> None:
    assert reporting_window(kind, 2026, number) == (start, end)


def test_a_window_number_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 12"):
        reporting_window(ReportKind.MONTHLY, 2026, 13)
    with pytest.raises(ValueError, match="1 to 4"):
        reporting_window(ReportKind.QUARTERLY, 2026, 0)


@given(YEARS)
def test_monthly_windows_tile_the_annual_one(year: int) -> None:
    windows = [reporting_window(ReportKind.MONTHLY, year, n) for n in range(1, 13)]
    assert windows[0][0] == reporting_window(ReportKind.ANNUAL, year)[0]
    assert windows[-1][1] == reporting_window(ReportKind.ANNUAL, year)[1]
    for (_, end), (start, _) in pairwise(windows):
        assert start == end + dt.timedelta(days=1)  # no gap, no overlap


@given(YEARS, st.integers(min_value=1, max_value=4))
def test_a_quarter_is_its_three_months(year: int, quarter: int) -> None:
    start, end = reporting_window(ReportKind.QUARTERLY, year, quarter)
    assert start == reporting_window(ReportKind.MONTHLY, year, 3 * quarter - 2)[0]
    assert end == reporting_window(ReportKind.MONTHLY, year, 3 * quarter)[1]


@given(
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=0, max_value=800),
    st.sampled_from(["day", "month", "quarter", "year"]),
)
def test_periods_cover_a_range_exactly(start: dt.date, length: int, period: str) -> None:
    end = start + dt.timedelta(days=length)
    spans = list(periods(start, end, period))
    assert spans[0][0] == start
    assert spans[-1][1] == end
    for (_, last), (first, _) in pairwise(spans):
        assert first == last + dt.timedelta(days=1)
