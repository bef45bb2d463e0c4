"""Fees and financial obligations: asking for payment and recording it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.errors import Invalid
from haicap.dossiers.actions.transition import transition
from haicap.dossiers.models import Dossier, Status


def do_request_payment(
    dossier: Dossier,
    *,
    amount: int | None,
    actor: Actor,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask the citizen to pay the fee or financial obligation (status 6)."""
    if amount is not None and amount < 0:
        raise Invalid(_("The amount cannot be negative."), field="amount")

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "status": Status.PAYMENT_REQUESTED,
            "resume_status": d.status,
            "fee": d.fee if amount is None else amount,
            "fee_paid": False,
        }

    return transition(
        dossier, "request_payment", compute, actor=actor, version=version, at=at, note=note.strip()
    )


def do_record_payment(
    dossier: Dossier,
    *,
    method: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
    by_citizen: bool = False,
) -> Dossier:
    if method not in {"cash", "transfer", "online"}:
        raise Invalid(_("The payment method is cash, transfer or online."), field="method")

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "status": d.resume_status or Status.PROCESSING,
            "resume_status": None,
            "fee_paid": True,
            "paid_at": now,
            "payment_method": method,
        }

    return transition(
        dossier,
        "record_payment",
        compute,
        actor=actor,
        version=version,
        at=at,
        data={"method": method},
        by_citizen=by_citizen,
    )
