"""Messages to connection points' technical contacts, in Vietnamese: the invitation with the
point's join link, by e-mail and by SMS. Each sending is audited (without addresses)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation

from haicap.core import audit, sms
from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.meetings.models import Invitation


def join_url(invitation: Invitation) -> str:
    with translation.override("vi"):
        path = reverse("conferences:join", args=[invitation.meeting_id])
    return f"{settings.SITE_URL}{path}?token={invitation.token}"


def invitation(invitation_id: int) -> int:
    found = Invitation.objects.select_related("meeting", "point", "meeting__host").get(
        pk=invitation_id
    )
    meeting, point = found.meeting, found.point
    when = meeting.starts_at.astimezone(ZONE)
    subject = f"Giấy mời họp trực tuyến: {meeting.title}"
    text = (
        f"Kính gửi {point.contact_name or point.name},\n"
        f"Điểm cầu {point.name} được mời dự {meeting.title}, "
        f"lúc {when:%H:%M} ngày {when:%d/%m/%Y}, điểm cầu chủ trì: {meeting.host.name}.\n"
        f"Đường dẫn tham dự và kiểm tra kết nối của điểm cầu: {join_url(found)}\n"
        "Đề nghị kiểm tra kết nối trước giờ họp."
    )
    sent = 0
    if point.contact_email:
        send_mail(subject, text, None, [point.contact_email], fail_silently=False)
        sent += 1
    if point.contact_phone:
        sms.backend().send(
            point.contact_phone, f"{subject}, {when:%H:%M %d/%m/%Y}. {join_url(found)}"
        )
        sent += 1
    audit.record(
        "meetings.notify_invitation",
        actor=SYSTEM,
        subject_type="meeting",
        subject_id=meeting.pk,
        unit_id=point.unit_id,
        after={"point": point.pk, "messages": sent},
    )
    return sent
