"""Staff pages: work queues, the dossier page with its actions, PDFs (the counter intake is
in intake_views.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError
from haicap.dossiers import documents, papers
from haicap.dossiers.access import actions_for, get_dossier_for, in_archive
from haicap.dossiers.dispatch import ActionRequest, run_action
from haicap.dossiers.forms import ActionForm
from haicap.dossiers.models import Dossier, Status
from haicap.dossiers.workflow import ACTIONS, CONFIRM_FIRST, expected_action
from haicap.staff.http import officers_only
from haicap.staff.models import Role, RoleAssignment

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
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


@staff_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    events = list(dossier.events.select_related("actor").order_by("seq"))
    allowed = actions_for(request.user, dossier)
    steps = list(dossier.procedure.steps.order_by("order", "id"))
    # Once the result is ready or returned, the dossier is at the last step of its process.
    at_end = dossier.status in (Status.PROCESSED, Status.RETURNED)
    step = len(steps) if at_end else dossier.step
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
        "current_step": steps[step - 1] if 0 < step <= len(steps) else None,
        "expected": expected_action(dossier.status, allowed),
        "confirm_first": CONFIRM_FIRST,
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
    if action in CONFIRM_FIRST and request.POST.get("confirmed") != "yes":
        if action != "withdraw" and not form.cleaned_data["reason"].strip():
            messages.error(request, _("Give the reason."))
            return redirect("staff:dossier", code=code)
        return render(
            request,
            "dossiers/staff/confirm.html",
            {
                "dossier": dossier,
                "action": action,
                "spec": ACTIONS[action],
                "reason": form.cleaned_data["reason"],
                "note": form.cleaned_data["note"],
                "version": form.cleaned_data["version"],
            },
        )
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
        paper.file.open("rb"),
        content_type=paper.content_type,
        filename=papers.download_name(paper.original_name, paper.content_type),
    )
