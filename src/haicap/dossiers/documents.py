"""The Circular 03/2025 forms as PDFs (WeasyPrint), in Vietnamese with their diacritics.

Receipt and appointment slip (with a QR code to the public lookup at HAICAP_SITE_URL),
supplement request, refusal to receive, apology with a new appointment, stop notice,
processing control sheet, return slip. Officers are printed by full name and title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from haicap.core.calendar import ZONE, calendar
from haicap.dossiers.models import Dossier, DossierEvent
from haicap.dossiers.names import event_actor_name, officer_of, receiving_officer
from haicap.procedures.models import ProcessStep
from haicap.procedures.rules import due_at, step_deadlines


@dataclass(frozen=True)
class Form:
    template: str
    title: str
    # The timeline action the form is about (its latest event fills the form), if any.
    action: str | None


ONLINE_TITLE = "Giấy xác nhận nộp hồ sơ trực tuyến"

FORMS: dict[str, Form] = {
    "receipt": Form("receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", None),
    "supplement": Form(
        "supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "request_supplement"
    ),
    "refusal": Form("refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "refuse_intake"),
    "apology": Form("apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "apologise"),
    "stop": Form("stop", "Thông báo dừng giải quyết hồ sơ", "stop"),
    "control-sheet": Form("control_sheet", "Phiếu kiểm soát quá trình giải quyết hồ sơ", None),
    "return-slip": Form("return_slip", "Phiếu trả kết quả giải quyết hồ sơ", "return_result"),
}


def lookup_url(dossier: Dossier) -> str:
    return (
        f"{settings.SITE_URL}/lookup/?{urlencode({'code': dossier.code, 'secret': dossier.secret})}"
    )


def qr_svg(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=1))


def available(dossier: Dossier, events: list[DossierEvent]) -> list[str]:
    """The forms this dossier has: receipt once received, the others once their event exists."""
    actions = {event.action for event in events}
    names = []
    for name, form in FORMS.items():
        if form.action is None:
            filed = dossier.received_at is not None or dossier.submitted_at is not None
            if filed or name == "control-sheet":
                names.append(name)
        elif form.action in actions:
            names.append(name)
    return names


def _control_rows(dossier: Dossier, events: list[DossierEvent]) -> list[dict[str, Any]]:
    steps: list[ProcessStep] = list(dossier.procedure.steps.order_by("order", "id"))
    if not steps or dossier.received_at is None or dossier.original_due_at is None:
        return []
    deadlines = step_deadlines(
        dossier.procedure, steps, dossier.received_at, dossier.original_due_at, calendar()
    )
    # A step is done when the dossier moves past it, or when processing ends.
    done: dict[int, DossierEvent] = {}
    for event in events:
        new_step = event.changes.get("step")
        if isinstance(new_step, int):
            for order in range(1, new_step):
                done.setdefault(order, event)
        if event.action in {"mark_result_ready", "return_result"}:
            for order in range(1, len(steps) + (1 if event.action == "return_result" else 0)):
                done.setdefault(order, event)
    rows = []
    for index, (step, deadline) in enumerate(deadlines, start=1):
        finished = done.get(index)
        rows.append(
            {
                "step": step,
                "deadline": deadline.astimezone(ZONE),
                "finished_at": finished.at.astimezone(ZONE) if finished else None,
                "by": event_actor_name(finished) if finished else "",
                "late": bool(finished and finished.at > deadline),
            }
        )
    return rows


def render(dossier: Dossier, name: str) -> bytes:
    """The PDF of form ``name`` for ``dossier``; LookupError if the dossier has no such form."""
    from weasyprint import HTML

    form = FORMS[name]
    events = list(dossier.events.select_related("actor").order_by("seq"))
    if name not in available(dossier, events):
        raise LookupError(name)
    event = next((e for e in reversed(events) if e.action == form.action), None)
    context = {
        "dossier": dossier,
        "form": form,
        "event": event,
        "events": events,
        "centre": dossier.receiving_centre,
        "papers": list(dossier.procedure.papers.order_by("order", "id")),
        "filed_papers": list(dossier.papers.all()),
        "lookup_url": lookup_url(dossier),
        "qr": qr_svg(lookup_url(dossier)),
        "now": timezone.now().astimezone(ZONE),
        "control_rows": _control_rows(dossier, events) if name == "control-sheet" else [],
        # Officers by full name and title; the citizen who filed online is no officer.
        "signer": officer_of(dossier, event),
        "receiver": receiving_officer(dossier, events),
        "timing": _timing(dossier),
        "new_due_at": _parse(event.data.get("new_due_at")) if event else None,
        "previous_due_at": _parse(event.data.get("previous_due_at")) if event else None,
        # An online dossier not yet accepted: a filing confirmation with the expected date.
        "title": ONLINE_TITLE if name == "receipt" and dossier.received_at is None else form.title,
        "expected_due": (
            due_at(dossier.procedure, dossier.submitted_at or timezone.now())
            if dossier.due_at is None
            else None
        ),
    }
    with translation.override("vi"):
        html = render_to_string(f"dossiers/pdf/{form.template}.html", context)
    pdf: bytes = HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
    return pdf


def _timing(dossier: Dossier) -> str:
    """Trước hạn, đúng hạn or quá hạn: when the result was returned against the appointment."""
    if dossier.returned_at is None or dossier.due_at is None:
        return ""
    returned = dossier.returned_at.astimezone(ZONE).date()
    due = dossier.due_at.astimezone(ZONE).date()
    if returned < due:
        return "Trước hạn"
    return "Đúng hạn" if dossier.returned_at <= dossier.due_at else "Quá hạn"


def _parse(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).astimezone(ZONE)
    return None
