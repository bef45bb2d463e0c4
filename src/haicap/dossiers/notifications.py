"""Telling applicants what happened: e-mail and text message on receipt, supplement request,
result ready, apology, and a move to a successor unit. Sent by jobs (tasks.py) enqueued in
the change's own transaction, so a rolled-back change sends nothing and a committed one is
never forgotten; the job retries on failure. Every message sent is audited."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils import translation

from haicap.core import audit
from haicap.core.actors import SYSTEM
from haicap.core.sms import backend as sms_backend
from haicap.core.templatetags.haicap import vn_datetime, vnd
from haicap.dossiers.documents import lookup_url
from haicap.dossiers.models import Dossier, DossierEvent, DossierPlacement, Notice

logger = logging.getLogger(__name__)

# Timeline actions worth a message, and what the message is about.
NOTIFY = {
    "intake": "received",
    "submit": "submitted",
    "accept": "received",
    "request_supplement": "supplement",
    "mark_result_ready": "result",
    "apologise": "apology",
    "request_payment": "payment",
    "pay": "paid",
    "record_payment": "paid",
}


def compose(dossier: Dossier, event: DossierEvent) -> tuple[str, str]:
    """Subject and text, in Vietnamese (the applicant's language on the forms)."""
    kind = NOTIFY[event.action]
    link = lookup_url(dossier)
    name = dossier.procedure.name
    if kind == "submitted":
        text = (
            f"Hồ sơ {dossier.code} ({name}) đã được nộp trực tuyến. "
            f"Mã bí mật tra cứu: {dossier.secret}. Theo dõi tại {link}"
        )
        return f"Đã nộp hồ sơ {dossier.code}", text
    if kind == "received":
        text = (
            f"Hồ sơ {dossier.code} ({name}) đã được tiếp nhận. "
            f"Hẹn trả kết quả: {vn_datetime(dossier.due_at)}. Tra cứu: {link}"
        )
        return f"Đã tiếp nhận hồ sơ {dossier.code}", text
    if kind == "supplement":
        missing = "; ".join(event.data.get("missing", []))
        text = (
            f"Hồ sơ {dossier.code} cần bổ sung: {missing}. Lý do: {event.note}. "
            f"Bổ sung trực tuyến tại {link}"
        )
        return f"Hồ sơ {dossier.code} cần bổ sung", text
    if kind == "result":
        text = f"Hồ sơ {dossier.code} ({name}) đã có kết quả. Xem và nhận kết quả: {link}"
        return f"Hồ sơ {dossier.code} đã có kết quả", text
    if kind == "payment":
        text = (
            f"Hồ sơ {dossier.code} ({name}) cần nộp phí, lệ phí {vnd(dossier.fee)}. "
            f"Thanh toán trực tuyến hoặc tại bộ phận một cửa. Tra cứu: {link}"
        )
        return f"Hồ sơ {dossier.code} cần nộp phí", text
    if kind == "paid":
        text = f"Đã nhận phí, lệ phí {vnd(dossier.fee)} của hồ sơ {dossier.code}. Tra cứu: {link}"
        return f"Đã nộp phí hồ sơ {dossier.code}", text
    text = (
        f"Xin lỗi Ông/Bà: hồ sơ {dossier.code} sẽ trả kết quả chậm. Lý do: {event.note}. "
        f"Hẹn trả mới: {vn_datetime(dossier.due_at)}. Tra cứu: {link}"
    )
    return f"Thư xin lỗi: hồ sơ {dossier.code}", text


def send(event_id: int) -> None:
    """Send the messages for one event (the job's body); raises so the job is retried."""
    event = DossierEvent.objects.select_related("dossier", "dossier__procedure").get(pk=event_id)
    dossier = event.dossier
    with translation.override("vi"):
        subject, text = compose(dossier, event)
    channels = _deliver(dossier, subject, text)
    audit.record(
        "dossier.notify",
        actor=SYSTEM,
        subject_type="dossier",
        subject_id=dossier.code,
        unit_id=dossier.responsible_unit_id,
        after={"event": event.seq, "action": event.action, "channels": channels},
    )
    logger.info("notified dossier %s of %s by %s", dossier.code, event.action, channels)


def send_moved(plan_name: str, first_placement: int, last_placement: int) -> int:
    """Tell the applicants of one moved batch where their dossier went; returns how many."""
    placements = DossierPlacement.objects.filter(
        id__gte=first_placement, id__lte=last_placement, moved_at__isnull=False
    ).values_list("dossier_id", "new_receiving__name", "old_receiving__name", "plan_id")
    names = {dossier: (new, old, plan) for dossier, new, old, plan in placements}
    sent = 0
    for dossier in Dossier.objects.filter(pk__in=names).exclude(
        applicant_email="", applicant_phone=""
    ):
        new, old, plan = names[dossier.pk]
        text = (
            f"Hồ sơ {dossier.code} của Ông/Bà được chuyển từ {old} về {new} theo {plan_name}. "
            f"Thời hạn giải quyết giữ nguyên. Tra cứu: {lookup_url(dossier)}"
        )
        channels = _deliver(dossier, f"Hồ sơ {dossier.code} chuyển về {new}", text)
        audit.record(
            "dossier.notify",
            actor=SYSTEM,
            subject_type="dossier",
            subject_id=dossier.code,
            unit_id=dossier.responsible_unit_id,
            after={"action": "move", "plan": plan, "channels": channels},
        )
        sent += 1
    return sent


def with_secret(dossier: Dossier, text: str) -> str:
    """Every message carries the lookup secret, so the applicant never loses it."""
    if dossier.secret in text:
        return text
    return f"{text} Mã hồ sơ: {dossier.code}, mã bí mật tra cứu: {dossier.secret}."


def _deliver(dossier: Dossier, subject: str, text: str) -> list[str]:
    """Send by e-mail and text message where the applicant gave them; the channels used.

    Each message is also kept as a Notice: the citizen's inbox on the portal.
    """
    text = with_secret(dossier, text)
    channels = []
    if dossier.applicant_email:
        send_mail(subject, text, None, [dossier.applicant_email])
        channels.append("email")
    if dossier.applicant_phone:
        sms_backend().send(dossier.applicant_phone, text)
        channels.append("sms")
    Notice.objects.create(dossier=dossier, subject=subject[:200], text=text, channels=channels)
    return channels
