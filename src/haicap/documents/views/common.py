"""What the document pages share: who reaches them, the agency being looked at, errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase

from haicap.core.errors import DomainError
from haicap.core.http import View
from haicap.documents.access import get_document_for, is_document_officer, my_agencies
from haicap.documents.models import Agency, Document


def document_officers(request: HttpRequest) -> bool:
    """Menu predicate: officers holding a role in some agency."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and is_document_officer(user))


def officers_of_agencies(view: View) -> View:
    """Sign-in first; anyone without a role in an agency gets 404, as for a missing page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_document_officer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def document_or_404(request: HttpRequest, document_id: int, *, verb: str) -> Document:
    try:
        return get_document_for(request.user, document_id, verb=verb, ip=client_ip(request))
    except DomainError as exc:
        raise Http404(exc.message) from exc


def current_agency(request: HttpRequest) -> tuple[Agency | None, list[Agency]]:
    """The agency picked (``?agency=CODE``), else the first of the officer's; and all of them."""
    mine = list(my_agencies(request.user)[:200])
    code = request.GET.get("agency", "").strip().upper()
    picked = next((a for a in mine if a.code == code), None) if code else None
    return picked or (mine[0] if mine else None), mine


Decorator = Callable[[View], View]


def bound(request: HttpRequest) -> tuple[Any, Any]:
    """(data, files) for a form: bound on every POST, even an empty one, so it shows errors."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
