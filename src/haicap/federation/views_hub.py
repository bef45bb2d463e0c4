"""The hub's pages: the 34/34 monitor, reconciliation, the national lookup and catalogue."""

from __future__ import annotations

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from haicap.core.calendar import ZONE
from haicap.core.errors import DomainError
from haicap.core.security import content_security_policy
from haicap.federation import monitor, reconcile
from haicap.federation.access import sees_hub
from haicap.federation.lookup import national_dossier, national_view
from haicap.federation.models import HubProvince, HubReconciliation
from haicap.procedures.models import Procedure
from haicap.staff.http import officers_only


class LookupForm(forms.Form):
    code = forms.CharField(max_length=60, label=gettext_lazy("Dossier code"))
    secret = forms.CharField(max_length=20, label=gettext_lazy("Lookup secret"))


@officers_only(sees_hub)
def monitor_page(request: HttpRequest) -> HttpResponse:
    rows = monitor.rows()
    today = timezone.now().astimezone(ZONE).date()
    start = today.replace(day=1)
    if request.GET.get("format") == "json":
        body = json.dumps(
            [{**row.__dict__, "error_rate": row.error_rate} for row in rows],
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        return HttpResponse(body, content_type="application/json; charset=utf-8")
    return render(
        request,
        "federation/monitor.html",
        {
            "rows": rows,
            "connected": sum(1 for row in rows if row.connected),
            "total": len(rows),
            "index": monitor.synced_index(None, start, today),
            "period": (start, today),
        },
    )


@officers_only(sees_hub)
def reconciliation_page(request: HttpRequest) -> HttpResponse:
    records = HubReconciliation.objects.select_related("province__province").order_by(
        "-day", "province"
    )
    code = request.GET.get("province", "").strip()[:20]
    if code:
        records = records.filter(province__dstcode=code)
    return render(
        request,
        "federation/reconciliation.html",
        {
            "records": reconcile.describe(list(records[:100])),
            "provinces": HubProvince.objects.select_related("province").order_by("dstcode"),
            "chosen": code,
        },
    )


def lookup_page(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if not request.GET:
        return render(request, "federation/lookup.html", {"form": form})
    if not form.is_valid():
        return render(request, "federation/lookup.html", {"form": form}, status=400)
    try:
        dossier = national_view(
            national_dossier(request, form.cleaned_data["code"], form.cleaned_data["secret"])
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "federation/lookup.html", {"form": form}, status=exc.status)
    return render(request, "federation/lookup.html", {"form": form, "dossier": dossier})


def catalogue_page(request: HttpRequest) -> HttpResponse:
    procedures = Procedure.objects.filter(is_active=True).order_by("code")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        procedures = procedures.filter(name__icontains=query)
    return render(
        request,
        "federation/catalogue.html",
        {
            "procedures": procedures,
            "query": query,
            "provinces": HubProvince.objects.exclude(portal_url="").select_related("province"),
        },
    )


def file_online(request: HttpRequest, code: str) -> HttpResponse:
    """Filing from the national catalogue: the citizen goes to the chosen province's portal."""
    procedure = Procedure.objects.filter(is_active=True, code=code[:60]).first()
    province = (
        HubProvince.objects.filter(dstcode=request.GET.get("province", "")[:20])
        .exclude(portal_url="")
        .first()
    )
    if procedure is None:
        raise Http404
    if province is None:
        provinces = list(HubProvince.objects.exclude(portal_url="").select_related("province"))
        page = render(
            request,
            "federation/choose_province.html",
            {
                "procedure": procedure,
                "provinces": provinces,
                "error": bool(request.GET.get("province")),
            },
            status=400 if request.GET.get("province") else 200,
        )
        # The form's answer redirects to the province's portal: the browser must allow it.
        page["Content-Security-Policy"] = content_security_policy(
            form_targets=tuple(p.portal_url for p in provinces)
        )
        return page
    return redirect(f"{province.portal_url}/federation/file/{procedure.code}/")
