"""Writing a draft with its text, registering a paper or e-mailed document, taking an
exchange package from a file, and an officer's own signing certificate."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError
from haicap.documents import actions, exchange, signing
from haicap.documents.access import CLERK, LEADER, SPECIALIST, my_agencies, roles_in
from haicap.documents.files import check_upload
from haicap.documents.forms import CertificateForm, DraftForm, IncomingForm, PackageForm
from haicap.documents.models import Agency
from haicap.documents.views.common import bound, officers_of_agencies


def _agencies(request: HttpRequest, *roles: str) -> list[Agency]:
    return [a for a in my_agencies(request.user)[:200] if roles_in(request.user, a.pk) & set(roles)]


def _fail(form: Form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@officers_of_agencies
def new_draft(request: HttpRequest) -> HttpResponse:
    agencies = _agencies(request, CLERK, LEADER, SPECIALIST)
    form = DraftForm(*bound(request), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            uploads = [check_upload(data["file"].name, data["file"])] if data["file"] else []
            document = actions.do_create_draft(
                form.picked(),
                actions.Draft(
                    type_code=data["type_code"],
                    subject=data["subject"],
                    urgency=data["urgency"],
                    drafting_unit=data["drafting_unit"],
                    recipients=[actions.Recipient(c, n) for c, n in form.recipient_rows()],
                    reply_due_on=data["reply_due_on"],
                    restricted=data["restricted"],
                ),
                actor=request.user,
                uploads=uploads,
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("documents:document", document_id=document.pk)
    return render(request, "documents/staff/new.html", {"form": form, "agencies": agencies})


@officers_of_agencies
def register_incoming(request: HttpRequest) -> HttpResponse:
    agencies = _agencies(request, CLERK, LEADER)
    form = IncomingForm(*bound(request), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            uploads = [check_upload(data["file"].name, data["file"])] if data["file"] else []
            document, warnings = actions.do_register_incoming(
                form.picked(),
                actions.Received(
                    type_code=data["type_code"],
                    subject=data["subject"],
                    sender_name=data["sender_name"],
                    sender_code=data["sender_code"],
                    number=data["number"],
                    notation=data["notation"],
                    issued_on=data["issued_on"],
                    urgency=data["urgency"],
                    source=data["source"],
                    restricted=data["restricted"],
                ),
                actor=request.user,
                uploads=uploads,
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(
                request,
                _("Registered with arrival number %(n)s.") % {"n": document.arrival_number},
            )
            return redirect("documents:document", document_id=document.pk)
    return render(
        request, "documents/staff/register_incoming.html", {"form": form, "agencies": agencies}
    )


@officers_of_agencies
def upload_package(request: HttpRequest) -> HttpResponse:
    allowed = _agencies(request, CLERK, LEADER)
    form = PackageForm(*bound(request))
    if request.method == "POST" and not allowed:
        form.add_error(None, _("Only a clerk takes packages in."))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            answer = exchange.accept(upload.read(upload.size + 1), actor=request.user)
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, f"{answer.status_code} {answer.description}")
            ours = {a.code for a in allowed}
            first = next((d for d in answer.documents if d["agency"] in ours), None)
            if first is not None:
                return redirect("documents:document", document_id=first["id"])
            return redirect("documents:inbox")
    return render(request, "documents/staff/exchange.html", {"form": form})


@officers_of_agencies
def certificate(request: HttpRequest) -> HttpResponse:
    form = CertificateForm(*bound(request)[:1])
    if request.method == "POST" and form.is_valid():
        try:
            signing.do_issue_certificate(
                request.user,
                passphrase=form.cleaned_data["passphrase"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Your signing certificate was issued."))
            return redirect("documents:certificate")
    context = {"form": form, "current": signing.officer_certificate(request.user)}
    return render(request, "documents/staff/certificate.html", context)
