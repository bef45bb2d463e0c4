"""What points do around the meeting: the connection test result their browser measured, the
roll-call (điểm danh) and requests to speak. The join page acts with the point's token (the
link is the point's key); officers act on the board for their own point, organisers for any."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.errors import Conflict, Invalid
from haicap.meetings.actions.common import clean_text, need_organiser, need_point, record
from haicap.meetings.models import Invitation, MeetingStatus, SpeakRequest, SpeakStatus

# A point is ready when its camera and microphone work and its link carries a meeting.
READY_RTT_MS = 400.0
READY_LOSS_PERCENT = 5.0
READY_BITRATE_KBPS = 150.0
MAX_DELEGATES = 500


@dataclass(frozen=True)
class TestResult:
    rtt_ms: float | None
    bitrate_kbps: float
    loss_percent: float
    camera: bool
    microphone: bool


def _bounded(value: float | None, field: str, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Invalid(_("A measurement is a number."), field=field)
    if not 0 <= value <= high:
        raise Invalid(
            _("%(field)s is 0 to %(high)s.") % {"field": field, "high": high}, field=field
        )
    return float(value)


def is_ready(result: TestResult) -> bool:
    return bool(
        result.camera
        and result.microphone
        and result.rtt_ms is not None
        and result.rtt_ms <= READY_RTT_MS
        and result.loss_percent <= READY_LOSS_PERCENT
        and result.bitrate_kbps >= READY_BITRATE_KBPS
    )


def do_record_test(invitation: Invitation, result: TestResult, *, actor: Actor) -> Invitation:
    """Store what the point's browser measured (a repeated test replaces the last one)."""
    checked = TestResult(
        rtt_ms=_bounded(result.rtt_ms, "rtt_ms", 60_000),
        bitrate_kbps=_bounded(result.bitrate_kbps, "bitrate_kbps", 1_000_000) or 0.0,
        loss_percent=_bounded(result.loss_percent, "loss_percent", 100) or 0.0,
        camera=bool(result.camera),
        microphone=bool(result.microphone),
    )
    meeting = invitation.meeting
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.OPEN):
        raise Conflict(_("This meeting is over: no more connection tests."), code="wrong_status")
    with transaction.atomic():
        ready = is_ready(checked)
        Invitation.objects.filter(pk=invitation.pk).update(
            tested_at=timezone.now(),
            test_rtt_ms=checked.rtt_ms,
            test_bitrate_kbps=checked.bitrate_kbps,
            test_loss_percent=checked.loss_percent,
            test_camera=checked.camera,
            test_microphone=checked.microphone,
            test_ready=ready,
        )
        record(
            "connection_test",
            meeting,
            actor=actor,
            after={"point": invitation.point_id, "ready": ready, "rtt_ms": checked.rtt_ms},
        )
    invitation.refresh_from_db()
    return invitation


def do_roll_call(
    invitation: Invitation,
    *,
    present: bool,
    delegates: int | None,
    names: str,
    actor: Actor,
    by_token: bool = False,
) -> Invitation:
    """The point's answer to the roll-call: present or not, how many delegates, who."""
    if not by_token:
        need_point(actor, invitation.point)
    if invitation.meeting.status in (MeetingStatus.CANCELLED,):
        raise Conflict(_("This meeting was cancelled."), code="wrong_status")
    if delegates is not None and not 0 <= delegates <= MAX_DELEGATES:
        raise Invalid(_("0 to %(n)d delegates.") % {"n": MAX_DELEGATES}, field="delegates")
    names = clean_text(names, "delegate_names", limit=4000, lines=True)
    if present and not delegates:
        raise Invalid(_("A point that is present has at least one delegate."), field="delegates")
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(
            present=present,
            delegates=delegates if present else 0,
            delegate_names=names if present else "",
            called_at=timezone.now(),
        )
        record(
            "roll_call",
            invitation.meeting,
            actor=actor,
            after={"point": invitation.point_id, "present": present, "delegates": delegates},
        )
    invitation.refresh_from_db()
    return invitation


def do_ask_to_speak(
    invitation: Invitation, *, speaker: str, topic: str, actor: Actor, by_token: bool = False
) -> tuple[SpeakRequest, bool]:
    """A request to speak; the point's waiting request if it has one already."""
    if not by_token:
        need_point(actor, invitation.point)
    if invitation.meeting.status != MeetingStatus.OPEN:
        raise Conflict(_("Requests to speak are taken while the meeting runs."), code="not_open")
    speaker = clean_text(speaker, "speaker", limit=100, required=True)
    topic = clean_text(topic, "topic", limit=300)
    waiting = invitation.speak_requests.filter(status=SpeakStatus.WAITING).first()
    if waiting is not None:
        return waiting, False
    try:
        with transaction.atomic():
            made = SpeakRequest.objects.create(invitation=invitation, speaker=speaker, topic=topic)
            record(
                "speak_request",
                invitation.meeting,
                actor=actor,
                after={"point": invitation.point_id, "request": made.pk},
            )
    except IntegrityError:  # the same click twice at once: one request
        found = invitation.speak_requests.get(status=SpeakStatus.WAITING)
        return found, False
    return made, True


HANDLING = {
    SpeakStatus.WAITING: {SpeakStatus.GRANTED, SpeakStatus.WITHDRAWN},
    SpeakStatus.GRANTED: {SpeakStatus.DONE},
}


def do_handle_speak(request: SpeakRequest, status: str, *, actor: Actor) -> SpeakRequest:
    """The chair gives the floor, marks a speech done, or a request is withdrawn."""
    invitation = request.invitation
    if status == SpeakStatus.WITHDRAWN:
        need_point(actor, invitation.point)
    else:
        need_organiser(actor, invitation.meeting)
    with transaction.atomic():
        request = SpeakRequest.objects.select_for_update().get(pk=request.pk)
        if status not in HANDLING.get(SpeakStatus(request.status), set()):
            raise Conflict(
                _("This request is %(status)s already.")
                % {"status": request.get_status_display().lower()},
                code="wrong_status",
            )
        request.status = status
        request.handled_at = timezone.now()
        request.save(update_fields=["status", "handled_at"])
        record(
            "speak_" + status,
            invitation.meeting,
            actor=actor,
            after={"point": invitation.point_id, "request": request.pk},
        )
    return request
