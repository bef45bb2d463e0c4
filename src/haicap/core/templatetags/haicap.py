"""Template filters for Vietnamese dates, money and deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

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


@register.filter
def punctuality(dossier: Any) -> str:
    """For a finished dossier: on time, or how many working days late."""
    if dossier.finished_at is None or dossier.due_at is None:
        return ""
    if dossier.finished_at <= dossier.due_at:
        return _("finished on time")
    days = calendar().working_days_between(dossier.due_at, dossier.finished_at)
    return _("finished %(days).1f working days late") % {"days": days}


@register.filter
def time_left(due: dt.datetime | None) -> str:
    """Working days left until ``due``, or how far past it."""
    if due is None:
        return ""
    now = timezone.now()
    cal = calendar()
    if due >= now:
        days = cal.working_days_between(now, due)
        return _("%(days).1f working days left") % {"days": days}
    days = cal.working_days_between(due, now)
    return _("%(days).1f working days late") % {"days": days}


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
