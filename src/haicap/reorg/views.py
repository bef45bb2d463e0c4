"""Staff pages for reorganisation plans: list, upload, preview, overrides, apply, export."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from procrastinate.contrib.django.models import ProcrastinateJob

from haicap.core.errors import DomainError, Invalid
from haicap.core.http import HtmxHttpRequest
from haicap.core.pagination import page_number, paginate
from haicap.core.tables import table_response
from haicap.procedures.models import Sector
from haicap.reorg import access
from haicap.reorg.actions import (
    do_add_plan_override,
    do_build_plan_2025,
    do_delete_plan,
    do_import_plan,
    do_preview_plan,
    do_schedule_apply,
)
from haicap.reorg.engine import summarise
from haicap.reorg.models import PlanState, ReorgPlan
from haicap.staff.http import officers_only
from haicap.units.models import AdminUnit

UNITS_PER_PAGE = 50


class UploadForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=500, required=False)
    effective_date = forms.DateField(
        label=gettext_lazy("Effective date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=gettext_lazy("Table (CSV or XLSX): predecessor, successor, kind, default"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_effective_date(self) -> Any:
        day = self.cleaned_data["effective_date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Choose a date from 2000 to 2100."))
        return day

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx"}:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class OverrideForm(forms.Form):
    predecessor = forms.CharField(label=gettext_lazy("Old unit code"), max_length=10)
    successor = forms.CharField(label=gettext_lazy("Goes to (new unit code)"), max_length=10)
    procedure = forms.CharField(label=gettext_lazy("Procedure code"), required=False)
    sector = forms.ChoiceField(
        label=gettext_lazy("or sector"),
        choices=[("", "—"), *Sector.choices],
        required=False,
    )


# National administrators, and provincial administrators for their province's part.
reorganisers_only = officers_only(lambda scope: scope.is_administrator)


def _plan(request: HttpRequest, pk: int) -> ReorgPlan:
    try:
        return access.get_plan_for(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _province(request: HttpRequest) -> AdminUnit | None:
    try:
        return access.province_part(request.user, request.GET.get("province") or None)
    except DomainError as exc:
        raise Http404(exc.message) from exc


@reorganisers_only
def plan_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        national = access.is_national(request.user)
        suffix = Path(data["file"].name).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in data["file"].chunks():
                handle.write(chunk)
            handle.flush()
            try:
                plan = do_import_plan(
                    Path(handle.name),
                    name=data["name"],
                    legal_basis=data["legal_basis"],
                    effective_date=data["effective_date"],
                    actor=request.user,
                    within_provinces=None if national else access.admin_provinces(request.user),
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Plan created. Preview it before applying."))
                return redirect("reorg:plan", pk=plan.pk)
    plans = access.plans_for(request.user).order_by("-created_at")
    return render(
        request,
        "reorg/plans.html",
        {
            "plans": list(plans),
            "form": form,
            "national": access.is_national(request.user),
            "has_2025": plans.filter(effective_date=dt.date(2025, 7, 1)).exists(),
        },
    )


@reorganisers_only
@require_POST
def build_2025(request: HttpRequest) -> HttpResponse:
    if not access.is_national(request.user):
        raise Http404
    try:
        plan = do_build_plan_2025(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reorg:plans")
    messages.success(request, _("The 1 July 2025 plan was built from the unit registry."))
    return redirect("reorg:plan", pk=plan.pk)


def _job_waiting(plan: ReorgPlan) -> bool:
    return ProcrastinateJob.objects.filter(
        task_name="haicap.reorg.apply_plan",
        args__plan_id=plan.pk,
        status__in=["todo", "doing"],
    ).exists()


@reorganisers_only
def plan_page(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    province = _province(request)
    summary = summarise(plan, province_id=province.pk if province else None, limit=100)
    if request.GET.get("format") == "csv":
        return _csv(plan, summary, province)
    totals = summary["totals"]
    # Progress counts the items that move one by one (dossiers and the like), not the staff
    # and desks that follow their unit at the end.
    to_move = totals.get("pending_dossiers", 0) + totals.get("results_not_returned", 0)
    done = totals.get("already_moved", 0)
    context = {
        "plan": plan,
        "province": province,
        "provinces": _provinces_to_choose(request),
        "national": access.is_national(request.user),
        "summary": summary,
        "units_page": paginate(summary["units"], page_number(request), UNITS_PER_PAGE),
        "progress": {
            "done": done,
            "total": done + to_move,
            "percent": round(100 * done / (done + to_move)) if done + to_move else 100,
            "running": plan.state == PlanState.APPLYING or _job_waiting(plan),
        },
        "overrides": list(
            plan.overrides.select_related("predecessor", "successor", "procedure").order_by("id")
        ),
        "override_form": OverrideForm(),
        "successions": plan.successions.count(),
        "PlanState": PlanState,
    }
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "reorg/_progress.html", context)
    return render(request, "reorg/plan.html", context)


def _provinces_to_choose(request: HttpRequest) -> list[AdminUnit]:
    current = AdminUnit.objects.filter(tier="province", valid_to__isnull=True).order_by("name")
    if access.is_national(request.user):
        return list(current)
    return list(current.filter(pk__in=access.admin_provinces(request.user)))


def _csv(plan: ReorgPlan, summary: dict[str, Any], province: AdminUnit | None) -> HttpResponse:
    columns = summary["columns"]
    return table_response(
        "csv",
        f"reorg-{plan.pk}{'-' + province.code if province else ''}",
        [
            _("Old unit code"),
            _("Old unit"),
            _("New unit code"),
            _("New unit"),
            _("Province"),
            *[column["label"] for column in columns],
        ],
        [
            [
                row["from"]["code"],
                row["from"]["name"],
                row["to"]["code"],
                row["to"]["name"],
                row["province"]["name"],
                *[row[column["key"]] for column in columns],
            ]
            for row in summary["units"]
        ],
    )


def _back(plan: ReorgPlan, province: AdminUnit | None) -> HttpResponse:
    response = redirect("reorg:plan", pk=plan.pk)
    if province is not None:
        response["Location"] += f"?province={province.code}"
    return response


@reorganisers_only
@require_POST
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    province = _province(request)
    try:
        summary = do_preview_plan(
            plan, actor=request.user, province_id=province.pk if province else None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        totals = summary["totals"]
        messages.success(
            request,
            _(
                "Preview ready: %(dossiers)s pending dossiers and %(results)s results not yet "
                "returned will move; %(unplaced)s cannot be placed."
            )
            % {
                "dossiers": totals["pending_dossiers"],
                "results": totals["results_not_returned"],
                "unplaced": totals["cannot_be_placed"],
            },
        )
    return _back(plan, province)


@reorganisers_only
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    province = _province(request)
    if request.POST.get("confirmed") != "yes" and plan.state != PlanState.DRAFT:
        # Applying moves work between units and cannot be undone: show what moves first.
        summary = summarise(plan, province_id=province.pk if province else None, limit=0)
        return render(
            request,
            "reorg/confirm_apply.html",
            {"plan": plan, "province": province, "summary": summary},
        )
    try:
        do_schedule_apply(plan, actor=request.user, province_id=province.pk if province else None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The plan is being applied in the background; progress shows below.")
        )
    return _back(plan, province)


@reorganisers_only
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page; POST with ``confirmed``: delete the plan."""
    plan = _plan(request, pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            do_delete_plan(plan, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("reorg:plan", pk=pk)
        messages.success(request, _("Plan “%(name)s” deleted.") % {"name": plan.name})
        return redirect("reorg:plans")
    context = {
        "plan": plan,
        "deletable": plan.state in (PlanState.DRAFT, PlanState.PREVIEWED)
        and access.may_delete(request.user, plan),
    }
    return render(request, "reorg/confirm_delete.html", context)


@reorganisers_only
@require_POST
def add_override(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    province = _province(request)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the old unit, the new unit and a procedure or sector."))
        return _back(plan, province)
    data = form.cleaned_data
    try:
        if province is not None:
            # A province routes only its own units' dossiers.
            target = AdminUnit.objects.filter(code=data["successor"], valid_to__isnull=True).first()
            if target is None or (target.province_id or target.pk) != province.pk:
                raise Invalid(
                    _("%(code)s is not a unit of %(province)s.")
                    % {"code": data["successor"], "province": province.name},
                    field="successor",
                )
        do_add_plan_override(
            plan,
            predecessor=data["predecessor"].strip(),
            successor=data["successor"].strip(),
            procedure=data["procedure"].strip() or None,
            sector=data["sector"] or None,
            actor=request.user,
            within_provinces=None
            if access.is_national(request.user)
            else access.admin_provinces(request.user),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Override added; preview again to see its effect."))
    return _back(plan, province)
