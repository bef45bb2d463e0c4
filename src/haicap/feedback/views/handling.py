"""Officers' pages: the unit queue with deadline colours, a report with its history and the
steps the officer may take, each step a POST with a confirmation where it cannot be undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.calendar import calendar
from haicap.core.errors import DomainError, Invalid
from haicap.core.pagination import page_number, paginate
from haicap.core.sms import masked
from haicap.core.tables import FORMATS, table_response
from haicap.feedback import actions
from haicap.feedback.access import get_report_for, visible_reports
from haicap.feedback.forms import MergeForm, NoteForm, TransferForm
from haicap.feedback.models import OPEN, Report, Status
from haicap.staff.access import scope_of
from haicap.staff.http import officers_only
from haicap.units.queries import unit_by_code

TABS = {
    "open": gettext_lazy("Open"),
    "due": gettext_lazy("Due within 2 working days"),
    "overdue": gettext_lazy("Overdue"),
    "answered": gettext_lazy("Answered or closed"),
    "all": gettext_lazy("All"),
}


def deadline_class(report: Report, now: dt.datetime, soon: dt.datetime) -> str:
    """Colour of the deadline: late (red), soon (amber), on time (green), done (none)."""
    if report.status not in OPEN:
        return "done"
    if report.status == Status.WAITING:
        return "paused"
    if report.due_at < now:
        return "late"
    return "soon" if report.due_at <= soon else "ok"


def _tab(
    found: QuerySet[Report], tab: str, now: dt.datetime, soon: dt.datetime
) -> QuerySet[Report]:
    if tab == "open":
        return found.filter(status__in=OPEN)
    if tab == "due":
        return found.filter(status__in=OPEN, due_at__gte=now, due_at__lte=soon)
    if tab == "overdue":
        return found.filter(status__in=OPEN, due_at__lt=now).exclude(status=Status.WAITING)
    if tab == "answered":
        return found.exclude(status__in=OPEN)
    return found


@officers_only()
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    soon = calendar().due_in_working_days(now, 2)
    tab = request.GET.get("tab", "open")
    tab = tab if tab in TABS else "open"
    query = request.GET.get("q", "").strip()[:100]
    found = visible_reports(request.user)
    counts = {key: _tab(found, key, now, soon).count() for key in TABS}
    listed = _tab(found, tab, now, soon)
    if query:
        listed = listed.filter(
            Q(code__iexact=query) | Q(description__icontains=query) | Q(address__icontains=query)
        )
    listed = listed.order_by("due_at", "id") if tab != "answered" else listed.order_by("-id")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        table = [
            [
                r.code,
                r.category.name,
                r.unit.name,
                r.get_status_display(),
                r.received_at.strftime("%d/%m/%Y %H:%M"),
                r.due_at.strftime("%d/%m/%Y %H:%M"),
            ]
            for r in listed[:10000]
        ]
        header = [_("Code"), _("Category"), _("Unit"), _("Status"), _("Received"), _("Due")]
        return table_response(fmt, "phan-anh", header, table)
    page = paginate(listed, page_number(request), 25)
    rows = [(r, deadline_class(r, now, soon)) for r in page.items]
    tabs = [(key, label, counts[key]) for key, label in TABS.items()]
    return render(
        request,
        "feedback/queue.html",
        {
            "page": page,
            "rows": rows,
            "tabs": tabs,
            "tab": tab,
            "query": query,
            "can_edit_categories": scope_of(request.user).is_administrator,
        },
    )


def _report(request: HttpRequest, code: str, *, write: bool = False) -> Report:
    try:
        return get_report_for(request.user, code, write=write, ip=request.META.get("REMOTE_ADDR"))
    except DomainError as exc:
        raise Http404(exc.message) from exc


@officers_only()
def report(request: HttpRequest, code: str) -> HttpResponse:
    found = _report(request, code)
    now = timezone.now()
    soon = calendar().due_in_working_days(now, 2)
    history = found.events.select_related("from_unit", "to_unit").order_by("at", "id")
    return render(
        request,
        "feedback/report.html",
        {
            "report": found,
            "history": history,
            "phone": masked(found.phone) if found.phone else "",
            "callback": masked(found.callback_phone) if found.callback_phone else "",
            "deadline": deadline_class(found, now, soon),
            "note_form": NoteForm(),
            "transfer_form": TransferForm(),
            "merge_form": MergeForm(),
            "photos": list(found.photos.values_list("id", flat=True)),
        },
    )


def _with_note(step: Callable[..., Report], name: str) -> Callable[[Report, HttpRequest], Report]:
    def run(report: Report, request: HttpRequest) -> Report:
        form = NoteForm(request.POST)
        if not form.is_valid():
            errors = form.errors.get("note") or [_("Write the text first.")]
            raise Invalid(str(errors[0]), field="note")
        return step(report, **{name: form.cleaned_data["note"]}, actor=request.user)

    return run


def _transfer(report: Report, request: HttpRequest) -> Report:
    form = TransferForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("Give the unit's code and a reason."), field="unit_code")
    to = unit_by_code(form.cleaned_data["unit_code"].strip())
    return actions.do_transfer_report(
        report, to=to, reason=form.cleaned_data["note"], actor=request.user
    )


def _merge(report: Report, request: HttpRequest) -> Report:
    form = MergeForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("Give the original report's code."), field="into")
    into = get_report_for(request.user, form.cleaned_data["into"], write=True)
    return actions.do_merge_reports(report, into=into, actor=request.user)


STEPS: dict[str, Callable[[Report, HttpRequest], Report]] = {
    "assign": lambda r, q: actions.do_assign_report(r, actor=q.user),
    "start": lambda r, q: actions.do_start_report(r, actor=q.user),
    "wait": _with_note(actions.do_wait_for_citizen, "question"),
    "resume": _with_note(actions.do_resume_report, "reply"),
    "escalate": _with_note(actions.do_escalate_report, "reason"),
    "answer": _with_note(actions.do_answer_report, "answer"),
    "close": lambda r, q: actions.do_close_report(r, actor=q.user),
    "transfer": _transfer,
    "merge": _merge,
}


# Steps that cannot be undone ask for a ticked confirmation.
CONFIRM = {"answer", "escalate", "merge", "close"}


@officers_only()
def step(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if request.method != "POST" or action not in STEPS:
        raise Http404
    found = _report(request, code, write=True)
    if action in CONFIRM and request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm this step."))
        return redirect("feedback:report", code=found.code)
    try:
        STEPS[action](found, request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("feedback:report", code=found.code)
    messages.success(request, _("Done."))
    return redirect("feedback:report", code=found.code)


def context_counts(found: QuerySet[Report]) -> dict[str, Any]:
    return {"open": found.filter(status__in=OPEN).count()}
