"""Reading the daily figures: totals for a scope and a date range, series, rankings.

A scope is the nation, a province or a unit, each with its lineage: the units it was formed
from in earlier reforms (reports/scope.py), so a successor's trend includes its predecessors'
dossiers without any dossier being rewritten.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import connection

from haicap.reports import histogram
from haicap.reports.aggregate import (
    FINISHED_COLUMNS,
    RECEIVED_COLUMNS,
    seconds_per_working_day,
)

# Every summed column of the figures tables but the histogram.
COUNTS = tuple(name for name in (*RECEIVED_COLUMNS, *FINISHED_COLUMNS) if name != "histogram")
FEEDBACK = ("feedback_due", "feedback_in_time", "complaints")


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Totals:
    """Sums of the daily figures over some days and units; the indicators derive from them."""

    received: int = 0
    received_online: int = 0
    digitised: int = 0
    finished: int = 0
    on_time: int = 0
    early: int = 0
    late: int = 0
    apologised: int = 0
    working_seconds: int = 0
    with_result: int = 0
    e_results: int = 0
    fee_bearing: int = 0
    paid_online: int = 0
    rated: int = 0
    rated_very_satisfied: int = 0
    rated_satisfied: int = 0
    rated_not_satisfied: int = 0
    histogram: list[int] = field(default_factory=histogram.empty)
    # Citizen feedback (reports/feedback.py), not in the daily tables: reports due to be
    # handled in the range, those handled within 15 working days, complaint reports.
    feedback_due: int = 0
    feedback_in_time: int = 0
    complaints: int = 0

    def __add__(self, other: Totals) -> Totals:
        summed = {name: getattr(self, name) + getattr(other, name) for name in (*COUNTS, *FEEDBACK)}
        return Totals(**summed, histogram=histogram.add(self.histogram, other.histogram))

    @classmethod
    def from_row(cls, values: dict[str, Any]) -> Totals:
        return cls(
            **{name: int(values.get(name) or 0) for name in COUNTS},
            histogram=[int(n) for n in values.get("histogram") or histogram.empty()],
        )

    def as_counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "histogram"}

    # The indicators (docs/reports.md)

    @property
    def feedback_share(self) -> float | None:
        """Feedback handled within 15 working days (Decision 766)."""
        return _share(self.feedback_in_time, self.feedback_due)

    @property
    def on_time_share(self) -> float | None:
        return _share(self.on_time, self.finished)

    @property
    def late_share(self) -> float | None:
        return _share(self.late, self.finished)

    @property
    def avg_working_days(self) -> float | None:
        if not self.finished:
            return None
        return round(self.working_seconds / self.finished / seconds_per_working_day(), 2)

    @property
    def p90_working_days(self) -> float | None:
        return histogram.percentile(self.histogram, 0.9)

    @property
    def online_share(self) -> float | None:
        return _share(self.received_online, self.received)

    @property
    def digitised_share(self) -> float | None:
        return _share(self.digitised, self.received)

    @property
    def e_result_share(self) -> float | None:
        return _share(self.e_results, self.with_result)

    @property
    def online_payment_share(self) -> float | None:
        return _share(self.paid_online, self.fee_bearing)

    @property
    def satisfaction(self) -> float | None:
        """Very satisfied or satisfied, of the dossiers rated."""
        return _share(self.rated_very_satisfied + self.rated_satisfied, self.rated)


# Reading

_TABLES = {
    "province": "reports_provinceday",
    "unit": "reports_unitday",
    "procedure": "reports_procedureday",
}
_PERIODS = {"day": "day", "month": "month", "quarter": "quarter", "year": "year"}


def _select(group: str | None, histograms: bool) -> str:
    sums = ", ".join(f"COALESCE(sum({name}), 0) AS {name}" for name in COUNTS)
    grouped = f"{group} AS g, " if group else ""
    summed = f", {histogram.sum_sql('histogram')} AS histogram" if histograms else ""
    return f"SELECT {grouped}{sums}{summed}"


def query(
    table: str,
    *,
    start: dt.date,
    end: dt.date,
    provinces: Iterable[int] | None = None,
    units: Iterable[int] | None = None,
    group: str | None = None,
    histograms: bool = True,
) -> dict[Any, Totals]:
    """Sums of one figures table over [start, end], filtered, grouped by a column or period.

    ``group`` is a key column (``unit_id``, ``province_id``, ``procedure_id``) or a period
    (``day``, ``month``, ``quarter``, ``year``); without it the one total is under ``None``.
    Without ``histograms`` (rankings, which show no percentile) the processing-time
    histogram is not summed: on a year of a province's communes that is most of the work.
    """
    where = ["day BETWEEN %(start)s AND %(end)s"]
    params: dict[str, Any] = {"start": start, "end": end}
    if provinces is not None:
        where.append("province_id = ANY(%(provinces)s)")
        params["provinces"] = list(provinces)
    if units is not None:
        where.append("unit_id = ANY(%(units)s)")
        params["units"] = list(units)
    expression = None
    if group in _PERIODS:
        expression = f"date_trunc('{_PERIODS[group]}', day)::date"
    elif group is not None:
        expression = group
    sql = f"{_select(expression, histograms)} FROM {_TABLES[table]} WHERE {' AND '.join(where)}"
    if expression:
        sql += " GROUP BY 1 ORDER BY 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description or ()]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if expression is None:
        return {None: Totals.from_row(rows[0] if rows else {})}
    return {row["g"]: Totals.from_row(row) for row in rows}


def regroup(totals: dict[Any, Totals], owner: dict[int, int]) -> dict[int, Totals]:
    """Sums keyed by unit folded onto the current unit each one became (``owner``)."""
    folded: dict[int, Totals] = defaultdict(Totals)
    for key, value in totals.items():
        target = owner.get(key)
        if target is not None:
            folded[target] = folded[target] + value
    return dict(folded)
