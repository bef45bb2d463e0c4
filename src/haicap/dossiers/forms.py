"""Forms of the staff pages: the counter intake and the actions on a dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haicap.dossiers import eform_forms
from haicap.dossiers.models import Channel
from haicap.procedures.forms_schema import FormDefinition
from haicap.procedures.models import Procedure
from haicap.units.models import ServiceCenter


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files and self.required:
            # An empty list would skip FileField's own check: a required field needs a file.
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [single(item, initial) for item in files]


class IntakeForm(forms.Form):
    procedure = forms.ModelChoiceField(
        queryset=Procedure.objects.filter(is_active=True).order_by("competent_tier", "name"),
        to_field_name="code",
        label=_("Procedure"),
    )
    centre = forms.ModelChoiceField(
        queryset=ServiceCenter.objects.none(), to_field_name="code", label=_("Receiving centre")
    )
    channel = forms.TypedChoiceField(
        choices=[
            (Channel.IN_PERSON, Channel.IN_PERSON.label),
            (Channel.POSTAL, Channel.POSTAL.label),
        ],
        coerce=int,
        initial=Channel.IN_PERSON,
        label=_("Channel"),
    )
    full_name = forms.CharField(max_length=200, label=_("Full name"))
    id_number = forms.CharField(max_length=20, required=False, label=_("ID number"))
    birth_date = forms.DateField(
        required=False, label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(max_length=20, required=False, label=_("Phone"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    address = forms.CharField(max_length=300, required=False, label=_("Address"))
    unit_code = forms.CharField(
        max_length=10,
        required=False,
        label=_("Applicant's commune code"),
        help_text=_("Needed when a commune procedure is filed at the provincial centre."),
    )
    pages = forms.IntegerField(
        min_value=0, max_value=10000, initial=0, label=_("Pages (fees charged per page)")
    )
    copies = forms.IntegerField(min_value=1, max_value=1000, initial=1, label=_("Copies"))
    papers = MultipleFileField(required=False, label=_("Scanned papers (PDF, JPEG, PNG)"))

    def __init__(
        self,
        *args: Any,
        centres: list[ServiceCenter],
        procedure: Procedure | None = None,
        definition: FormDefinition | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The chosen procedure's e-form, and a tick (and a scan where it is digitised) for
        # each of its required papers: dossiers/intake_views.py.
        self.definition = definition
        self.paper_rows: list[tuple[Any, str, str | None]] = []
        if definition is not None:
            eform_forms.add_fields(self, definition)
        for paper in procedure.papers.order_by("order", "id") if procedure else []:
            if paper.is_declaration and definition is not None:
                continue
            tick = f"received_{paper.pk}"
            label = paper.name + (f" × {paper.copies}" if paper.copies > 1 else "")
            self.fields[tick] = forms.BooleanField(required=False, label=label)
            scan = None
            if paper.digitise:
                scan = f"scan_{paper.pk}"
                self.fields[scan] = MultipleFileField(
                    required=False, label=_("Scan of %(paper)s") % {"paper": paper.name}
                )
            self.paper_rows.append((paper, tick, scan))
        # Choosing the procedure shows its papers checklist (htmx; the form works without).
        self.fields["procedure"].widget.attrs.update(
            {
                "hx-get": reverse("staff:intake"),
                "hx-trigger": "change",
                "hx-target": "#required-papers",
            }
        )
        field = self.fields["centre"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ServiceCenter.objects.filter(pk__in=[c.pk for c in centres]).order_by(
            "code"
        )
        if centres:
            field.initial = centres[0].code


class ActionForm(forms.Form):
    """Every field an action may need; each action's template shows the ones it uses."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    missing = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One paper per line."),
    )
    assignee = forms.CharField(required=False)
    agency = forms.CharField(required=False, max_length=200)
    amount = forms.IntegerField(required=False, min_value=0)
    method = forms.ChoiceField(
        required=False,
        choices=[("cash", _("Cash")), ("transfer", _("Bank transfer")), ("online", _("Online"))],
    )
    new_due_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    papers = MultipleFileField(required=False)

    def missing_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("missing", "").splitlines()
            if line.strip()
        ]

    def due(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("new_due_at")
        return value
