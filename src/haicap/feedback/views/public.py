"""Public pages: the list of public reports with their answers, a report's page, the photo of
a public report, and the citizen's own tracking (code and secret) to reopen and rate."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core import ratelimit
from haicap.core.errors import DomainError
from haicap.core.pagination import page_number, paginate
from haicap.feedback import actions
from haicap.feedback.access import get_own_report, get_public_report, public_reports
from haicap.feedback.forms import NoteForm, RateForm, TrackForm
from haicap.feedback.models import OPEN, Photo
from haicap.feedback.views.filing import choices


def public_list(request: HttpRequest) -> HttpResponse:
    found = public_reports()
    category = request.GET.get("category", "")[:40]
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    if category:
        found = found.filter(category__code=category)
    if status == "open":
        found = found.filter(status__in=OPEN)
    elif status == "closed":
        found = found.exclude(status__in=OPEN)
    if query:
        found = found.filter(Q(code__iexact=query) | Q(description__icontains=query))
    page = paginate(found.order_by("-received_at", "-id"), page_number(request), 20)
    return render(
        request,
        "feedback/public/list.html",
        {
            "page": page,
            "categories": choices(),
            "category": category,
            "status": status,
            "query": query,
        },
    )


def public_report(request: HttpRequest, code: str) -> HttpResponse:
    try:
        report = get_public_report(code)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    steps = report.events.filter(public=True).order_by("at", "id")
    photos = list(report.photos.values_list("id", flat=True))
    return render(
        request,
        "feedback/public/report.html",
        {"report": report, "steps": steps, "photos": photos},
    )


def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    found = Photo.objects.filter(pk=photo_id, report__is_public=True).first()
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def track(request: HttpRequest) -> HttpResponse:
    """The citizen's own report: its answer, and forms to reopen it or rate it."""
    form = TrackForm(request.POST or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        try:
            ratelimit.check(request, "feedback-track", "60/h")
            if form.is_valid():
                report = get_own_report(form.cleaned_data["code"], form.cleaned_data["secret"])
                status = 200
        except DomainError as exc:
            status = exc.status
            form.add_error(None, exc.message)
    return render(
        request,
        "feedback/public/track.html",
        {
            "form": form,
            "report": report,
            "reopen_form": NoteForm(),
            "rate_form": RateForm(),
            "secret": form.cleaned_data.get("secret", "") if report else "",
        },
        status=status,
    )


@require_POST
def citizen_step(request: HttpRequest, code: str, action: str) -> HttpResponse:
    secret = request.POST.get("secret", "")[:20]
    try:
        ratelimit.check(request, "feedback-track", "60/h")
        report = get_own_report(code, secret)
        if action == "reopen":
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise DomainError(form.errors.as_text()[:300])
            actions.do_reopen_report(
                report, secret=secret, reason=form.cleaned_data["note"], actor=request.user
            )
        elif action == "rate":
            rate = RateForm(request.POST)
            if not rate.is_valid():
                raise DomainError(rate.errors.as_text()[:300])
            actions.do_rate_report(
                report,
                secret=secret,
                rating=rate.cleaned_data["rating"],
                note=rate.cleaned_data["note"],
                actor=request.user,
            )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("feedback_public:track")
    messages.success(request, _("Thank you: your answer was recorded."))
    return redirect("feedback_public:track")
