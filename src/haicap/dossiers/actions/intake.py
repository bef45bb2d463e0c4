"""Creating dossiers (at the counter, online) and the centre's decision to receive them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, is_system, person_id
from haicap.core.calendar import ZONE
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.core.text import search_key
from haicap.dossiers import history, papers
from haicap.dossiers.actions.transition import required, transition
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.codes import new_secret, next_code
from haicap.dossiers.eform import Declaration, check_declaration, save_declaration
from haicap.dossiers.models import Channel, Dossier, PaperStage, Status
from haicap.dossiers.workflow import may
from haicap.procedures.models import CompetentTier, OnlineLevel, Procedure
from haicap.procedures.rules import due_at, fee_for
from haicap.staff.access import scope_of
from haicap.units.models import AdminUnit, ServiceCenter, Tier


def _fingerprint(**parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _responsible_unit(
    procedure: Procedure, centre: ServiceCenter, applicant_unit: AdminUnit | None
) -> AdminUnit:
    """Who resolves the dossier: a province-tier procedure goes to the province; a commune
    one to the receiving commune, or the applicant's commune when filed at the province."""
    province = centre.unit.province or centre.unit
    if procedure.competent_tier != CompetentTier.COMMUNE:
        return province
    if centre.unit.tier == Tier.COMMUNE:
        if (
            applicant_unit is not None
            and applicant_unit.pk != centre.unit_id
            and not procedure.filing_anywhere
        ):
            raise Invalid(
                _(
                    "%(procedure)s must be filed at the centre of the applicant's commune "
                    "(%(unit)s); it cannot be filed regardless of address."
                )
                % {"procedure": procedure.name, "unit": applicant_unit.name},
                field="unit",
            )
        return centre.unit
    if applicant_unit is None or applicant_unit.province_id != province.pk:
        raise Invalid(
            _("A commune procedure filed at the provincial centre needs the applicant's commune."),
            field="applicant.unit_code",
        )
    return applicant_unit


# Creating dossiers


def _create(
    *,
    action: str,
    status: Status,
    procedure: Procedure,
    centre: ServiceCenter,
    applicant: Applicant,
    channel: int,
    actor: Actor,
    at: dt.datetime | None,
    uploads: list[papers.Upload],
    pages: int,
    copies: int,
    idempotency_key: str | None,
    declaration: Declaration | None = None,
) -> tuple[Dossier, bool]:
    at = at or timezone.now()
    applicant = applicant.checked()
    if channel not in Channel.values:
        raise Invalid(_("The channel is 1 (in person), 2 (online) or 3 (postal)."), field="channel")
    if not procedure.is_active:
        raise Invalid(_("This procedure is no longer offered."), field="procedure")
    if channel == Channel.ONLINE and procedure.online_level == OnlineLevel.NONE:
        # The same rule on every path: portal, public API and the staff API.
        raise Invalid(
            _("This procedure cannot be filed online; please go to a service centre."),
            field="procedure",
        )
    if not centre.is_active or not centre.unit.in_force_on(at.astimezone(ZONE).date()):
        raise Invalid(_("This service centre is not open for dossiers."), field="unit")
    applicant_unit = None
    if applicant.unit_code:
        applicant_unit = (
            AdminUnit.objects.in_force_on(at.astimezone(ZONE).date())
            .filter(code=applicant.unit_code, tier=Tier.COMMUNE)
            .first()
        )
        if applicant_unit is None:
            raise Invalid(
                _("No commune has code %(code)s.") % {"code": applicant.unit_code},
                field="applicant.unit_code",
            )
    responsible = _responsible_unit(procedure, centre, applicant_unit)
    # The e-form and papers (dossiers/eform.py): every problem at once, before any write.
    checked = (
        check_declaration(procedure, declaration, channel=channel)
        if declaration is not None
        else None
    )
    paper_ids: list[int | None] = [None] * len(uploads)
    extra: dict[str, Any] = {}
    if checked is not None:
        uploads = uploads + [upload for _paper, upload in checked.uploads]
        paper_ids += [paper for paper, _upload in checked.uploads]
        extra = {"form": checked.values, "papers": [u.sha256 for u in uploads]}
    fingerprint = _fingerprint(
        procedure=procedure.code,
        centre=centre.code,
        applicant=asdict(applicant),
        channel=channel,
        pages=pages,
        copies=copies,
        **extra,
    )
    if idempotency_key:
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, fingerprint), False
    started = status == Status.ACCEPTED
    changes: dict[str, Any] = {
        "status": status,
        "submitted_at": at if channel == Channel.ONLINE else None,
        "received_at": at if started else None,
        "due_at": due_at(procedure, at) if started else None,
        "fee": fee_for(procedure, channel=channel, pages=pages, copies=copies),
        "receiving_unit_id": centre.unit_id,
        "responsible_unit_id": responsible.pk,
        "province_id": responsible.province_id or responsible.pk,
        "step": 1 if started else 0,
    }
    changes["original_due_at"] = changes["legal_due_at"] = changes["due_at"]
    with transaction.atomic():
        if idempotency_key:
            # Retries with one key wait here for each other, so the second finds the first's
            # dossier instead of failing on the unique index: a failed INSERT would put the
            # applicant's name, ID number and secret into PostgreSQL's log.
            _lock_key(idempotency_key)
            existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replayed(existing, fingerprint), False
        with papers.stored(uploads) as names:
            dossier = Dossier(
                code=next_code(centre, at),
                secret=new_secret(),
                procedure=procedure,
                channel=channel,
                applicant_name=applicant.full_name,
                applicant_name_key=search_key(applicant.full_name),
                applicant_id_number=applicant.id_number,
                applicant_birth_date=applicant.birth_date,
                applicant_phone=applicant.phone,
                applicant_email=applicant.email,
                applicant_address=applicant.address,
                applicant_unit=applicant_unit,
                applicant_user_id=person_id(actor) if _is_citizen(actor) else None,
                receiving_centre=centre,
                pages=pages,
                copies=copies,
                idempotency_key=idempotency_key or None,
                idempotency_fingerprint=fingerprint if idempotency_key else "",
                created_by_id=person_id(actor),
                created_at=at,
            )
            history.record(dossier, action, actor=actor, at=at, from_status=None, changes=changes)
            papers.attach(
                dossier,
                uploads,
                names,
                stage=PaperStage.INTAKE,
                by=audit.actor_label(actor),
                required=paper_ids,
            )
            if checked is not None:
                save_declaration(dossier, checked)
    return dossier, True


def _lock_key(key: str) -> None:
    """Hold a transaction-level advisory lock on an idempotency key (two 32-bit halves)."""
    digest = hashlib.sha256(key.encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [
                int.from_bytes(digest[:4], "big", signed=True),
                int.from_bytes(digest[4:8], "big", signed=True),
            ],
        )


def _replayed(existing: Dossier, fingerprint: str) -> Dossier:
    if existing.idempotency_fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different dossier."),
            code="idempotency_key_reused",
        )
    return existing


def _is_citizen(actor: Actor) -> bool:
    return person_id(actor) is not None and not scope_of(actor).is_staff


def _check_may_receive(actor: Actor, centre: ServiceCenter) -> None:
    """Officers file only where their role receives dossiers (auditors never)."""
    roles = scope_of(actor).roles_for(centre.unit_id, centre.unit.province_id or centre.unit_id)
    if not may(roles, "accept"):
        raise Forbidden(_("Your role does not allow receiving dossiers at this centre."))


def do_intake_dossier(
    *,
    procedure: Procedure,
    centre: ServiceCenter,
    applicant: Applicant,
    actor: Actor,
    channel: int = Channel.IN_PERSON,
    uploads: list[papers.Upload] | None = None,
    pages: int = 0,
    copies: int = 1,
    idempotency_key: str | None = None,
    declaration: Declaration | None = None,
    at: dt.datetime | None = None,
) -> tuple[Dossier, bool]:
    """Receive a dossier at the counter (or by post): accepted at once, receipt issued.

    ``declaration``: the e-form values and the papers ticked, checked against the procedure
    (every page and API filing gives one; imports of the previous system and fixtures may not).
    Returns the dossier and whether it was created (False: an idempotent retry).
    """
    if not is_system(actor):
        _check_may_receive(actor, centre)
    return _create(
        action="intake",
        status=Status.ACCEPTED,
        procedure=procedure,
        centre=centre,
        applicant=applicant,
        channel=channel,
        actor=actor,
        at=at,
        uploads=uploads or [],
        pages=pages,
        copies=copies,
        idempotency_key=idempotency_key,
        declaration=declaration,
    )


def do_submit_dossier(
    *,
    procedure: Procedure,
    centre: ServiceCenter,
    applicant: Applicant,
    actor: Actor,
    uploads: list[papers.Upload] | None = None,
    pages: int = 0,
    copies: int = 1,
    idempotency_key: str | None = None,
    declaration: Declaration | None = None,
    at: dt.datetime | None = None,
) -> tuple[Dossier, bool]:
    """File a dossier online (status 1): the clock starts when the centre accepts it.

    A citizen (or the public) files anywhere; an officer filing for someone (the staff API's
    channel 2) passes the same unit check as a counter intake. ``declaration``: the e-form
    values and the papers (uploaded or for the desk), checked.
    """
    if not is_system(actor) and scope_of(actor).is_staff:
        _check_may_receive(actor, centre)
    return _create(
        action="submit",
        status=Status.NEW,
        procedure=procedure,
        centre=centre,
        applicant=applicant,
        channel=Channel.ONLINE,
        actor=actor,
        at=at,
        uploads=uploads or [],
        pages=pages,
        copies=copies,
        idempotency_key=idempotency_key,
        declaration=declaration,
    )


def do_accept_dossier(
    dossier: Dossier, *, actor: Actor, version: int | None = None, at: dt.datetime | None = None
) -> Dossier:
    """Accept an online dossier: the clock starts and the receipt can be issued."""

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        due = due_at(d.procedure, now)
        return {
            "status": Status.ACCEPTED,
            "received_at": now,
            "due_at": due,
            "original_due_at": due,
            "legal_due_at": due,
            "step": 1,
        }

    return transition(dossier, "accept", compute, actor=actor, version=version, at=at)


def do_refuse_dossier_intake(
    dossier: Dossier,
    *,
    reason: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse to receive (wrong competence, incomplete beyond supplement): a refusal slip."""
    reason = required(reason, "reason", _("Say why the dossier is not received."))
    return transition(
        dossier,
        "refuse_intake",
        lambda d, now: {"status": Status.NOT_ACCEPTED, "finished_at": now},
        actor=actor,
        version=version,
        at=at,
        note=reason,
    )
