"""Changes to core's own data: the announced calendar days (which move every deadline)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.calendar import forget_overrides
from haicap.core.errors import Invalid
from haicap.core.models import CalendarDay, CalendarDayKind

# The calendar covers the years a dossier's deadline can fall in.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _forget_now_and_on_commit() -> None:
    """Deadlines computed in this process from now on see the change; other requests that
    read the old days before the commit are corrected by the second forgetting."""
    forget_overrides()
    transaction.on_commit(forget_overrides)


def _shown(day: CalendarDay | None) -> dict[str, str] | None:
    if day is None:
        return None
    return {"kind": day.kind, "note": day.note, "legal_basis": day.legal_basis}


def do_set_calendar_day(
    day: dt.date, *, kind: str, note: str = "", legal_basis: str = "", actor: Actor
) -> CalendarDay:
    """Announce a make-up working day or an extra day off (or change one); audited."""
    if kind not in CalendarDayKind.values:
        raise Invalid(_("The kind is a make-up working day or an extra day off."), field="kind")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Invalid(
            _("The day must fall between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="day",
        )
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(day=day).first()
        before = _shown(existing)
        record = existing or CalendarDay(day=day)
        record.kind, record.note, record.legal_basis = kind, note[:200], legal_basis[:200]
        record.save()
        audit.record(
            "calendar.set",
            actor=actor,
            subject_type="calendar_day",
            subject_id=day.isoformat(),
            before=before,
            after=_shown(record),
        )
        _forget_now_and_on_commit()
    return record


def do_remove_calendar_day(day: dt.date, *, actor: Actor) -> None:
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(day=day).first()
        if existing is None:
            return
        before = _shown(existing)
        existing.delete()
        audit.record(
            "calendar.remove",
            actor=actor,
            subject_type="calendar_day",
            subject_id=day.isoformat(),
            before=before,
        )
        _forget_now_and_on_commit()
