"""What every feedback action shares: locking, the role check, history and audit rows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, is_system, person_id
from haicap.core.audit import actor_label
from haicap.core.errors import Conflict, NotFound
from haicap.feedback.models import Report, ReportEvent
from haicap.staff.access import scope_of
from haicap.units.models import AdminUnit

# Roles that handle reports at their unit (an auditor reads, never acts).
HANDLERS = frozenset({"receiver", "specialist", "leader", "clerk", "province_admin"})
# The full name is shown to citizens; the username never is.
STATUS_CHANGES = ("file", "assign", "start", "wait", "resume", "answer", "close", "reopen")


def display_name(actor: Actor) -> str:
    """The name history shows: the officer's full name, else the system or the citizen."""
    if is_system(actor) or not actor.is_authenticated:
        return actor_label(actor)
    full = getattr(actor, "get_full_name", lambda: "")()
    return str(full or actor_label(actor))


def may_handle(actor: Actor, unit: AdminUnit) -> bool:
    if is_system(actor):
        return True
    province_id = unit.province_id or unit.pk
    return bool(scope_of(actor).roles_for(unit.pk, province_id) & HANDLERS)


def lock(report: Report, actor: Actor, *, check: bool = True) -> Report:
    """The report re-read under a row lock; NotFound if the actor may not handle it."""
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "province", "category")
        .get(pk=report.pk)
    )
    if check and not may_handle(actor, locked.unit):
        raise NotFound(_("No such report."))
    return locked


def require(report: Report, *statuses: str) -> None:
    if report.status not in statuses:
        raise Conflict(
            _("This cannot be done while the report is “%(status)s”.")
            % {"status": report.get_status_display()}
        )


def event(
    report: Report,
    action: str,
    actor: Actor,
    *,
    note: str = "",
    public: bool = True,
    from_unit: AdminUnit | None = None,
    to_unit: AdminUnit | None = None,
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        at=timezone.now(),
        action=action,
        status=report.status,
        actor_id=person_id(actor),
        actor_label=display_name(actor),
        from_unit=from_unit,
        to_unit=to_unit,
        note=note,
        public=public,
        data=data or {},
    )


def save(report: Report, *fields: str) -> None:
    report.updated_at = timezone.now()
    report.version += 1
    report.save(update_fields=[*fields, "updated_at", "version"])


def record(
    verb: str,
    report: Report,
    actor: Actor,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        f"feedback.{verb}",
        actor=actor,
        subject_type="feedback_report",
        subject_id=report.code,
        unit_id=report.unit_id,
        before=before,
        after=after,
    )
