"""After (and around) the meeting: the minutes (biên bản), conclusions assigned to units with
deadlines in working days, and the papers issued through the documents app: the invitation
letter (Giấy mời) and the minutes (Biên bản), each a draft of the host's People's Committee
that its document office approves, numbers, signs and sends as any other."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.calendar import ZONE, calendar
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.documents import actions as documents
from haicap.documents.agencies import ensure_agency
from haicap.documents.files import Upload
from haicap.documents.models import Agency, AgencyKind, Document
from haicap.meetings.access import can_run
from haicap.meetings.actions.common import (
    bump,
    check_version,
    clean_text,
    locked,
    need_organiser,
    need_status,
    record,
)
from haicap.meetings.models import Conclusion, ConclusionStatus, Meeting, MeetingStatus
from haicap.staff.access import scope_of
from haicap.units.models import AdminUnit

MAX_MINUTES = 100_000
MAX_WORKING_DAYS = 250
MAX_RECIPIENTS = 200  # documents.actions.outgoing.MAX_RECIPIENTS


def do_save_minutes(
    meeting: Meeting, text: str, *, actor: Actor, version: int | None = None
) -> Meeting:
    need_organiser(actor, meeting)
    text = clean_text(text, "minutes", limit=MAX_MINUTES, lines=True)
    with transaction.atomic():
        meeting = locked(meeting)
        check_version(meeting, version)
        need_status(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED, what=_("take minutes"))
        if meeting.minutes_document_id:
            raise Conflict(_("The minutes were issued; they change no more."), code="issued")
        meeting.minutes = text
        meeting.minutes_updated_at = timezone.now()
        bump(meeting, ["minutes", "minutes_updated_at"])
        record("minutes", meeting, actor=actor, after={"characters": len(text)})
    return meeting


def do_add_conclusion(
    meeting: Meeting, *, unit: AdminUnit, text: str, working_days: int, actor: Actor
) -> Conclusion:
    """A conclusion for ``unit``, due at close of office ``working_days`` after the meeting."""
    need_organiser(actor, meeting)
    text = clean_text(text, "text", limit=2000, required=True, lines=True)
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise Invalid(_("1 to %(n)d working days.") % {"n": MAX_WORKING_DAYS}, field="working_days")
    if (
        not meeting.invitations.filter(point__unit=unit).exists()
        and unit.pk != meeting.host.unit_id
    ):
        raise Invalid(_("Assign conclusions to the units of the invited points."), field="unit")
    due_at = calendar().due_in_working_days(meeting.ends_at, working_days)
    with transaction.atomic():
        meeting = locked(meeting)
        need_status(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED, what=_("take conclusions"))
        conclusion = Conclusion.objects.create(
            meeting=meeting, unit=unit, text=text, working_days=working_days, due_at=due_at
        )
        record(
            "conclusion_add",
            meeting,
            actor=actor,
            after={"conclusion": conclusion.pk, "unit": unit.code, "due_at": due_at.isoformat()},
        )
    return conclusion


def can_report(actor: Actor, conclusion: Conclusion) -> bool:
    scope = scope_of(actor)
    return (
        scope.everything
        or conclusion.unit_id in scope.units
        or conclusion.unit_id in scope.provinces
        or can_run(actor, conclusion.meeting)
    )


def do_complete_conclusion(conclusion: Conclusion, *, note: str, actor: Actor) -> Conclusion:
    """The assigned unit reports the conclusion done (once)."""
    if not can_report(actor, conclusion):
        raise Forbidden(_("Only the assigned unit or the organisers report on this conclusion."))
    note = clean_text(note, "note", limit=1000, required=True)
    with transaction.atomic():
        conclusion = (
            Conclusion.objects.select_for_update().select_related("meeting").get(pk=conclusion.pk)
        )
        if conclusion.status == ConclusionStatus.DONE:
            return conclusion  # reported already: a retried form changes nothing
        now = timezone.now()
        conclusion.status = ConclusionStatus.DONE
        conclusion.done_at = now
        conclusion.done_note = note
        conclusion.save(update_fields=["status", "done_at", "done_note"])
        record(
            "conclusion_done",
            conclusion.meeting,
            actor=actor,
            after={"conclusion": conclusion.pk, "late": now > conclusion.due_at},
        )
    return conclusion


def _pdf(template: str, context: dict[str, object]) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf())


def _recipients(meeting: Meeting) -> list[documents.Recipient]:
    units = meeting.invitations.exclude(point__unit=meeting.host.unit).values("point__unit_id")
    committees = Agency.objects.filter(
        unit_id__in=units, kind=AgencyKind.PEOPLES_COMMITTEE, valid_to__isnull=True
    ).order_by("code")
    found = [documents.Recipient(code=a.code, name=a.name) for a in committees]
    if len(found) > MAX_RECIPIENTS:
        # The letter then names them in its annex; the exchange sends to none automatically.
        return [documents.Recipient(code="", name=_("The invited points (list attached)"))]
    return found


def _draft(
    meeting: Meeting, *, actor: Actor, type_code: str, subject: str, pdf: bytes, name: str
) -> Document:
    agency = ensure_agency(meeting.host.unit, AgencyKind.PEOPLES_COMMITTEE)
    return documents.do_create_draft(
        agency,
        documents.Draft(
            type_code=type_code,
            subject=subject[:500],
            recipients=_recipients(meeting),
        ),
        actor=actor,
        uploads=[Upload(name, pdf, "application/pdf", ".pdf")],
    )


def _context(meeting: Meeting) -> dict[str, object]:
    return {
        "meeting": meeting,
        "starts": meeting.starts_at.astimezone(ZONE),
        "ends": meeting.ends_at.astimezone(ZONE),
        "agenda": list(meeting.agenda.all()),
        "invitations": list(
            meeting.invitations.select_related("point").order_by("point__kind", "point__name")
        ),
        "conclusions": list(meeting.conclusions.select_related("unit")),
    }


def do_draft_invitation_letter(meeting: Meeting, *, actor: Actor) -> Document:
    """The Giấy mời, drafted in the host's document register (a draft for its office)."""
    need_organiser(actor, meeting)
    if meeting.invitation_document_id:
        return Document.objects.get(pk=meeting.invitation_document_id)
    pdf = _pdf("meetings/pdf/invitation.html", _context(meeting))
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.invitation_document_id:  # drafted meanwhile (a retried click)
            return Document.objects.get(pk=meeting.invitation_document_id)
        need_status(meeting, MeetingStatus.SCHEDULED, what=_("have its invitation drafted"))
        document = _draft(
            meeting,
            actor=actor,
            type_code="GM",
            subject=f"Mời dự {meeting.title}",
            pdf=pdf,
            name="giay-moi.pdf",
        )
        meeting.invitation_document = document
        bump(meeting, ["invitation_document"])
        record("invitation_letter", meeting, actor=actor, after={"document": document.pk})
    return document


def do_issue_minutes(meeting: Meeting, *, actor: Actor) -> Document:
    """The minutes as a Biên bản draft of the host's People's Committee; they then freeze."""
    need_organiser(actor, meeting)
    if meeting.minutes_document_id:
        return Document.objects.get(pk=meeting.minutes_document_id)
    if not meeting.minutes.strip():
        raise Invalid(_("Write the minutes first."), field="minutes")
    need_status(meeting, MeetingStatus.CLOSED, what=_("have its minutes issued before it closes"))
    pdf = _pdf("meetings/pdf/minutes.html", _context(meeting))
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.minutes_document_id:  # issued meanwhile (a retried click)
            return Document.objects.get(pk=meeting.minutes_document_id)
        document = _draft(
            meeting,
            actor=actor,
            type_code="BB",
            subject=f"Biên bản {meeting.title}",
            pdf=pdf,
            name="bien-ban.pdf",
        )
        meeting.minutes_document = document
        bump(meeting, ["minutes_document"])
        record("minutes_issued", meeting, actor=actor, after={"document": document.pk})
    return document
