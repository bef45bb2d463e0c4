"""The JSON API under /api/v1/ (django-ninja): routers from each app, errors in one shape."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from haicap.core import apps_registry, audit
from haicap.core.api_errors import document_errors
from haicap.core.errors import DomainError, TooManyRequests
from haicap.core.jsonenc import JSONEncoder
from haicap.core.outage import outage_response, outage_seen

logger = logging.getLogger("haicap.api")


class Utf8Renderer(JSONRenderer):
    """JSON with Vietnamese letters as they are, not \\u escapes (smaller, readable), and
    datetimes with whole-minute offsets (core/jsonenc.py)."""

    encoder_class = JSONEncoder
    json_dumps_params = {"ensure_ascii": False}


class HaicapAPI(NinjaAPI):
    """The OpenAPI document lists every operation's error answers (core/api_errors.py)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = HaicapAPI(
    renderer=Utf8Renderer(),
    title="haicap API",
    version="1",
    description=(
        "Administrative units, procedures, dossiers and service indicators of Vietnam's "
        "two-tier local government. "
        'Errors always answer `{"error": {"code", "message", "field"}}` with a 4xx status.'
    ),
    urls_namespace="api",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, field: str | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    return api.create_response(request, {"error": body}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if exc.status == 403:
        # A refused attempt is kept in the audit trail (the 404s of access helpers record
        # themselves, e.g. dossiers/access.py).
        audit.record(
            "api.denied",
            actor=request.user,
            subject_type="request",
            subject_id=request.path,
            after={"method": request.method, "code": exc.code},
        )
    response = api.create_response(request, {"error": exc.as_dict()}, status=exc.status)
    if isinstance(exc, TooManyRequests) and exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in {"query", "body", "path"}]
    field = ".".join(location) or None
    message = str(first.get("msg", "Invalid input"))
    if field:
        message = f"{field}: {message}"
    return error_response(request, 422, "invalid", message, field)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "Not found")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthenticated", "A valid bearer token is required")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "http_error", exc.message)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if outage_seen(exc):
        logger.warning("Database unreachable on %s %s", request.method, request.path)
        return outage_response(request)
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(request, 500, "internal", "Internal error; it has been logged.")


# Each app declares its routers on its AppConfig (api_routers).
for prefix, router in apps_registry.api_routers():
    api.add_router(prefix, import_string(router.replace(":", ".")))
