"""Error pages in the visitor's language, with a way back and nothing technical."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post (an expired page, blocked cookies): the 403 page, not Django's."""
    return HttpResponse(loader.render_to_string("403.html", request=request), status=403)
