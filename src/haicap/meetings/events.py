"""The receiver of Janus's event-handler callbacks: POST /-/janus/events.

Janus's sample event handler authenticates with HTTP basic auth (``backend_user`` and
``backend_pwd`` in ``janus.eventhandler.sampleevh.jcfg``): the user is ``janus`` and the password
is HAICAP_JANUS_EVENT_SECRET. Authenticated bodies are parsed and handed to the receivers of
``media.media_events``; anything else is refused and reaches no receiver.

Janus does not resend an event the receiver answered with an error (only one it could not
deliver at all), so a refused callback is lost: keep the two secrets in step.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import zlib

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haicap.core.errors import Invalid
from haicap.meetings.janus_events import parse_events
from haicap.meetings.media import media_events

logger = logging.getLogger(__name__)

EVENT_USER = "janus"
# Janus groups at most 100 events (about 1 kB each) into one body.
MAX_BODY = 1024 * 1024
REALM = 'Basic realm="haicap Janus events", charset="UTF-8"'


class BodyTooLarge(Invalid):
    pass


@csrf_exempt
@require_POST
def receive(request: HttpRequest) -> JsonResponse:
    secret = settings.JANUS_EVENT_SECRET
    if not secret:
        return _error(403, "forbidden", "This server takes no Janus events (no shared secret)")
    if not _authorized(request.headers.get("Authorization", ""), secret):
        # Janus drops what it could deliver but was refused: say so where operators look.
        logger.warning("Janus callback refused: wrong or missing shared secret")
        response = _error(401, "unauthorized", "Janus events need the shared secret")
        response["WWW-Authenticate"] = REALM
        return response
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _error(400, "bad_request", "Content-Length is not a number")
    try:
        if length > MAX_BODY:
            raise BodyTooLarge(f"A callback body is at most {MAX_BODY} bytes")
        payload = json.loads(_body(request))
        events = parse_events(payload, received_at=timezone.now())
    except BodyTooLarge as exc:
        return _error(413, "too_large", exc.message)
    except Invalid as exc:
        return _error(400, "bad_request", exc.message)
    except (ValueError, zlib.error, RecursionError):  # JSON, UTF-8, gzip, nesting
        return _error(400, "bad_request", "The body is not JSON (or not valid gzip)")
    media_events.send(sender=receive, events=events)
    count = len(payload) if isinstance(payload, list) else 1
    logger.debug("janus callback: %d events, %d kept", count, len(events))
    return JsonResponse({"received": count, "kept": len(events)})


def _authorized(header: str, secret: str) -> bool:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = f"{EVENT_USER}:{secret}".encode()
    # Constant time: a wrong guess says nothing about how much of it was right.
    return hmac.compare_digest(given, expected)


def _body(request: HttpRequest) -> bytes:
    raw = request.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise BodyTooLarge(f"A callback body is at most {MAX_BODY} bytes")
    if request.headers.get("Content-Encoding", "").lower() == "gzip":
        # Janus compresses when ``compress = true``; bound what the body may grow to.
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        raw = inflater.decompress(raw, MAX_BODY + 1)
        if len(raw) > MAX_BODY or inflater.unconsumed_tail:
            raise BodyTooLarge(f"A callback body is at most {MAX_BODY} bytes once inflated")
    return raw


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)
