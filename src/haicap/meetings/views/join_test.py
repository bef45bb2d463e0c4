"""The join test page: a browser joins a room with a join token and publishes its camera and
microphone, showing the round-trip time, bitrate and packet loss it measures (tests, debugging).

Off unless HAICAP_JANUS_JOIN_TEST_PAGE (default: HAICAP_DEBUG); the meetings app's own join
page, tied to a connection point, replaces it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from haicap.meetings.janus import MAX_ROOM, TOKEN

MAX_DISPLAY = 64


@never_cache
def join_test(request: HttpRequest) -> HttpResponse:
    if not settings.JANUS_JOIN_TEST_PAGE:
        raise Http404
    room, token = request.GET.get("room", ""), request.GET.get("token", "")
    display = request.GET.get("display", "").strip()
    error = None
    if not (room.isascii() and room.isdigit()) or not 0 < int(room) <= MAX_ROOM:
        error = _("The room is a number from 1 to %(max)s.") % {"max": MAX_ROOM}
    elif not TOKEN.fullmatch(token):
        error = _("The join token is 16 to 128 letters, digits or the characters _ . ~ -.")
    elif not display or len(display) > MAX_DISPLAY or not display.isprintable():
        error = _("The name shown to others is 1 to %(max)s printable characters.") % {
            "max": MAX_DISPLAY
        }
    if error:
        return render(request, "meetings/join_test.html", {"error": error}, status=400)
    context = {
        "room": room,
        "display": display,
        "config": {
            "server": settings.JANUS_PUBLIC_URL,
            "apisecret": settings.JANUS_API_SECRET,
            "room": int(room),
            "token": token,
            "display": display,
        },
        "words": {
            "starting": _("Starting…"),
            "joining": _("Joining the room…"),
            "publishing": _("Sending camera and microphone…"),
            "connected": _("Connected"),
            "refused": _("The room refused this join token"),
            "failed": _("The connection failed"),
            "leaving": _("Leaving…"),
            "left": _("Left the room"),
        },
    }
    return render(request, "meetings/join_test.html", context)
