"""What the meetings pages share: officers only, the meeting looked at, errors shown."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest

from haicap.core.errors import DomainError
from haicap.meetings.access import get_meeting_for
from haicap.meetings.models import Meeting
from haicap.staff.http import officers_only

officers = officers_only()


def meeting_or_404(request: HttpRequest, meeting_id: int) -> Meeting:
    try:
        return get_meeting_for(request.user, meeting_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def form_errors(form: forms.Form) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)
