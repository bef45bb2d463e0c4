"""Filing online: the form with its drafts, and the review before submitting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError, NotFound
from haicap.core.ratelimit import check
from haicap.portal.actions import do_submit_draft
from haicap.portal.models import CitizenProfile, Draft
from haicap.portal.views import eform_filing
from haicap.portal.views.payment import payment_url
from haicap.portal.views.tracking import lookup_url
from haicap.procedures import queries as procedure_queries
from haicap.procedures.models import CompetentTier, OnlineLevel, Procedure
from haicap.procedures.rules import due_at
from haicap.units.centres import own_centre
from haicap.units.models import AdminUnit, ServiceCenter, Tier
from haicap.units.queries import today


def _own_draft(request: HttpRequest, token: str) -> Draft:
    draft = (
        Draft.objects.select_related("procedure", "centre", "centre__unit")
        .filter(token=token)
        .first()
    )
    if draft is None:
        raise Http404
    owner_ok = request.user.is_authenticated and draft.user_id == request.user.pk
    session_ok = bool(draft.session_key) and draft.session_key == request.session.session_key
    if not (owner_ok or session_ok):
        raise Http404
    return draft


def _centre_for_filing(
    procedure: Procedure, province_code: str, commune_code: str
) -> tuple[ServiceCenter, str]:
    """The receiving centre and the applicant's commune code, from the places chosen."""
    province = (
        AdminUnit.objects.in_force_on(today())
        .filter(code=province_code, tier=Tier.PROVINCE)
        .first()
    )
    if province is None:
        raise DomainError(_("Choose a province."), field="province")
    if procedure.competent_tier != CompetentTier.COMMUNE:
        centre = own_centre(province)
        if centre is None:
            raise DomainError(_("This province has no service centre."), field="province")
        return centre, commune_code
    commune = (
        AdminUnit.objects.in_force_on(today())
        .filter(code=commune_code, tier=Tier.COMMUNE, province=province)
        .first()
    )
    if commune is None:
        raise DomainError(_("Choose a commune or ward of the chosen province."), field="commune")
    centre = own_centre(commune)
    if centre is None:
        raise DomainError(_("This commune has no service centre."), field="commune")
    return centre, commune.code


def file_online(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = procedure_queries.procedure_by_code(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if procedure.online_level == OnlineLevel.NONE:
        messages.error(
            request, _("This procedure cannot be filed online; please go to a service centre.")
        )
        return redirect("portal:procedure", code=code)
    draft = _own_draft(request, request.GET["draft"]) if request.GET.get("draft") else None
    initial: dict[str, Any] = {}
    if draft is not None:
        initial = {**draft.data}
        if draft.centre:
            initial["province"] = (draft.centre.unit.province or draft.centre.unit).code
            initial["commune"] = (
                draft.centre.unit.code if draft.centre.unit.tier == Tier.COMMUNE else ""
            )
    elif request.user.is_authenticated:
        profile = CitizenProfile.objects.filter(user_id=request.user.pk).first()
        if profile is not None:
            initial = {"full_name": profile.full_name, "phone": profile.phone}
    # The e-form, the papers and every error at once: portal/views/eform_filing.py.
    return eform_filing.fill(request, procedure, draft, initial, _centre_for_filing)


def review(request: HttpRequest, token: str) -> HttpResponse:
    draft = _own_draft(request, token)
    if request.method == "POST":
        try:
            check(request, "filing", settings.RATE_LIMIT_FILING)
            dossier = do_submit_draft(draft, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("portal:review", token=token)
        messages.success(
            request,
            _("Your dossier was filed. Keep its code %(code)s and secret %(secret)s to follow it.")
            % {"code": dossier.code, "secret": dossier.secret},
        )
        if dossier.fee and not dossier.fee_paid:  # the payment step comes next
            return redirect(payment_url(dossier.code, dossier.secret))
        return redirect(lookup_url(dossier.code, dossier.secret))
    return render(
        request,
        "portal/review.html",
        {
            "draft": draft,
            "papers": list(draft.papers.all()),
            "expected_due": due_at(draft.procedure, timezone.now()),
            **eform_filing.review_rows(draft.procedure, draft),
        },
    )
