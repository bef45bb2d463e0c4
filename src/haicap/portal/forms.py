"""Forms of the citizen pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.dossiers import eform_forms
from haicap.dossiers.forms import MultipleFileField
from haicap.dossiers.models import Satisfaction
from haicap.procedures.forms_schema import FormDefinition
from haicap.procedures.models import Procedure


class FilingForm(forms.Form):
    """The applicant and where to file, the procedure's e-form, one upload field per required
    paper (with "shown at the desk" where allowed)."""

    full_name = forms.CharField(max_length=200, label=_("Full name"))
    id_number = forms.CharField(
        max_length=20, required=False, label=_("ID number"), help_text=_("12-digit citizen ID")
    )
    birth_date = forms.DateField(
        required=False, label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(
        max_length=20, required=False, label=_("Phone"), help_text=_("For text messages")
    )
    email = forms.EmailField(required=False, label=_("E-mail"))
    address = forms.CharField(max_length=300, required=False, label=_("Address"))
    province = forms.CharField(max_length=10, label=_("Province or city"))
    commune = forms.CharField(max_length=10, required=False, label=_("Commune or ward"))

    def __init__(
        self,
        *args: Any,
        procedure: Procedure,
        definition: FormDefinition | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        if definition is not None:
            eform_forms.add_fields(self, definition)
        # (field name, paper name, required paper id or None for other papers)
        self.paper_fields: list[tuple[str, str, int | None]] = []
        for paper in procedure.papers.order_by("order", "id"):
            if paper.is_declaration and definition is not None:
                continue  # the e-form above is this paper
            name = f"paper_{paper.pk}"
            self.fields[name] = MultipleFileField(
                required=False,
                label=paper.name,
                help_text=_("Required") if paper.mandatory else _("If you have it"),
            )
            self.paper_fields.append((name, paper.name, paper.pk))
            if paper.desk_allowed:
                self.fields[f"desk_{paper.pk}"] = forms.BooleanField(
                    required=False, label=_("I will show it at the desk instead")
                )
        self.fields["paper_other"] = MultipleFileField(required=False, label=_("Other papers"))
        self.paper_fields.append(("paper_other", str(_("Other papers")), None))
        for field in ("full_name", "phone", "email", "address"):
            self.fields[field].widget.attrs["autocomplete"] = {
                "full_name": "name",
                "phone": "tel",
                "email": "email",
                "address": "street-address",
            }[field]


class LookupForm(forms.Form):
    code = forms.CharField(max_length=60, label=_("Dossier code"))
    secret = forms.CharField(max_length=20, label=_("Lookup secret"))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Your rating"),
        error_messages={"required": _("Choose a rating."), "invalid_choice": _("Choose a rating.")},
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Comment"),
    )


class SupplementForm(forms.Form):
    papers = MultipleFileField(label=_("The missing papers (PDF, JPEG, PNG)"))
    note = forms.CharField(required=False, max_length=500, label=_("Note"))


class SignUpForm(forms.Form):
    full_name = forms.CharField(max_length=200, label=_("Full name"))
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(max_length=20, required=False, label=_("Phone"))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), label=_("Password")
    )
