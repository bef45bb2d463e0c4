"""Citizen pages: find a procedure, file online, track it, send supplements, rate, find a centre."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core import audit
from haicap.core.errors import DomainError, NotFound
from haicap.core.http import HtmxHttpRequest, cache_for_anonymous
from haicap.core.pagination import page_number, paginate
from haicap.core.ratelimit import check
from haicap.core.text import search_terms
from haicap.dossiers import actions as dossier_actions
from haicap.dossiers import documents
from haicap.dossiers.models import PaperStage, Status
from haicap.dossiers.papers import check as check_upload
from haicap.portal import access
from haicap.portal.actions import (
    do_rate_dossier,
    do_register_citizen,
    do_save_draft,
    do_submit_draft,
)
from haicap.portal.forms import FilingForm, LookupForm, RatingForm, SignUpForm, SupplementForm
from haicap.portal.models import CitizenProfile, Draft
from haicap.portal.public import public_view
from haicap.procedures import queries as procedure_queries
from haicap.procedures.models import CompetentTier, OnlineLevel, Procedure, Sector
from haicap.procedures.rules import due_at
from haicap.units.models import AdminUnit, ServiceCenter, ServiceCenterKind, Tier
from haicap.units.queries import former_communes, today

# Public pages are rendered at most once a minute for visitors without a session.
PUBLIC_PAGE_SECONDS = 60

POPULAR = [
    "1.001193.000.00.00.H01",
    "HCP.HT.002",
    "HCP.HT.003",
    "HCP.CT.001",
    "HCP.CTR.001",
    "HCP.CTR.002",
]


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def home(request: HttpRequest) -> HttpResponse:
    in_force = AdminUnit.objects.in_force_on(today())
    return render(
        request,
        "portal/home.html",
        {
            "popular": Procedure.objects.filter(code__in=POPULAR, is_active=True).order_by("name"),
            "provinces": in_force.filter(tier=Tier.PROVINCE).count(),
            "communes": in_force.filter(tier=Tier.COMMUNE).count(),
            "lookup_form": LookupForm(),
        },
    )


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def catalogue(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    sector = request.GET.get("sector") if request.GET.get("sector") in Sector.values else None
    tier = request.GET.get("tier") if request.GET.get("tier") in CompetentTier.values else None
    online = request.GET.get("online") if request.GET.get("online") in OnlineLevel.values else None
    page = paginate(
        procedure_queries.procedures(query=query, sector=sector, tier=tier, online=online),
        page_number(request),
        20,
    )
    context = {
        "page": page,
        "query": query,
        "sector": sector,
        "tier": tier,
        "online": online,
        "sectors": Sector.choices,
        "tiers": CompetentTier.choices,
        "online_levels": OnlineLevel.choices,
    }
    if request.htmx:
        return render(request, "portal/_catalogue_results.html", context)
    return render(request, "portal/catalogue.html", context)


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def procedure_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = procedure_queries.procedure_by_code(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    now = timezone.now()
    return render(
        request,
        "portal/procedure.html",
        {"procedure": procedure, "due_if_now": due_at(procedure, now), "now": now},
    )


def _provinces() -> list[AdminUnit]:
    return list(AdminUnit.objects.in_force_on(today()).filter(tier=Tier.PROVINCE).order_by("name"))


def _communes(province_code: str) -> list[AdminUnit]:
    province = (
        AdminUnit.objects.in_force_on(today())
        .filter(code=province_code, tier=Tier.PROVINCE)
        .first()
    )
    if province is None:
        return []
    return list(
        AdminUnit.objects.in_force_on(today())
        .filter(province=province, tier=Tier.COMMUNE)
        .order_by("name")
    )


def communes_options(request: HttpRequest) -> HttpResponse:
    """The commune <option>s of a province (htmx, when the province changes)."""
    return render(
        request,
        "portal/_commune_options.html",
        {"communes": _communes(request.GET.get("province", "")), "selected": ""},
    )


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
    centres = ServiceCenter.objects.select_related("unit", "unit__province").filter(is_active=True)
    if procedure.competent_tier != CompetentTier.COMMUNE:
        centre = centres.filter(unit=province, kind=ServiceCenterKind.PROVINCIAL).first()
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
    centre = centres.filter(unit=commune, kind=ServiceCenterKind.COMMUNE).first()
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
    form = FilingForm(
        request.POST or None, request.FILES or None, procedure=procedure, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            centre, commune_code = _centre_for_filing(procedure, data["province"], data["commune"])
            uploads = [
                check_upload(label, upload.name, upload, field=name)
                for name, label in form.paper_fields
                for upload in data.get(name) or []
            ]
            if not request.session.session_key:
                request.session.save()
            draft = do_save_draft(
                draft=draft,
                procedure=procedure,
                centre=centre,
                applicant=dossier_actions.Applicant(
                    full_name=data["full_name"],
                    id_number=data["id_number"],
                    birth_date=data["birth_date"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    unit_code=commune_code if not procedure.filing_anywhere else "",
                ),
                uploads=uploads,
                user=request.user,
                session_key=request.session.session_key or "",
            )
        except DomainError as exc:
            field = (exc.field or "").removeprefix("applicant.")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            return redirect("portal:review", token=draft.token)
    province = form["province"].value() or ""
    return render(
        request,
        "portal/file.html",
        {
            "procedure": procedure,
            "form": form,
            "draft": draft,
            "provinces": _provinces(),
            "communes": _communes(str(province)) if province else [],
        },
    )


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
        return redirect(_lookup_url(dossier.code, dossier.secret))
    return render(
        request,
        "portal/review.html",
        {
            "draft": draft,
            "papers": list(draft.papers.all()),
            "expected_due": due_at(draft.procedure, timezone.now()),
        },
    )


def _lookup_url(code: str, secret: str) -> str:
    return f"{reverse('portal:lookup')}?{urlencode({'code': code, 'secret': secret})}"


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if not request.GET:
        return render(request, "portal/lookup.html", {"form": form})
    if not form.is_valid():
        return render(request, "portal/lookup.html", {"form": form}, status=400)
    try:
        check(request, "lookup", settings.RATE_LIMIT_LOOKUP)
        dossier = access.public_dossier(form.cleaned_data["code"], form.cleaned_data["secret"])
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "portal/lookup.html", {"form": form}, status=exc.status)
    return _status_page(request, dossier, form.cleaned_data["secret"])


@login_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    try:
        dossier = access.dossier_for(request.user, code, "")
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
        return access.dossier_for(request.user, code, secret), secret
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
        filename=paper.original_name,
        as_attachment=True,
    )


def _back(dossier: Any, secret: str, request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and dossier.applicant_user_id == request.user.pk:
        return redirect("portal:my_dossier", code=dossier.code)
    return redirect(_lookup_url(dossier.code, secret))


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
            actor=request.user if request.user.is_authenticated else None,
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
            raise DomainError(_("Choose a rating."), field="score")
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


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def centres(request: HtmxHttpRequest) -> HttpResponse:
    province_code = request.GET.get("province", "")
    query = request.GET.get("q", "").strip()
    found = ServiceCenter.objects.filter(is_active=True).select_related("unit", "unit__province")
    province = None
    if province_code:
        province = (
            AdminUnit.objects.in_force_on(today())
            .filter(code=province_code, tier=Tier.PROVINCE)
            .first()
        )
        if province is not None:
            found = found.filter(Q(unit=province) | Q(unit__province=province))
    for term in search_terms(query):
        found = found.filter(unit__search_key__contains=term)
    page = (
        paginate(found.order_by("kind", "name"), page_number(request), 30)
        if (province or query)
        else None
    )
    context = {
        "provinces": _provinces(),
        "province": province,
        "query": query,
        "page": page,
        "former": former_communes(query, province=province, limit=5),
    }
    if request.htmx:
        return render(request, "portal/_centres.html", context)
    return render(request, "portal/centres.html", context)


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    dossiers = (
        access.citizen_dossiers(request.user).select_related("procedure").order_by("-created_at")
    )
    drafts = (
        Draft.objects.filter(user=request.user)  # type: ignore[misc]
        .select_related("procedure")
        .order_by("-updated_at")
    )
    return render(
        request,
        "portal/my_dossiers.html",
        {"page": paginate(dossiers, page_number(request), 20), "drafts": drafts},
    )


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_register_citizen(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:my_dossiers")
    return render(
        request,
        "portal/signup.html",
        {"form": form, "oidc": settings.OIDC_ISSUER, "oidc_name": settings.OIDC_PROVIDER_NAME},
    )
