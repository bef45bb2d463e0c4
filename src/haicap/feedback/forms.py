"""Forms of the feedback pages: filing (console, desk, portal), handling, citizen steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.feedback.models import MAX_DESCRIPTION, Rating


class FilingForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    unit_code = forms.CharField(
        label=_("Commune code (registry)"),
        max_length=10,
        required=False,
        help_text=_("Today's or a former unit's code; a former unit goes to its successor."),
    )
    address = forms.CharField(
        label=_("Address (old or new units)"),
        max_length=300,
        required=False,
        help_text=_("e.g. Phường Trúc Bạch, Quận Ba Đình, Hà Nội"),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    description = forms.CharField(
        label=_("Description"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 5})
    )
    dossier_code = forms.CharField(
        label=_("Dossier code (complaints about a procedure)"), max_length=60, required=False
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_public = forms.BooleanField(
        label=_("Publish the report and its answer (without personal data)"), required=False
    )
    photo = forms.FileField(label=_("Photo (JPEG or PNG)"), required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class HotlineForm(FilingForm):
    call_at = forms.DateTimeField(
        label=_("Time of the call"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    callback_phone = forms.CharField(label=_("Callback number"), max_length=20)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the text first.")},
    )


class TransferForm(forms.Form):
    unit_code = forms.CharField(label=_("To unit (code)"), max_length=10)
    note = forms.CharField(label=_("Reason"), max_length=4000)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Original report's tracking code"), max_length=20)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
    secret = forms.CharField(label=_("Secret"), max_length=20)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Your rating"), choices=Rating.choices)
    note = forms.CharField(label=_("Comment"), max_length=500, required=False)
