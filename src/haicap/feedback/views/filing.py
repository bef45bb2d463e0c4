"""Filing pages: the hotline console (keyboard-quick, earlier reports by phone, masked), the
reception desk, and the portal page for citizens. All three make the same report."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from haicap.core import audit, ratelimit
from haicap.core.errors import DomainError, Invalid
from haicap.core.sms import masked
from haicap.feedback import categories, routing
from haicap.feedback.access import visible_reports
from haicap.feedback.actions import Intake, do_file_report
from haicap.feedback.actions.filing import normalise_phone
from haicap.feedback.forms import FilingForm, HotlineForm
from haicap.feedback.models import Channel, Report
from haicap.staff.http import officers_only


def choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in categories.offered(None)]


def _place(data: dict[str, Any]) -> routing.Place:
    if data.get("unit_code"):
        return routing.from_registry(code=data["unit_code"].strip())
    if data.get("latitude") is not None and data.get("longitude") is not None:
        return routing.from_coordinates(data["latitude"], data["longitude"])
    if data.get("address"):
        return routing.from_address(data["address"])
    raise Invalid(_("Give the place: a commune code, an address or coordinates."), field="address")


def file_from_form(request: HttpRequest, form: FilingForm, channel: str) -> Report | None:
    """The report from a valid form, or None with the error put on the form."""
    data = form.cleaned_data
    try:
        place = _place(data)
        category = categories.category(data["category"], place.province)
        photo = request.FILES.get("photo")
        report, _created = do_file_report(
            Intake(
                channel=channel,
                category=category,
                place=place,
                description=data["description"],
                address=data.get("address") or "",
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                full_name=data.get("full_name") or "",
                phone=data.get("phone") or "",
                email=data.get("email") or "",
                user=request.user
                if isinstance(request.user, User) and channel == Channel.PORTAL
                else None,
                is_public=bool(data.get("is_public")),
                call_at=data.get("call_at"),
                callback_phone=data.get("callback_phone") or "",
                client_key=data.get("client_key") or "",
                dossier_code=data.get("dossier_code") or "",
                photos=[photo.read(10 * 1024 * 1024)] if photo else [],
            ),
            actor=request.user,
        )
    except DomainError as exc:
        names = {"address_string": "address", "lat": "latitude", "media": "photo"}
        name = names.get(exc.field or "", exc.field or "")
        form.add_error(name if name in form.fields else None, exc.message)
        return None
    return report


def _earlier(request: HttpRequest, phone: str) -> list[dict[str, str]]:
    """The caller's earlier reports, found by phone, shown masked (an officer's reach only)."""
    try:
        phone = normalise_phone(phone)
    except DomainError:
        return []
    if not phone:
        return []
    found = list(visible_reports(request.user).filter(phone=phone).order_by("-received_at")[:10])
    # A lookup of a citizen's reports by number is a read of personal data: audited, the
    # number itself not written.
    audit.record(
        "feedback.lookup_phone",
        actor=request.user,
        subject_type="feedback_report",
        subject_id=",".join(r.code for r in found)[:200],
        after={"found": len(found)},
        ip=request.META.get("REMOTE_ADDR"),
    )
    return [
        {
            "code": r.code,
            "phone": masked(r.phone),
            "status": r.get_status_display(),
            "category": r.category.name,
            "received": r.received_at.strftime("%d/%m/%Y"),
        }
        for r in found
    ]


@officers_only(lambda scope: scope.has_role("receiver", "province_admin"))
def console(request: HttpRequest) -> HttpResponse:
    """The hotline operator files on a caller's behalf; Alt+S saves, fields in call order."""
    channel = Channel.DESK if request.GET.get("channel") == "desk" else Channel.HOTLINE
    form_class = HotlineForm if channel == Channel.HOTLINE else FilingForm
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, choices=choices())
        if form.is_valid():
            report = file_from_form(request, form, channel)
            if report is not None:
                messages.success(request, _("Report %(code)s filed.") % {"code": report.code})
                return redirect("feedback:report", code=report.code)
    else:
        form = form_class(choices=choices(), initial={"client_key": uuid.uuid4().hex})
    earlier = _earlier(request, request.POST.get("phone") or request.GET.get("phone", ""))
    return render(
        request,
        "feedback/console.html",
        {"form": form, "channel": channel, "earlier": earlier},
    )


@officers_only(lambda scope: scope.has_role("receiver", "province_admin"))
def earlier(request: HttpRequest) -> HttpResponse:
    """htmx: the caller's earlier reports as the operator types the number."""
    found = _earlier(request, request.GET.get("phone", "")[:20])
    return render(request, "feedback/_earlier.html", {"earlier": found})


def portal_new(request: HttpRequest) -> HttpResponse:
    """The portal page: anyone files a report; the tracking code and secret are shown once."""
    if request.method == "POST":
        form = FilingForm(request.POST, request.FILES, choices=choices())
        try:
            ratelimit.check(request, "feedback-portal", "20/h")
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, "feedback/public/new.html", {"form": form}, status=429)
        if form.is_valid():
            report = file_from_form(request, form, Channel.PORTAL)
            if report is not None:
                return render(request, "feedback/public/filed.html", {"report": report})
    else:
        form = FilingForm(choices=choices(), initial={"client_key": uuid.uuid4().hex})
    return render(request, "feedback/public/new.html", {"form": form})
