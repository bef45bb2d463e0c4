"""Which action a document offers in which status, to whom (pages and API show the same)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haicap.core.actors import Actor, person_id
from haicap.documents.access import CLERK, LEADER, SPECIALIST, roles_in
from haicap.documents.models import Document, Status


@dataclass(frozen=True)
class Action:
    label: str | Promise
    statuses: tuple[str, ...]
    roles: tuple[str, ...]


ACTIONS: dict[str, Action] = {
    "submit": Action(_("Submit for review"), (Status.DRAFT,), (CLERK, LEADER, SPECIALIST)),
    "approve": Action(_("Approve"), (Status.DRAFT, Status.REVIEW), (LEADER,)),
    "number": Action(_("Give the number"), (Status.APPROVED,), (CLERK, LEADER)),
    "sign": Action(
        _("Sign (digital signature)"), (Status.APPROVED, Status.NUMBERED, Status.ISSUED), (LEADER,)
    ),
    "issue": Action(_("Issue"), (Status.APPROVED, Status.NUMBERED), (CLERK, LEADER)),
    "send": Action(_("Send"), (Status.ISSUED, Status.SENT), (CLERK, LEADER)),
    "cancel-number": Action(
        _("Cancel the number"), (Status.NUMBERED, Status.ISSUED), (CLERK, LEADER)
    ),
    "receive": Action(_("Register (arrival number)"), (Status.ARRIVED,), (CLERK, LEADER)),
    "route": Action(_("Route"), (Status.REGISTERED, Status.ROUTED), (LEADER,)),
    "complete": Action(_("Complete and file"), (Status.REGISTERED, Status.ROUTED), (CLERK, LEADER)),
    "return": Action(
        _("Return to the sender"), (Status.ARRIVED, Status.REGISTERED), (CLERK, LEADER)
    ),
}


def allowed(user: Actor, document: Document) -> list[str]:
    held = roles_in(user, document.agency_id)
    names = []
    for name, action in ACTIONS.items():
        if document.status not in action.statuses:
            continue
        if held & set(action.roles) or (name == "complete" and person_id(user) == document.lead_id):
            names.append(name)
    return names
