"""The filter form of the work queues and the bulk-action form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.dossiers.models import Channel, Status
from haicap.dossiers.queues import Filters
from haicap.procedures.models import Procedure

# Dates outside these bounds are a typing mistake, not a period anyone works with.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
BULK_ACTIONS = ("assign", "return_result")
MAX_BULK = 200


def _day(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy.")},
    )


class QueueFilterForm(forms.Form):
    procedure = forms.ModelChoiceField(
        queryset=Procedure.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
        label=_("Procedure"),
        empty_label=_("All procedures"),
    )
    status = forms.TypedChoiceField(
        choices=[("", _("All statuses")), *Status.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Status"),
    )
    channel = forms.TypedChoiceField(
        choices=[("", _("All channels")), *Channel.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Channel"),
    )
    received_from = _day(_("Received from"))
    received_to = _day(_("Received until"))
    due_from = _day(_("Due from"))
    due_to = _day(_("Due until"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("received_from", "received_to", "due_from", "due_to"):
            day = data.get(name)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{LAST_DAY:%d/%m/%Y}"},
                )
        for start, end in (("received_from", "received_to"), ("due_from", "due_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("The end of the period comes before its start."))
        return data

    def filters(self) -> Filters:
        """The valid filters: an invalid field filters nothing, the rest still filter (a form
        that failed keeps its valid fields in ``cleaned_data``)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        procedure = data.get("procedure")
        return Filters(
            procedure_id=procedure.pk if procedure else None,
            status=data.get("status"),
            channel=data.get("channel"),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("assign", _("Assign")), ("return_result", _("Return the result"))],
        label=_("Action"),
    )
    codes = forms.MultipleChoiceField(required=True, label=_("Dossiers"))
    assignee = forms.CharField(max_length=150, required=False, label=_("Officer"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any code: the action decides, per dossier, whether the officer may act on it.
        getlist = getattr(self.data, "getlist", None)
        self.sent: list[str] = list(getlist("codes")) if getlist else []
        field = self.fields["codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, code) for code in self.sent[:MAX_BULK]]

    def clean_codes(self) -> list[str]:
        codes: list[str] = self.cleaned_data["codes"]
        if len(self.sent) > MAX_BULK:
            raise forms.ValidationError(
                _("At most %(n)d dossiers at once.") % {"n": MAX_BULK}, code="too_many"
            )
        return list(dict.fromkeys(codes))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose the officer to assign."))
        return data
