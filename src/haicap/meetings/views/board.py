"""The live board of a meeting: each point connected or not, audio, video, bitrate, last seen,
its connection test and roll-call; requests to speak; the attendance log as CSV or XLSX.
The rows refresh themselves every few seconds (htmx polling of ``board_rows``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from haicap.core import audit
from haicap.core.errors import DomainError
from haicap.core.tables import FORMATS, table_response
from haicap.meetings import actions
from haicap.meetings.access import can_run, get_invitation_for, speaks_for
from haicap.meetings.forms import RollCallForm
from haicap.meetings.models import Meeting, SpeakRequest, SpeakStatus
from haicap.meetings.serializers import ATTENDANCE_HEADER, attendance_rows, board_rows, state
from haicap.meetings.views.common import form_errors, meeting_or_404, officers

POLL_SECONDS = 3


def board_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    now = timezone.now()
    runs = can_run(request.user, meeting)
    rows: list[dict[str, Any]] = []
    invitations = list(board_rows(meeting))
    for invitation in invitations:
        stays = [a for a in invitation.attendances.all() if not a.is_test]
        rows.append(
            {
                "invitation": invitation,
                "state": state(invitation, now),
                "joined_at": stays[0].joined_at if stays else None,
                "left_at": stays[-1].left_at if stays else None,
                "stays": len(stays),
                "mine": runs or speaks_for(request.user, invitation.point),
            }
        )
    requests = list(
        SpeakRequest.objects.filter(
            invitation__meeting=meeting, status__in=[SpeakStatus.WAITING, SpeakStatus.GRANTED]
        ).select_related("invitation__point")
    )
    return {
        "meeting": meeting,
        "rows": rows,
        "connected": sum(1 for i in invitations if i.connected),
        "with_audio": sum(1 for i in invitations if i.audio),
        "with_video": sum(1 for i in invitations if i.video),
        "present": sum(1 for i in invitations if i.present),
        "delegates": sum(i.delegates or 0 for i in invitations),
        "requests": requests,
        "runs": runs,
        "now": now,
        "callable": [r for r in rows if r["mine"]] if meeting.status != "cancelled" else [],
        "poll": POLL_SECONDS if meeting.status in ("open", "scheduled") else 0,
    }


@officers
@never_cache
def board(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    return render(request, "meetings/board.html", board_context(request, meeting))


@officers
@never_cache
def board_rows_fragment(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    return render(request, "meetings/_board.html", board_context(request, meeting))


@officers
@require_POST
def roll_call(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    try:
        point_id = int(request.POST.get("point", ""))
    except ValueError:
        point_id = 0
    try:
        invitation = get_invitation_for(request.user, meeting, point_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    form = RollCallForm(request.POST)
    error = None
    if form.is_valid():
        try:
            actions.do_roll_call(
                invitation,
                present=form.cleaned_data["present"],
                delegates=form.cleaned_data["delegates"],
                names=form.cleaned_data["names"],
                actor=request.user,
            )
            messages.success(
                request, _("Roll-call recorded for %(point)s.") % {"point": invitation.point.name}
            )
            return redirect("conferences:board", meeting_id=meeting_id)
        except DomainError as exc:
            error, status = exc.message, exc.status
    else:
        error, status = form_errors(form), 422
    context = board_context(request, meeting)
    context["error"] = f"{invitation.point.name}: {error}"
    return render(request, "meetings/board.html", context, status=status)


@officers
@require_POST
def speak(request: HttpRequest, meeting_id: int, request_id: int, status: str) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    found = SpeakRequest.objects.select_related("invitation__point", "invitation__meeting").filter(
        pk=request_id, invitation__meeting=meeting
    )
    speak_request = found.first()
    if speak_request is None or status not in SpeakStatus.values:
        raise Http404
    try:
        actions.do_handle_speak(speak_request, status, actor=request.user)
    except DomainError as exc:
        context = board_context(request, meeting)
        context["error"] = exc.message
        return render(request, "meetings/board.html", context, status=exc.status)
    return redirect("conferences:board", meeting_id=meeting_id)


@officers
def attendance_file(request: HttpRequest, meeting_id: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    meeting = meeting_or_404(request, meeting_id)
    audit.record(
        "meetings.attendance_export",
        actor=request.user,
        subject_type="meeting",
        subject_id=meeting.pk,
        unit_id=meeting.province_id,
    )
    return table_response(
        fmt, f"diem-danh-{meeting.pk}", ATTENDANCE_HEADER, attendance_rows(meeting)
    )
