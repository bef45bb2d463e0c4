"""Processing: assignment, steps, other agencies, the leader's decision, and the endings
before a result (withdrawal, stop) or a late one (apology)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.calendar import ZONE, calendar
from haicap.core.errors import Invalid
from haicap.dossiers.actions.transition import required, transition
from haicap.dossiers.models import Dossier, Outcome, Status
from haicap.dossiers.timeline import to_json
from haicap.staff.access import scope_of
from haicap.staff.models import Role, RoleAssignment


def _check_assignee(dossier: Dossier, assignee: AbstractBaseUser) -> None:
    """The assignee must hold a role that works on dossiers in its units (auditors only read)."""
    scope = scope_of(assignee)
    if scope.everything:
        # The technical superuser reaches everything but works on nothing it was not given:
        # only roles actually held count.
        held = RoleAssignment.objects.filter(user_id=assignee.pk, is_active=True)
        units = {dossier.responsible_unit_id, dossier.receiving_unit_id, dossier.province_id}
        roles: set[str] | frozenset[str] = set(
            held.filter(unit_id__in=units).values_list("role", flat=True)
        )
    else:
        roles = scope.roles_for(dossier.responsible_unit_id, dossier.province_id) | scope.roles_for(
            dossier.receiving_unit_id, dossier.province_id
        )
    if not roles - {Role.AUDITOR}:
        raise Invalid(_("The assignee has no role in this dossier's units."), field="assignee")


def do_assign_dossier(
    dossier: Dossier,
    *,
    assignee: AbstractBaseUser,
    actor: Actor,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Give the dossier to an officer of its units; processing starts."""
    _check_assignee(dossier, assignee)

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {"status": Status.PROCESSING, "assignee_id": assignee.pk, "step": max(d.step, 2)}

    return transition(
        dossier,
        "assign",
        compute,
        actor=actor,
        version=version,
        at=at,
        note=note.strip(),
        data={"assignee": assignee.get_username()},
    )


def do_forward_dossier(
    dossier: Dossier,
    *,
    actor: Actor,
    assignee: AbstractBaseUser | None = None,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Finish the current step and pass the dossier to the next (and its officer)."""
    if assignee is not None:
        _check_assignee(dossier, assignee)
    steps = dossier.procedure.steps.count()

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "step": min(d.step + 1, max(steps, 1)),
            "assignee_id": assignee.pk if assignee is not None else None,
        }

    return transition(
        dossier,
        "forward",
        compute,
        actor=actor,
        version=version,
        at=at,
        note=note.strip(),
        data={"assignee": assignee.get_username() if assignee is not None else None},
    )


def do_send_dossier_to_agency(
    dossier: Dossier,
    *,
    agency: str,
    actor: Actor,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Send to another agency for its part (liên thông), e.g. the tax office."""
    agency = required(agency, "agency", _("Name the agency the dossier goes to."))[:200]
    return transition(
        dossier,
        "send_to_agency",
        lambda d, now: {"at_other_agency": agency},
        actor=actor,
        version=version,
        at=at,
        note=note.strip(),
        data={"agency": agency},
    )


def do_receive_dossier_from_agency(
    dossier: Dossier,
    *,
    actor: Actor,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    return transition(
        dossier,
        "receive_from_agency",
        lambda d, now: {"at_other_agency": ""},
        actor=actor,
        version=version,
        at=at,
        note=note.strip(),
        data=lambda d: {"agency": d.at_other_agency},
    )


def do_approve_dossier(
    dossier: Dossier,
    *,
    actor: Actor,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The leader signs: the result can be prepared."""
    return transition(
        dossier,
        "approve",
        lambda d, now: {"outcome": Outcome.APPROVED},
        actor=actor,
        version=version,
        at=at,
        note=note.strip(),
    )


def do_reject_dossier(
    dossier: Dossier,
    *,
    reason: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse on the merits: the result is a written refusal with its reasons."""
    reason = required(reason, "reason", _("Give the reasons for the refusal."))
    return transition(
        dossier,
        "reject",
        lambda d, now: {"outcome": Outcome.REJECTED},
        actor=actor,
        version=version,
        at=at,
        note=reason,
    )


def do_withdraw_dossier(
    dossier: Dossier,
    *,
    reason: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
    by_citizen: bool = False,
) -> Dossier:
    """Withdrawn at the citizen's request (status 7)."""
    reason = reason.strip() or _("At the applicant's request")
    return transition(
        dossier,
        "withdraw",
        lambda d, now: {"status": Status.WITHDRAWN, "finished_at": now, "paused_at": None},
        actor=actor,
        version=version,
        at=at,
        note=reason,
        by_citizen=by_citizen,
    )


def do_stop_dossier(
    dossier: Dossier,
    *,
    reason: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Stop processing (status 8), with a written stop notice."""
    reason = required(reason, "reason", _("Give the reason for stopping."))
    return transition(
        dossier,
        "stop",
        lambda d, now: {"status": Status.STOPPED, "finished_at": now, "paused_at": None},
        actor=actor,
        version=version,
        at=at,
        note=reason,
    )


APOLOGY_MIN_DAYS = 5


def do_apologise_dossier(
    dossier: Dossier,
    *,
    new_due_at: dt.datetime,
    reason: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The result will be late: an apology letter with a new appointment."""
    reason = required(reason, "reason", _("Say why the result will be late."))
    moment = at or timezone.now()
    if new_due_at <= moment:
        raise Invalid(_("The new appointment must be in the future."), field="new_due_at")
    if new_due_at - moment > dt.timedelta(days=366):
        # Checked before any calendar arithmetic: 9999-12-31 must not reach it.
        raise Invalid(_("The new appointment must be within a year."), field="new_due_at")
    if not calendar().is_working_day(new_due_at.astimezone(ZONE).date()):
        raise Invalid(_("The new appointment must be on a working day."), field="new_due_at")

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        if d.due_at is not None and new_due_at <= d.due_at:
            raise Invalid(
                _("The new appointment must be later than the current one."), field="new_due_at"
            )
        # At most the procedure's legal time again (5 working days at least) after the later
        # of the current appointment and now: a late result, not a dossier parked for years.
        days = max(d.procedure.time_days, APOLOGY_MIN_DAYS)
        latest = calendar().due_in_working_days(max(d.due_at or now, now), days)
        if new_due_at > latest:
            raise Invalid(
                _("The new appointment may be at most %(days)s working days later, by %(latest)s.")
                % {"days": days, "latest": latest.astimezone(ZONE).strftime("%d/%m/%Y %H:%M")},
                field="new_due_at",
            )
        return {"due_at": new_due_at, "apologies": d.apologies + 1}

    return transition(
        dossier,
        "apologise",
        compute,
        actor=actor,
        version=version,
        at=moment,
        note=reason,
        data=lambda d: {
            "previous_due_at": to_json("due_at", d.due_at),
            "new_due_at": new_due_at.isoformat(),
        },
    )
