"""The counter intake page, with the procedure's e-form and its papers checklist, and the
declaration (tờ khai) PDF for officers."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError, InvalidFields
from haicap.core.http import HtmxHttpRequest
from haicap.dossiers import declaration, eform_forms, papers
from haicap.dossiers.actions import Applicant, do_intake_dossier
from haicap.dossiers.eform import Declaration, applicant_errors, check_declaration, definition_of
from haicap.dossiers.forms import IntakeForm
from haicap.dossiers.views import _dossier, staff_required
from haicap.procedures.forms_data import current_form
from haicap.procedures.models import Procedure
from haicap.staff.access import scope_of
from haicap.staff.models import Role
from haicap.units.models import ServiceCenter, ServiceCenterKind, Tier


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


def _panel(form: IntakeForm, procedure: Procedure | None) -> dict[str, Any]:
    definition = form.definition
    return {
        "procedure": procedure,
        "eform_sections": eform_forms.sections(form, definition) if definition else [],
        "eform_title": definition.title if definition else "",
        "paper_rows": [
            {"paper": paper, "tick": form[tick], "scan": form[scan] if scan else None}
            for paper, tick, scan in form.paper_rows
        ],
    }


@staff_required
def intake(request: HtmxHttpRequest) -> HttpResponse:
    centres = _intake_centres(request)
    code = request.POST.get("procedure") or request.GET.get("procedure") or ""
    procedure = Procedure.objects.filter(code=code, is_active=True).first() if code else None
    definition = definition_of(current_form(procedure)) if procedure else None
    if request.htmx and "procedure" in request.GET:
        # The blank choice too: an empty panel, not this whole page inside it.
        panel = IntakeForm(
            initial={"procedure": code},
            centres=centres,
            procedure=procedure,
            definition=definition,
        )
        return render(request, "dossiers/staff/_required_papers.html", _panel(panel, procedure))
    initial = {"procedure": code} if procedure else None
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        centres=centres,
        procedure=procedure,
        definition=definition,
    )
    if request.method == "POST":
        dossier = _receive(request, form, procedure)
        if dossier is not None:
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
            **_panel(form, procedure),
        },
    )


def _receive(request: HttpRequest, form: IntakeForm, procedure: Procedure | None) -> Any:
    """Check everything at once; the dossier once received, else None with every error."""
    fine = form.is_valid()
    data = form.cleaned_data
    applicant = Applicant.from_input({k: data.get(k) for k in Applicant.__dataclass_fields__})
    for name, message in applicant_errors(applicant).items():
        if not form.has_error(name):
            form.add_error(name, message)
            fine = False
    if procedure is None:
        return None
    uploads: list[tuple[int | None, papers.Upload]] = []
    try:
        uploads += [(None, papers.check(f.name, f.name, f)) for f in data.get("papers") or []]
        for paper, _tick, scan in form.paper_rows:
            if scan is None:
                continue
            for upload in request.FILES.getlist(scan):
                checked = papers.check(paper.name, upload.name or "", upload, field=scan)
                uploads.append((paper.pk, checked))
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else "papers", exc.message)
        fine = False
    given = Declaration(
        values=eform_forms.raw_values(form, form.definition) if form.definition else {},
        uploads=[(paper, upload) for paper, upload in uploads if paper is not None],
        received=frozenset(paper.pk for paper, tick, _s in form.paper_rows if data.get(tick)),
    )
    try:
        check_declaration(procedure, given, channel=data.get("channel") or 1)
    except InvalidFields as exc:
        eform_forms.add_errors(form, exc.errors)
        if exc.missing:
            form.add_error(None, exc.message)
        fine = False
    if not fine:
        return None
    token = request.POST.get("form_token", "")
    try:
        dossier, _created = do_intake_dossier(
            procedure=procedure,
            centre=data["centre"],
            applicant=applicant,
            actor=request.user,
            channel=data["channel"],
            uploads=[upload for paper, upload in uploads if paper is None],
            pages=data["pages"],
            copies=data["copies"],
            idempotency_key=f"form:{request.user.pk}:{token}" if token else None,
            declaration=given,
        )
    except DomainError as exc:
        field = (exc.field or "").removeprefix("applicant.")
        form.add_error(field if field in form.fields else None, exc.message)
        return None
    return dossier


@staff_required
def declaration_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    try:
        pdf = declaration.render(dossier)
    except LookupError as exc:
        raise Http404(_("This dossier was filed without an e-form.")) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-to-khai.pdf"'
    return response
