"""A point's join page: its browser joins the meeting's room (or the connection-test room)
with the point's token, sends camera, microphone or screen, shows the host, measures the link
with getStats() and, in a test, posts what it measured. The token is the point's key: the page
needs no sign-in (a meeting-room computer often has no officer's account) and a token of
another meeting is refused."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError, NotFound
from haicap.meetings import actions
from haicap.meetings.access import invitation_by_token
from haicap.meetings.forms import RollCallForm, SpeakForm
from haicap.meetings.janus import TOKEN
from haicap.meetings.models import Invitation, MeetingStatus
from haicap.meetings.views.common import form_errors

MAX_BODY = 4096


def _invitation(meeting_id: int, token: str) -> Invitation:
    if not TOKEN.fullmatch(token):
        raise NotFound(_("This join link is not valid for this meeting."))
    return invitation_by_token(meeting_id, token)


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "meetings/message.html", {"message": exc.message}, status=exc.status)


WORDS = {
    "starting": gettext_noop("Starting…"),
    "joining": gettext_noop("Joining the room…"),
    "publishing": gettext_noop("Sending camera and microphone…"),
    "connected": gettext_noop("Connected"),
    "refused": gettext_noop("The room refused this join link"),
    "failed": gettext_noop("The connection failed"),
    "leaving": gettext_noop("Leaving…"),
    "left": gettext_noop("Left the room"),
    "closed": gettext_noop("The room is not open yet"),
    "measuring": gettext_noop("Measuring the link…"),
    "saved": gettext_noop("Result saved"),
    "ready": gettext_noop("Ready"),
    "not_ready": gettext_noop("Not ready"),
    "screen": gettext_noop("Sharing the screen"),
    "camera": gettext_noop("Sending the camera"),
}


@never_cache
def join_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        invitation = _invitation(meeting_id, request.GET.get("token", ""))
    except DomainError as exc:
        return _refused(request, exc)
    meeting = invitation.meeting
    test = request.GET.get("mode") == "test" or (
        meeting.room is None and meeting.test_room is not None
    )
    room = meeting.test_room if test else meeting.room
    words = {key: _(text) for key, text in WORDS.items()}
    context: dict[str, Any] = {
        "invitation": invitation,
        "meeting": meeting,
        "point": invitation.point,
        "test": test,
        "room": room,
        "token": invitation.token,
        "closed": room is None
        or meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.OPEN),
        "speak_form": SpeakForm(),
        "roll_form": RollCallForm(
            initial={
                "present": "1",
                "delegates": invitation.delegates,
                "names": invitation.delegate_names,
            }
        ),
        "config": {
            "server": settings.JANUS_PUBLIC_URL,
            "apisecret": settings.JANUS_API_SECRET,
            "room": room,
            "token": invitation.token,
            "display": invitation.point.name,
            "host": meeting.host.name,
            "test": test,
            "seconds": 10,
            "result_url": reverse("conferences:join_test_result", args=[meeting.pk]),
        },
        "words": words,
    }
    return render(request, "meetings/join.html", context)


def _number(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    return value if value is None or isinstance(value, int | float) else "bad"


@require_POST
def test_result(request: HttpRequest, meeting_id: int) -> JsonResponse:
    """What the page measured: JSON ``{token, rtt_ms, bitrate_kbps, loss_percent, camera,
    microphone}``; 4xx with a message for anything else, nothing stored."""
    if not (request.content_type or "").endswith("json"):
        return _json_error(415, "unsupported_media_type", _("The result is sent as JSON."))
    if len(request.body) > MAX_BODY:
        return _json_error(413, "too_large", _("The result is at most 4 kB."))
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        return _json_error(400, "bad_request", _("The result is not JSON."))
    if not isinstance(body, dict) or not isinstance(body.get("token"), str):
        return _json_error(400, "bad_request", _("The result names the point's token."))
    try:
        invitation = _invitation(meeting_id, body["token"])
        for name in ("rtt_ms", "bitrate_kbps", "loss_percent"):
            if _number(body, name) == "bad":
                raise actions_invalid(name)
        if not isinstance(body.get("camera"), bool) or not isinstance(body.get("microphone"), bool):
            raise actions_invalid("camera")
        saved = actions.do_record_test(
            invitation,
            actions.TestResult(
                rtt_ms=body.get("rtt_ms"),
                bitrate_kbps=body.get("bitrate_kbps") or 0,
                loss_percent=body.get("loss_percent") or 0,
                camera=body["camera"],
                microphone=body["microphone"],
            ),
            actor=request.user,
        )
    except DomainError as exc:
        return _json_error(exc.status, exc.code, exc.message, exc.field)
    return JsonResponse({"ready": saved.test_ready, "readiness": saved.readiness})


def actions_invalid(field: str) -> DomainError:
    from haicap.core.errors import Invalid

    return Invalid(
        _("%(field)s is a number (camera and microphone: true or false).") % {"field": field},
        field=field,
    )


def _json_error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    error = {"code": code, "message": message}
    if field:
        error["field"] = field
    return JsonResponse({"error": error}, status=status)


@require_POST
def ask_to_speak(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        invitation = _invitation(meeting_id, request.POST.get("token", ""))
    except DomainError as exc:
        return _refused(request, exc)
    form = SpeakForm(request.POST)
    if not form.is_valid():
        message = form_errors(form)
        return render(request, "meetings/_join_answer.html", {"message": message}, status=422)
    try:
        made, _created = actions.do_ask_to_speak(
            invitation,
            speaker=form.cleaned_data["speaker"],
            topic=form.cleaned_data["topic"],
            actor=request.user,
            by_token=True,
        )
    except DomainError as exc:
        return render(
            request, "meetings/_join_answer.html", {"message": exc.message}, status=exc.status
        )
    message = _("Your request to speak is number %(n)s in the list.") % {
        "n": made.invitation.meeting.invitations.filter(
            speak_requests__status="waiting", speak_requests__asked_at__lte=made.asked_at
        ).count()
    }
    return render(request, "meetings/_join_answer.html", {"message": message, "ok": True})


@require_POST
def roll_call(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        invitation = _invitation(meeting_id, request.POST.get("token", ""))
    except DomainError as exc:
        return _refused(request, exc)
    form = RollCallForm(request.POST)
    if not form.is_valid():
        message = form_errors(form)
        return render(request, "meetings/_join_answer.html", {"message": message}, status=422)
    try:
        actions.do_roll_call(
            invitation,
            present=form.cleaned_data["present"],
            delegates=form.cleaned_data["delegates"],
            names=form.cleaned_data["names"],
            actor=request.user,
            by_token=True,
        )
    except DomainError as exc:
        return render(
            request, "meetings/_join_answer.html", {"message": exc.message}, status=exc.status
        )
    return render(
        request, "meetings/_join_answer.html", {"message": _("Roll-call recorded."), "ok": True}
    )


__all__ = ["Http404"]
