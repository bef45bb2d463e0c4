"""Inbox and outbox per agency, and search across the officer's agencies: urgent first."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core import audit
from haicap.core.http import HtmxHttpRequest
from haicap.core.pagination import page_number
from haicap.documents import search
from haicap.documents.access import visible_documents
from haicap.documents.models import OPEN_INCOMING, Direction, Document, Status
from haicap.documents.views.common import client_ip, current_agency, officers_of_agencies

PAGE_SIZE = 25

IN_TABS = {
    "open": gettext_lazy("To handle"),
    "arrived": gettext_lazy("To register"),
    "overdue": gettext_lazy("Overdue"),
    "done": gettext_lazy("Completed or returned"),
}
OUT_TABS = {
    "drafts": gettext_lazy("Drafts and review"),
    "approved": gettext_lazy("To number and issue"),
    "sent": gettext_lazy("Issued and sent"),
    "cancelled": gettext_lazy("Cancelled numbers"),
}


def _tab(found: QuerySet[Document], tab: str) -> QuerySet[Document]:
    now = timezone.now()
    filters: dict[str, dict[str, object]] = {
        "open": {"status__in": OPEN_INCOMING},
        "arrived": {"status": Status.ARRIVED},
        "overdue": {"status__in": OPEN_INCOMING, "due_at__lt": now},
        "done": {"status__in": (Status.COMPLETED, Status.RETURNED)},
        "drafts": {"status__in": (Status.DRAFT, Status.REVIEW)},
        "approved": {"status__in": (Status.APPROVED, Status.NUMBERED)},
        "sent": {"status__in": (Status.ISSUED, Status.SENT)},
        "cancelled": {"status": Status.CANCELLED},
    }
    return found.filter(**filters[tab])


def _listing(request: HtmxHttpRequest, direction: str) -> HttpResponse:
    agency, mine = current_agency(request)
    tabs = IN_TABS if direction == Direction.IN else OUT_TABS
    tab = request.GET.get("tab", "")
    tab = tab if tab in tabs else next(iter(tabs))
    query = request.GET.get("q", "").strip()[:200]
    found = visible_documents(request.user).filter(direction=direction).select_related("agency")
    found = found.filter(agency=agency) if agency else found.none()
    counts = {key: _tab(found, key).count() for key in tabs}
    listed = search.search(_tab(found, tab), query).order_by("-urgency", "-created_at", "-id")
    page = search.paginated(listed, page_number(request), PAGE_SIZE)
    if query:
        audit.record(
            "document.search", actor=request.user, subject_type="document", ip=client_ip(request)
        )
    context = {
        "direction": direction,
        "title": _("Incoming documents") if direction == Direction.IN else _("Outgoing documents"),
        "agency": agency,
        "agencies": mine,
        "tabs": [(key, label, counts[key]) for key, label in tabs.items()],
        "tab": tab,
        "query": query,
        "page": page,
        "now": timezone.now(),
    }
    if request.htmx:
        return render(request, "documents/staff/_table.html", context)
    return render(request, "documents/staff/list.html", context)


@officers_of_agencies
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    return _listing(request, Direction.IN)


@officers_of_agencies
def outbox(request: HtmxHttpRequest) -> HttpResponse:
    return _listing(request, Direction.OUT)


@officers_of_agencies
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    direction = request.GET.get("direction", "")
    found = visible_documents(request.user).select_related("agency")
    if direction in Direction.values:
        found = found.filter(direction=direction)
    listed = search.search(found, query).order_by("-urgency", "-created_at", "-id")
    page = search.paginated(listed if query else found.none(), page_number(request), PAGE_SIZE)
    if query:
        audit.record(
            "document.search", actor=request.user, subject_type="document", ip=client_ip(request)
        )
    context = {"query": query, "direction": direction, "page": page, "now": timezone.now()}
    if request.htmx:
        return render(request, "documents/staff/_table.html", context)
    return render(request, "documents/staff/search.html", context)
