"""Input that never reaches a view: NUL characters in the path, the query, a form or a JSON
body, on every route, and on the API dates outside 1900–2100. The API answers 422 with the
usual error body (naming the field), pages 400 with a message. A DomainError that escapes a
page view (a rate limit, say) becomes a page with its status and message instead of a 500.

Views and forms still check what they accept (bounds.py, forms); this is the net under them.
A route that speaks a protocol of its own (Open311) registers, with ``answer_under``, how
that protocol says "bad request", and the guard answers in its shape. A compressed body
(Janus's gzip callbacks) is left to the view that decodes it: the guard cannot read it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError, TooManyRequests

MIN_YEAR, MAX_YEAR = 1900, 2100
# Path prefix -> the protocol's own error answer for (request, message, status).
Answer = Callable[[HttpRequest, str, int], HttpResponse]
_ANSWERS: dict[str, Answer] = {}
# An ISO date or date-time (2026-01-31, 2026-01-31T10:00…), or a Vietnamese one (31/01/2026).
_ISO = re.compile(r"\s*(-?\d{4,})-(\d{1,2})-(\d{1,2})([T ].*)?\s*")
_VN = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(-?\d{4,})(\s.*)?\s*")


def year_out_of_range(value: str) -> bool:
    """Whether ``value`` is a date whose year lies outside MIN_YEAR–MAX_YEAR."""
    if len(value) > 40:
        return False
    match = _ISO.fullmatch(value)
    if match:
        year = match.group(1)
    else:
        match = _VN.fullmatch(value)
        if not match:
            return False
        year = match.group(3)
    return not MIN_YEAR <= int(year) <= MAX_YEAR


def _pairs(value: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) for every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            yield name, str(key)
            yield from _pairs(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _pairs(item, field)


def answer_under(prefix: str, answer: Answer) -> None:
    """Routes under ``prefix`` get the guard's refusals as ``answer`` gives them (an app
    registers this in its ready())."""
    _ANSWERS[prefix] = answer


def _protocol_answer(request: HttpRequest) -> Answer | None:
    return next((a for p, a in _ANSWERS.items() if request.path.startswith(p)), None)


def _nul() -> str:
    return _("NUL characters are not allowed.")


def problem(request: HttpRequest) -> tuple[str, str | None] | None:
    """What is wrong with the request's input (message, field), or None.

    NUL characters are refused everywhere. Dates out of range are refused on the API; pages
    read their dates through forms that say what is wrong on the page itself (the
    dashboards fall back to today with a message), so there the guard leaves them be.
    """
    pairs: list[tuple[str, str]] = [("", request.path)]
    for key, values in request.GET.lists():
        pairs += [(key, key)] + [(key, value) for value in values]
    content_type = request.content_type or ""
    encoded = request.headers.get("Content-Encoding", "").lower() not in {"", "identity"}
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and not encoded:
        if content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
            if _fits_in_memory(request):
                request.body  # noqa: B018 - kept, so a view may still read the body after us
            try:
                for key, values in request.POST.lists():
                    pairs += [(key, key)] + [(key, value) for value in values]
                for key, files in request.FILES.lists():
                    pairs += [(key, f.name or "") for f in files]
            except MultiPartParserError:
                return None  # the view answers with its own message
        elif content_type.endswith("json"):
            try:
                body = request.body
            except RequestDataTooBig:
                return _("The request is too large."), None
            if b"\x00" in body:
                return _nul(), None
            try:
                pairs += _pairs(json.loads(body or b"null"))
            except (ValueError, RecursionError):
                return None  # not JSON: the API says so itself
    found = text_problem(pairs)
    if found is not None:
        return found
    if _is_api(request):
        for field, text in pairs:
            if field and year_out_of_range(text):
                message = _("Dates must lie between %(first)s and %(last)s.") % {
                    "first": MIN_YEAR,
                    "last": MAX_YEAR,
                }
                return message, field
    return None


def text_problem(pairs: Iterable[tuple[str, str]]) -> tuple[str, str | None] | None:
    """The first text no database column can hold (message, field): a NUL, or half of a
    UTF-16 pair that JSON's ``\\ud800`` escape allows."""
    for field, text in pairs:
        if "\x00" in text:
            return _nul(), field or None
        if not text.isascii() and _lone_surrogate(text):
            return _("The text holds a character that is not allowed (\\ud800)."), field or None
    return None


def json_text_problem(value: Any) -> tuple[str, str | None] | None:
    """``text_problem`` for every string of a decoded JSON value, keys included."""
    return text_problem(_pairs(value))


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _fits_in_memory(request: HttpRequest) -> bool:
    """Whether the body is small enough to keep whole (a JSON view posted a form by mistake
    may still read it); a larger upload is parsed as it streams, as Django does."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or length <= limit


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    title = _("Too many requests") if status == 429 else _("This request cannot be answered")
    try:
        return render(
            request, "core/problem.html", {"title": title, "message": message}, status=status
        )
    except Exception:  # the path itself may be what the page cannot show
        return HttpResponse(message, content_type="text/plain; charset=utf-8", status=status)


class InputGuard:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = problem(request)
        if found is None:
            return self.get_response(request)
        message, field = found
        answer = _protocol_answer(request)
        if answer is not None:
            return answer(request, message, 400)
        if _is_api(request):
            error = {"code": "invalid", "message": message} | ({"field": field} if field else {})
            return JsonResponse(
                {"error": error},
                status=422,
                json_dumps_params={"ensure_ascii": False},
            )
        return page_problem(request, message, 400)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if _is_api(request) or not isinstance(exception, DomainError):
            return None
        response = page_problem(request, exception.message, exception.status)
        if isinstance(exception, TooManyRequests) and exception.retry_after:
            response["Retry-After"] = str(exception.retry_after)
        return response
