"""A province's categories: its administrator adds, changes or withdraws them (audited)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from haicap.core.errors import DomainError
from haicap.feedback import categories
from haicap.feedback.actions import CategoryFields, do_save_category
from haicap.feedback.models import AgencyKind, HandlerTier
from haicap.staff.access import scope_of
from haicap.staff.http import officers_only
from haicap.units.models import AdminUnit, Tier


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    group = forms.CharField(label=_("Group"), max_length=100, required=False)
    handler_tier = forms.ChoiceField(label=_("Handled at"), choices=HandlerTier.choices)
    agency_kind = forms.ChoiceField(label=_("Agency"), choices=AgencyKind.choices)
    reply_days = forms.IntegerField(
        label=_("Reply deadline (working days)"), min_value=1, max_value=90, initial=15
    )
    is_complaint = forms.BooleanField(label=_("Complaint about a procedure"), required=False)
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)


def _province(request: HttpRequest) -> AdminUnit | None:
    scope = scope_of(request.user)
    ids = sorted(scope.administered_provinces)
    if not ids and scope.everything:
        code = request.GET.get("province", "01")[:10]
        return AdminUnit.objects.filter(
            code=code, tier=Tier.PROVINCE, valid_to__isnull=True
        ).first()
    return AdminUnit.objects.filter(pk__in=ids[:1]).first()


@officers_only(lambda scope: scope.is_administrator)
def province_categories(request: HttpRequest) -> HttpResponse:
    province = _province(request)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and province is not None and form.is_valid():
        data = form.cleaned_data
        try:
            do_save_category(
                CategoryFields(
                    code=data["code"],
                    name=data["name"],
                    group=data["group"],
                    handler_tier=data["handler_tier"],
                    agency_kind=data["agency_kind"],
                    reply_days=data["reply_days"],
                    is_complaint=data["is_complaint"],
                    is_active=data["is_active"],
                ),
                province=province,
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Category saved."))
            return redirect("feedback:categories")
    listed = categories.offered(province)
    return render(
        request,
        "feedback/categories.html",
        {"province": province, "categories": listed, "form": form},
        status=400 if request.method == "POST" else 200,
    )
