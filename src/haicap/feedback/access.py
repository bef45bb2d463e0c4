"""Who sees which report (docs/design.md#access): officers the reports their roles reach,
everyone the public ones (without personal data), a citizen theirs with code and secret."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import NotFound
from haicap.feedback.actions.common import HANDLERS
from haicap.feedback.models import Report, Status
from haicap.staff.access import scope_of


def visible_reports(user: Actor) -> QuerySet[Report]:
    """The reports an officer's roles reach (none for anyone else)."""
    scope = scope_of(user)
    found = Report.objects.select_related("category", "unit", "province")
    if scope.everything:
        return found
    if not scope.is_staff:
        return found.none()
    return found.filter(Q(province_id__in=scope.provinces) | Q(unit_id__in=scope.units))


def public_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(is_public=True)
        .exclude(status=Status.MERGED)
        .select_related("category", "unit")
    )


def get_report_for(user: Actor, code: str, *, write: bool = False, ip: str | None = None) -> Report:
    """The report an officer reaches; NotFound when missing or out of reach. Reading the
    citizen's details is audited."""
    report = visible_reports(user).filter(code=code.strip().upper()[:20]).first()
    if report is None:
        raise NotFound(_("No such report."))
    if write:
        roles = scope_of(user).roles_for(report.unit_id, report.province_id)
        if not roles & HANDLERS:
            raise NotFound(_("No such report."))
    audit.record(
        "feedback.read",
        actor=user,
        subject_type="feedback_report",
        subject_id=report.code,
        unit_id=report.unit_id,
        ip=ip,
    )
    return report


def get_public_report(code: str) -> Report:
    report = public_reports().filter(code=code.strip().upper()[:20]).first()
    if report is None:
        raise NotFound(_("No such report."))
    return report


def get_own_report(code: str, secret: str) -> Report:
    """The citizen's report by its code and the secret they were given."""
    report = (
        Report.objects.select_related("category", "unit")
        .filter(code=code.strip().upper()[:20])
        .first()
    )
    if report is None or not secret or report.secret != secret.strip().upper():
        raise NotFound(_("No report matches this code and secret."))
    return report
