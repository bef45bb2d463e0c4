"""The province's pages: the sync status with dead letters and reconciliation
(/staff/sync/), and the hand-over of a citizen arriving from the national catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haicap.federation import actions, outbox, reconcile
from haicap.federation.access import runs_province_sync, sees_province_sync
from haicap.federation.models import OutboxItem, OutboxState, ProcedureMapping, Reconciliation
from haicap.federation.protocol import ProtocolError
from haicap.procedures.models import Procedure
from haicap.staff.access import scope_of
from haicap.staff.http import officers_only

PAGE = 50

# What an officer reads for each of the hub's refusals (the hub's own words stay beside it).
REASONS = {
    "1": gettext_lazy("The hub could not read the change"),
    "2": gettext_lazy("The hub refused this system's account"),
    "3": gettext_lazy("The signing key does not match the hub's"),
    "4": gettext_lazy("The clocks differ, or the request was sent twice"),
    "5": gettext_lazy("The hub ended the session"),
    "6": gettext_lazy("The hub does not know this unit's code"),
    "7": gettext_lazy("A value of the dossier is not valid"),
    "9": gettext_lazy("The hub has no such dossier"),
    "10": gettext_lazy("The hub holds this dossier for another province"),
}


def reason(last_error: str) -> str:
    """``10: H01… is a dossier of another province.`` → the officer's words, then the hub's."""
    held = last_error.startswith("hub unavailable")
    text = last_error.removeprefix("hub unavailable").removeprefix(": ")
    code, _sep, message = text.partition(": ")
    if code in REASONS:
        return f"{REASONS[code]} ({message})"
    if held:
        return f"{_('The hub did not answer')} ({text})" if text else _("The hub did not answer")
    return last_error


@officers_only(sees_province_sync)
def sync_status(request: HttpRequest) -> HttpResponse:
    counts = dict(
        OutboxItem.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    dead = (
        OutboxItem.objects.filter(state=OutboxState.DEAD).select_related("dossier").order_by("-id")
    )
    query = request.GET.get("q", "").strip()[:60]
    if query:
        dead = dead.filter(dossier__code__icontains=query)
    shown = [(item, reason(item.last_error)) for item in dead[:PAGE]]
    oldest = (
        OutboxItem.objects.filter(state=OutboxState.PENDING)
        .order_by("id")
        .values_list("created_at", flat=True)
        .first()
    )
    held = outbox.waiting_because()
    return render(
        request,
        "federation/sync.html",
        {
            "pending": counts.get(OutboxState.PENDING, 0),
            "sent": counts.get(OutboxState.SENT, 0),
            "dead_count": counts.get(OutboxState.DEAD, 0),
            "dead": shown,
            "query": query,
            "oldest_pending": oldest,
            "waiting_because": reason(held) if held else "",
            "reconciliations": reconcile.describe(
                list(Reconciliation.objects.order_by("-day")[:14])
            ),
            "may_run": runs_province_sync(scope_of(request.user)),
        },
    )


@require_POST
@officers_only(runs_province_sync)
def retry(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("item", "")
    ids = None
    if raw:
        if not (raw.isascii() and raw.isdigit()):
            messages.error(request, _("Choose a dead letter to retry."))
            return redirect("federation:sync")
        ids = [int(raw)]
    count = actions.do_retry_dead(ids, actor=request.user)
    messages.success(request, _("%(count)d changes queued again.") % {"count": count})
    return redirect("federation:sync")


@require_POST
@officers_only(runs_province_sync)
def resend(request: HttpRequest, day: str) -> HttpResponse:
    try:
        parsed = reconcile.parse_day(day.replace("-", ""))
    except ProtocolError:
        raise Http404 from None
    record = get_object_or_404(Reconciliation, day=parsed)
    count = reconcile.resend(record, actor=request.user)
    messages.success(request, _("%(count)d steps queued again.") % {"count": count})
    return redirect("federation:sync")


def file_from_national(request: HttpRequest, code: str) -> HttpResponse:
    """A citizen sent by the national catalogue: to this portal's filing page."""
    mapped = ProcedureMapping.objects.filter(national_code=code[:60]).first()
    procedure = (
        Procedure.objects.filter(pk=mapped.procedure_id, is_active=True).first()
        if mapped
        else Procedure.objects.filter(code=code[:60], is_active=True).first()
    )
    if procedure is None:
        raise Http404
    return redirect(reverse("portal:file", args=[procedure.code]))
