"""Citizen feedback in the indicators (docs/reports.md#feedback), read from the feedback app's
reports (reports sit above feedback; feedback never reads this).

- **Handled within 15 working days** (Decision 766, satisfaction group): of the reports whose
  15-working-day mark (waiting for the citizen excluded) fell in the range, or that were
  answered in it, the share answered within 15 working days.
- **Complaints**: reports in a complaint category (about an administrative procedure),
  received in the range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from haicap.feedback.models import OPEN

_PERIODS = {"day": "day", "month": "month", "quarter": "quarter", "year": "year"}
_KEYS = {"unit_id": "r.unit_id", "province_id": "r.province_id"}
LOCAL = "AT TIME ZONE 'Asia/Ho_Chi_Minh'"


@dataclass(frozen=True)
class FeedbackTotals:
    due: int = 0
    in_time: int = 0
    complaints: int = 0


def _key(moment: str, group: str | None) -> str:
    """What a part is grouped by: the period of ``moment``'s local day, a unit, or nothing."""
    if group in _PERIODS:
        return f"date_trunc('{_PERIODS[group]}', ({moment} {LOCAL})::date)::date"
    if group is not None:
        return _KEYS[group]
    return "NULL::int"


def counts(
    *,
    start: dt.date,
    end: dt.date,
    units: Iterable[int] | None = None,
    provinces: Iterable[int] | None = None,
    group: str | None = None,
) -> dict[Any, FeedbackTotals]:
    """The three counts over [start, end], filtered, grouped like ``figures.query``."""
    params: dict[str, Any] = {
        "start": start,
        "end": end,
        "open": list(OPEN),
        "now": timezone.now(),
    }
    scope = ""
    if units is not None:
        scope += " AND r.unit_id = ANY(%(units)s)"
        params["units"] = list(units)
    if provinces is not None:
        scope += " AND r.province_id = ANY(%(provinces)s)"
        params["provinces"] = list(provinces)

    def day(column: str) -> str:
        return f"({column} {LOCAL})::date BETWEEN %(start)s AND %(end)s"

    answered_key = _key("r.answered_at", group)
    mark_key = _key("r.mark_15_at", group)
    received_key = _key("r.received_at", group)
    # Only our own constants are put into the text (keys, periods); values are parameters.
    sql = f"""
    SELECT g, sum(due)::int, sum(in_time)::int, sum(complaints)::int FROM (
      SELECT {answered_key} AS g, 1 AS due, (r.within_15_days IS TRUE)::int AS in_time,
             0 AS complaints
      FROM feedback_report r WHERE r.answered_at IS NOT NULL AND {day("r.answered_at")}{scope}
      UNION ALL
      SELECT {mark_key}, 1, 0, 0
      FROM feedback_report r WHERE r.status = ANY(%(open)s) AND r.mark_15_at < %(now)s
        AND {day("r.mark_15_at")}{scope}
      UNION ALL
      SELECT {received_key}, 0, 0, 1
      FROM feedback_report r JOIN feedback_category c ON c.id = r.category_id
      WHERE c.is_complaint AND {day("r.received_at")}{scope}
    ) parts GROUP BY g
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {key: FeedbackTotals(due, in_time, complaints) for key, due, in_time, complaints in rows}
