"""Staff pages: work queues, the dossier page with its actions, the counter intake, PDFs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core import audit
from haicap.core.errors import DomainError
from haicap.core.http import HtmxHttpRequest
from haicap.core.pagination import page_number, paginate
from haicap.dossiers import documents, papers, queues
from haicap.dossiers.access import actions_for, get_dossier_for, in_archive
from haicap.dossiers.actions import Applicant, do_intake_dossier
from haicap.dossiers.dispatch import ActionRequest, run_action
from haicap.dossiers.forms import ActionForm, IntakeForm
from haicap.dossiers.models import Dossier, Status
from haicap.dossiers.workflow import ACTIONS
from haicap.procedures.models import Procedure
from haicap.staff.access import scope_of
from haicap.staff.http import officers_only
from haicap.staff.models import Role, RoleAssignment
from haicap.units.models import ServiceCenter, ServiceCenterKind, Tier

View = Callable[..., HttpResponseBase]


# Signed-in officers only (any role somewhere).
staff_required = officers_only()


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _dossier(request: HttpRequest, code: str, *, audit_read: bool = True) -> Dossier:
    try:
        return get_dossier_for(request.user, code, audit_read=audit_read, ip=_client_ip(request))
    except DomainError as exc:
        raise Http404(exc.message) from exc


@staff_required
def queue_page(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    name = request.GET.get("queue", "unit")
    if name not in queues.QUEUES:
        name = "unit"
    query = request.GET.get("q", "").strip()
    found = queues.search(queues.queue(request.user, name, now), query)
    page = paginate(found, page_number(request), 25)
    if query or page.items:
        # The list shows applicants' names: what was shown is recorded as a read.
        audit.record(
            "dossier.search" if query else "dossier.list",
            actor=request.user,
            subject_type="dossier",
            after={"queue": name, "searched": bool(query), "shown": [d.code for d in page.items]},
            ip=_client_ip(request),
        )
    context = {
        "queue": name,
        "query": query,
        "page": page,
        "counts": queues.queue_counts(request.user, now),
        "now": now,
        "queue_names": {
            "mine": _("Mine"),
            "unit": _("My unit"),
            "due_today": _("Due today"),
            "overdue": _("Overdue"),
            "supplement": _("Waiting for supplement"),
        },
    }
    if request.htmx:
        return render(request, "dossiers/staff/_queue_table.html", context)
    return render(request, "dossiers/staff/queues.html", context)


def _assignees(dossier: Dossier) -> list[Any]:
    """Officers with a working role in the dossier's units or its province."""
    user_ids = (
        RoleAssignment.objects.filter(is_active=True)
        .exclude(role=Role.AUDITOR)
        .filter(
            Q(unit_id__in=[dossier.receiving_unit_id, dossier.responsible_unit_id])
            | Q(unit_id=dossier.province_id)
        )
        .values("user_id")
    )
    return list(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")
    )


@staff_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    events = list(dossier.events.select_related("actor").order_by("seq"))
    allowed = actions_for(request.user, dossier)
    steps = list(dossier.procedure.steps.order_by("order", "id"))
    context = {
        "dossier": dossier,
        "events": events,
        "papers": list(dossier.papers.all()),
        "allowed": [(name, ACTIONS[name]) for name in allowed],
        "assignees": _assignees(dossier) if {"assign", "forward"} & set(allowed) else [],
        "forms": documents.available(dossier, events),
        "form_titles": {name: form.title for name, form in documents.FORMS.items()},
        "overdue": dossier.is_overdue(),
        "archived": in_archive(request.user, dossier),
        "current_step": steps[dossier.step - 1] if 0 < dossier.step <= len(steps) else None,
        "steps": steps,
        "Status": Status,
    }
    return render(request, "dossiers/staff/detail.html", context)


@staff_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    dossier = _dossier(request, code, audit_read=False)
    form = ActionForm(request.POST, request.FILES)
    if not form.is_valid():
        first = next(iter(form.errors.items()))
        messages.error(request, f"{first[0]}: {first[1][0]}")
        return redirect("staff:dossier", code=code)
    try:
        uploads = [
            papers.check(upload.name, upload.name, upload, field="papers")
            for upload in form.cleaned_data["papers"]
        ]
        run_action(
            dossier,
            action,
            ActionRequest(
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                missing=form.missing_list(),
                assignee=form.cleaned_data["assignee"] or None,
                agency=form.cleaned_data["agency"],
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                new_due_at=form.due(),
                uploads=uploads,
            ),
            request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": ACTIONS[action].label})
    return redirect("staff:dossier", code=code)


@staff_required
def document(request: HttpRequest, code: str, name: str) -> HttpResponse:
    if name not in documents.FORMS:
        raise Http404
    dossier = _dossier(request, code)
    try:
        pdf = documents.render(dossier, name)
    except LookupError as exc:
        raise Http404(_("This dossier has no such form yet.")) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{name}.pdf"'
    return response


@staff_required
def paper_file(request: HttpRequest, code: str, paper_id: int) -> FileResponse:
    dossier = _dossier(request, code)
    paper = dossier.papers.filter(pk=paper_id).first()
    if paper is None:
        raise Http404
    return FileResponse(
        paper.file.open("rb"), content_type=paper.content_type, filename=paper.original_name
    )


def _intake_centres(request: HttpRequest) -> list[ServiceCenter]:
    """Centres where the officer may receive: their communes', their province's."""
    scope = scope_of(request.user)
    centres = ServiceCenter.objects.filter(is_active=True).select_related("unit", "unit__province")
    if scope.everything:
        return list(centres.filter(kind=ServiceCenterKind.PROVINCIAL).order_by("code")[:100])
    communes = [unit for unit, roles in scope.units.items() if {Role.RECEIVER} & roles]
    provinces = [
        unit
        for unit, roles in scope.provinces.items()
        if {Role.RECEIVER, Role.PROVINCE_ADMIN} & roles
    ]
    found = centres.filter(
        Q(unit_id__in=communes) | Q(unit_id__in=provinces, unit__tier=Tier.PROVINCE)
    )
    return list(found.order_by("kind", "code"))


@staff_required
def intake(request: HtmxHttpRequest) -> HttpResponse:
    centres = _intake_centres(request)
    if request.htmx and "procedure" in request.GET:
        # The blank choice too: an empty panel, not this whole page inside it.
        procedure = Procedure.objects.filter(code=request.GET["procedure"]).first()
        return render(request, "dossiers/staff/_required_papers.html", {"procedure": procedure})
    form = IntakeForm(request.POST or None, request.FILES or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            uploads = [papers.check(f.name, f.name, f) for f in data["papers"]]
            dossier, _created = do_intake_dossier(
                procedure=data["procedure"],
                centre=data["centre"],
                applicant=Applicant.from_input(data),
                actor=request.user,
                channel=data["channel"],
                uploads=uploads,
                pages=data["pages"],
                copies=data["copies"],
                idempotency_key=f"form:{request.user.pk}:{request.POST.get('form_token', '')}"
                if request.POST.get("form_token")
                else None,
            )
        except DomainError as exc:
            field = (exc.field or "").removeprefix("applicant.")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Dossier %(code)s received; lookup secret %(secret)s. Print the receipt.")
                % {"code": dossier.code, "secret": dossier.secret},
            )
            return redirect("staff:dossier", code=dossier.code)
    return render(
        request,
        "dossiers/staff/intake.html",
        {
            "form": form,
            "centres": centres,
            "form_token": request.POST.get("form_token") or uuid.uuid4().hex,
        },
    )
