"""The API's error answers, in one shape, and their place in the OpenAPI document.

``document_errors`` adds to every operation the error answers it can give, by rule: 422 on
every one (validation, NUL characters, dates out of range), 400 and 415 where a body is read
(not JSON), 414 on every one (the web server's limit on an address's length), 401
and 403 behind a token, 404 where something is looked up, 409 on writes, and 429 on the
operations marked ``RATE_LIMITED`` (the shared limiter). An operation that lists its own
answers keeps them.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


# Pass as ``openapi_extra`` on an operation counted by the shared limiter.
RATE_LIMITED: dict[str, Any] = {"x-rate-limited": True}

_DESCRIPTIONS = {
    400: "Bad request",
    401: "No valid bearer token",
    403: "Your roles do not allow this",
    404: "Not found (or not yours to see: the same answer)",
    409: "Conflict with the current state (a changed version, a duplicate, a replayed key)",
    415: "The body is not JSON (or multipart, where the operation takes files)",
    422: "Invalid input (validation, NUL characters, dates outside 1900-2100)",
    429: "Too many requests; see Retry-After",
}
_REF = "#/components/schemas/ErrorOut"


def _answers(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    codes = [422]
    has_body = "requestBody" in operation
    if has_body:
        codes += [400, 415]
    if operation.get("security"):
        codes += [401, 403]
    if "{" in path or operation.get("parameters") or has_body:
        codes.append(404)
    if method in {"post", "put", "patch", "delete"}:
        codes.append(409)
    if operation.get("x-rate-limited"):
        codes.append(429)
    return codes


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to every operation of ``schema`` (an OpenAPI dict), in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        body = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components["ErrorOut"] = body
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            # The web server refuses an address longer than its limit before haicap sees it,
            # with a page of its own (not JSON).
            responses.setdefault("414", {"description": "The address (URL) is too long"})
            for code in _answers(method, path, operation):
                responses.setdefault(
                    str(code),
                    {
                        "description": _DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": {"$ref": _REF}}},
                    },
                )
    return schema
