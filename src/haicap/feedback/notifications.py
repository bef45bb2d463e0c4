"""Messages about reports, in Vietnamese: to the citizen (text message and e-mail) on receipt
with the tracking code, on the answer and on a transfer; to the unit's officers before and
after the deadline. Every message is audited; numbers and addresses never reach the logs."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haicap.core import audit
from haicap.core.actors import SYSTEM
from haicap.core.calendar import calendar
from haicap.core.sms import backend as sms_backend
from haicap.core.templatetags.haicap import vn_datetime
from haicap.feedback.models import Report, ReportEvent, Status
from haicap.staff.models import RoleAssignment

REMIND_EVERY = dt.timedelta(hours=20)
CLOSE_AFTER = dt.timedelta(days=7)
WORKING = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)


def compose(report: Report, event: ReportEvent) -> tuple[str, str]:
    if event.action == "file":
        text = (
            f"Phản ánh {report.code} đã được tiếp nhận, chuyển {report.unit.name} xử lý. "
            f"Hạn trả lời: {vn_datetime(report.due_at)}. Mã bí mật tra cứu: {report.secret}."
        )
        return f"Đã tiếp nhận phản ánh {report.code}", text
    if event.action == "answer":
        text = f"Phản ánh {report.code} đã được {report.unit.name} trả lời: {report.answer[:300]}"
        return f"Trả lời phản ánh {report.code}", text
    text = (
        f"Phản ánh {report.code} được chuyển đến {report.unit.name}. Lý do: {event.note[:200]}. "
        f"Hạn trả lời: {vn_datetime(report.due_at)}."
    )
    return f"Phản ánh {report.code} được chuyển xử lý", text


def send(event_id: int) -> int:
    event = ReportEvent.objects.select_related("report", "report__unit").get(pk=event_id)
    report = event.report
    subject, text = compose(report, event)
    channels = []
    phone = report.phone or report.callback_phone
    if phone:
        sms_backend().send(phone, text)
        channels.append("sms")
    if report.email:
        send_mail(subject, text, None, [report.email], fail_silently=False)
        channels.append("email")
    audit.record(
        "feedback.notify",
        actor=SYSTEM,
        subject_type="feedback_report",
        subject_id=report.code,
        unit_id=report.unit_id,
        after={"event": event.pk, "action": event.action, "channels": channels},
    )
    return len(channels)


def _officer_emails(unit_id: int) -> list[str]:
    users = RoleAssignment.objects.filter(
        unit_id=unit_id, is_active=True, role__in=("receiver", "specialist", "leader")
    ).values("user_id")
    return sorted(
        {
            str(e)
            for e in get_user_model()
            .objects.filter(pk__in=users, is_active=True)
            .values_list("email", flat=True)
            if e
        }
    )


def remind_due(now: dt.datetime | None = None) -> int:
    """Remind the unit of each open report due within a working day; flag the overdue."""
    now = now or timezone.now()
    horizon = calendar().due_in_working_days(now, 1)
    due = (
        Report.objects.select_related("unit", "category")
        .filter(status__in=WORKING, due_at__lte=horizon)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
    )
    sent = 0
    for report in due[:500]:
        late = report.due_at < now
        emails = _officer_emails(report.unit_id)
        state = "quá hạn" if late else "sắp đến hạn"
        if emails:
            send_mail(
                f"Phản ánh {report.code} {state}",
                f"{report.category.name}: hạn trả lời {vn_datetime(report.due_at)}.",
                None,
                emails,
                fail_silently=False,
            )
        with transaction.atomic():
            fields = {"reminded_at": now}
            if late and report.overdue_at is None:
                fields["overdue_at"] = now
            Report.objects.filter(pk=report.pk).update(**fields)
            audit.record(
                "feedback.remind",
                actor=SYSTEM,
                subject_type="feedback_report",
                subject_id=report.code,
                unit_id=report.unit_id,
                after={"overdue": late, "recipients": len(emails)},
            )
        sent += 1
    return sent


def close_answered(now: dt.datetime | None = None) -> int:
    """Answers not reopened within 7 days close."""
    from haicap.feedback.actions import do_close_report

    now = now or timezone.now()
    closed = 0
    for report in Report.objects.filter(status=Status.ANSWERED, answered_at__lt=now - CLOSE_AFTER)[
        :500
    ]:
        do_close_report(report, actor=SYSTEM)
        closed += 1
    return closed
