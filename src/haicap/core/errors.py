"""Errors that reach users: each carries an HTTP status, a stable code and a plain message.

Actions raise them; the API turns them into ``{"error": {"code", "message", "field"}}`` and the
pages into a message on the form. No stack trace ever reaches a user.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Invalid(DomainError):
    status = 422
    code = "invalid"


class InvalidFields(Invalid):
    """Several fields wrong at once (an e-form, its papers): every message, not the first."""

    def __init__(self, message: str, *, errors: dict[str, str], missing: list[str]):
        super().__init__(message, field=next(iter(errors), None))
        self.errors = errors
        self.missing = missing

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["errors"] = [{"field": k, "message": v} for k, v in self.errors.items()]
        if self.missing:
            body["missing"] = self.missing
        return body


class Conflict(DomainError):
    """Someone else changed the thing first, or the change is not allowed in its current state."""

    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class TooManyRequests(DomainError):
    status = 429
    code = "rate_limited"
    # Seconds until the client may try again (the Retry-After header).
    retry_after: int | None = None
