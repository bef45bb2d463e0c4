"""Template filters for Vietnamese dates, money and deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haicap.core.calendar import ZONE, calendar

register = template.Library()


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    """17 giờ 00 phút, ngày 05/03/2026 (the wording printed on the official forms)."""
    if value is None:
        return ""
    local = value.astimezone(ZONE)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


@register.filter
def local_dt(value: dt.datetime | None) -> str:
    """05/03/2026 17:00 in Viet Nam time."""
    if value is None:
        return ""
    return f"{value.astimezone(ZONE):%d/%m/%Y %H:%M}"


@register.filter
def vnd(value: int | None) -> str:
    """15.000 đ"""
    if not value:
        return _("free")
    return f"{value:,}".replace(",", ".") + " đ"


def working_span(seconds: int) -> str:
    """Office time in whole working days and hours: "1 ngày 3 giờ", "2 ngày", "3 giờ"."""
    per_day = calendar().seconds_per_day
    days, rest = divmod(max(0, int(seconds)), per_day)
    hours, rest = divmod(rest, 3600)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not parts:
        minutes = max(1, rest // 60)
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


@register.filter
def punctuality(dossier: Any) -> str:
    """For a finished dossier: on time, or how much working time late."""
    if dossier.finished_at is None or dossier.due_at is None:
        return ""
    if dossier.finished_at <= dossier.due_at:
        return _("finished on time")
    late = calendar().working_seconds(dossier.due_at, dossier.finished_at)
    return _("finished %(span)s late") % {"span": working_span(late)}


@register.filter
def time_left(due: dt.datetime | None) -> str:
    """Working time left until ``due`` ("còn 1 ngày 3 giờ"), or how far past it."""
    if due is None:
        return ""
    now = timezone.now()
    cal = calendar()
    if due >= now:
        return _("%(span)s left") % {"span": working_span(cal.working_seconds(now, due))}
    return _("%(span)s late") % {"span": working_span(cal.working_seconds(due, now))}


@register.filter
def due_class(due: dt.datetime | None) -> str:
    """The colour of a due date: late (past), soon (under one working day left), ok."""
    if due is None:
        return ""
    now = timezone.now()
    if due < now:
        return "late"
    cal = calendar()
    return "soon" if cal.working_seconds(now, due) < cal.seconds_per_day else "ok"


@register.filter
def percent(value: float | None) -> str:
    """0.8734 → "87,3 %" in Vietnamese, "87.3 %" in English; None → "—"."""
    if value is None:
        return "—"
    return f"{formats.number_format(value * 100, 1)} %"


@register.filter
def number1(value: float | None) -> str:
    """One decimal, in the page's language; None → "—"."""
    if value is None:
        return "—"
    return formats.number_format(value, 1)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
