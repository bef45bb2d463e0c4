"""The minutes editor (biên bản) with the meeting's conclusions, and the list of conclusions
an officer follows (their units', their province's), overdue ones flagged, until done."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.core.errors import DomainError
from haicap.core.pagination import page_number, paginate
from haicap.core.tables import FORMATS, table_response
from haicap.meetings import actions
from haicap.meetings.access import can_run, visible_conclusions
from haicap.meetings.actions.minutes import can_report
from haicap.meetings.forms import ConclusionForm, DoneForm, MinutesForm
from haicap.meetings.models import Meeting
from haicap.meetings.views.common import form_errors, meeting_or_404, officers
from haicap.units.models import AdminUnit


def _units(meeting: Meeting) -> list[tuple[int, str]]:
    ids = set(meeting.invitations.values_list("point__unit_id", flat=True)) | {meeting.host.unit_id}
    return [
        (u.pk, f"{u.name} ({u.code})")
        for u in AdminUnit.objects.filter(pk__in=ids).order_by("tier", "name")
    ]


@officers
def minutes_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    runs = can_run(request.user, meeting)
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes, "version": meeting.version})
    conclusion_form = ConclusionForm(units=_units(meeting))
    status = 200
    if request.method == "POST":
        status = 422
        what = request.POST.get("what")
        try:
            if what == "minutes":
                minutes_form = MinutesForm(request.POST)
                if minutes_form.is_valid():
                    actions.do_save_minutes(
                        meeting,
                        minutes_form.cleaned_data["minutes"],
                        actor=request.user,
                        version=minutes_form.cleaned_data["version"],
                    )
                    messages.success(request, _("The minutes are saved."))
                    return redirect("conferences:minutes", meeting_id=meeting.pk)
            elif what == "conclusion":
                conclusion_form = ConclusionForm(request.POST, units=_units(meeting))
                if conclusion_form.is_valid():
                    data = conclusion_form.cleaned_data
                    actions.do_add_conclusion(
                        meeting,
                        unit=AdminUnit.objects.get(pk=data["unit"]),
                        text=data["text"],
                        working_days=data["working_days"],
                        actor=request.user,
                    )
                    messages.success(request, _("The conclusion is assigned."))
                    return redirect("conferences:minutes", meeting_id=meeting.pk)
            elif what == "issue" and request.POST.get("confirmed") != "yes":
                return render(
                    request,
                    "core/confirm.html",
                    {
                        "question": _("Issue the minutes of %(title)s?") % {"title": meeting.title},
                        "warning": _("The minutes freeze once issued."),
                        "action": request.path,
                        "fields": [("what", "issue")],
                        "yes": _("Yes, issue the minutes"),
                        "back": request.path,
                    },
                )
            elif what == "issue":
                document = actions.do_issue_minutes(meeting, actor=request.user)
                messages.success(request, _("The minutes are drafted as a document for signing."))
                return redirect("documents:document", document_id=document.pk)
            else:
                raise Http404
        except DomainError as exc:
            status = exc.status
            if what == "issue":  # no form of its own: say it above the page
                messages.error(request, exc.message)
            else:
                form = conclusion_form if what == "conclusion" else minutes_form
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    context = {
        "meeting": meeting,
        "runs": runs,
        "minutes_form": minutes_form,
        "conclusion_form": conclusion_form,
        "conclusions": list(meeting.conclusions.select_related("unit")),
        "now": timezone.now(),
    }
    return render(request, "meetings/minutes.html", context, status=status)


@officers
def conclusions(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    found = visible_conclusions(request.user).select_related("unit", "meeting")
    tab = request.GET.get("tab", "open")
    if tab == "overdue":
        found = found.filter(status="open", due_at__lt=now)
    elif tab == "done":
        found = found.filter(status="done")
    else:
        tab = "open"
        found = found.filter(status="open")
    found = found.order_by("due_at", "id")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        header = [_("Meeting"), _("Unit"), _("Conclusion"), _("Due"), _("Status"), _("Overdue")]
        rows = [
            [
                c.meeting.title,
                c.unit.code,
                c.text,
                c.due_at.astimezone(ZONE).strftime("%d/%m/%Y %H:%M"),
                c.get_status_display(),
                c.is_overdue(now),
            ]
            for c in found[:10_000]
        ]
        return table_response(fmt, "ket-luan", header, rows)
    page = paginate(found, page_number(request), 50)
    context = {
        "page": page,
        "tab": tab,
        "now": now,
        "reportable": {c.pk for c in page.items if can_report(request.user, c)},
        "form": DoneForm(),
    }
    return render(request, "meetings/conclusions.html", context)


@officers
def conclusion_done(request: HttpRequest, conclusion_id: int) -> HttpResponse:
    conclusion = (
        visible_conclusions(request.user).select_related("meeting").filter(pk=conclusion_id).first()
    )
    if conclusion is None:
        raise Http404
    if request.method != "POST":
        return redirect("conferences:conclusions")
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            actions.do_complete_conclusion(
                conclusion, note=form.cleaned_data["note"], actor=request.user
            )
            messages.success(request, _("The conclusion is reported done."))
            return redirect("conferences:conclusions")
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(
                request, "meetings/message.html", {"message": exc.message}, status=exc.status
            )
    message = form_errors(form)
    return render(request, "meetings/message.html", {"message": message}, status=422)
