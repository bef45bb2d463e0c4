"""Forms of the meetings pages; each shows its errors beside its fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.core.calendar import ZONE
from haicap.meetings.models import ConnectionPoint, MeetingKind

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=300, label=_("Title"))
    host = forms.TypedChoiceField(choices=(), coerce=int, label=_("Host point"))
    starts_at = forms.DateTimeField(widget=LOCAL, label=_("Starts"))
    ends_at = forms.DateTimeField(widget=LOCAL, label=_("Ends"))
    invite = forms.ChoiceField(
        choices=(
            ("province", _("Every point of the host's province")),
            ("all", _("Every point in the country")),
            ("list", _("The points listed below")),
        ),
        label=_("Invited points"),
    )
    points = forms.CharField(
        required=False,
        max_length=20_000,
        label=_("Points (unit codes)"),
        help_text=_("With “the points listed”: one unit code a line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    chair = forms.CharField(max_length=100, required=False, label=_("Chair"))
    secretary = forms.CharField(max_length=100, required=False, label=_("Secretary"))
    agenda = forms.CharField(
        required=False,
        max_length=15_000,
        label=_("Agenda"),
        help_text=_("One item a line; a presenter after a “|”."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, hosts: list[ConnectionPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["host"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(p.pk, p.name) for p in hosts]

    def clean_starts_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["starts_at"]
        return value.astimezone(ZONE)

    def clean_ends_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["ends_at"]
        return value.astimezone(ZONE)

    def unit_codes(self) -> list[str]:
        text: str = self.cleaned_data.get("points", "")
        return [code.strip() for code in text.replace(",", "\n").splitlines() if code.strip()]

    def agenda_items(self) -> list[tuple[str, str]]:
        items = []
        for line in str(self.cleaned_data.get("agenda", "")).splitlines():
            title, _bar, presenter = line.partition("|")
            if title.strip():
                items.append((title.strip(), presenter.strip()))
        return items


class RehearsalForm(forms.Form):
    starts_at = forms.DateTimeField(widget=LOCAL, label=_("Rehearsal starts"))
    ends_at = forms.DateTimeField(widget=LOCAL, label=_("Rehearsal ends"))


class PointForm(forms.Form):
    room_name = forms.CharField(max_length=200, required=False, label=_("Room"))
    has_camera = forms.BooleanField(required=False, label=_("Camera"))
    has_microphone = forms.BooleanField(required=False, label=_("Microphone"))
    has_screen = forms.BooleanField(required=False, label=_("Screen"))
    has_speakers = forms.BooleanField(required=False, label=_("Speakers"))
    uplink_mbps = forms.DecimalField(
        required=False, min_value=0, max_value=10_000, decimal_places=1, label=_("Uplink (Mbit/s)")
    )
    contact_name = forms.CharField(max_length=100, required=False, label=_("Technical contact"))
    contact_phone = forms.CharField(max_length=20, required=False, label=_("Contact phone"))
    contact_email = forms.EmailField(max_length=254, required=False, label=_("Contact e-mail"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RollCallForm(forms.Form):
    present = forms.TypedChoiceField(
        choices=(("1", _("Present")), ("0", _("Absent"))),
        coerce=lambda value: value == "1",
        label=_("Roll-call"),
        widget=forms.RadioSelect,
    )
    delegates = forms.IntegerField(
        min_value=0, max_value=500, required=False, label=_("Number of delegates")
    )
    names = forms.CharField(
        required=False,
        max_length=4000,
        label=_("Delegates' names"),
        help_text=_("One a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SpeakForm(forms.Form):
    speaker = forms.CharField(max_length=100, label=_("Who will speak"))
    topic = forms.CharField(max_length=300, required=False, label=_("Topic"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        max_length=100_000,
        required=False,
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConclusionForm(forms.Form):
    unit = forms.TypedChoiceField(choices=(), coerce=int, label=_("Assigned to"))
    text = forms.CharField(
        max_length=2000, label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3})
    )
    working_days = forms.IntegerField(min_value=1, max_value=250, label=_("Due in working days"))

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = units


class DoneForm(forms.Form):
    note = forms.CharField(max_length=1000, label=_("What was done"))
