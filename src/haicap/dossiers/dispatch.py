"""Run an action by name with the fields of a request: the API and the pages share this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.core.errors import Invalid, NotFound
from haicap.dossiers import actions
from haicap.dossiers.models import Dossier
from haicap.dossiers.papers import Upload


@dataclass
class ActionRequest:
    version: int | None = None
    reason: str = ""
    note: str = ""
    missing: list[str] = field(default_factory=list)
    assignee: str | None = None
    agency: str = ""
    amount: int | None = None
    method: str = ""
    new_due_at: dt.datetime | None = None
    uploads: list[Upload] = field(default_factory=list)


def _user(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Invalid(_("No officer %(username)s.") % {"username": username}, field="assignee")
    return user


def run_action(dossier: Dossier, action: str, request: ActionRequest, actor: Any) -> Dossier:
    """Dispatch the action ``action`` (a key of workflow.ACTIONS)."""
    common: dict[str, Any] = {"actor": actor, "version": request.version}
    if action == "accept":
        return actions.do_accept_dossier(dossier, **common)
    if action == "refuse_intake":
        return actions.do_refuse_dossier_intake(dossier, reason=request.reason, **common)
    if action == "request_supplement":
        return actions.do_request_supplement(
            dossier, missing=request.missing, reason=request.reason, **common
        )
    if action == "receive_supplement":
        return actions.do_receive_supplement(
            dossier, note=request.note, uploads=request.uploads, **common
        )
    if action == "assign":
        assignee = _user(request.assignee)
        if assignee is None:
            raise Invalid(_("Choose the officer to assign."), field="assignee")
        return actions.do_assign_dossier(dossier, assignee=assignee, note=request.note, **common)
    if action == "forward":
        return actions.do_forward_dossier(
            dossier, assignee=_user(request.assignee), note=request.note, **common
        )
    if action == "send_to_agency":
        return actions.do_send_dossier_to_agency(
            dossier, agency=request.agency, note=request.note, **common
        )
    if action == "receive_from_agency":
        return actions.do_receive_dossier_from_agency(dossier, note=request.note, **common)
    if action == "approve":
        return actions.do_approve_dossier(dossier, note=request.note, **common)
    if action == "reject":
        return actions.do_reject_dossier(dossier, reason=request.reason, **common)
    if action == "request_payment":
        return actions.do_request_payment(
            dossier, amount=request.amount, note=request.note, **common
        )
    if action == "record_payment":
        return actions.do_record_payment(dossier, method=request.method or "cash", **common)
    if action == "mark_result_ready":
        return actions.do_mark_result_ready(
            dossier, note=request.note, uploads=request.uploads, **common
        )
    if action == "return_result":
        return actions.do_return_result(dossier, **common)
    if action == "withdraw":
        return actions.do_withdraw_dossier(dossier, reason=request.reason, **common)
    if action == "stop":
        return actions.do_stop_dossier(dossier, reason=request.reason, **common)
    if action == "apologise":
        if request.new_due_at is None:
            raise Invalid(_("Give the new appointment."), field="new_due_at")
        new_due = request.new_due_at
        if timezone.is_naive(new_due):
            new_due = new_due.replace(tzinfo=ZONE)
        return actions.do_apologise_dossier(
            dossier, new_due_at=new_due, reason=request.reason, **common
        )
    raise NotFound(_("No action %(action)s.") % {"action": action})
