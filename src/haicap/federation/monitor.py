"""The hub's 34/34 monitor: each province connected or not, last successful sync, lag,
error rate, dossiers received today; and the Decision 766 index from the synced copy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.federation.models import HubProvince
from haicap.reports import index
from haicap.reports.figures import Totals
from haicap.units.models import AdminUnit, Tier


@dataclass
class ProvinceRow:
    code: str
    name: str
    dstcode: str | None
    connected: bool
    last_success_at: dt.datetime | None
    # Seconds from a step's time at the province to its arrival at the hub (last hour, p95).
    lag_p95: float | None
    calls: int
    errors: int
    today: int

    @property
    def error_rate(self) -> float | None:
        return round(self.errors / self.calls, 4) if self.calls else None

    @property
    def lag_text(self) -> str:
        """The lag as people read it: "0,12 giây", "3 phút", "2,5 giờ"."""
        if self.lag_p95 is None:
            return "—"
        if self.lag_p95 < 60:
            return _("%(n)s s") % {"n": number_format(round(self.lag_p95, 2))}
        if self.lag_p95 < 3600:
            return _("%(n)s min") % {"n": number_format(round(self.lag_p95 / 60, 1))}
        return _("%(n)s h") % {"n": number_format(round(self.lag_p95 / 3600, 1))}


def rows(now: dt.datetime | None = None) -> list[ProvinceRow]:
    """Every province in force, with or without a connected system (a handful of queries)."""
    now = now or timezone.now()
    start_of_day = dt.datetime.combine(now.astimezone(ZONE).date(), dt.time(), tzinfo=ZONE)
    window = dt.timedelta(minutes=settings.FEDERATION_CONNECTED_MINUTES)
    hubs = {p.province_id: p for p in HubProvince.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT province_id, sum(calls), sum(errors) FROM federation_hubtraffic
            WHERE hour >= %s GROUP BY province_id
            """,
            [now - dt.timedelta(hours=24)],
        )
        traffic = {pk: (int(c), int(e)) for pk, c, e in cursor.fetchall()}
        cursor.execute(
            """
            SELECT province_id, count(*) FROM federation_synceddossier
            WHERE received_at >= %s AND received_at <= %s GROUP BY province_id
            """,
            # Received at a counter today (NgayTiepNhan), not first seen by the hub: a
            # province's first sync of its history is not today's work.
            [start_of_day, now],
        )
        today = dict(cursor.fetchall())
        cursor.execute(
            """
            SELECT d.province_id,
                   percentile_cont(0.95) WITHIN GROUP (
                       ORDER BY extract(epoch FROM p.received_at - p.at))
            FROM federation_syncedprogress p
            JOIN federation_synceddossier d ON d.id = p.dossier_id
            WHERE p.received_at >= %s AND p.at >= %s GROUP BY d.province_id
            """,
            # Steps of the last day only: history sent late on purpose (a first sync, a
            # reconciliation's re-send) is not lag; an outage of hours still shows.
            [now - dt.timedelta(hours=1), now - dt.timedelta(days=1)],
        )
        lag = {pk: float(value) for pk, value in cursor.fetchall()}
    result = []
    provinces = AdminUnit.objects.filter(tier=Tier.PROVINCE, valid_to__isnull=True).order_by("code")
    for unit in provinces:
        linked = hubs.get(unit.pk)
        calls, errors = traffic.get(linked.pk, (0, 0)) if linked else (0, 0)
        last = linked.last_success_at if linked else None
        result.append(
            ProvinceRow(
                code=unit.code,
                name=unit.name,
                dstcode=linked.dstcode if linked else None,
                connected=bool(last and now - last <= window),
                last_success_at=last,
                lag_p95=round(lag[linked.pk], 2) if linked and linked.pk in lag else None,
                calls=calls,
                errors=errors,
                today=int(today.get(linked.pk, 0)) if linked else 0,
            )
        )
    return result


def synced_totals(province: HubProvince | None, start: dt.date, end: dt.date) -> Totals:
    """The index's counts over the synced copy: received, online, finished, on time, late."""
    begin = dt.datetime.combine(start, dt.time(), tzinfo=ZONE)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=ZONE)
    where = "" if province is None else "AND province_id = %(province)s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
              count(*) FILTER (WHERE received_at >= %(begin)s AND received_at < %(stop)s),
              count(*) FILTER (WHERE received_at >= %(begin)s AND received_at < %(stop)s
                               AND channel = 2),
              count(*) FILTER (WHERE finished_at >= %(begin)s AND finished_at < %(stop)s),
              count(*) FILTER (WHERE finished_at >= %(begin)s AND finished_at < %(stop)s
                               AND (due_at IS NULL OR finished_at <= due_at)),
              count(*) FILTER (WHERE finished_at >= %(begin)s AND finished_at < %(stop)s
                               AND finished_at > due_at)
            FROM federation_synceddossier WHERE true {where}
            """,  # noqa: S608 - the filter is one of two fixed strings
            {"begin": begin, "stop": stop, "province": province.pk if province else None},
        )
        received, online, finished, on_time, late = cursor.fetchone()
    return Totals(
        received=received, received_online=online, finished=finished, on_time=on_time, late=late
    )


def synced_index(province: HubProvince | None, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Decision 766's score from the synced data, by the provinces' own code (reports.index)."""
    return index.score(synced_totals(province, start, end), index.catalogue())
