"""Asking the applicant for missing papers, and receiving them: the clock pauses between."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.calendar import calendar
from haicap.core.errors import Invalid
from haicap.dossiers import papers
from haicap.dossiers.actions.transition import required, transition
from haicap.dossiers.models import Dossier, PaperStage, Status


def do_request_supplement(
    dossier: Dossier,
    *,
    missing: list[str],
    reason: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask the citizen for missing papers: the clock stops until they arrive.

    A second request for the same dossier is recorded against the agency.
    """
    missing = [item.strip() for item in missing if item.strip()]
    if not missing:
        raise Invalid(_("List at least one missing or incorrect paper."), field="missing")
    reason = required(reason, "reason", _("Say what must be supplemented and why."))

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "status": Status.SUPPLEMENT_REQUESTED,
            "resume_status": d.status,
            "paused_at": now,
            "supplement_requests": d.supplement_requests + 1,
        }

    return transition(
        dossier,
        "request_supplement",
        compute,
        actor=actor,
        version=version,
        at=at,
        note=reason,
        data=lambda d: {
            "missing": missing,
            "request_number": d.supplement_requests + 1,
            # More than one request for the same dossier counts against the agency.
            "counts_against_agency": d.supplement_requests >= 1,
        },
    )


def do_receive_supplement(
    dossier: Dossier,
    *,
    actor: Actor,
    uploads: list[papers.Upload] | None = None,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
    by_citizen: bool = False,
) -> Dossier:
    """The supplement arrived: the clock resumes and the due date moves by the pause."""
    uploads = uploads or []
    moment = at or timezone.now()

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "status": d.resume_status or Status.PROCESSING,
            "resume_status": None,
            "paused_at": None,
        }
        if d.due_at is not None and d.paused_at is not None:
            clock = calendar()
            due, paused = clock.shift_for_pause(d.due_at, d.paused_at, now)
            changes["due_at"] = due
            changes["paused_seconds"] = d.paused_seconds + paused
            if d.legal_due_at is not None:
                changes["legal_due_at"] = clock.add_working_seconds(d.legal_due_at, paused)
        return changes

    with papers.stored(uploads) as names, transaction.atomic():
        updated = transition(
            dossier,
            "receive_supplement",
            compute,
            actor=actor,
            version=version,
            at=moment,
            note=note.strip(),
            data={"papers": [upload.name for upload in uploads]},
            by_citizen=by_citizen,
        )
        papers.attach(
            updated, uploads, names, stage=PaperStage.SUPPLEMENT, by=audit.actor_label(actor)
        )
    return updated
