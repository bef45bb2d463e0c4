"""Forms of the document pages; each shows its errors beside its fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from haicap.documents import doctypes
from haicap.documents.models import Agency, Urgency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _WithAgency(forms.Form):
    agency = forms.ChoiceField(choices=(), label=_("Agency"))

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {a.code: a for a in agencies}
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.code, f"{a.name} ({a.code})") for a in agencies]
        if agencies:
            field.initial = agencies[0].code

    def picked(self) -> Agency:
        return self.agencies[self.cleaned_data["agency"]]


class DraftForm(_WithAgency):
    type_code = forms.ChoiceField(choices=doctypes.choices(), label=_("Document type"))
    subject = forms.CharField(
        max_length=500, label=_("Subject"), widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.TypedChoiceField(
        choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL, label=_("Urgency")
    )
    drafting_unit = forms.CharField(
        max_length=20,
        required=False,
        label=_("Drafting unit (abbreviation, for an official letter)"),
    )
    recipients = forms.CharField(
        required=False,
        max_length=4000,
        label=_("Recipients"),
        help_text=_("One a line: an agency code, or a code and a name after a comma."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reply_due_on = forms.DateField(required=False, label=_("Reply due"), widget=DATE)
    restricted = forms.BooleanField(required=False, label=_("Restricted to named people"))
    file = forms.FileField(required=False, label=_("Main text (PDF)"))

    def recipient_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data.get("recipients", "").splitlines():
            code, _comma, name = line.partition(",")
            if code.strip() or name.strip():
                rows.append((code.strip(), name.strip()))
        return rows


class IncomingForm(_WithAgency):
    type_code = forms.ChoiceField(choices=doctypes.choices(), label=_("Document type"))
    subject = forms.CharField(
        max_length=500, label=_("Subject"), widget=forms.Textarea(attrs={"rows": 3})
    )
    sender_name = forms.CharField(max_length=200, label=_("Sender"))
    sender_code = forms.CharField(max_length=40, required=False, label=_("Sender's code"))
    number = forms.IntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(9_999_999)], label=_("Number")
    )
    notation = forms.CharField(max_length=60, label=_("Notation (e.g. QĐ-UBND)"))
    issued_on = forms.DateField(label=_("Date of the document"), widget=DATE)
    urgency = forms.TypedChoiceField(
        choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL, label=_("Urgency")
    )
    source = forms.ChoiceField(
        choices=[("paper", _("Scanned paper document")), ("email", _("E-mail"))],
        label=_("Received as"),
    )
    restricted = forms.BooleanField(required=False, label=_("Restricted to named people"))
    file = forms.FileField(required=False, label=_("Scan or file (PDF, JPEG, PNG)"))


class PackageForm(forms.Form):
    package = forms.FileField(label=_("edXML package"))


class CertificateForm(forms.Form):
    title = forms.CharField(max_length=64, required=False, label=_("Position (on the certificate)"))
    passphrase = forms.CharField(
        min_length=12,
        max_length=200,
        label=_("New passphrase (12 characters or more)"),
        widget=forms.PasswordInput(render_value=False),
    )


class ReviseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    subject = forms.CharField(
        max_length=500, label=_("Subject"), widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(required=False, label=_("New version of the text (PDF)"))


class ActionForm(forms.Form):
    """Every field an action may need; each action's panel shows those it uses."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=500)
    note = forms.CharField(required=False, max_length=1000)
    lead = forms.CharField(required=False, max_length=150)
    lead_label = forms.CharField(required=False, max_length=200)
    cooperating = forms.MultipleChoiceField(required=False, choices=())
    days = forms.IntegerField(required=False, min_value=1, max_value=250)
    due_on = forms.DateField(required=False)
    passphrase = forms.CharField(required=False, max_length=200)
    signer_title = forms.CharField(required=False, max_length=100)

    def __init__(self, *args: Any, officers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cooperating"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(name, name) for name in officers]
