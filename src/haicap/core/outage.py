"""A database outage answers 503 with Retry-After at once, never a 500 after a long wait.

The pool waits ``HAICAP_DB_POOL_TIMEOUT_MS`` for a connection and libpq gives up
connecting after ``connect_timeout``; the error that follows reaches ``outage_response``
from the page handler (``handler500``) or the API's exception handler.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from psycopg_pool import PoolTimeout
from psycopg_pool.base import AttemptWithBackoff

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 5


def is_database_outage(exc: BaseException | None) -> bool:
    """True when ``exc`` says the database cannot be reached (not a bad query)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, PoolTimeout):
            return True
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            state = exc.sqlstate or ""
            # No SQLSTATE: the connection failed or broke; 08: connection exception;
            # 57P0x: the server is shutting down or starting up.
            return state == "" or state.startswith(("08", "57P"))
        if isinstance(exc, OperationalError | InterfaceError) and exc.__cause__ is None:
            return "connection" in str(exc).lower()
        exc = exc.__cause__
        seen += 1
    return False


# Seconds after an outage is seen during which this process answers 503 at once instead of
# letting every request wait for the pool: requests queued behind each other would otherwise
# add up their waits. The first request after the window tries the database again.
FAST_FAIL_SECONDS = 1.0
_down_until = 0.0


def note_outage() -> None:
    global _down_until
    _down_until = time.monotonic() + FAST_FAIL_SECONDS


class FastFailMiddleware:
    """While the database was just seen unreachable, answer 503 without touching it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if time.monotonic() < _down_until and not request.path.startswith(settings.STATIC_URL):
            return outage_response(request)
        return self.get_response(request)


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, else a plain page that needs no database."""
    message = _("The service is briefly unavailable. Please try again in a few seconds.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "unavailable", "message": message}},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        # Rendered without the request: context processors would read the session.
        html = loader.get_template("core/503.html").render(
            {"message": message, "request_path": request.path}
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def outage_seen(exc: BaseException | None) -> bool:
    """``is_database_outage``, remembering it for FastFailMiddleware."""
    if is_database_outage(exc):
        note_outage()
        return True
    return False


def retry_connections_every_second() -> None:
    """The pool retries a lost server every second instead of doubling its wait each time.

    Doubling from 1 s, a pool that lost its server for half a minute would wait another
    half minute after the server came back; one attempt per second per connection costs
    a server nothing.
    """
    AttemptWithBackoff.DELAY_BACKOFF = 1.0
