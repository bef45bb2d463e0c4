"""A document's page: its facts, files, deliveries, timeline and the actions offered (the
routing dialog among them); downloads, signature checks and its exchange package."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError
from haicap.documents import actions, signing
from haicap.documents.dispatch import ActionRequest, run_action
from haicap.documents.files import check_upload
from haicap.documents.forms import ActionForm, ReviseForm
from haicap.documents.models import AgencyKind, AgencyRole, Document, ExchangeMessage, Status
from haicap.documents.serializers import printed
from haicap.documents.views.common import bound, document_or_404, officers_of_agencies
from haicap.documents.workflow import ACTIONS, allowed
from haicap.staff.models import Role, RoleAssignment


def officers_of(document: Document) -> list[str]:
    """Usernames of the agency's officers (for the routing dialog)."""
    direct = AgencyRole.objects.filter(agency=document.agency, is_active=True).values("user_id")
    found = Q(pk__in=direct)
    if document.agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        unit_roles = RoleAssignment.objects.filter(
            unit_id=document.agency.unit_id,
            is_active=True,
            role__in=(Role.CLERK, Role.LEADER, Role.SPECIALIST),
        ).values("user_id")
        found |= Q(pk__in=unit_roles)
    users = get_user_model().objects.filter(found, is_active=True).order_by("username")[:300]
    return [str(name) for name in users.values_list("username", flat=True)]


@officers_of_agencies
def document_page(request: HttpRequest, document_id: int) -> HttpResponse:
    document = document_or_404(request, document_id, verb="document.read")
    names = allowed(request.user, document)
    context = {
        "document": document,
        "printed": printed(document),
        "files": list(document.attachments.all()),
        "events": list(document.events.order_by("at", "id")),
        "deliveries": list(document.deliveries.select_related("forwarded_to").order_by("id")),
        "handlers": list(document.handlers.select_related("user")),
        "allowed": [(name, ACTIONS[name]) for name in names],
        "officers": officers_of(document) if "route" in names else [],
        "overdue": document.is_overdue(),
        "certificate": signing.officer_certificate(request.user) if "sign" in names else None,
        "revisable": document.status in (Status.DRAFT, Status.REVIEW),
        "has_package": document.messages.filter(outgoing=True, kind="package").exists(),
        "now": timezone.now(),
    }
    return render(request, "documents/staff/detail.html", context)


@officers_of_agencies
@require_POST
def act(request: HttpRequest, document_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    document = document_or_404(request, document_id, verb="")
    form = ActionForm(request.POST, officers=officers_of(document))
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        messages.error(request, f"{form.fields[name].label or name}: {errors[0]}")
        return redirect("documents:document", document_id=document_id)
    data = form.cleaned_data
    try:
        _done, warnings = run_action(
            document,
            action,
            ActionRequest(
                version=data["version"],
                reason=data["reason"],
                note=data["note"],
                lead=data["lead"],
                lead_label=data["lead_label"],
                cooperating=list(data["cooperating"]),
                days=data["days"],
                due_on=data["due_on"],
                passphrase=data["passphrase"],
                signer_title=data["signer_title"],
            ),
            request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        for warning in warnings:
            messages.warning(request, warning)
        messages.success(request, _("Done: %(action)s.") % {"action": ACTIONS[action].label})
    return redirect("documents:document", document_id=document_id)


@officers_of_agencies
def revise(request: HttpRequest, document_id: int) -> HttpResponse:
    document = document_or_404(request, document_id, verb="document.read")
    form = ReviseForm(
        *bound(request),
        initial={"version": document.version, "subject": document.subject},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            uploads = [check_upload(data["file"].name, data["file"])] if data["file"] else []
            actions.do_revise_draft(
                document,
                actor=request.user,
                version=data["version"],
                subject=data["subject"],
                uploads=uploads,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("New version saved."))
            return redirect("documents:document", document_id=document_id)
    return render(request, "documents/staff/revise.html", {"form": form, "document": document})


@officers_of_agencies
def download(request: HttpRequest, document_id: int, file_id: int) -> FileResponse:
    document = document_or_404(request, document_id, verb="document.download")
    attachment = document.attachments.filter(pk=file_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.name
    )


@officers_of_agencies
def verify(request: HttpRequest, document_id: int, file_id: int) -> HttpResponse:
    document = document_or_404(request, document_id, verb="document.verify")
    attachment = document.attachments.filter(pk=file_id, content_type="application/pdf").first()
    if attachment is None:
        raise Http404
    result = signing.verify(attachment)
    context = {"document": document, "attachment": attachment, "result": result}
    return render(request, "documents/staff/verify.html", context)


@officers_of_agencies
def package(request: HttpRequest, document_id: int) -> HttpResponse:
    document = document_or_404(request, document_id, verb="document.download")
    message = (
        ExchangeMessage.objects.filter(document=document, outgoing=True, kind="package")
        .order_by("-id")
        .first()
    )
    if message is None:
        raise Http404
    response = HttpResponse(bytes(message.xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="edxml-{document.pk}.xml"'
    return response
