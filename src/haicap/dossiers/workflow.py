"""The dossier state machine: which action may run from which status, by which role, on
which side (the receiving centre or the responsible unit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haicap.dossiers.models import Status
from haicap.staff.models import Role


class Side(Enum):
    RECEIVING = "receiving"
    RESPONSIBLE = "responsible"
    EITHER = "either"


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: Promise
    sources: frozenset[int]
    roles: frozenset[str]
    side: Side


def _spec(
    name: str, label: Promise, sources: tuple[int, ...], roles: tuple[str, ...], side: Side
) -> ActionSpec:
    return ActionSpec(name, label, frozenset(sources), frozenset(roles), side)


S = Status
R = Role
OPEN_BEFORE_RESULT = (S.NEW, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED)
RUNNING = (S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED)

ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        _spec("accept", _("Accept"), (S.NEW,), (R.RECEIVER,), Side.RECEIVING),
        _spec(
            "refuse_intake",
            _("Refuse to receive"),
            (S.NEW, S.ACCEPTED),
            (R.RECEIVER,),
            Side.RECEIVING,
        ),
        _spec(
            "request_supplement",
            _("Request a supplement"),
            (S.NEW, S.ACCEPTED, S.PROCESSING),
            (R.RECEIVER, R.SPECIALIST),
            Side.EITHER,
        ),
        _spec(
            "receive_supplement",
            _("Supplement received"),
            (S.SUPPLEMENT_REQUESTED,),
            (R.RECEIVER, R.SPECIALIST),
            Side.EITHER,
        ),
        _spec(
            "assign",
            _("Assign"),
            (S.ACCEPTED, S.PROCESSING),
            (R.LEADER, R.SPECIALIST, R.RECEIVER),
            Side.EITHER,
        ),
        _spec(
            "forward",
            _("Forward to the next step"),
            (S.PROCESSING,),
            (R.SPECIALIST, R.LEADER, R.RECEIVER, R.CLERK),
            Side.EITHER,
        ),
        _spec(
            "send_to_agency",
            _("Send to another agency"),
            (S.PROCESSING,),
            (R.SPECIALIST, R.LEADER),
            Side.RESPONSIBLE,
        ),
        _spec(
            "receive_from_agency",
            _("Back from the other agency"),
            (S.PROCESSING,),
            (R.SPECIALIST, R.LEADER, R.RECEIVER),
            Side.RESPONSIBLE,
        ),
        _spec("approve", _("Approve"), (S.PROCESSING,), (R.LEADER,), Side.RESPONSIBLE),
        _spec("reject", _("Refuse on the merits"), (S.PROCESSING,), (R.LEADER,), Side.RESPONSIBLE),
        _spec(
            "request_payment",
            _("Request payment"),
            (S.ACCEPTED, S.PROCESSING),
            (R.RECEIVER, R.SPECIALIST),
            Side.EITHER,
        ),
        _spec(
            "record_payment",
            _("Payment received"),
            (S.PAYMENT_REQUESTED,),
            (R.RECEIVER, R.SPECIALIST),
            Side.EITHER,
        ),
        _spec(
            "mark_result_ready",
            _("Result ready"),
            (S.PROCESSING,),
            (R.CLERK, R.LEADER, R.SPECIALIST),
            Side.RESPONSIBLE,
        ),
        _spec(
            "return_result",
            _("Return the result"),
            (S.PROCESSED,),
            (R.RECEIVER, R.CLERK),
            Side.RECEIVING,
        ),
        _spec(
            "withdraw",
            _("Withdraw (citizen's request)"),
            OPEN_BEFORE_RESULT,
            (R.RECEIVER,),
            Side.RECEIVING,
        ),
        _spec("stop", _("Stop processing"), RUNNING, (R.LEADER,), Side.RESPONSIBLE),
        _spec(
            "apologise",
            _("Apologise and set a new appointment"),
            RUNNING,
            (R.LEADER,),
            Side.RESPONSIBLE,
        ),
    )
}

# The order actions are offered in: moving the dossier on first, ending it last.
OFFER_ORDER = (
    "accept",
    "assign",
    "forward",
    "receive_supplement",
    "record_payment",
    "receive_from_agency",
    "approve",
    "mark_result_ready",
    "return_result",
    "request_supplement",
    "send_to_agency",
    "request_payment",
    "apologise",
    "reject",
    "refuse_intake",
    "withdraw",
    "stop",
)

# Timeline entries that are not state-machine actions.
OTHER_EVENTS: dict[str, Promise] = {
    "intake": _("Received at the counter"),
    "submit": _("Filed online"),
    "move": _("Handed to the successor unit"),
    "import": _("Taken over from the previous system"),
    "pay": _("Fee paid"),
}


class DossierState(Protocol):
    status: int
    outcome: str
    at_other_agency: str
    due_at: dt.datetime | None


def blocked(dossier: DossierState, action: str) -> str | None:
    """Why ``action`` cannot run on the dossier now, or None when it can."""
    spec = ACTIONS[action]
    if dossier.status not in spec.sources:
        return str(
            _("A dossier that is “%(status)s” cannot be acted on with “%(action)s”.")
            % {"status": Status(dossier.status).label, "action": spec.label}
        )
    if action in {"approve", "reject"} and dossier.outcome:
        return str(_("The dossier has already been decided."))
    if action == "mark_result_ready" and not dossier.outcome:
        return str(_("The dossier must be approved or refused before its result is ready."))
    if action == "apologise" and dossier.due_at is None:
        return str(_("The dossier has no appointment yet: it has not been accepted."))
    if action == "receive_from_agency" and not dossier.at_other_agency:
        return str(_("The dossier is not at another agency."))
    if (
        action in {"send_to_agency", "forward", "approve", "reject", "mark_result_ready"}
        and dossier.at_other_agency
    ):
        return str(
            _("The dossier is at %(agency)s; record its return first.")
            % {"agency": dossier.at_other_agency}
        )
    return None


def label_of(action: str) -> str:
    if action in ACTIONS:
        return str(ACTIONS[action].label)
    return str(OTHER_EVENTS.get(action, action))


def may(roles: frozenset[str], action: str) -> bool:
    """Whether these roles allow ``action`` (the provincial administrator may do all)."""
    return Role.PROVINCE_ADMIN in roles or bool(roles & ACTIONS[action].roles)


# The action a dossier's state calls for, first found among those the officer may take.
_NEXT_BY_STATUS: dict[int, tuple[str, ...]] = {
    S.NEW: ("accept",),
    S.ACCEPTED: ("assign",),
    S.PROCESSING: ("receive_from_agency", "mark_result_ready", "approve", "forward", "assign"),
    S.SUPPLEMENT_REQUESTED: ("receive_supplement",),
    S.PAYMENT_REQUESTED: ("record_payment",),
    S.PROCESSED: ("return_result",),
}
# Actions that end a dossier against the applicant's wish: a confirmation page comes first.
CONFIRM_FIRST = frozenset({"refuse_intake", "reject", "stop", "withdraw"})


def expected_action(status: int, allowed: list[str]) -> str | None:
    """The allowed action to show opened: what the dossier's state calls for next."""
    for name in _NEXT_BY_STATUS.get(status, ()):
        if name in allowed:
            return name
    return next((name for name in allowed if name not in CONFIRM_FIRST), None)
