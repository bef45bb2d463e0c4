"""A meeting's page: its facts, agenda, points' readiness, the join links of the officer's own
points, and the organiser's steps (connection test, open, close, invitations, rehearsal)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError
from haicap.meetings import actions
from haicap.meetings.access import can_run, speaks_for
from haicap.meetings.forms import RehearsalForm
from haicap.meetings.models import Meeting, MeetingStatus
from haicap.meetings.views.common import meeting_or_404, officers

# action → (what it does, the statuses it is offered in, whether it is irreversible)
STEPS: dict[str, tuple[Any, tuple[str, ...], bool]] = {
    "send": (gettext_lazy("Notify the points' contacts"), ("scheduled", "open"), False),
    "letter": (gettext_lazy("Draft the invitation letter (Giấy mời)"), ("scheduled",), False),
    "open_test": (gettext_lazy("Open the connection test"), ("scheduled",), False),
    "close_test": (gettext_lazy("Close the connection test"), ("scheduled", "open"), False),
    "open": (gettext_lazy("Open the meeting"), ("scheduled", "open"), False),
    "close": (gettext_lazy("Close the meeting"), ("open",), True),
    "cancel": (gettext_lazy("Cancel the meeting"), ("scheduled",), True),
}
RUN: dict[str, Callable[..., Any]] = {
    "send": actions.do_send_invitations,
    "letter": actions.do_draft_invitation_letter,
    "open_test": actions.do_open_test,
    "close_test": actions.do_close_test,
    "open": actions.do_open_meeting,
    "close": actions.do_close_meeting,
    "cancel": actions.do_cancel_meeting,
}
DONE = {
    "send": gettext_lazy("%(n)s contacts will be notified."),
    "letter": gettext_lazy("The invitation letter is drafted in the documents."),
    "open_test": gettext_lazy("The connection test room is open."),
    "close_test": gettext_lazy("The connection test room is closed."),
    "open": gettext_lazy("The meeting is open: points may join."),
    "close": gettext_lazy("The meeting is closed; its rooms are gone."),
    "cancel": gettext_lazy("The meeting is cancelled."),
}


def offered(meeting: Meeting) -> list[tuple[str, Any, bool]]:
    steps = []
    for name, (label, statuses, final) in STEPS.items():
        if meeting.status not in statuses:
            continue
        if name == "close_test" and not meeting.test_room:
            continue
        if name == "open_test" and meeting.test_room:
            continue
        if name == "open" and meeting.room:
            continue
        if name == "letter" and meeting.invitation_document_id:
            continue
        steps.append((name, label, final))
    return steps


def context_for(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    invitations = list(meeting.invitations.select_related("point", "point__unit"))
    readiness = Counter(i.readiness for i in invitations)
    runs = can_run(request.user, meeting)
    own = [i for i in invitations if speaks_for(request.user, i.point)] if not runs else []
    host_invitation = next((i for i in invitations if i.point_id == meeting.host_id), None)
    return {
        "meeting": meeting,
        "agenda": list(meeting.agenda.prefetch_related("documents")),
        "points": len(invitations),
        "ready": readiness["ready"],
        "not_ready": readiness["not_ready"],
        "untested": readiness["untested"],
        "notified": sum(1 for i in invitations if i.notified_at),
        "runs": runs,
        "steps": offered(meeting) if runs else [],
        "own": own,
        "host_invitation": host_invitation if runs else None,
        "rehearsal_form": RehearsalForm(),
        "rehearsals": list(meeting.rehearsals.all()),
    }


@officers
def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    return render(request, "meetings/meeting.html", context_for(request, meeting))


@officers
@require_POST
def act(request: HttpRequest, meeting_id: int, action: str) -> HttpResponse:
    if action not in RUN:
        raise Http404
    meeting = meeting_or_404(request, meeting_id)
    label, _statuses, final = STEPS[action]
    if final and request.POST.get("confirmed") != "yes" and can_run(request.user, meeting):
        return render(
            request,
            "core/confirm.html",
            {
                "question": f"{label}: {meeting.title}?",
                "warning": _("This cannot be undone."),
                "action": request.path,
                "fields": [],
                "yes": format_lazy("{}: {}", _("Yes"), label),
                "back": reverse("conferences:meeting", args=[meeting.pk]),
            },
        )
    try:
        result = RUN[action](meeting, actor=request.user)
    except DomainError as exc:
        context = context_for(request, meeting_or_404(request, meeting_id))
        context["error"] = exc.message
        return render(request, "meetings/meeting.html", context, status=exc.status)
    messages.success(request, str(DONE[action]) % {"n": result if isinstance(result, int) else ""})
    if action == "letter":
        return redirect("documents:document", document_id=result.pk)
    return redirect("conferences:meeting", meeting_id=meeting_id)


@officers
@require_POST
def rehearsal(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    form = RehearsalForm(request.POST)
    context = context_for(request, meeting)
    context["rehearsal_form"] = form
    if not form.is_valid():
        return render(request, "meetings/meeting.html", context, status=422)
    try:
        made = actions.do_create_rehearsal(
            meeting,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            actor=request.user,
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return render(request, "meetings/meeting.html", context, status=exc.status)
    messages.success(request, _("The rehearsal is scheduled with every point of the meeting."))
    return redirect("conferences:meeting", meeting_id=made.pk)


__all__ = ["MeetingStatus"]
