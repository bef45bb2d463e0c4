"""Each indicator on hand-built dossiers (reports/tests/conftest.py tells their stories)."""

from __future__ import annotations

import datetime as dt

import pytest

from haicap.dossiers.models import Dossier
from haicap.reports import index
from haicap.reports.indicators import describe, scope_for, totals
from haicap.reports.tests.conftest import DAY, HOUR

pytestmark = pytest.mark.django_db
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_processing_time_leaves_out_the_supplement_wait(refreshed: dict[str, Dossier]) -> None:
    seconds = {name: dossier.working_seconds for name, dossier in refreshed.items()}
    assert seconds == {
        "early": 10.5 * HOUR,  # Mon 09:00-17:00 and Tue 07:30-10:00
        "paused": 29.5 * HOUR,  # 67.5 office hours, 38 of them waiting for the citizen
        "late": 49.5 * HOUR,
        "online": 10 * HOUR,  # from acceptance, not from filing
    }
    paused = refreshed["paused"]
    assert paused.legal_due_at is not None
    assert paused.legal_due_at.date() == dt.date(2026, 10, 14)  # Thursday 8th + 38 hours
    late = refreshed["late"]
    assert late.due_at is not None
    assert late.legal_due_at is not None
    # The apology's new appointment does not move the legal deadline.
    assert (late.due_at.date(), late.legal_due_at.date()) == (
        dt.date(2026, 10, 13),
        dt.date(2026, 10, 8),
    )


def test_the_indicators_of_a_ward(refreshed: dict[str, Dossier]) -> None:
    figures = totals(scope_for("00004"), *OCTOBER)
    assert (figures.received, figures.received_online, figures.finished) == (4, 1, 4)
    # On time: early, the one saved by the supplement pause, the online one. Late despite
    # its apology: one.
    assert (figures.on_time, figures.early, figures.late, figures.apologised) == (3, 2, 1, 1)
    assert figures.working_seconds == 99.5 * HOUR
    assert figures.avg_working_days == round(99.5 * HOUR / 4 / DAY, 2)
    # Days: 1.05, 1.11, 3.11, 5.21 → the 90th percentile lies in the 5-5.5 bucket.
    assert figures.p90_working_days == 5.3
    assert figures.online_share == 0.25
    assert (figures.with_result, figures.e_results, figures.e_result_share) == (4, 1, 0.25)
    assert (figures.rated, figures.satisfaction) == (1, 1.0)
    assert figures.digitised_share == 0.0


def test_days_outside_the_range_are_not_counted(refreshed: dict[str, Dossier]) -> None:
    first_week = totals(scope_for("00004"), dt.date(2026, 10, 1), dt.date(2026, 10, 9))
    # All four received by the 9th; finished that week: early (6th) and online (7th).
    assert (first_week.received, first_week.finished, first_week.late) == (4, 2, 0)
    assert totals(scope_for("00070"), *OCTOBER).received == 0  # Hoàn Kiếm: nothing


def test_the_service_index(refreshed: dict[str, Dossier]) -> None:
    facts = index.catalogue()
    score = describe(totals(scope_for("00004"), *OCTOBER), facts, with_index=True)["index"]
    assert score["progress"] == 15.0  # 20 points × 3 of 4 on time
    # 100% − (25% late + 0% complained) = 75%, full marks at 90%: 10 × 75/90 points, and
    # feedback (not measured) leaves the group's 18 points to that criterion.
    assert score["satisfaction"] == 15.0
    assert score["criteria"]["feedback_handled_in_15_days"]["share"] is None
    assert score["criteria"]["filed_online"]["points"] == 3.0  # 25% of the 50% for 6 points
    groups = ("transparency", "progress", "online", "digitisation", "satisfaction")
    assert score["total"] == pytest.approx(sum(score[group] for group in groups), abs=0.01)
    assert 0 < score["total"] < 100
    nothing = describe(totals(scope_for("00070"), *OCTOBER), facts, with_index=True)
    assert nothing["index"]["total"] is None  # no dossier: no index, not the catalogue's
