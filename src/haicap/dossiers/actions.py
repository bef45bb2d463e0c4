"""Every change to a dossier: one function per action, one transaction, one timeline event.

Each action locks the dossier row, checks the state machine (workflow.py), the officer's
role (access.py) and, when given, the version the officer was looking at; then it writes the
changed fields, a DossierEvent carrying exactly those changes, and an audit event. A second
officer acting on the same dossier at the same time gets Conflict and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, is_system, person_id
from haicap.core.calendar import ZONE, calendar
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.core.text import search_key
from haicap.dossiers import access, notifications, papers
from haicap.dossiers import cache as dossier_cache
from haicap.dossiers.codes import new_secret, next_code
from haicap.dossiers.models import Channel, Dossier, DossierEvent, Outcome, PaperStage, Status
from haicap.dossiers.timeline import to_json
from haicap.dossiers.workflow import ACTIONS, blocked, may
from haicap.procedures.models import CompetentTier, Procedure
from haicap.procedures.rules import due_at, fee_for
from haicap.staff.access import scope_of
from haicap.units.models import AdminUnit, ServiceCenter, Tier

_ID_NUMBER = re.compile(r"^(\d{9}|\d{12})$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    unit_code: str = ""

    def checked(self) -> Applicant:
        """The same applicant, trimmed; Invalid naming the first bad field."""
        name = " ".join(self.full_name.split())
        if not name:
            raise Invalid(_("The applicant's full name is required."), field="applicant.full_name")
        if len(name) > 200:
            raise Invalid(_("The full name is too long."), field="applicant.full_name")
        id_number = self.id_number.strip()
        if id_number and not _ID_NUMBER.match(id_number):
            raise Invalid(
                _("An ID number has 12 digits (citizen ID) or 9 digits (old ID card)."),
                field="applicant.id_number",
            )
        phone = re.sub(r"[\s.-]", "", self.phone)
        if phone and not _PHONE.match(phone):
            raise Invalid(
                _("A phone number starts with 0 or +84 and has 10 or 11 digits."),
                field="applicant.phone",
            )
        email = self.email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise Invalid(
                    _("The e-mail address is not valid."), field="applicant.email"
                ) from None
        if self.birth_date and self.birth_date > timezone.localdate():
            raise Invalid(_("The date of birth is in the future."), field="applicant.birth_date")
        return Applicant(
            full_name=name,
            id_number=id_number,
            birth_date=self.birth_date,
            phone=phone,
            email=email,
            address=" ".join(self.address.split())[:300],
            unit_code=self.unit_code.strip(),
        )


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


def _record(
    dossier: Dossier,
    action: str,
    *,
    actor: Actor,
    at: dt.datetime,
    from_status: int | None,
    changes: dict[str, Any],
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Apply ``changes`` to the dossier, save them with the version, write event and audit."""
    for field, value in changes.items():
        setattr(dossier, field, value)
    dossier.version += 1
    if dossier.pk is None:
        dossier.save()
    else:
        dossier.save(update_fields=[*changes, "version"])
    event = DossierEvent.objects.create(
        dossier=dossier,
        seq=dossier.version,
        at=at,
        action=action,
        actor_id=person_id(actor),
        actor_label=audit.actor_label(actor),
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        changes={field: to_json(field, value) for field, value in changes.items()},
        data=data or {},
    )
    notifications.enqueue(event)
    code = dossier.code
    transaction.on_commit(lambda: dossier_cache.forget(code))
    audit.record(
        f"dossier.{action}",
        actor=actor,
        subject_type="dossier",
        subject_id=dossier.code,
        unit_id=dossier.responsible_unit_id,
        before={"status": from_status} if from_status else None,
        after=event.changes,
    )
    return event


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
) -> tuple[Dossier, bool]:
    at = at or timezone.now()
    applicant = applicant.checked()
    if channel not in Channel.values:
        raise Invalid(_("The channel is 1 (in person), 2 (online) or 3 (postal)."), field="channel")
    if not procedure.is_active:
        raise Invalid(_("This procedure is no longer offered."), field="procedure")
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
    fingerprint = _fingerprint(
        procedure=procedure.code,
        centre=centre.code,
        applicant=asdict(applicant),
        channel=channel,
        pages=pages,
        copies=copies,
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
    try:
        with papers.stored(uploads) as names, transaction.atomic():
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
            _record(dossier, action, actor=actor, at=at, from_status=None, changes=changes)
            papers.attach(
                dossier, uploads, names, stage=PaperStage.INTAKE, by=audit.actor_label(actor)
            )
    except IntegrityError:
        # A retry with the same Idempotency-Key won the race: answer with its dossier.
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if not idempotency_key or existing is None:
            raise
        return _replayed(existing, fingerprint), False
    return dossier, True


def _replayed(existing: Dossier, fingerprint: str) -> Dossier:
    if existing.idempotency_fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different dossier."),
            code="idempotency_key_reused",
        )
    return existing


def _is_citizen(actor: Actor) -> bool:
    return person_id(actor) is not None and not scope_of(actor).is_staff


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
    at: dt.datetime | None = None,
) -> tuple[Dossier, bool]:
    """Receive a dossier at the counter (or by post): accepted at once, receipt issued.

    Returns the dossier and whether it was created (False: an idempotent retry).
    """
    if not is_system(actor):
        roles = scope_of(actor).roles_for(centre.unit_id, centre.unit.province_id or centre.unit_id)
        if not may(roles, "accept"):
            raise Forbidden(_("Your role does not allow receiving dossiers at this centre."))
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
    at: dt.datetime | None = None,
) -> tuple[Dossier, bool]:
    """File a dossier online (status 1): the clock starts when the centre accepts it."""
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
    )


# Moving dossiers along

Compute = Callable[[Dossier, dt.datetime], dict[str, Any]]


def _transition(
    dossier: Dossier,
    action: str,
    compute: Compute,
    *,
    actor: Actor,
    version: int | None,
    at: dt.datetime | None,
    note: str = "",
    data: dict[str, Any] | Callable[[Dossier], dict[str, Any]] | None = None,
    by_citizen: bool = False,
) -> Dossier:
    """Lock, check, apply ``compute``'s changes; ``data`` may be computed from the locked row."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update()
            .select_related("procedure", "receiving_centre")
            .get(pk=dossier.pk)
        )
        if version is not None and locked.version != version:
            raise Conflict(
                _(
                    "Someone else changed dossier %(code)s a moment ago; "
                    "reload it to see the change."
                )
                % {"code": locked.code},
                code="stale_version",
            )
        reason = blocked(locked, action)
        if reason:
            raise Conflict(reason, code="not_allowed_now")
        if not by_citizen and not is_system(actor) and not access.may_act(actor, locked, action):
            raise Forbidden(_("Your role does not allow this action on this dossier."))
        details = data(locked) if callable(data) else data
        changes = compute(locked, at)
        if changes.get("finished_at"):
            changes.update(_end_of_processing(locked, changes["finished_at"]))
        _record(
            locked,
            action,
            actor=actor,
            at=at,
            from_status=locked.status,
            changes=changes,
            note=note,
            data=details,
        )
    return locked


def _end_of_processing(dossier: Dossier, finished: dt.datetime) -> dict[str, Any]:
    """The processing time of a dossier that ends now, supplement waiting excluded.

    A dossier that ends while a supplement is awaited (stopped, withdrawn) has that wait
    taken out too, and its legal deadline moved by it, as a resumed one would.
    """
    if dossier.received_at is None:
        return {}
    clock = calendar()
    paused = dossier.paused_seconds
    changes: dict[str, Any] = {}
    if dossier.paused_at is not None:
        waiting = clock.working_seconds(dossier.paused_at, finished)
        paused += waiting
        if dossier.legal_due_at is not None:
            changes["legal_due_at"] = clock.add_working_seconds(dossier.legal_due_at, waiting)
    worked = clock.working_seconds(dossier.received_at, finished)
    changes["working_seconds"] = max(0, worked - paused)
    return changes


def _required(text: str, field: str, message: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise Invalid(message, field=field)
    return cleaned


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

    return _transition(dossier, "accept", compute, actor=actor, version=version, at=at)


def do_refuse_dossier_intake(
    dossier: Dossier,
    *,
    reason: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse to receive (wrong competence, incomplete beyond supplement): a refusal slip."""
    reason = _required(reason, "reason", _("Say why the dossier is not received."))
    return _transition(
        dossier,
        "refuse_intake",
        lambda d, now: {"status": Status.NOT_ACCEPTED, "finished_at": now},
        actor=actor,
        version=version,
        at=at,
        note=reason,
    )


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
    reason = _required(reason, "reason", _("Say what must be supplemented and why."))

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "status": Status.SUPPLEMENT_REQUESTED,
            "resume_status": d.status,
            "paused_at": now,
            "supplement_requests": d.supplement_requests + 1,
        }

    return _transition(
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
        updated = _transition(
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
    scope = scope_of(assignee)
    if not scope.sees(
        (dossier.receiving_unit_id, dossier.responsible_unit_id), dossier.province_id
    ):
        raise Invalid(_("The assignee has no role in this dossier's units."), field="assignee")

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {"status": Status.PROCESSING, "assignee_id": assignee.pk, "step": max(d.step, 2)}

    return _transition(
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
    steps = dossier.procedure.steps.count()

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "step": min(d.step + 1, max(steps, 1)),
            "assignee_id": assignee.pk if assignee is not None else None,
        }

    return _transition(
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
    agency = _required(agency, "agency", _("Name the agency the dossier goes to."))[:200]
    return _transition(
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
    return _transition(
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
    return _transition(
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
    reason = _required(reason, "reason", _("Give the reasons for the refusal."))
    return _transition(
        dossier,
        "reject",
        lambda d, now: {"outcome": Outcome.REJECTED},
        actor=actor,
        version=version,
        at=at,
        note=reason,
    )


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

    return _transition(
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

    return _transition(
        dossier,
        "record_payment",
        compute,
        actor=actor,
        version=version,
        at=at,
        data={"method": method},
        by_citizen=by_citizen,
    )


def do_mark_result_ready(
    dossier: Dossier,
    *,
    actor: Actor,
    note: str = "",
    uploads: list[papers.Upload] | None = None,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The result (or the written refusal) is ready at the result desk: processing ends."""
    uploads = uploads or []
    with papers.stored(uploads) as names, transaction.atomic():
        updated = _transition(
            dossier,
            "mark_result_ready",
            lambda d, now: {
                "status": Status.PROCESSED,
                "finished_at": now,
                "result_note": note.strip(),
            },
            actor=actor,
            version=version,
            at=at,
            note=note.strip(),
            data={"electronic_result": bool(uploads)},
        )
        papers.attach(updated, uploads, names, stage=PaperStage.RESULT, by=audit.actor_label(actor))
    return updated


def do_return_result(
    dossier: Dossier, *, actor: Actor, version: int | None = None, at: dt.datetime | None = None
) -> Dossier:
    return _transition(
        dossier,
        "return_result",
        lambda d, now: {"status": Status.RETURNED, "returned_at": now},
        actor=actor,
        version=version,
        at=at,
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
    return _transition(
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
    reason = _required(reason, "reason", _("Give the reason for stopping."))
    return _transition(
        dossier,
        "stop",
        lambda d, now: {"status": Status.STOPPED, "finished_at": now, "paused_at": None},
        actor=actor,
        version=version,
        at=at,
        note=reason,
    )


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
    reason = _required(reason, "reason", _("Say why the result will be late."))
    moment = at or timezone.now()
    if new_due_at <= moment:
        raise Invalid(_("The new appointment must be in the future."), field="new_due_at")
    if not calendar().is_working_day(new_due_at.astimezone(ZONE).date()):
        raise Invalid(_("The new appointment must be on a working day."), field="new_due_at")

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        if d.due_at is not None and new_due_at <= d.due_at:
            raise Invalid(
                _("The new appointment must be later than the current one."), field="new_due_at"
            )
        return {"due_at": new_due_at, "apologies": d.apologies + 1}

    return _transition(
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


# For the API and pages: run an action by name with the fields of a form or JSON body.
ACTION_NAMES = tuple(ACTIONS)
