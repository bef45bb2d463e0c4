"""The work queues page: tabs, filters, sorting, search, and bulk assign or return."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core import audit
from haicap.core.errors import DomainError
from haicap.core.http import HtmxHttpRequest
from haicap.core.pagination import page_number, paginate
from haicap.dossiers import queues
from haicap.dossiers.actions import do_bulk_dossier_action
from haicap.dossiers.models import CLOCK_STATUSES
from haicap.dossiers.queue_forms import BulkForm, QueueFilterForm
from haicap.staff.access import scope_of
from haicap.staff.http import officers_only
from haicap.staff.names import full_name, working_officers

staff_required = officers_only()
PAGE_SIZE = 25
PAGE_SIZES = ("25", "50", "100")


def queue_names() -> dict[str, str]:
    return {
        "intake": _("Waiting for intake"),
        "mine": _("Mine"),
        "unit": _("My unit"),
        "due_today": _("Due today"),
        "overdue": _("Overdue"),
        "supplement": _("Waiting for supplement"),
        "all": _("Search all dossiers"),
    }


def _columns() -> list[tuple[str, str]]:
    return [
        ("code", _("Code")),
        ("procedure", _("Procedure")),
        ("applicant", _("Applicant")),
        ("status", _("Status")),
        ("received", _("Received")),
        ("due", _("Due")),
    ]


def _assignees(request: HttpRequest) -> list[Any]:
    scope = scope_of(request.user)
    return list(working_officers([*scope.units, *scope.provinces]))


@staff_required
def queue_page(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    name = request.GET.get("queue", "unit")
    if name not in queues.QUEUES:
        name = "unit"
    query = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    form = QueueFilterForm(request.GET or None)
    sort = queues.order_key(name, request.GET.get("sort", ""))
    found = queues.for_list(
        queues.search(
            queues.queue(request.user, name, now, filters=form.filters(), sort=sort), query
        )
    )
    size = request.GET.get("size", "")
    counts = queues.queue_counts(request.user, now)
    # The tab counts already hold the unfiltered queue's size: no second COUNT for it.
    known = counts.get(name) if not query and form.filters() == queues.Filters() else None
    page = paginate(
        found,
        page_number(request),
        int(size) if size in PAGE_SIZES else PAGE_SIZE,
        count=known,
    )
    if query or page.items:
        # The list shows applicants' names (and a search their numbers): what was shown is
        # recorded as a read.
        audit.record(
            "dossier.search" if query else "dossier.list",
            actor=request.user,
            subject_type="dossier",
            after={"queue": name, "searched": bool(query), "shown": [d.code for d in page.items]},
            ip=request.META.get("REMOTE_ADDR"),
        )
    kept = {k: v for k, v in request.GET.items() if k not in {"page", "sort"} and v}
    context = {
        "queue": name,
        "query": query,
        "form": form,
        "page": page,
        "sort": sort,
        "columns": _columns(),
        "kept_query": urlencode(kept),
        "page_query": urlencode({**kept, "sort": sort}),
        "counts": counts,
        "now": now,
        "clock_statuses": CLOCK_STATUSES,
        "queue_names": queue_names(),
        "bulk_ok": name in {"unit", "mine", "due_today", "overdue", "all"},
        "assignees": [(o.username, full_name(o)) for o in _assignees(request)],
    }
    if request.htmx:
        return render(request, "dossiers/staff/_queue_table.html", context)
    return render(request, "dossiers/staff/queues.html", context)


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("back", "")
    target = back if back.startswith("?") else ""
    form = BulkForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))
        messages.error(request, str(first[0]))
        return redirect(f"{_queues_url()}{target}")
    data = form.cleaned_data
    assignee = None
    if data["action"] == "assign":
        assignee = (
            get_user_model().objects.filter(username=data["assignee"], is_active=True).first()
        )
        if assignee is None:
            messages.error(request, _("No officer %(username)s.") % {"username": data["assignee"]})
            return redirect(f"{_queues_url()}{target}")
    try:
        done = do_bulk_dossier_action(
            data["codes"], data["action"], actor=request.user, assignee=assignee
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done for %(n)d dossiers.") % {"n": len(done)})
    return redirect(f"{_queues_url()}{target}")


def _queues_url() -> str:
    return reverse("staff:queues")
