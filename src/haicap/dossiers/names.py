"""Officers and applicants as a dossier's pages and forms name them: full names, titles."""

from __future__ import annotations

from django.utils.translation import gettext as _

from haicap.dossiers.models import Dossier, DossierEvent
from haicap.staff.models import Role
from haicap.staff.names import full_name, titles_of

INTAKE_ACTIONS = ("intake", "accept")


def event_actor_name(event: DossierEvent) -> str:
    """The full name of whoever did the step (the event's actor is loaded with it)."""
    if event.actor_id is not None and event.actor is not None:
        return full_name(event.actor)
    if event.actor_label == "system":
        return _("System")
    if event.actor_label == "anonymous":
        return _("The applicant (online)")
    return event.actor_label


def receiving_officer(dossier: Dossier, events: list[DossierEvent]) -> tuple[str, str]:
    """(full name, title) of the officer who received the dossier at the desk or accepted it
    online; empty while an online filing waits for intake (the citizen is no officer)."""
    event = next((e for e in events if e.action in INTAKE_ACTIONS and e.actor_id), None)
    if event is None or event.actor is None:
        return "", ""
    title = titles_of(
        [event.actor.pk], [dossier.receiving_unit_id, dossier.province_id], prefer=Role.RECEIVER
    )
    return full_name(event.actor), title.get(event.actor.pk, "")


# The role each form is signed in: returning a result is the receiving desk's work.
_SIGNED_AS = {"return_result": Role.RECEIVER, "refuse_intake": Role.RECEIVER}


def officer_of(dossier: Dossier, event: DossierEvent | None) -> tuple[str, str]:
    """(full name, title) of the officer behind ``event``, when an officer did it."""
    if event is None or event.actor_id is None or event.actor is None:
        return "", ""
    units = [dossier.receiving_unit_id, dossier.responsible_unit_id, dossier.province_id]
    titles = titles_of([event.actor.pk], units, prefer=_SIGNED_AS.get(event.action))
    return full_name(event.actor), titles.get(event.actor.pk, "")
