"""Bulk actions from the work queues: one action over many dossiers, all or nothing.

Every dossier is checked before any is changed; the first one the officer may not act on
(unseen, wrong state, wrong role) refuses the whole batch with its code. Each dossier then
gets its own timeline event and audit row, as if acted on one by one, in one transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.errors import DomainError, Invalid
from haicap.dossiers.access import get_dossier_for, may_act
from haicap.dossiers.actions.processing import do_assign_dossier
from haicap.dossiers.actions.results import do_return_result
from haicap.dossiers.models import Dossier
from haicap.dossiers.workflow import ACTIONS, blocked

BULK_ACTIONS = ("assign", "return_result")


def _refuse(code: str, why: str) -> Invalid:
    return Invalid(
        _("Nothing was changed: dossier %(code)s cannot be included (%(why)s).")
        % {"code": code, "why": why},
        field="codes",
    )


def do_bulk_dossier_action(
    codes: list[str],
    action: str,
    *,
    actor: Actor,
    assignee: AbstractBaseUser | None = None,
) -> list[Dossier]:
    """Run ``action`` (assign or return_result) on every dossier of ``codes``, or on none."""
    if action not in BULK_ACTIONS:
        raise Invalid(_("This action cannot be done in bulk."), field="action")
    if not codes:
        raise Invalid(_("Choose at least one dossier."), field="codes")
    if action == "assign" and assignee is None:
        raise Invalid(_("Choose the officer to assign."), field="assignee")
    done: list[Dossier] = []
    with transaction.atomic():
        found: list[Dossier] = []
        for code in codes:
            try:
                dossier = get_dossier_for(actor, code, audit_read=False)
            except DomainError as exc:
                raise _refuse(code, exc.message) from exc
            reason = blocked(dossier, action)
            if reason is None and not may_act(actor, dossier, action):
                reason = _("your role does not allow “%(action)s” on it") % {
                    "action": ACTIONS[action].label
                }
            if reason is not None:
                raise _refuse(code, reason.rstrip("."))
            found.append(dossier)
        for dossier in found:
            try:
                if action == "assign":
                    assert assignee is not None
                    done.append(do_assign_dossier(dossier, assignee=assignee, actor=actor))
                else:
                    done.append(do_return_result(dossier, actor=actor))
            except DomainError as exc:
                raise _refuse(dossier.code, exc.message.rstrip(".")) from exc
    return done
