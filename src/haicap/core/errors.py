"""Errors that reach users: each carries an HTTP status, a stable code and a plain message.

Actions raise them; the API turns them into ``{"error": {"code", "message", "field"}}`` and the
pages into a message on the form. No stack trace ever reaches a user.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict[str, str]:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Invalid(DomainError):
    status = 422
    code = "invalid"


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
