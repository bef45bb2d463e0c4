"""The filing form with the procedure's e-form and papers: every error at once, and the files
already chosen kept across a try that failed (portal/uploads.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from haicap.core.errors import DomainError, InvalidFields
from haicap.dossiers import eform_forms
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.eform import Declaration, applicant_errors, check_declaration, definition_of
from haicap.dossiers.models import Channel
from haicap.dossiers.papers import Upload
from haicap.dossiers.papers import check as check_upload
from haicap.portal.actions import do_save_draft
from haicap.portal.forms import FilingForm
from haicap.portal.models import Draft
from haicap.portal.uploads import do_discard_pending_upload, do_keep_pending_uploads, pending_for
from haicap.portal.views.pages import communes_of, provinces
from haicap.procedures.forms_data import current_form
from haicap.procedures.forms_schema import FormDefinition, display, shown
from haicap.procedures.models import Procedure
from haicap.units.models import ServiceCenter

CentreFor = Callable[[Procedure, str, str], tuple[ServiceCenter, str]]
APPLICANT = ("full_name", "id_number", "birth_date", "phone", "email", "address")


def fill(
    request: HttpRequest,
    procedure: Procedure,
    draft: Draft | None,
    initial: dict[str, Any],
    centre_for: CentreFor,
) -> HttpResponse:
    definition = definition_of(current_form(procedure))
    if draft is not None:
        initial.update(draft.data.get("form", {}))
        initial.update({f"desk_{pk}": True for pk in draft.data.get("at_desk", [])})
    form = FilingForm(
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        definition=definition,
        initial=initial,
    )
    if request.method == "POST":
        if not request.session.session_key:
            request.session.save()
        saved = _try(request, form, procedure, draft, definition, centre_for)
        if saved is not None:
            return redirect("portal:review", token=saved.token)
    session_key = request.session.session_key or ""
    pending = pending_for(request.user, session_key, procedure)
    province = form["province"].value() or ""
    return render(
        request,
        "portal/file.html",
        {
            "procedure": procedure,
            "form": form,
            "draft": draft,
            "provinces": provinces(),
            "communes": communes_of(str(province)) if province else [],
            "eform_sections": eform_forms.sections(form, definition) if definition else [],
            "eform_title": definition.title if definition else "",
            "paper_rows": _paper_rows(form, pending, draft),
            "declaration_papers": [
                p for p in procedure.papers.order_by("order", "id") if p.is_declaration
            ]
            if definition
            else [],
        },
    )


def _try(
    request: HttpRequest,
    form: FilingForm,
    procedure: Procedure,
    draft: Draft | None,
    definition: FormDefinition | None,
    centre_for: CentreFor,
) -> Draft | None:
    """Check everything, keep the good files whatever else is wrong; the draft if complete."""
    session_key = request.session.session_key or ""
    for value in request.POST.getlist("discard"):
        if value.isascii() and value.isdigit():
            do_discard_pending_upload(
                int(value), procedure=procedure, user=request.user, session_key=session_key
            )
    fine = form.is_valid()
    uploads: list[tuple[int | None, Upload]] = []
    for name, label, paper_id in form.paper_fields:
        for upload in request.FILES.getlist(name):
            try:
                uploads.append((paper_id, check_upload(label, upload.name or name, upload, name)))
            except DomainError as exc:
                form.add_error(name, exc.message)
                fine = False
    if uploads:
        do_keep_pending_uploads(
            uploads, procedure=procedure, user=request.user, session_key=session_key
        )
    data = form.cleaned_data
    applicant = Applicant.from_input({k: data.get(k) for k in APPLICANT})
    for name, message in applicant_errors(applicant).items():
        if not form.has_error(name):
            form.add_error(name, message)
            fine = False
    centre: ServiceCenter | None = None
    commune_code = ""
    try:
        centre, commune_code = centre_for(
            procedure, data.get("province", ""), data.get("commune", "")
        )
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        if field is None or not form.has_error(field):
            form.add_error(field, exc.message)
        fine = False
    pending = pending_for(request.user, session_key, procedure)
    kept: dict[int, int] = {}
    ids = [p.required_paper_id for p in pending]
    ids += [p.required_paper_id for p in draft.papers.all()] if draft is not None else []
    for paper_id in ids:
        if paper_id is not None:
            kept[paper_id] = kept.get(paper_id, 0) + 1
    at_desk = frozenset(
        paper.pk for paper in procedure.papers.all() if data.get(f"desk_{paper.pk}")
    )
    values: dict[str, Any] = {}
    try:
        checked = check_declaration(
            procedure,
            Declaration(
                values=eform_forms.raw_values(form, definition) if definition else {},
                at_desk=at_desk,
                kept=kept,
            ),
            channel=Channel.ONLINE,
        )
        values = checked.values
    except InvalidFields as exc:
        eform_forms.add_errors(form, exc.errors)
        if exc.missing:
            form.add_error(None, exc.message)
        fine = False
    if not fine or centre is None:
        return None
    try:
        return do_save_draft(
            draft=draft,
            procedure=procedure,
            centre=centre,
            applicant=dataclasses.replace(
                applicant, unit_code=commune_code if not procedure.filing_anywhere else ""
            ),
            uploads=[],
            user=request.user,
            session_key=session_key,
            form_values=values,
            at_desk=at_desk,
            pending=pending,
        )
    except DomainError as exc:
        field = (exc.field or "").removeprefix("applicant.")
        form.add_error(field if field in form.fields else None, exc.message)
        return None


def _paper_rows(form: FilingForm, pending: list[Any], draft: Draft | None) -> list[dict[str, Any]]:
    kept = list(draft.papers.all()) if draft is not None else []
    rows = []
    for name, _label, paper_id in form.paper_fields:
        desk = f"desk_{paper_id}"
        rows.append(
            {
                "field": form[name],
                "desk": form[desk] if desk in form.fields else None,
                "pending": [p for p in pending if p.required_paper_id == paper_id],
                "kept": [p for p in kept if p.required_paper_id == paper_id],
            }
        )
    return rows


def review_rows(procedure: Procedure, draft: Draft) -> dict[str, Any]:
    """The e-form values by section and each required paper's state, for the review page."""
    definition = definition_of(current_form(procedure))
    values = draft.data.get("form", {})
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    if definition is not None:
        visible = shown(definition, values)
        for section in definition.sections:
            rows = [
                (spec.label, display(spec, values.get(spec.key)))
                for owner, spec in visible
                if owner is section and values.get(spec.key) not in (None, "")
            ]
            if rows:
                sections.append((section.title, rows))
    at_desk = set(draft.data.get("at_desk", []))
    files = list(draft.papers.all())
    papers = []
    for paper in procedure.papers.order_by("order", "id"):
        mine = [f for f in files if f.required_paper_id == paper.pk]
        if paper.is_declaration and definition is not None:
            state = "form"
        elif mine:
            state = "uploaded"
        elif paper.pk in at_desk:
            state = "desk"
        else:
            state = "missing" if paper.mandatory else "none"
        papers.append({"paper": paper, "state": state, "files": mine})
    others = [f for f in files if f.required_paper_id is None]
    return {
        "eform_title": definition.title if definition else "",
        "eform_rows": sections,
        "paper_states": papers,
        "other_papers": others,
    }
