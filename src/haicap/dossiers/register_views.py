"""The registers page: choose a register, a desk and a period; download PDF or XLSX."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.core import audit
from haicap.core.errors import DomainError
from haicap.core.tables import table_response
from haicap.dossiers import registers
from haicap.dossiers.queue_forms import FIRST_DAY, LAST_DAY
from haicap.staff.access import scope_of
from haicap.staff.http import officers_only
from haicap.units.models import ServiceCenter

staff_required = officers_only()


def register_centres(user: Any) -> list[ServiceCenter]:
    """The desks whose registers the officer may print: their communes', their provinces'."""
    scope = scope_of(user)
    centres = ServiceCenter.objects.filter(is_active=True).select_related("unit", "unit__province")
    if not scope.everything:
        provinces = sorted(scope.provinces)
        centres = centres.filter(
            Q(unit_id__in=sorted(scope.units))
            | Q(unit_id__in=provinces)
            | Q(unit__province_id__in=provinces)
        )
    return list(centres.order_by("kind", "code")[:500])


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Register"),
        choices=[
            ("dossiers", _("Dossier register (sổ theo dõi hồ sơ)")),
            ("returns", _("Result-return register")),
        ],
    )
    centre = forms.ModelChoiceField(
        queryset=ServiceCenter.objects.none(), to_field_name="code", label=_("Desk")
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "XLSX")])

    def __init__(self, *args: Any, centres: list[ServiceCenter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["centre"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ServiceCenter.objects.filter(pk__in=[c.pk for c in centres]).order_by(
            "kind", "code"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(name, _("Choose a date between 01/01/2000 and 31/12/2100."))
        if data.get("start") and data.get("end") and "end" not in self.errors:
            try:
                data["period"] = registers.Period.of(data["start"], data["end"])
            except DomainError as exc:
                self.add_error("end", exc.message)
        return data


@staff_required
def registers_page(request: HttpRequest) -> HttpResponse:
    centres = register_centres(request.user)
    today = timezone.localdate()
    initial = {"start": today.replace(day=1), "end": today, "format": "pdf"}
    if len(centres) == 1:
        initial["centre"] = centres[0].code
    form = RegisterForm(request.GET or None, centres=centres, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        centre, kind, span, fmt = data["centre"], data["kind"], data["period"], data["format"]
        found = registers.dossiers_of(request.user, centre, kind, span)
        try:
            registers.check_size(found, fmt)
        except DomainError as exc:
            form.add_error("end", exc.message)
        else:
            # A register lists citizens' names and addresses: printing it is a read.
            audit.record(
                "dossier.register",
                actor=request.user,
                subject_type="register",
                subject_id=f"{kind}:{centre.code}",
                unit_id=centre.unit_id,
                after={"start": str(span.start), "end": str(span.end), "rows": len(found)},
                ip=request.META.get("REMOTE_ADDR"),
            )
            return _download(centre, kind, span, fmt, list(registers.rows(kind, found)))
    return render(request, "dossiers/staff/registers.html", {"form": form, "centres": centres})


def _download(
    centre: ServiceCenter, kind: str, span: registers.Period, fmt: str, table: list[list[str]]
) -> HttpResponse:
    name = f"{kind}-{centre.code}-{span.start:%Y%m%d}-{span.end:%Y%m%d}"
    if fmt == "xlsx":
        return table_response("xlsx", name, registers.COLUMNS[kind], table)
    response = HttpResponse(
        registers.render_pdf(centre, kind, span, table), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
