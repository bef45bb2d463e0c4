"""A dossier's timeline told to its applicant in plain words, without internal detail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.core.templatetags.haicap import vn_datetime
from haicap.dossiers.models import DossierEvent


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    text: str
    detail: str = ""


def _text(event: DossierEvent) -> tuple[str, str] | None:
    action, data, note = event.action, event.data, event.note
    if action == "submit":
        return _("You filed the dossier online."), ""
    if action == "intake":
        return _("The dossier was received at the service centre."), ""
    if action == "accept":
        return _("The centre accepted your dossier; the processing time starts now."), ""
    if action == "refuse_intake":
        return _("The centre could not accept your dossier."), note
    if action == "request_supplement":
        missing = "; ".join(data.get("missing", []))
        return _("Papers are missing or need correcting: %(missing)s.") % {"missing": missing}, note
    if action == "receive_supplement":
        return _("Your supplement was received; processing continues."), ""
    if action in {"assign", "forward"}:
        return _("Your dossier is being processed."), ""
    if action == "send_to_agency":
        return _("Your dossier was sent to %(agency)s for its part.") % {
            "agency": data.get("agency", "")
        }, ""
    if action == "receive_from_agency":
        return _("The other agency finished its part."), ""
    if action == "approve":
        return _("Your dossier was approved."), ""
    if action == "reject":
        return _("Your request was refused."), note
    if action == "request_payment":
        return _("Please pay the fee or financial obligation."), note
    if action in {"record_payment", "pay"}:
        return _("Your payment was received."), ""
    if action == "mark_result_ready":
        return _("The result is ready."), note
    if action == "return_result":
        return _("The result was handed over."), ""
    if action == "withdraw":
        return _("The dossier was withdrawn at your request."), ""
    if action == "stop":
        return _("Processing was stopped."), note
    if action == "apologise":
        new_due = data.get("new_due_at")
        when = vn_datetime(dt.datetime.fromisoformat(new_due)) if new_due else ""
        return _("We apologise: the result will be late. New appointment: %(when)s.") % {
            "when": when
        }, note
    if action == "move":
        if data.get("from_name") and data.get("to_name"):
            return _(
                "%(old)s is now part of %(new)s: your dossier was handed to %(new)s; "
                "the appointment date is unchanged."
            ) % {"old": data["from_name"], "new": data["to_name"]}, ""
        return _("Your dossier was handed to the unit that succeeded the old one."), ""
    if action == "import":
        return _("The dossier was received (brought over from the previous system)."), ""
    return None


def plain_timeline(events: list[DossierEvent]) -> list[Step]:
    steps: list[Step] = []
    for event in events:
        told = _text(event)
        if told is None:
            continue
        text, detail = told
        if steps and steps[-1].text == text and not detail:
            continue  # several internal steps read as one
        steps.append(Step(at=event.at.astimezone(ZONE), text=text, detail=detail))
    return steps
