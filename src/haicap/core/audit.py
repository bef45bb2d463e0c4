"""Writing the audit trail. Call inside the action's transaction so both commit or neither.

Every row written while a request is answered carries the client's address
(``RequestAddressMiddleware`` keeps it for the request's thread), API reads included.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from haicap.core.actors import Actor, SystemActor, person_id
from haicap.core.models import AuditEvent

_request_ip: ContextVar[str | None] = ContextVar("haicap_request_ip", default=None)


def actor_label(actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.label
    if not actor.is_authenticated:
        return "anonymous"
    return str(actor.get_username())


def record(
    verb: str,
    *,
    actor: Actor,
    subject_type: str,
    subject_id: str | int = "",
    unit_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_id=person_id(actor),
        actor_label=actor_label(actor),
        unit_id=unit_id,
        subject_type=subject_type,
        subject_id=str(subject_id).replace("\x00", "")[:60],
        verb=verb,
        before=before,
        after=after,
        ip=ip or _request_ip.get(),
    )


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR (the proxy in front sets it through gunicorn)."""
    return request.META.get("REMOTE_ADDR") or None


class RequestAddressMiddleware:
    """Keep the client's address for the audit rows written while answering the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _request_ip.reset(token)
