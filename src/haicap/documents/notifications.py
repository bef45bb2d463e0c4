"""Messages to officers about documents, by e-mail, in Vietnamese: an urgent document has
arrived, a document was routed to you, a deadline is near or past. Each is audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from haicap.core import audit
from haicap.core.actors import SYSTEM
from haicap.core.calendar import calendar
from haicap.core.templatetags.haicap import vn_datetime
from haicap.documents.models import OPEN_INCOMING, AgencyKind, AgencyRole, Document, DocumentEvent
from haicap.staff.models import Role, RoleAssignment

# A reminder again after this long for a document still open.
REMIND_EVERY = dt.timedelta(hours=20)


def _mail(emails: list[str], subject: str, text: str, document: Document, kind: str) -> int:
    emails = sorted({e for e in emails if e})
    if emails:
        send_mail(subject, text, None, emails, fail_silently=False)
    audit.record(
        f"document.notify_{kind}",
        actor=SYSTEM,
        subject_type="document",
        subject_id=document.pk,
        unit_id=document.agency.unit_id,
        after={"recipients": len(emails)},
    )
    return len(emails)


def _clerks(document: Document) -> list[str]:
    users = get_user_model().objects.filter(is_active=True)
    direct = AgencyRole.objects.filter(agency=document.agency, role=Role.CLERK, is_active=True)
    found = users.filter(pk__in=direct.values("user_id"))
    if document.agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        unit_clerks = RoleAssignment.objects.filter(
            unit_id=document.agency.unit_id, role=Role.CLERK, is_active=True
        )
        found = found | users.filter(pk__in=unit_clerks.values("user_id"))
    return [str(email) for email in found.values_list("email", flat=True)]


def _handlers(document: Document) -> list[str]:
    return [
        str(email)
        for email in get_user_model()
        .objects.filter(Q(pk=document.lead_id) | Q(pk__in=document.handlers.values("user_id")))
        .values_list("email", flat=True)
    ]


def arrival(document_id: int) -> int:
    document = Document.objects.select_related("agency").get(pk=document_id)
    subject = f"[{document.get_urgency_display()}] Văn bản đến {document.number_text}"
    text = f"{document.sender_name} gửi: {document.subject}. Đề nghị vào sổ và trình ngay."
    return _mail(_clerks(document), subject, text, document, "arrival")


def routing(document_id: int) -> int:
    document = Document.objects.select_related("agency").get(pk=document_id)
    subject = f"[{document.get_urgency_display()}] Giao xử lý văn bản {document.number_text}"
    text = f"{document.subject}. Hạn xử lý: {vn_datetime(document.due_at) or 'không đặt'}."
    return _mail(_handlers(document), subject, text, document, "routing")


def remind_due(now: dt.datetime | None = None) -> int:
    """Remind the handlers of every open document due within a working day or overdue."""
    now = now or timezone.now()
    horizon = calendar().due_in_working_days(now, 1)
    due = (
        Document.objects.select_related("agency")
        .filter(status__in=OPEN_INCOMING, due_at__lte=horizon)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
        .order_by("-urgency", "due_at")[:1000]
    )
    sent = 0
    for document in due:
        late = document.due_at is not None and document.due_at < now
        word = "Quá hạn" if late else "Sắp đến hạn"
        subject = f"[{word}] Văn bản {document.number_text or document.subject[:60]}"
        text = f"{document.subject}. Hạn xử lý: {vn_datetime(document.due_at)}."
        sent += _mail(_handlers(document), subject, text, document, "reminder")
        Document.objects.filter(pk=document.pk).update(reminded_at=now)
        DocumentEvent.objects.create(
            document=document,
            action="remind",
            actor_label="system",
            data={"overdue": late},
        )
    return sent
