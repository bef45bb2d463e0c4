"""Following a dossier: the lookup, the receipt, results, supplements and the rating."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core import audit
from haicap.core.errors import DomainError, TooManyRequests
from haicap.core.http import with_retry_after
from haicap.core.ratelimit import check
from haicap.dossiers import actions as dossier_actions
from haicap.dossiers import documents
from haicap.dossiers.actions import do_rate_dossier
from haicap.dossiers.models import PaperStage, Status
from haicap.dossiers.papers import check as check_upload
from haicap.dossiers.papers import download_name
from haicap.portal import access
from haicap.portal.forms import LookupForm, RatingForm, SupplementForm
from haicap.portal.public import public_view


def lookup_url(code: str, secret: str) -> str:
    return f"{reverse('portal:lookup')}?{urlencode({'code': code, 'secret': secret})}"


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if not request.GET:
        return render(request, "portal/lookup.html", {"form": form})
    if not form.is_valid():
        return render(request, "portal/lookup.html", {"form": form}, status=400)
    try:
        dossier = access.public_dossier(
            request, form.cleaned_data["code"], form.cleaned_data["secret"]
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return with_retry_after(
            render(request, "portal/lookup.html", {"form": form}, status=exc.status), exc
        )
    return _status_page(request, dossier, form.cleaned_data["secret"])


@login_required(login_url="portal:signin")
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    try:
        dossier = access.dossier_for(request, code, "")
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return _status_page(request, dossier, dossier.secret)


def _status_page(request: HttpRequest, dossier: Any, secret: str) -> HttpResponse:
    return render(
        request,
        "portal/status.html",
        {
            "dossier": dossier,
            "view": public_view(dossier),
            "secret": secret,
            "rating_form": RatingForm(),
            "supplement_form": SupplementForm(),
            "Status": Status,
        },
    )


def _dossier_from_request(request: HttpRequest, code: str) -> tuple[Any, str]:
    secret = request.POST.get("secret") or request.GET.get("secret") or ""
    try:
        return access.dossier_for(request, code, secret), secret
    except TooManyRequests:
        raise  # the page answers 429 with its message (core middleware)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier, _secret = _dossier_from_request(request, code)
    audit.record(
        "dossier.receipt_download",
        actor=request.user,
        subject_type="dossier",
        subject_id=dossier.code,
        unit_id=dossier.responsible_unit_id,
    )
    try:
        pdf = documents.render(dossier, "receipt")
    except LookupError as exc:
        raise Http404 from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}.pdf"'
    return response


def result_file(request: HttpRequest, code: str, paper_id: int) -> FileResponse:
    dossier, _secret = _dossier_from_request(request, code)
    paper = dossier.papers.filter(pk=paper_id, stage=PaperStage.RESULT).first()
    if paper is None or dossier.status not in {Status.PROCESSED, Status.RETURNED}:
        raise Http404
    audit.record(
        "dossier.result_download",
        actor=request.user,
        subject_type="dossier",
        subject_id=dossier.code,
        unit_id=dossier.responsible_unit_id,
    )
    return FileResponse(
        paper.file.open("rb"),
        content_type=paper.content_type,
        filename=download_name(paper.original_name, paper.content_type),
        as_attachment=True,
    )


def _back(dossier: Any, secret: str, request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and dossier.applicant_user_id == request.user.pk:
        return redirect("portal:my_dossier", code=dossier.code)
    return redirect(lookup_url(dossier.code, secret))


@require_POST
def send_supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier, secret = _dossier_from_request(request, code)
    form = SupplementForm(request.POST, request.FILES)
    try:
        check(request, "filing", settings.RATE_LIMIT_FILING)
        if not form.is_valid():
            raise DomainError(_("Attach the missing papers."), field="papers")
        uploads = [
            check_upload(f.name, f.name, f, field="papers") for f in form.cleaned_data["papers"]
        ]
        dossier_actions.do_receive_supplement(
            dossier,
            actor=request.user,
            uploads=uploads,
            note=form.cleaned_data["note"],
            by_citizen=True,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your papers were sent; processing continues."))
    return _back(dossier, secret, request)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier, secret = _dossier_from_request(request, code)
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            # The form's own words: "choose a rating", or the comment is too long.
            field, errors = next(iter(form.errors.items()))
            raise DomainError(str(errors[0]), field=field)
        do_rate_dossier(
            dossier,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for your rating."))
    return _back(dossier, secret, request)
