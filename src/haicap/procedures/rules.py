"""What a procedure costs and when a dossier received at a given moment is due."""

from __future__ import annotations

import datetime as dt

from haicap.core.calendar import WorkingCalendar, calendar
from haicap.procedures.models import FeeKind, Procedure, ProcessStep, TimeKind

CHANNEL_ONLINE = 2


def fee_for(procedure: Procedure, *, channel: int, pages: int = 0, copies: int = 1) -> int:
    """The fee in đồng for one dossier."""
    kind = procedure.fee_kind
    if kind == FeeKind.FREE:
        return 0
    if kind == FeeKind.BY_CHANNEL:
        return procedure.fee_online if channel == CHANNEL_ONLINE else procedure.fee_amount
    if kind == FeeKind.PER_PAGE:
        first = min(pages, procedure.fee_page_threshold)
        further = max(0, pages - procedure.fee_page_threshold)
        per_copy = first * procedure.fee_per_page + further * procedure.fee_per_page_after
        if procedure.fee_cap:
            per_copy = min(per_copy, procedure.fee_cap)
        return per_copy * max(1, copies)
    return procedure.fee_amount  # FLAT and PROVINCE_SET


def due_at(
    procedure: Procedure, received_at: dt.datetime, cal: WorkingCalendar | None = None
) -> dt.datetime:
    """When a dossier of ``procedure`` received at ``received_at`` must be resolved."""
    cal = cal or calendar()
    if procedure.time_kind == TimeKind.SAME_DAY:
        return cal.due_same_day(received_at)
    return cal.due_in_working_days(received_at, procedure.time_days)


def step_deadlines(
    procedure: Procedure,
    steps: list[ProcessStep],
    received_at: dt.datetime,
    due: dt.datetime,
    cal: WorkingCalendar | None = None,
) -> list[tuple[ProcessStep, dt.datetime]]:
    """Each step's own deadline: its cumulative share of the office time until ``due``."""
    cal = cal or calendar()
    total = cal.working_seconds(received_at, due)
    deadlines = []
    elapsed_share = 0
    for step in steps:
        elapsed_share += step.share_percent
        seconds = total * min(elapsed_share, 100) // 100
        deadlines.append((step, cal.add_working_seconds(received_at, seconds)))
    return deadlines
